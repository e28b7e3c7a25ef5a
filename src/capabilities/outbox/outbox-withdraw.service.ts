import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { findJobsAtWork } from '../../platform/jobs/jobs-admin.ts';
import { DELIVER_JOB, outboxWithdrawn } from './outbox.events.ts';
import { moveOutbox } from './outbox.machine.ts';
import { findOutboxMessage, findUnsentKeys, lockOutboxMessages, lockUnsentOutbox, suppressOutboxMessages, type OutboxRow, type UnsentSelection, type WithdrawnRow } from './outbox.repository.ts';

// Taking back messages that have not gone (decision 0074): one by a member of staff, with their
// reason; a case's reminders when its appointment changes; a journey rule's when an admin switches
// it off. Each message withdrawn records one `outbox.withdrawn`. A message whose delivery job is at
// work at that moment is not withdrawn: it was read to be sent and may already be with the
// provider, so it goes (the delivery reads messages locked, see `findOutboxMessages`).

/**
 * Which of these messages must not go at `now`, each with why: what they tell is no longer true
 * (a reminder of an appointment since moved, cancelled or begun, or of a hearing since moved,
 * heard or begun), or the victim they are for was removed from the case (decision 0143). Asked
 * when a message would go: by its delivery, and of a letter when staff would print it. Given by
 * the composition root, so the outbox reads no other room's records (decisions 0117, 0135).
 */
export type UntrueCheck = (tx: Tx, forceId: ForceId, now: Date, messages: readonly OutboxRow[]) => Promise<Map<string, string>>;

/** Who withdraws: a member of staff, or the system on someone's change (an appointment moved). */
export type WithdrawnBy = { type: 'staff'; id: StaffId } | { type: 'system'; id: null };

/** A message withdrawn, as its withdrawer sees it. */
export type WithdrawnMessage = { id: string; status: 'suppressed'; reason: string };

/**
 * Which of these messages (ids) a delivery job is sending at this moment: read to be sent, it may
 * be with the provider, so whether it went is not known until the job records it (decision 0074).
 */
export function findBeingSent(tx: Tx, forceId: ForceId, clock: Clock, ids: readonly string[]): Promise<Set<string>> {
  return findJobsAtWork(tx, forceId, clock.now(), { type: DELIVER_JOB, field: 'outboxId', values: ids });
}

function recordWithdrawn(tx: Tx, forceId: ForceId, clock: Clock, by: WithdrawnBy, rows: readonly WithdrawnRow[], reason: string): void {
  record(
    tx,
    forceId,
    clock,
    ...rows.map((row) =>
      outboxWithdrawn.of({ actor: by, subjectId: row.id, data: { purpose: row.purpose, contactId: row.contact_id, caseId: row.case_id, channel: row.channel, reason } }),
    ),
  );
}

/**
 * A member of staff withdraws one message of the force that has not gone, with their reason, in
 * the caller's transaction. Not found for an unknown id or another force's; refused (409, saying
 * why) when it has gone, failed or was withdrawn already, or when it is being sent at this moment.
 */
export async function withdrawMessage(tx: Tx, forceId: ForceId, clock: Clock, staffId: StaffId, outboxId: string, reason: string): Promise<WithdrawnMessage> {
  const row = await findOutboxMessage(tx, forceId, outboxId, { lock: true });
  if (!row) throw notFound('outbox message');
  moveOutbox(row.status, 'withdraw', row.last_error);
  if ((await findBeingSent(tx, forceId, clock, [row.id])).has(row.id)) {
    throw conflict('This message cannot be withdrawn: it is being sent at this moment. If sending fails, it can be withdrawn then.');
  }
  const withdrawn = await suppressOutboxMessages(tx, forceId, [row.id], reason);
  // The row is locked and was not yet sent: this applies. Were it not to, saying so beats a false success.
  if (withdrawn.length === 0) throw conflict('This message cannot be withdrawn: it has just moved on.');
  recordWithdrawn(tx, forceId, clock, { type: 'staff', id: staffId }, withdrawn, reason);
  return { id: row.id, status: 'suppressed', reason };
}

/**
 * Withdraws the force's messages not yet sent that match `which`, each with the reason and its
 * `outbox.withdrawn`, in the caller's transaction; those being sent at this moment go. Returns how
 * many were withdrawn.
 */
export async function withdrawQueuedMessages(tx: Tx, forceId: ForceId, clock: Clock, by: WithdrawnBy, which: UnsentSelection, reason: string): Promise<number> {
  const rows = await lockUnsentOutbox(tx, forceId, which);
  const beingSent = await findBeingSent(tx, forceId, clock, rows.map((row) => row.id));
  const withdrawn = await suppressOutboxMessages(tx, forceId, rows.filter((row) => !beingSent.has(row.id)).map((row) => row.id), reason);
  recordWithdrawn(tx, forceId, clock, by, withdrawn, reason);
  return withdrawn.length;
}

/** The idempotency keys of the force's messages not yet sent whose key starts with `prefix` (a journey's, `journey:`). */
export function listUnsentKeys(tx: Tx, forceId: ForceId, prefix: string): Promise<string[]> {
  return findUnsentKeys(tx, forceId, prefix);
}

/**
 * Withdraws the messages found no longer true when they would go, each with its reason and
 * `outbox.withdrawn` by the system (the machine's `withdraw`: from pending or held, to
 * suppressed), so staff read why it did not go. Returns the ids it applied to.
 */
export async function withdrawUntrue(tx: Tx, forceId: ForceId, clock: Clock, untrue: ReadonlyMap<string, string>): Promise<Set<string>> {
  // Withdrawn reason by reason, so locked first, all in id order (decision 0151).
  await lockOutboxMessages(tx, forceId, [...untrue.keys()]);
  const byReason = new Map<string, string[]>();
  for (const [id, reason] of untrue) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
  const withdrawn = new Set<string>();
  for (const [reason, ids] of byReason) {
    const rows = await suppressOutboxMessages(tx, forceId, ids, reason);
    recordWithdrawn(tx, forceId, clock, { type: 'system', id: null }, rows, reason);
    for (const row of rows) withdrawn.add(row.id);
  }
  return withdrawn;
}
