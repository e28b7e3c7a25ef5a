import { sql, type ExpressionBuilder } from 'kysely';
import type { Logger } from 'pino';
import { withForce, withSystem, type Db, type Tx } from '../db/database.ts';
import type { Tables } from '../db/tables.ts';
import type { Clock } from '../clock.ts';
import type { ClaimedJob } from './job-types.ts';

// What a run writes to its own jobs (done, released, its lease renewed), each only while the row is
// still the claim the run made (decision 0165). A run whose lease ran out while it was still at
// work (a stalled event loop, a long pause, the database out of reach) may wake after another run
// took its job over; what it then writes would end or change the newer run's work. Every claim
// counts the job's `claim_token` on, so a write conditional on the token the run claimed is
// nothing once another run holds the job.

/** Still running under these runs' claims: the job's state, and its token as each claimed it. */
export function heldBy(jobs: readonly ClaimedJob[]) {
  return (eb: ExpressionBuilder<Tables, 'jobs'>) =>
    eb.and([
      eb('id', 'in', jobs.map((job) => job.id)),
      eb('state', '=', 'running'),
      eb.or(jobs.map((job) => eb.and([eb('id', '=', job.id), eb('claim_token', '=', job.claimToken)]))),
    ]);
}

/** Logs each of `jobs` whose write (`write`: "done", "failed", …) was not applied, its job taken over: its id and type, never its payload. */
export function warnTakenOver(logger: Logger, jobs: readonly ClaimedJob[], write: string): void {
  for (const job of jobs) logger.warn({ jobId: job.id, jobType: job.type, claimToken: job.claimToken, write }, 'job taken over by another run; this run’s write not applied');
}

/** Those of `jobs` whose id is not among `held`. */
export function notHeld(jobs: readonly ClaimedJob[], held: ReadonlySet<string>): ClaimedJob[] {
  return jobs.filter((job) => !held.has(job.id));
}

/**
 * Thrown inside a batch's transaction when marking its jobs done found some taken over: the whole
 * transaction rolls back, the handler's writes with it, since another run now does those jobs.
 * `held` are the jobs still this run's, to run again without the others.
 */
export class BatchTakenOver extends Error {
  constructor(
    readonly held: ClaimedJob[],
    readonly lost: ClaimedJob[],
  ) {
    super(`${lost.length} of the batch's jobs were taken over by another run`);
  }
}

/** Marks finished jobs done, one statement, those still held by this run only; returns the ids it marked. */
export async function markJobsDone(tx: Tx, clock: Clock, jobs: readonly ClaimedJob[]): Promise<Set<string>> {
  const rows = await tx
    .updateTable('jobs')
    .set({ state: 'done', locked_until: null, last_error: null, updated_at: clock.now() })
    .where(heldBy(jobs))
    .returning('id')
    .execute();
  return new Set(rows.map((row) => row.id));
}

/**
 * A job interrupted by a lost database connection did not fail: whatever it did in a
 * transaction was rolled back. It goes back to the queue without spending an attempt, so an
 * outage never makes a job dead. If the database is still unreachable, the lease brings it back.
 * The attempt given back is this run's own, so only while the job is still its claim.
 */
export async function releaseJob(deps: { db: Db; clock: Clock; logger: Logger; retryBaseMs: number }, job: ClaimedJob, reason: string): Promise<void> {
  const { db, clock, logger } = deps;
  logger.warn({ jobId: job.id, jobType: job.type, attempt: job.attempts, reason }, 'job interrupted by a lost database connection; will retry');
  try {
    const result = await withForce(db, job.forceId, (tx) =>
      tx
        .updateTable('jobs')
        .set({
          state: 'pending',
          attempts: sql<number>`greatest(attempts - 1, 0)`,
          locked_until: null,
          last_error: reason.slice(0, 2000),
          run_at: new Date(clock.now().getTime() + deps.retryBaseMs),
          updated_at: clock.now(),
        })
        .where(heldBy([job]))
        .executeTakeFirst(),
    );
    if (result.numUpdatedRows === 0n) warnTakenOver(logger, [job], 'released');
  } catch (error) {
    logger.warn({ jobId: job.id, jobType: job.type, err: error }, 'interrupted job not released; left to its lease');
  }
}

/**
 * Moves the lease of those of `jobs` still held by this run to a full lease from now; returns
 * those it no longer holds (taken over, or finished), for the caller to stop renewing.
 */
export async function renewLeases(deps: { db: Db; clock: Clock; logger: Logger; leaseMs: number }, jobs: readonly ClaimedJob[]): Promise<ClaimedJob[]> {
  const { db, clock, logger } = deps;
  const lease = new Date(clock.now().getTime() + deps.leaseMs);
  if (jobs.length === 0) return [];
  try {
    return await withSystem(db, async (tx) => {
      const rows = await tx.updateTable('jobs').set({ locked_until: lease }).where(heldBy(jobs)).returning('id').execute();
      const lost = notHeld(jobs, new Set(rows.map((row) => row.id)));
      if (lost.length === 0) return lost;
      // One the unit finished (done, failed, released) is not taken over: only one running under another's claim is worth a word.
      const running = await tx.selectFrom('jobs').select('id').where('id', 'in', lost.map((job) => job.id)).where('state', '=', 'running').execute();
      const taken = new Set(running.map((row) => row.id));
      warnTakenOver(logger, lost.filter((job) => taken.has(job.id)), 'lease renewed');
      return lost;
    });
  } catch (error) {
    // Not renewed (the database away, say): the lease runs its course, as before renewing.
    logger.warn({ err: error, jobIds: jobs.map((job) => job.id) }, 'job lease not renewed');
    return [];
  }
}
