import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { OutboxAlternative } from '../../platform/db/tables.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { outboxDelivered } from './outbox.events.ts';
import { findOutboxMessage, listPortalInbox, listPrintQueue, markOutboxDelivered } from './outbox.repository.ts';
import { LETTER_PRINT_QUEUE } from './senders/senders.ts';
import { withdrawUntrue, type UntrueCheck } from './outbox-withdraw.service.ts';
import { storedLast } from '../../platform/db/stored-order.ts';

export type OutboxMessage = {
  id: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  purpose: string;
  status: 'pending' | 'sent' | 'delivered' | 'failed' | 'held' | 'suppressed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  /** A message failed with its outcome unknown that went after all (`wentAfterAll`); null for any other. */
  wentAfterAll: WentAfterAll | null;
};

/**
 * When a message failed with its outcome unknown was taken by its provider after all, and then
 * reached the person (decision 0173) or did not, and why not (decision 0176).
 */
export type WentAfterAll = { sentAt: string | null; deliveredAt: string | null; undeliveredAt: string | null; undeliveredReason: string | null };

/** The outbox columns `wentAfterAll` reads. */
type AfterAllColumns = { sent_after_all_at: Date | null; delivered_after_all_at: Date | null; undelivered_after_all_at: Date | null; undelivered_after_all_reason: string | null };

/** What staff read of a message that went after all: null unless its provider took it after its outcome was failed as unknown. */
export function wentAfterAll(row: AfterAllColumns): WentAfterAll | null {
  if (!row.sent_after_all_at && !row.delivered_after_all_at && !row.undelivered_after_all_at) return null;
  return {
    sentAt: row.sent_after_all_at?.toISOString() ?? null,
    deliveredAt: row.delivered_after_all_at?.toISOString() ?? null,
    undeliveredAt: row.undelivered_after_all_at?.toISOString() ?? null,
    undeliveredReason: row.undelivered_after_all_at ? row.undelivered_after_all_reason : null,
  };
}

/**
 * Puts an email in the outbox, in the caller's transaction. The same idempotency key is queued
 * once. Returns the outbox id, or null if it was already queued. The caller's event names the id
 * (`outboxId`); its delivery job follows from that event.
 */
export async function queueEmail(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  mail: {
    recipient: string;
    subject: string;
    body: string;
    purpose: string;
    idempotencyKey: string;
    contactId?: string | null;
    caseId?: string | null;
  },
): Promise<string | null> {
  const { recipient, subject, body, ...message } = mail;
  return queueMessage(tx, forceId, clock, { ...message, channels: [{ channel: 'email', recipient, subject, body }] });
}

/** One message for one person, rendered for each channel they allow, first choice first. */
export type OutboundMessage = {
  /** At least one; the first is tried first, the others in turn when one fails for good. */
  channels: OutboxAlternative[];
  /**
   * The message's text for channels the person does not allow now, with no recipient (''): kept,
   * never sent, so that a member of staff can send it again by one they allow later (decision 0058).
   */
  alsoWrittenFor?: OutboxAlternative[];
  purpose: string;
  idempotencyKey: string;
  contactId?: string | null;
  caseId?: string | null;
  personId?: string | null;
  /** Held back until then (a journey's delay, the start of the person's safe time). */
  notBefore?: Date | null;
};

/**
 * Puts a message in the outbox on any channel, in the caller's transaction: the same idempotency
 * key is queued once. Returns the outbox id, or null if it was already queued. The caller's event
 * names the id (`outboxId`); its delivery job follows from that event (with `runAt` = notBefore).
 */
export async function queueMessage(tx: Tx, forceId: ForceId, clock: Clock, message: OutboundMessage): Promise<string | null> {
  const [id] = await queueMessages(tx, forceId, clock, [message]);
  return id ?? null;
}

/**
 * Puts many messages in the outbox with one statement, as `queueMessage` does each (same rows, same
 * once-per-key rule): for a burst of journey messages. Returns each message's outbox id, in order,
 * or null where its key was queued before.
 */
export async function queueMessages(tx: Tx, forceId: ForceId, clock: Clock, messages: readonly OutboundMessage[]): Promise<(string | null)[]> {
  if (messages.length === 0) return [];
  const now = clock.now();
  const rows = messages.map((message) => {
    const [first, ...rest] = message.channels;
    if (!first) throw new Error('an outbound message needs at least one channel');
    return {
      id: newId(),
      force_id: forceId,
      channel: first.channel,
      recipient: first.recipient,
      subject: first.subject,
      body: first.body,
      alternatives: JSON.stringify(rest),
      channels: JSON.stringify([...message.channels, ...(message.alsoWrittenFor ?? [])]),
      purpose: message.purpose,
      contact_id: message.contactId ?? null,
      case_id: message.caseId ?? null,
      person_id: message.personId ?? null,
      not_before: message.notBefore ?? null,
      status: 'pending' as const,
      idempotency_key: message.idempotencyKey,
      created_at: now,
    };
  });
  const fresh = new Set<string>();
  // A thousand rows a statement keeps each insert well inside the parameter limit.
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await tx
      .insertInto('outbox')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['force_id', 'idempotency_key']).doNothing())
      .returning('id')
      .execute();
    for (const row of inserted) fresh.add(row.id);
  }
  return rows.map((row) => (fresh.has(row.id) ? row.id : null));
}

/**
 * The outbox purpose of a one-time code email: "check my report" (report-status) and the victim's
 * case page (victim-portal) both queue it.
 */
export const ACCESS_CODE_PURPOSE = 'portal.access_code';

/** What stands for a hidden run of digits: always six dots, so neither the code nor its length shows. */
const HIDDEN_DIGITS = '••••••';

/**
 * A one-time code email's text with every digit hidden but those of the message's own reference
 * (the report's or case's, which staff know anyway): a run of digits, spaced or not, becomes
 * "••••••". Every digit, not a code-shaped number, because a template decides what stands next to
 * the code (`X{{code}}`, `0{{code}}`, `{{reference}}{{code}}` all defeat a pattern); only the
 * reference is spared, found as the exact text it is, never by its shape. With no reference known,
 * every digit is hidden.
 */
export function maskAccessCodes(text: string, ownReference: string | null): string {
  const hide = (part: string) => part.replace(/\d+(?:\s?\d+)*/g, HIDDEN_DIGITS);
  if (!ownReference) return hide(text);
  return text.split(ownReference).map(hide).join(ownReference);
}

/**
 * An outbox message's subject and body as staff may see them, in every staff view of the outbox
 * (the outbox list, a case's messages, the print queue): a one-time code email has its digits
 * hidden (`maskAccessCodes`), or someone at a desk could open the victim's report or case page as
 * the victim; any other message is shown as it was sent. The email itself goes out unchanged.
 */
export function outboxTextForStaff(message: { purpose: string; subject: string; body: string; reference: string | null }): { subject: string; body: string } {
  if (message.purpose !== ACCESS_CODE_PURPOSE) return { subject: message.subject, body: message.body };
  return { subject: maskAccessCodes(message.subject, message.reference), body: maskAccessCodes(message.body, message.reference) };
}

/**
 * The force's most recent outbox messages, newest first, their text as staff may see it
 * (`outboxTextForStaff`). Each is read with its own reference, its case's or else its contact's.
 */
export async function listOutbox(tx: Tx, forceId: ForceId, limit = 200, only?: { id: string }): Promise<OutboxMessage[]> {
  let query = tx
    .selectFrom('outbox as o')
    .leftJoin('cases as ca', (join) => join.onRef('ca.id', '=', 'o.case_id').onRef('ca.force_id', '=', 'o.force_id'))
    .leftJoin('contacts as co', (join) => join.onRef('co.id', '=', 'o.contact_id').onRef('co.force_id', '=', 'o.force_id'))
    .selectAll('o')
    .select(['ca.reference as case_reference', 'co.reference as contact_reference'])
    .where('o.force_id', '=', forceId);
  if (only) query = query.where('o.id', '=', only.id);
  const rows = await query.orderBy('o.created_at', 'desc').orderBy('o.seq', storedLast).orderBy('o.id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    ...outboxTextForStaff({ ...row, reference: row.case_reference ?? row.contact_reference }),
    purpose: row.purpose,
    status: row.status,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    wentAfterAll: wentAfterAll(row),
  }));
}

/** One outbox message of the force as the outbox list shows it, or not found. */
export async function readOutboxMessage(tx: Tx, forceId: ForceId, id: string): Promise<OutboxMessage> {
  const [message] = await listOutbox(tx, forceId, 1, { id });
  if (!message) throw notFound('outbox message');
  return message;
}

/** A letter in the print queue, as staff see it: `doNotPrint` says why it must not be posted, if it must not. */
export type LetterToPrint = { id: string; caseId: string | null; caseReference: string | null; recipient: string; subject: string; body: string; purpose: string; createdAt: string; doNotPrint: string | null };

/**
 * Letters waiting to be printed and posted, oldest first. Their text passes through
 * `outboxTextForStaff` like every staff view, which leaves a letter as written: a one-time code is
 * only ever queued as an email with no other channel to fall back to (`queueTemplatedEmail`), so
 * no code reaches the print queue, and one posted would be spent long before it arrived. Each is
 * asked, as a delivery asks what it sends, whether what it tells still stands (`isUntrue`): one
 * that does not is shown with why, and is withdrawn rather than printed (decision 0135).
 */
export async function listLettersToPrint(tx: Tx, forceId: ForceId, clock: Clock, isUntrue: UntrueCheck): Promise<LetterToPrint[]> {
  const rows = await listPrintQueue(tx, forceId);
  const untrue = rows.length > 0 ? await isUntrue(tx, forceId, clock.now(), rows) : new Map<string, string>();
  return rows.map((row) => ({
    id: row.id,
    caseId: row.case_id,
    caseReference: row.case_reference,
    recipient: row.recipient,
    ...outboxTextForStaff({ ...row, reference: null }),
    purpose: row.purpose,
    createdAt: row.created_at.toISOString(),
    doNotPrint: untrue.get(row.id) ?? null,
  }));
}

/**
 * Why a letter cannot be marked printed: most often a colleague at the same printer marked it
 * first, or it was withdrawn while it was open. The member of staff holding a copy is told not to
 * post it (decision 0145).
 */
function notWaitingToPrint(status: OutboxMessage['status']): string {
  if (status === 'delivered') return 'This letter was already marked printed and posted. Do not post it again.';
  if (status === 'suppressed') return 'This letter was withdrawn. Do not post it.';
  return 'This letter is not waiting to be printed.';
}

/** What marking a letter printed did: it is delivered, or it was withdrawn instead, with why. */
export type LetterPrinted = { kind: 'delivered' } | { kind: 'withdrawn'; reason: string };

/**
 * A member of staff printed and posted a letter from the print queue: it is delivered, with the
 * staff member as the proof's author. A letter already marked, or a message that is not a letter
 * waiting in the queue, is refused. A letter whose news no longer stands (its withdrawal not yet
 * run, or given up) is withdrawn instead, by the system, with why, as its delivery would have
 * withdrawn it (decisions 0117, 0135): the caller tells the member of staff not to post it.
 */
export async function markLetterPrinted(tx: Tx, forceId: ForceId, clock: Clock, isUntrue: UntrueCheck, staffId: string, outboxId: string): Promise<LetterPrinted> {
  const message = await findOutboxMessage(tx, forceId, outboxId, { lock: true });
  if (!message || message.channel !== 'letter') throw notFound('letter');
  if (message.status !== 'held' || message.last_error !== LETTER_PRINT_QUEUE) throw conflict(notWaitingToPrint(message.status));
  const reason = (await isUntrue(tx, forceId, clock.now(), [message])).get(message.id);
  if (reason !== undefined) {
    // The row is locked and held: the withdrawal applies.
    await withdrawUntrue(tx, forceId, clock, new Map([[message.id, reason]]));
    return { kind: 'withdrawn', reason };
  }
  await markOutboxDelivered(tx, forceId, outboxId, clock.now(), ['held']);
  record(
    tx,
    forceId,
    clock,
    outboxDelivered.of({
      actor: { type: 'staff', id: staffId },
      subjectId: outboxId,
      data: { purpose: message.purpose, contactId: message.contact_id, caseId: message.case_id, channel: 'letter', proof: 'printed', providerMessageId: null },
    }),
  );
  return { kind: 'delivered' };
}

/** One update in a victim's portal inbox. Its text came from a template, with the case's details filled in: show it as text, never as HTML. */
export type PortalInboxMessage = { id: string; subject: string; body: string; deliveredAt: string };

/**
 * The updates in a case's portal inbox, newest first: the outbox messages delivered on the portal
 * channel for that case. A message still waiting for its not-before time is left out.
 */
export async function listPortalMessages(tx: Tx, forceId: ForceId, caseId: string): Promise<PortalInboxMessage[]> {
  const rows = await listPortalInbox(tx, forceId, caseId);
  return rows.flatMap((row) => (row.delivered_at ? [{ id: row.id, subject: row.subject, body: row.body, deliveredAt: row.delivered_at.toISOString() }] : []));
}
