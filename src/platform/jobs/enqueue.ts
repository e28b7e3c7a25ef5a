import type { Tx } from '../db/database.ts';
import { notifyOnCommit } from '../db/database.ts';
import { newId, type ForceId, type JobId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { JOBS_CHANNEL, type JobPayload } from './jobs.ts';

// Creating jobs: inside the caller's transaction, so a job exists if and only if its cause commits.

/**
 * Creates a job in the caller's transaction, so it exists if and only if its cause commits.
 * The same (type, idempotency key) is created once.
 */
export async function enqueueJob(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  job: NewJob,
): Promise<void> {
  await enqueueJobs(tx, forceId, clock, [job]);
}

/**
 * A job to create: its type, payload and idempotency key, and when and how often to try it: at
 * `runAt`, or `delayMs` after it is created (by the transaction's clock), or at once.
 */
export type NewJob = { type: string; payload: JobPayload; idempotencyKey: string; maxAttempts?: number; runAt?: Date; delayMs?: number };

/**
 * Creates several jobs in the caller's transaction with one statement. Workers are woken only
 * when one is due now; a job for later is found by their poll when its time comes.
 */
export async function enqueueJobs(tx: Tx, forceId: ForceId, clock: Clock, jobs: readonly NewJob[]): Promise<void> {
  const dueNow = await insertJobs(tx, forceId, clock, jobs);
  if (dueNow) await notifyOnCommit(tx, JOBS_CHANNEL, dueNow);
}

/**
 * Inserts jobs with one statement and wakes nobody: returns the type of one that is due now (the
 * caller wakes the workers with it, as the recorder does with its other notifications), or null.
 */
export async function insertJobs(tx: Tx, forceId: ForceId, clock: Clock, jobs: readonly NewJob[]): Promise<string | null> {
  if (jobs.length === 0) return null;
  const now = clock.now();
  const runAt = (job: NewJob) => job.runAt ?? (job.delayMs ? new Date(now.getTime() + job.delayMs) : now);
  await tx
    .insertInto('jobs')
    .values(
      jobs.map((job) => ({
        id: newId<JobId>(),
        force_id: forceId,
        type: job.type,
        payload: JSON.stringify(job.payload),
        idempotency_key: job.idempotencyKey,
        state: 'pending' as const,
        max_attempts: job.maxAttempts ?? 8,
        run_at: runAt(job),
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['force_id', 'type', 'idempotency_key']).doNothing())
    .execute();
  return jobs.find((job) => runAt(job).getTime() <= now.getTime())?.type ?? null;
}
