import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import { toStorable, toStorableText } from '../../platform/db/storable-text.ts';
import { Announcements } from '../../platform/events/announcements.ts';
import { recordInboundMessages } from '../intake/intake.service.ts';
import type { IntakeResult } from '../intake/intake.schema.ts';
import type { ParsedInbound, RawInbound, SmsOptOutChange } from './channel.ts';
import { storeInboundAttachments } from './attachments.service.ts';
import { withStorableKeys } from './provider-keys.ts';
import { recordDeliveryStatuses } from './delivery-statuses.service.ts';
import type { RefusedDeliveryReport } from '../../platform/observability/refused-delivery-reports.ts';
import { channelRequestReplayed, messageAttachmentsLinked } from './channel.events.ts';
import { smsOptedIn, smsOptedOut } from './sms-opt-out.events.ts';
import { deleteSmsOptOut, findSmsOptOutRow, insertKeywordOptOut } from './sms-opt-outs.repository.ts';
import { canMoveSmsOptOut, smsOptOutState } from './sms-opt-out.machine.ts';

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
      url: toStorableText(input.request.url),
      headers: JSON.stringify(toStorable(redactHeaders(input.request.headers))),
      // Bytes, exactly as they came: a NUL or a broken escape in them is no problem for bytea,
      // and a replay parses them again.
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
  return withForce(deps.db, forceId, (tx) => storeRawRequest(tx, forceId, input, 'rejected', toStorableText(reason.slice(0, 1000)), 0));
}

// Credentials in headers are never stored; signatures are kept (they prove what the provider sent).
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-bluelamp-telephony-secret']);

/** The headers as stored with a raw request: credentials replaced by a marker. */
export function redactHeaders(headers: Record<string, string>): { [key: string]: JsonValue } {
  const stored: { [key: string]: JsonValue } = {};
  for (const [name, value] of Object.entries(headers)) stored[name] = SECRET_HEADERS.has(name) ? '[redacted]' : value;
  return stored;
}

export type ChannelIngestResult = { inboundRequestId: string; results: IntakeResult[]; statusesApplied: number };

/**
 * Stores one verified provider request and everything in it, in one transaction: the raw request
 * (kept for replay), each message through intake (once per provider id and account, however often
 * it is retried) with its attachments, and delivery statuses of messages we sent. The provider is
 * acknowledged only after this commits. Text PostgreSQL refuses (a NUL, a lone surrogate) is
 * replaced by U+FFFD in what is stored as messages, and a provider id too long to be an index key is
 * shortened (provider-keys.ts), so one such message never fails its whole batch.
 */
export async function ingestChannelRequest(
  deps: ServiceDeps,
  forceId: ForceId,
  input: {
    channel: string;
    channelAccountId: string;
    request: RawInbound;
    parsed: ParsedInbound;
    /** A stored request parsed again, and the member of staff who asked for it. */
    replay?: { requestId: string; staffId: string };
  },
): Promise<ChannelIngestResult> {
  // Keys first, so a shortened key is then made storable as any other text is.
  const parsed = toStorable(withStorableKeys(input.parsed));
  // A batch with events the adapter could not read is stored for what it could, and kept as
  // rejected, saying which, so an admin sees it and can replay it once the parser is fixed.
  const unreadable = parsed.unreadable && parsed.unreadable.length > 0 ? toStorableText(`unreadable events: ${parsed.unreadable.join('; ')}`.slice(0, 1000)) : null;
  const refused: RefusedDeliveryReport[] = [];
  const result = await withForce(deps.db, forceId, async (tx) => {
    refused.length = 0;
    const out = new Announcements();
    let inboundRequestId = input.replay?.requestId ?? newId();
    if (input.replay) {
      await tx
        .updateTable('inbound_requests')
        .set({ status: unreadable ? 'rejected' : 'replayed', error: unreadable })
        .where('id', '=', input.replay.requestId)
        .execute();
      out.events.push(
        channelRequestReplayed.of({
          actor: { type: 'staff', id: input.replay.staffId },
          subjectId: input.replay.requestId,
          data: { channel: input.channel, messages: parsed.messages.length },
        }),
      );
    } else {
      inboundRequestId = await storeRawRequest(tx, forceId, input, unreadable ? 'rejected' : 'processed', unreadable, parsed.messages.length);
    }
    const recorded = await recordInboundMessages(
      tx,
      forceId,
      deps.clock,
      { channel: input.channel, channelAccountId: input.channelAccountId, inboundRequestId, messages: parsed.messages },
      out,
    );
    for (const { message, messageId, result } of recorded) {
      if (!messageId || !message.attachments) continue;
      const linked = await storeInboundAttachments(tx, forceId, deps.clock, messageId, message.attachments);
      if (linked.length > 0) {
        out.events.push(messageAttachmentsLinked.of({ actor: { type: 'system', id: null }, subjectId: result.contactId, data: { messageId, attachmentIds: linked } }));
      }
    }
    const statusesApplied = await recordDeliveryStatuses(tx, forceId, deps.clock, input.channel, parsed.statuses, out, refused);
    await applySmsOptOuts(tx, forceId, input.request.receivedAt, { channel: input.channel, channelAccountId: input.channelAccountId }, parsed.smsOptOuts ?? [], out);
    out.flush(tx, forceId, deps.clock);
    return { inboundRequestId, results: recorded.map((r) => r.result), statusesApplied };
  });
  // Counted and logged once committed: a transaction tried again tells its refusals once.
  if (refused.length > 0) deps.refusedReports?.(refused);
  return result;
}

/**
 * Records each number's STOP or START against the force through the opt-out's machine, one event
 * for each change: a retried or replayed request finds the change made already and records nothing
 * more. A START lifts an opt-out staff recorded too; a STOP makes one the person's own.
 */
async function applySmsOptOuts(
  tx: Tx,
  forceId: ForceId,
  at: Date,
  account: { channel: string; channelAccountId: string },
  changes: readonly SmsOptOutChange[],
  out: Announcements,
): Promise<void> {
  const actor = { type: 'system' as const, id: null };
  for (const { phoneNumber, change } of changes) {
    const data = { channel: account.channel, numberEnding: phoneNumber.slice(-4) };
    // A move the machine refuses here (a STOP from a number that already texted STOP, a START from
    // one not opted out) is a retry or a person repeating themselves: nothing changes, nothing is recorded.
    const move = change === 'opted_out' ? 'texted_stop' : 'texted_start';
    const row = await findSmsOptOutRow(tx, forceId, phoneNumber);
    if (!canMoveSmsOptOut(smsOptOutState(row), move)) continue;
    if (move === 'texted_stop') {
      if (await insertKeywordOptOut(tx, forceId, { phoneNumber, channelAccountId: account.channelAccountId, at })) {
        out.events.push(smsOptedOut.of({ actor, subjectId: account.channelAccountId, data }));
      }
    } else if (row && (await deleteSmsOptOut(tx, forceId, phoneNumber))) {
      // The number goes to the lifting's job alone: what the opt-out kept from its victims is decided again (decision 0143).
      out.events.push(smsOptedIn.of({ actor, subjectId: account.channelAccountId, data, unlogged: { phoneNumber, optedOutAt: row.opted_out_at.toISOString() } }));
    }
  }
}
