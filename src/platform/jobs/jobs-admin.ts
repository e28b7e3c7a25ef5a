import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import type { ForceId, JobId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { notifyOnCommit } from '../db/database.ts';
import { appendEvent } from '../events/event-log.ts';
import { toEventInput } from '../events/catalogue.ts';
import { jobRetried } from './jobs.events.ts';
import { AppError, notFound } from '../errors.ts';
import { JOBS_CHANNEL, toJob, type Job, type JobState } from './jobs.ts';
import { storedLast } from '../db/stored-order.ts';

// What people do with the queue: list a force's jobs, put a dead one back, see what is at work.

/** Jobs of a force in one state, newest first. */
export async function listJobs(tx: Tx, forceId: ForceId, state: JobState, limit = 200): Promise<Job[]> {
  const rows = await tx
    .selectFrom('jobs')
    .select(['id', 'force_id', 'type', 'payload', 'state', 'attempts', 'max_attempts', 'run_at', 'last_error', 'created_at'])
    .where('force_id', '=', forceId)
    .where('state', '=', state)
    .orderBy('created_at', 'desc')
    .orderBy('seq', storedLast)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toJob);
}

/** Puts a dead job back in the queue for a fresh set of attempts. */
export async function retryDeadJob(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  jobId: JobId,
  staffId: string,
): Promise<Job> {
  const row = await tx
    .updateTable('jobs')
    .set({ state: 'pending', attempts: 0, run_at: clock.now(), last_error: null, updated_at: clock.now() })
    .where('force_id', '=', forceId)
    .where('id', '=', jobId)
    .where('state', '=', 'dead')
    .returning(['id', 'force_id', 'type', 'payload', 'state', 'attempts', 'max_attempts', 'run_at', 'last_error', 'created_at'])
    .executeTakeFirst();
  if (!row) {
    const exists = await tx.selectFrom('jobs').select('state').where('id', '=', jobId).executeTakeFirst();
    if (!exists) throw notFound('job');
    throw new AppError('conflict', `job is ${exists.state}, only dead jobs can be retried`);
  }
  await appendEvent(tx, forceId, clock, toEventInput(jobRetried.of({ actor: { type: 'staff', id: staffId }, subjectId: jobId, data: { jobType: row.type } })));
  await notifyOnCommit(tx, JOBS_CHANNEL, row.type);
  return toJob(row);
}

/**
 * Which of `values` a job of `type` at work now names in its payload's `field`: claimed (running)
 * and within its lease, which its worker renews while the job runs. A job whose lease ran out
 * (its worker gone) is not at work: the next worker to claim it starts it again.
 */
export async function findJobsAtWork(tx: Tx, forceId: ForceId, now: Date, of: { type: string; field: string; values: readonly string[] }): Promise<Set<string>> {
  if (of.values.length === 0) return new Set();
  const rows = await tx
    .selectFrom('jobs')
    .select(sql<string>`payload ->> ${of.field}`.as('value'))
    .where('force_id', '=', forceId)
    .where('state', '=', 'running')
    .where('type', '=', of.type)
    .where('locked_until', '>=', now)
    .where(sql<string>`payload ->> ${of.field}`, 'in', [...of.values])
    .execute();
  return new Set(rows.map((row) => row.value));
}
