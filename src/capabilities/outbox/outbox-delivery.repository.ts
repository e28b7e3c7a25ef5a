import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { OUTBOX_MOVES } from './outbox.machine.ts';
import { fromStatuses } from './outbox.repository.ts';

// The delivery run's own statements (decision 0163). Before it hands a message to a provider the
// run takes it: the message's send token goes up by one and the run's job is noted, committed
// before the send. Every outcome the run records after the send carries the token it took and
// applies only while the message still has it, so a run whose lease ran out and that wakes after
// another run took its job over (and the message) has its late record refused, never written over
// the newer run's. Recording an outcome clears the note: a message still pending with a job noted
// is one whose send may have reached the provider without its outcome being known.

/**
 * A message a delivery run takes to send: the send token it read (the row locked), the run's job,
 * and the provider account it goes through whose reports may name it (`namingAccountOf`).
 */
export type OutboxTaking = { id: string; seenToken: number; jobId: string; account: string | null };

/**
 * Takes pending messages for a delivery run to send, one statement: each one's send token counts
 * up by one, and its job, the time and the account it goes through are noted. Returns the token each now holds (those still
 * pending with the token read; none other is taken).
 */
export async function takeOutboxForSending(tx: Tx, forceId: ForceId, at: Date, taking: readonly OutboxTaking[]): Promise<Map<string, number>> {
  if (taking.length === 0) return new Map();
  const rows = taking.map((t) => sql`(${t.id}::uuid, ${t.seenToken}::int, ${t.jobId}::uuid, ${t.account}::text)`);
  const taken = await sql<{ id: string; send_token: number }>`
    update outbox as o set send_token = o.send_token + 1, sending_job_id = v.job_id, sending_at = ${at}, sent_through_account = v.account
    from (values ${sql.join(rows)}) as v(id, seen_token, job_id, account)
    where o.force_id = ${forceId} and o.id = v.id and o.status = 'pending' and o.send_token = v.seen_token
    returning o.id, o.send_token`.execute(tx);
  return new Map(taken.rows.map((row) => [row.id, Number(row.send_token)]));
}

/** Which of these jobs are still at work under a lease that has not run out: a run of theirs may be sending now. */
export async function findJobsAtWork(tx: Tx, jobIds: readonly string[], now: Date): Promise<Set<string>> {
  if (jobIds.length === 0) return new Set();
  const rows = await tx.selectFrom('jobs').select('id').where('id', 'in', [...new Set(jobIds)]).where('state', '=', 'running').where('locked_until', '>=', now).execute();
  return new Set(rows.map((row) => row.id));
}

/** What a provider's taking of a message records: its id for the message, the channel count it was sent on, and the run's send token. */
export type OutboxSentRecord = { id: string; providerMessageId: string | null; fallbacks: number; token: number };

/**
 * Records that providers took messages (each still on the channel it was sent on, and still held
 * by the run's send token), one statement for all; returns the ids it applied to.
 */
export async function markOutboxSentMany(tx: Tx, forceId: ForceId, at: Date, sent: readonly OutboxSentRecord[]): Promise<Set<string>> {
  if (sent.length === 0) return new Set();
  const rows = sent.map((s) => sql`(${s.id}::uuid, ${s.providerMessageId}::text, ${s.fallbacks}::int, ${s.token}::int)`);
  const updated = await sql<{ id: string }>`
    update outbox as o set status = ${sql.lit(OUTBOX_MOVES.send.to)}, attempts = o.attempts + 1, last_error = null, sent_at = ${at}, provider_message_id = v.provider_message_id,
      sending_job_id = null, sending_at = null
    from (values ${sql.join(rows)}) as v(id, provider_message_id, fallbacks, token)
    where o.force_id = ${forceId} and o.id = v.id and o.status in (${fromStatuses('send')}) and o.fallbacks = v.fallbacks and o.send_token = v.token
    returning o.id`.execute(tx);
  return new Set(updated.rows.map((row) => row.id));
}

/** Records that a provider took the message (as `markOutboxSentMany`). Returns whether it applied. */
export async function markOutboxSent(tx: Tx, forceId: ForceId, id: string, sent: { at: Date } & Omit<OutboxSentRecord, 'id'>): Promise<boolean> {
  return (await markOutboxSentMany(tx, forceId, sent.at, [{ id, providerMessageId: sent.providerMessageId, fallbacks: sent.fallbacks, token: sent.token }])).has(id);
}

/**
 * Holds pending messages a run took, each with its reason (a letter for the print queue; no
 * provider for its channel), one statement; returns the ids it applied to.
 */
export async function holdOutboxMessages(tx: Tx, forceId: ForceId, holds: readonly { id: string; reason: string; token: number }[]): Promise<Set<string>> {
  if (holds.length === 0) return new Set();
  const rows = holds.map((h) => sql`(${h.id}::uuid, ${h.reason.slice(0, 1000)}::text, ${h.token}::int)`);
  const updated = await sql<{ id: string }>`
    update outbox as o set status = ${sql.lit(OUTBOX_MOVES.hold.to)}, last_error = v.reason, sending_job_id = null, sending_at = null
    from (values ${sql.join(rows)}) as v(id, reason, token)
    where o.force_id = ${forceId} and o.id = v.id and o.status in (${fromStatuses('hold')}) and o.send_token = v.token
    returning o.id`.execute(tx);
  return new Set(updated.rows.map((row) => row.id));
}

/** Holds a pending message the run took, with the reason. Returns whether it applied. */
export async function holdOutboxMessage(tx: Tx, forceId: ForceId, id: string, reason: string, token: number): Promise<boolean> {
  return (await holdOutboxMessages(tx, forceId, [{ id, reason, token }])).has(id);
}

/** Counts a failed attempt that will be retried on the same channel (the send did not go). Returns whether it applied. */
export async function recordOutboxAttemptFailed(tx: Tx, forceId: ForceId, id: string, token: number, reason: string): Promise<boolean> {
  const updated = await tx
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: reason.slice(0, 1000), sending_job_id: null, sending_at: null }))
    .where('force_id', '=', forceId)
    .where('id', '=', id)
    .where('send_token', '=', token)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/**
 * Fails a message whose send may have reached the provider and is not sent again (its outcome
 * unknown): pending, still with the token the run read, which moves on, so the run that took it
 * has its late record refused. Staff see it with the reason among the failed messages, and
 * decide. Returns whether it applied.
 */
export async function failOutboxOutcomeUnknown(tx: Tx, forceId: ForceId, id: string, seenToken: number, reason: string): Promise<boolean> {
  const updated = await tx
    .updateTable('outbox')
    .set((eb) => ({
      status: OUTBOX_MOVES.fail.to,
      last_error: reason.slice(0, 1000),
      send_token: eb('send_token', '+', 1),
      // The taking whose outcome is unknown: its run's late word that the provider took it is kept (decision 0173).
      in_doubt_token: seenToken,
      sending_job_id: null,
      sending_at: null,
    }))
    .where('force_id', '=', forceId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('send_token', '=', seenToken)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}
