import type { Logger } from 'pino';
import { withSystem, type Db } from '../db/database.ts';
import type { ForceId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { enqueueJobs } from './enqueue.ts';

/** A job every force gets once per interval (checkpoints, housekeeping). */
export type RecurringJob = { type: string; intervalMs: number };

/**
 * Enqueues one job of the type for every force for the interval slot `now` falls in. The slot is
 * the idempotency key, so however many workers call this, each slot's job exists once; it then
 * runs on whichever worker claims it, and survives a restart like any durable job.
 */
export async function enqueueRecurringJobs(db: Db, clock: Clock, job: RecurringJob): Promise<number> {
  const slot = Math.floor(clock.now().getTime() / job.intervalMs);
  return withSystem(db, async (tx) => {
    const forces = await tx.selectFrom('forces').select('id').execute();
    for (const force of forces) {
      await enqueueJobs(tx, force.id as ForceId, clock, [{ type: job.type, payload: { slot }, idempotencyKey: `${job.type}:${slot}`, maxAttempts: 3 }]);
    }
    return forces.length;
  });
}

/**
 * The worker's timer for recurring jobs: enqueues each at start and at every tick. The tick is a
 * tenth of the shortest interval (at most a minute), so a slot is never missed by much.
 */
export function startRecurringJobs(options: { db: Db; clock: Clock; logger: Logger; jobs: readonly RecurringJob[] }): () => Promise<void> {
  if (options.jobs.length === 0) return async () => {};
  let isStopped = false;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    if (isStopped) return;
    current = (async () => {
      for (const job of options.jobs) {
        await enqueueRecurringJobs(options.db, options.clock, job).catch((error: unknown) =>
          options.logger.warn({ err: error, jobType: job.type }, 'could not enqueue a recurring job'),
        );
      }
    })();
  };
  const everyMs = Math.min(60_000, Math.min(...options.jobs.map((job) => job.intervalMs)) / 10);
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return async () => {
    isStopped = true;
    clearInterval(timer);
    await current;
  };
}
