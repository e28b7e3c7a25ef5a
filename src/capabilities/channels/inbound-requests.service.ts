import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { DeliveryStatusUpdate, RawInbound } from './channel.ts';
import { Announcements } from '../../platform/events/announcements.ts';

const DELIVERY_RANK: Record<'sent' | 'delivered' | 'read' | 'failed', number> = { sent: 1, delivered: 2, read: 3, failed: 4 };
/**
 * Applies one provider report to an outbound message. Providers report out of order: a status
 * only ever moves forward (sent, delivered, read), and failed is final. Returns whether it applied.
 */
export async function applyDeliveryStatus(
  tx: Tx,
  forceId: ForceId,
  channel: string,
  status: DeliveryStatusUpdate,
  out: Announcements,
): Promise<boolean> {
  const rank = DELIVERY_RANK[status.status];
  const earlier = Object.entries(DELIVERY_RANK).filter(([, r]) => r < rank).map(([name]) => name);
  const updated = await tx
    .updateTable('messages')
    .set({ delivery_status: status.status, delivery_error: status.reason })
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('direction', '=', 'outbound')
    .where('provider_message_id', '=', status.providerMessageId)
    .where((eb) => eb.or([eb('delivery_status', 'is', null), eb('delivery_status', 'in', [...earlier, 'queued', 'retrying'])]))
    .returning(['id', 'contact_id'])
    .executeTakeFirst();
  if (!updated) return false;
  out.events.push({
    type: 'message.delivery_status',
    actor: { type: 'system', id: null },
    subject: { type: 'contact', id: updated.contact_id },
    data: { messageId: updated.id, status: status.status, reason: status.reason },
  });
  out.changedContacts.set(updated.contact_id, undefined);
  return true;
}

/** Applies reports that arrived before the send recorded this provider id (see the backlog table). */
export async function applyBackloggedStatuses(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  channel: string,
  providerMessageId: string,
): Promise<void> {
  const waiting = await tx
    .deleteFrom('delivery_status_backlog')
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('provider_message_id', '=', providerMessageId)
    .returning(['status', 'reason', 'received_at'])
    .execute();
  if (waiting.length === 0) return;
  const out = new Announcements();
  for (const row of waiting.sort((a, b) => a.received_at.getTime() - b.received_at.getTime())) {
    const status = row.status as DeliveryStatusUpdate['status'];
    if (status in DELIVERY_RANK) await applyDeliveryStatus(tx, forceId, channel, { providerMessageId, status, reason: row.reason }, out);
  }
  await out.flush(tx, forceId, clock);
}

/** Stores a provider's request as it arrived (headers redacted), once per provider delivery; returns its id. */
export async function storeRawRequest(
  tx: Tx,
  forceId: ForceId,
  input: { channel: string; channelAccountId: string; request: RawInbound },
  status: 'processed' | 'rejected',
  error: string | null,
  messageCount: number,
): Promise<string> {
  const id = newId();
  await tx
    .insertInto('inbound_requests')
    .values({
      id,
      force_id: forceId,
      channel: input.channel,
      channel_account_id: input.channelAccountId,
      received_at: input.request.receivedAt,
      method: input.request.method,
      url: input.request.url,
      headers: JSON.stringify(redactHeaders(input.request.headers)),
      raw_body: input.request.rawBody,
      status,
      error,
      message_count: messageCount,
    })
    .execute();
  return id;
}

/** Keeps a verified request whose payload we could not parse, so it can be replayed once fixed. */
export async function storeRejectedRequest(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { channel: string; channelAccountId: string; request: RawInbound },
  reason: string,
): Promise<string> {
  return withForce(deps.db, forceId, (tx) => storeRawRequest(tx, forceId, input, 'rejected', reason.slice(0, 1000), 0));
}

// Credentials in headers are never stored; signatures are kept (they prove what the provider sent).
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-bluelamp-telephony-secret']);

/** The headers as stored with a raw request: credentials replaced by a marker. */
export function redactHeaders(headers: Record<string, string>): { [key: string]: JsonValue } {
  const stored: { [key: string]: JsonValue } = {};
  for (const [name, value] of Object.entries(headers)) stored[name] = SECRET_HEADERS.has(name) ? '[redacted]' : value;
  return stored;
}
