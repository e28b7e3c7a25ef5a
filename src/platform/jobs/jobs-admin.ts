import type { Tx } from '../db/database.ts';
import type { ForceId, JobId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { notifyOnCommit } from '../db/database.ts';
import { appendEvent } from '../events/event-log.ts';
import { toEventInput } from '../events/catalogue.ts';
import { jobRetried } from './jobs.events.ts';
import { AppError, notFound } from '../errors.ts';
import { JOBS_CHANNEL, toJob, type Job, type JobState } from './jobs.ts';

// What people do with the queue: list a force's jobs, put a dead one back.

/** Jobs of a force in one state, newest first. */
export async function listJobs(tx: Tx, forceId: ForceId, state: JobState, limit = 200): Promise<Job[]> {
  const rows = await tx
    .selectFrom('jobs')
    .select(['id', 'force_id', 'type', 'payload', 'state', 'attempts', 'max_attempts', 'run_at', 'last_error', 'created_at'])
    .where('force_id', '=', forceId)
    .where('state', '=', state)
    .orderBy('created_at', 'desc')
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
