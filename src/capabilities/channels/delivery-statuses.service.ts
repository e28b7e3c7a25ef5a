import { sql } from 'kysely';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { Announcements } from '../../platform/events/announcements.ts';
import type { DeliveryStatusUpdate } from './channel.ts';
import { messageDeliveryStatus } from './channel.events.ts';
import { findOutboundByProviderId, updateOutboundDeliveryStatus } from '../contacts/messages.repository.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { applyOutboxReceipt, isOutboxMessage, lockOutboxByProviderIds } from '../outbox/outbox.repository.ts';
import { isNamedRowOfAnotherAccount, recordNamedSentAfterAll } from '../outbox/outbox-after-all.repository.ts';
import { toStorableKey } from './provider-keys.ts';
import { normaliseIdentity } from '../people/people.service.ts';
import type { RefusedDeliveryReport } from '../../platform/observability/refused-delivery-reports.ts';

/**
 * The id a provider gave a message we sent, as it is kept and matched: bounded as the ids in its
 * reports are (`withStorableKeys`), so a report carrying the whole of an id too long to be an
 * index key (a broken or hostile provider's) still finds the message, and the id's write never
 * fails. Every send that records a provider's id keeps it so: the outbox's, a thread's reply.
 */
export function storableProviderId(providerMessageId: string): string {
  return toStorableKey(providerMessageId);
}

const DELIVERY_RANK: Record<'sent' | 'delivered' | 'read' | 'failed', number> = { sent: 1, delivered: 2, read: 3, failed: 4 };
/**
 * Applies one provider report to an outbound message. Providers report out of order: a status
 * only ever moves forward (sent, delivered, read), and failed is final. A report settles only a
 * message sent through the provider account that verified it (decision 0202). Returns whether it applied.
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
  const update = { status: status.status, reason: status.reason, account: status.account ?? null };
  const updated = await updateOutboundDeliveryStatus(tx, forceId, channel, status.providerMessageId, update, [
    ...earlier,
    'queued',
    'retrying',
  ]);
  if (!updated) return false;
  out.events.push(
    messageDeliveryStatus.of({
      actor: { type: 'system', id: null },
      subjectId: updated.contact_id,
      data: { messageId: updated.id, status: status.status, reason: status.reason },
    }),
  );
  return true;
}

/**
 * Takes these provider ids' locks, held to the end of the caller's transaction, in one order. A
 * report and the send it is about take turns on its id: a report that looked for the id before
 * the send committed it, and put itself in the backlog after the send had looked there, would
 * otherwise be seen by neither and never applied.
 */
async function lockProviderIds(tx: Tx, forceId: ForceId, channel: string, providerMessageIds: readonly string[]): Promise<void> {
  const keys = [...new Set(providerMessageIds.map((id) => `${forceId}:delivery:${channel}:${id}`))].sort();
  if (keys.length === 0) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${keys}::text[]) with ordinality as l(k, n) order by n`.execute(tx);
}

/** A backlogged report's account, as the account it was taken for (it was taken only if they are one). */
const accountOf = (sentThrough: string | null): Pick<DeliveryStatusUpdate, 'account'> => (sentThrough === null ? {} : { account: sentThrough });

/**
 * Where a send tells the backlogged reports it refused: those another provider account verified,
 * or kept before accounts were (decision 0204, `record: 'backlog'`), named for `provider`.
 */
export type BacklogRefusals = { provider: string; refused: RefusedDeliveryReport[] };

/**
 * Applies reports that arrived before the send recorded this provider id (see the backlog table),
 * those from the provider account it went through (`sentThrough`: null for a provider with none);
 * the others are added to `refusals`.
 */
export async function applyBackloggedStatuses(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  channel: string,
  providerMessageId: string,
  sentThrough: string | null,
  refusals?: BacklogRefusals,
): Promise<void> {
  const waiting = await takeBackloggedStatuses(tx, forceId, channel, providerMessageId, sentThrough, refusals);
  if (waiting.length === 0) return;
  const out = new Announcements();
  for (const status of waiting) await applyDeliveryStatus(tx, forceId, channel, status, out);
  out.flush(tx, forceId, clock);
}

/**
 * Takes the reports that arrived for a provider id before its send was recorded, oldest first:
 * the outbox applies them to its own messages once it has recorded the id. Only reports verified
 * with the provider account the message went through (`sentThrough`; null for a provider with
 * none) are taken: another account's holder can sign a report of any id (decision 0196). Reports
 * kept before 0103 have no account and settle no message sent through one. The others stay for
 * housekeeping, and are added to `refusals`: the send records its id once, so each is told once.
 */
export async function takeBackloggedStatuses(
  tx: Tx,
  forceId: ForceId,
  channel: string,
  providerMessageId: string,
  sentThrough: string | null,
  refusals?: BacklogRefusals,
): Promise<DeliveryStatusUpdate[]> {
  await lockProviderIds(tx, forceId, channel, [providerMessageId]);
  const waiting = await tx
    .deleteFrom('delivery_status_backlog')
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('provider_message_id', '=', providerMessageId)
    .where('reporting_account', 'is not distinct from', sentThrough)
    .returning(['status', 'reason', 'received_at', 'provider_at'])
    .execute();
  if (refusals) {
    const others = await tx
      .selectFrom('delivery_status_backlog')
      .select('reporting_account')
      .where('force_id', '=', forceId)
      .where('channel', '=', channel)
      .where('provider_message_id', '=', providerMessageId)
      .where('reporting_account', 'is distinct from', sentThrough)
      .execute();
    for (const other of others) {
      const reason = other.reporting_account === null ? 'unrecorded_account' : 'other_account';
      refusals.refused.push({ forceId, provider: refusals.provider, reason, record: 'backlog', providerMessageId });
    }
  }
  return waiting
    .sort((a, b) => a.received_at.getTime() - b.received_at.getTime())
    .flatMap((row) =>
      row.status in DELIVERY_RANK
        ? [{ providerMessageId, status: row.status as DeliveryStatusUpdate['status'], reason: row.reason, at: row.provider_at, heardAt: row.received_at, ...accountOf(sentThrough) }]
        : [],
    );
}

/**
 * Applies the delivery statuses of one provider request to the messages we sent. A report about a
 * provider id we have not recorded yet (a fast provider can report before our send job commits)
 * waits in the backlog until the send records it. Reports the account check drops (decision 0202)
 * are added to `refused`, for the caller to tell once this commits. Returns how many applied now.
 */
export async function recordDeliveryStatuses(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  channel: string,
  statuses: readonly DeliveryStatusUpdate[],
  out: Announcements,
  refused: RefusedDeliveryReport[] = [],
): Promise<number> {
  const providerMessageIds = statuses.map((status) => status.providerMessageId);
  await lockProviderIds(tx, forceId, channel, providerMessageIds);
  // Reports on several messages apply in the provider's order: their rows are locked first, in id order (decision 0151).
  if (new Set(providerMessageIds).size > 1) await lockOutboxByProviderIds(tx, forceId, providerMessageIds);
  let statusesApplied = 0;
  for (const status of statuses) {
    const refuse = (record: RefusedDeliveryReport['record']) => (reason: RefusedDeliveryReport['reason']) =>
      refused.push({ forceId, provider: status.provider ?? channel, reason, record, providerMessageId: status.providerMessageId });
    // A receipt for a message of the outbox (a victim's journey update) applies there, with its
    // fallback to the next channel when it failed.
    const outboxEvents = await applyOutboxReceipt(tx, forceId, clock.now(), status, refuse('outbox'));
    if (outboxEvents) {
      out.events.push(...outboxEvents);
      statusesApplied += 1;
      continue;
    }
    const named = await applyNamedOutboxReceipt(tx, forceId, clock, channel, status, refused, refuse('outbox'));
    if (named) {
      out.events.push(...named);
      statusesApplied += 1;
      continue;
    }
    const known = status.isOutboxOnly ? undefined : await findOutboundByProviderId(tx, forceId, channel, status.providerMessageId);
    if (!known) {
      // A kind of message only the outbox sends, and not one of ours (another system using the
      // same provider account): nothing to keep.
      if (status.isOutboxOnly && !(status.reference && (await isOutboxMessage(tx, forceId, status.reference)))) continue;
      // Earlier than our record of the send: keep it until the send job records the id.
      await tx
        .insertInto('delivery_status_backlog')
        .values({
          id: newId(),
          force_id: forceId,
          channel,
          provider_message_id: status.providerMessageId,
          status: status.status,
          reason: status.reason,
          received_at: clock.now(),
          provider_at: status.at ?? null,
          reporting_account: status.account ?? null,
        })
        .execute();
      continue;
    }
    // A reply sent through another account, or before its account was kept (0104), is not this report's to settle.
    if (known.sent_through_account !== (status.account ?? null)) {
      refuse('reply')(known.sent_through_account === null ? 'unrecorded_account' : 'other_account');
      continue;
    }
    if (await applyDeliveryStatus(tx, forceId, channel, status, out)) statusesApplied += 1;
  }
  return statusesApplied;
}

/**
 * A report that names an outbox message (in the callback URL we gave its provider) whose provider
 * id was never recorded, because the run sending it stopped and never woke (decision 0176): the
 * message learns the id ("sent after all"), then the reports that waited in the backlog for the id
 * apply to it, and this one last. A report naming a row another account of the force sent is
 * refused through `onRefused` (no event), not kept: that row's callback was given to its own account
 * only. Null when it names none, or none it may find (see `recordNamedSentAfterAll`): the report is
 * dealt with as any other.
 */
async function applyNamedOutboxReceipt(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  channel: string,
  status: DeliveryStatusUpdate,
  refused: RefusedDeliveryReport[],
  onRefused: (reason: RefusedDeliveryReport['reason']) => void,
): Promise<NewEvent[] | null> {
  if (!status.namedOutbox) return null;
  const { to, ...named } = status.namedOutbox;
  // A recipient as the outbox stored it (as typed: "07700 900123") and the provider's E.164 `To`, compared as numbers.
  const reportedTo = normaliseIdentity('phone', to);
  const isRecipient = (stored: string) => normaliseIdentity('phone', stored) === reportedTo;
  const sent = await recordNamedSentAfterAll(tx, forceId, clock.now(), { ...named, isRecipient, providerMessageId: status.providerMessageId });
  if (!sent) {
    if (!(await isNamedRowOfAnotherAccount(tx, forceId, named.outboxId, named.account))) return null;
    onRefused('other_account');
    return [];
  }
  const events = [sent];
  const refusals = { provider: status.provider ?? channel, refused };
  for (const waiting of await takeBackloggedStatuses(tx, forceId, channel, status.providerMessageId, named.account, refusals)) {
    events.push(...((await applyOutboxReceipt(tx, forceId, clock.now(), waiting)) ?? []));
  }
  events.push(...((await applyOutboxReceipt(tx, forceId, clock.now(), status, onRefused)) ?? []));
  return events;
}
