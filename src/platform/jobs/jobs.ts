import { sql } from 'kysely';
import type { Logger } from 'pino';
import { notifyOnCommit, withForce, withSystem, type Db, type Tx } from '../db/database.ts';
import type { JsonValue } from '../db/tables.ts';
import { newId, type ForceId, type JobId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { appendEvent } from '../events/event-log.ts';
import { toEventInput } from '../events/catalogue.ts';
import { jobDead, jobRetried } from './jobs.events.ts';
import { AppError, notFound } from '../errors.ts';
import { isConnectionLost } from '../db/connection-errors.ts';

export const JOBS_CHANNEL = 'bluelamp_jobs';

export type JobState = 'pending' | 'running' | 'done' | 'dead';
export type JobPayload = { [key: string]: JsonValue };

export type Job = {
  id: JobId;
  forceId: ForceId;
  type: string;
  payload: JobPayload;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  createdAt: Date;
};

/** What a job handler gets: its job, and a way to run work in a transaction as the job's force. */
export type JobContext = {
  job: Job;
  inForce<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
};

/**
 * A handler must be safe to run more than once for the same job (a crash after its effect but
 * before the job is marked done runs it again): key its effects by the job or an idempotency key.
 */
export type JobHandler = (context: JobContext) => Promise<void>;

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

/** A job to create: its type, payload and idempotency key, and when and how often to try it. */
export type NewJob = { type: string; payload: JobPayload; idempotencyKey: string; maxAttempts?: number; runAt?: Date };

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
        run_at: job.runAt ?? now,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['force_id', 'type', 'idempotency_key']).doNothing())
    .execute();
  return jobs.find((job) => !job.runAt || job.runAt.getTime() <= now.getTime())?.type ?? null;
}

type JobRow = {
  id: string;
  force_id: string;
  type: string;
  payload: JobPayload;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  last_error: string | null;
  created_at: Date;
};

function toJob(row: JobRow): Job {
  return {
    id: row.id as JobId,
    forceId: row.force_id as ForceId,
    type: row.type,
    payload: row.payload,
    state: row.state,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: row.run_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

/** Delay before the next attempt: doubling from `baseMs`, capped at ten minutes. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 10 * 60 * 1000);
}

export type JobRunnerOptions = {
  db: Db;
  clock: Clock;
  logger: Logger;
  handlers: Map<string, JobHandler>;
  /** How long a claimed job is ours before another worker may take it over. */
  leaseMs?: number;
  retryBaseMs?: number;
  concurrency?: number;
};

/**
 * Claims due jobs with `FOR UPDATE SKIP LOCKED`, runs each handler, and records the outcome:
 * done, retry later with backoff, or dead after the last attempt. A job whose worker died is
 * taken over when its lease runs out.
 */
export class JobRunner {
  private readonly leaseMs: number;
  private readonly retryBaseMs: number;
  private readonly concurrency: number;
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private wakeRequested = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.retryBaseMs = options.retryBaseMs ?? 2_000;
    this.concurrency = options.concurrency ?? 4;
  }

  /** Polls every `pollMs` until stopped; `wake()` polls at once (on NOTIFY). */
  start(pollMs: number): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.wake();
      this.timer = setTimeout(tick, pollMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.draining;
  }

  wake(): void {
    if (this.draining) {
      this.wakeRequested = true;
      return;
    }
    this.draining = this.runDue()
      .then(() => undefined)
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'job polling failed'))
      .finally(() => {
        this.draining = undefined;
        if (this.wakeRequested && !this.stopped) {
          this.wakeRequested = false;
          this.wake();
        }
      });
  }

  /** Runs every job that is due now, until none is left. Returns how many ran. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await this.claim(this.concurrency);
      if (jobs.length === 0) return total;
      total += jobs.length;
      await Promise.all(jobs.map((job) => this.execute(job)));
    }
  }

  private async claim(limit: number): Promise<Job[]> {
    const now = this.options.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const rows = await withSystem(this.options.db, async (tx) => {
      const result = await sql<JobRow>`
        update jobs set state = 'running', attempts = attempts + 1, locked_until = ${lease}, updated_at = ${now}
        where id in (
          select id from jobs
          where (state = 'pending' and run_at <= ${now}) or (state = 'running' and locked_until < ${now})
          order by run_at
          limit ${limit}
          for update skip locked
        )
        returning id, force_id, type, payload, state, attempts, max_attempts, run_at, last_error, created_at`.execute(tx);
      return result.rows;
    });
    return rows.map(toJob);
  }

  private async execute(job: Job): Promise<void> {
    const { db, clock, logger } = this.options;
    const handler = this.options.handlers.get(job.type);
    this.running += 1;
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      await handler({ job, inForce: (work) => withForce(db, job.forceId, work) });
      await withForce(db, job.forceId, (tx) =>
        tx
          .updateTable('jobs')
          .set({ state: 'done', locked_until: null, last_error: null, updated_at: clock.now() })
          .where('id', '=', job.id)
          .execute(),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (isConnectionLost(error)) {
        await this.release(job, reason);
        return;
      }
      const isLastAttempt = job.attempts >= job.maxAttempts;
      logger.warn({ jobId: job.id, jobType: job.type, attempt: job.attempts, reason }, 'job failed');
      await withForce(db, job.forceId, async (tx) => {
        await tx
          .updateTable('jobs')
          .set({
            state: isLastAttempt ? 'dead' : 'pending',
            locked_until: null,
            last_error: reason.slice(0, 2000),
            run_at: new Date(clock.now().getTime() + retryDelayMs(job.attempts, this.retryBaseMs)),
            updated_at: clock.now(),
          })
          .where('id', '=', job.id)
          .execute();
        if (isLastAttempt) {
          // The job queue sits below the recorder (which creates jobs), so it appends its own
          // catalogued events directly.
          await appendEvent(
            tx,
            job.forceId,
            clock,
            toEventInput(jobDead.of({ actor: { type: 'system', id: null }, subjectId: job.id, data: { jobType: job.type, attempts: job.attempts, reason: reason.slice(0, 500) } })),
          );
        }
      }).catch((recordError: unknown) => {
        // Not even the failure could be recorded: the job stays claimed and is taken over when
        // its lease runs out, so it is not lost.
        logger.warn({ jobId: job.id, jobType: job.type, err: recordError }, 'job failure not recorded; left to its lease');
      });
    } finally {
      this.running -= 1;
    }
  }

  /**
   * A job interrupted by a lost database connection did not fail: whatever it did in a
   * transaction was rolled back. It goes back to the queue without spending an attempt, so an
   * outage never makes a job dead. If the database is still unreachable, the lease brings it back.
   */
  private async release(job: Job, reason: string): Promise<void> {
    const { db, clock, logger } = this.options;
    logger.warn({ jobId: job.id, jobType: job.type, attempt: job.attempts, reason }, 'job interrupted by a lost database connection; will retry');
    try {
      await withForce(db, job.forceId, (tx) =>
        tx
          .updateTable('jobs')
          .set({
            state: 'pending',
            attempts: sql<number>`greatest(attempts - 1, 0)`,
            locked_until: null,
            last_error: reason.slice(0, 2000),
            run_at: new Date(clock.now().getTime() + this.retryBaseMs),
            updated_at: clock.now(),
          })
          .where('id', '=', job.id)
          .where('state', '=', 'running')
          .execute(),
      );
    } catch (error) {
      logger.warn({ jobId: job.id, jobType: job.type, err: error }, 'interrupted job not released; left to its lease');
    }
  }
}

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
