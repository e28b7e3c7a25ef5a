import type { Logger } from 'pino';
import { withForce, type Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { appendEvent } from '../events/event-log.ts';
import { toEventInput } from '../events/catalogue.ts';
import { jobDead } from './jobs.events.ts';
import { retryDelayMs, type ClaimedJob, type DeadJobHandler } from './job-types.ts';
import { heldBy, warnTakenOver } from './job-fence.ts';

/**
 * Records a failed attempt: back to pending after its backoff, or dead (with its `job.dead` event)
 * after the last. A dead job's type may have a handler for its giving up (`DeadJobHandler`), run in
 * the same transaction, so the record it was working on is settled if and only if the job is dead.
 * If that handler fails, the job is recorded dead without it (and the failure logged): a job must
 * never stay claimed, to be run again and again, because its giving up could not be settled.
 * Recorded only while the job is still this run's claim (decision 0165): a run taken over neither
 * schedules a retry of, nor gives up, a job another run is doing.
 */
export async function recordJobFailure(
  deps: { db: Db; clock: Clock; logger: Logger; retryBaseMs: number; onDead: DeadJobHandler | undefined },
  job: ClaimedJob,
  reason: string,
): Promise<void> {
  const { db, clock, logger, onDead } = deps;
  const isLastAttempt = job.attempts >= job.maxAttempts;
  const record = (settle: DeadJobHandler | undefined) =>
    withForce(db, job.forceId, async (tx) => {
      const result = await tx
        .updateTable('jobs')
        .set({
          state: isLastAttempt ? 'dead' : 'pending',
          locked_until: null,
          last_error: reason.slice(0, 2000),
          run_at: new Date(clock.now().getTime() + retryDelayMs(job.attempts, deps.retryBaseMs)),
          updated_at: clock.now(),
        })
        .where(heldBy([job]))
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        warnTakenOver(logger, [job], isLastAttempt ? 'dead' : 'failed');
        return;
      }
      if (!isLastAttempt) return;
      // The job queue sits below the recorder (which creates jobs), so it appends its own
      // catalogued events directly.
      const dead = jobDead.of({ actor: { type: 'system', id: null }, subjectId: job.id, data: { jobType: job.type, attempts: job.attempts, reason: reason.slice(0, 500) } });
      await appendEvent(tx, job.forceId, clock, toEventInput(dead));
      await settle?.({ job, reason, tx });
    });
  try {
    await record(isLastAttempt ? onDead : undefined);
    return;
  } catch (error) {
    if (!isLastAttempt || !onDead) throw error;
    logger.error({ jobId: job.id, jobType: job.type, err: error }, 'dead job not settled by its type; recorded dead without it');
  }
  await record(undefined);
}
