import { sql } from 'kysely';
import type { Logger } from 'pino';
import { withForce, withSystem, type Db, type Tx } from '../db/database.ts';
import type { JsonValue } from '../db/tables.ts';
import type { ForceId, JobId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { appendEvent } from '../events/event-log.ts';
import { toEventInput } from '../events/catalogue.ts';
import { jobDead } from './jobs.events.ts';
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
  // A function property, not a method: handlers take it out of the context (`{ job, inForce }`).
  inForce: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;
};

/**
 * A text field of a job's payload. Payloads are written by the code that enqueues the job, so a
 * missing or non-text field is a bug: the job fails, rather than running against "undefined".
 */
export function payloadText(job: Job, key: string): string {
  const value = job.payload[key];
  if (typeof value !== 'string') throw new Error(`job ${job.type} has no text ${key} in its payload`);
  return value;
}

/**
 * A handler must be safe to run more than once for the same job (a crash after its effect but
 * before the job is marked done runs it again): key its effects by the job or an idempotency key.
 */
export type JobHandler = (context: JobContext) => Promise<void>;

/**
 * A handler for many due jobs of one type and force at once, for work cheaper by the set than by
 * the row (decision 0040). The runner opens the transaction (as the force), runs it, and marks
 * the jobs done in the same transaction. It must give each job the effect it would have alone: a
 * batch that fails is retried one job at a time, so one bad job fails, retries and dies alone.
 * Like a `JobHandler`, it must be safe to run again for jobs whose effect is already there.
 */
export type BatchJobHandler = {
  /** The most jobs one run takes (bounds the transaction, and how long it holds the event loop). */
  maxBatch: number;
  run: (context: { forceId: ForceId; jobs: readonly Job[]; tx: Tx }) => Promise<void>;
};

/**
 * Runs a one-job handler for many jobs of a force in one shared transaction, one job after the
 * other, for handlers whose whole work is in the database (no mail, no outbound call): the
 * transaction, its settings, the chain append and marking the jobs done are paid once per batch
 * instead of once per job. Each job's work and events are what they are alone; a failure sends
 * the batch back to one job per transaction (see `BatchJobHandler`).
 */
export function inSharedTransaction(handler: JobHandler, maxBatch: number): BatchJobHandler {
  return {
    maxBatch,
    run: async ({ jobs, tx }) => {
      for (const job of jobs) await handler({ job, inForce: (work) => work(tx) });
    },
  };
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

export function toJob(row: JobRow): Job {
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
  /** Job types run in batches (a type here needs no entry in `handlers`). */
  batchHandlers?: Map<string, BatchJobHandler>;
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
      const { singles, batches } = await this.gather(jobs);
      total += singles.length + batches.reduce((n, batch) => n + batch.length, 0);
      await Promise.all([...singles.map((job) => this.execute(job)), ...batches.map((batch) => this.executeBatch(batch))]);
      // Between rounds the event loop takes what is waiting: on PGlite, requests share this thread.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Claims due jobs: any `limit` of them, or, with `of`, up to `limit` more of one type and force. */
  private async claim(limit: number, of?: { type: string; forceId: ForceId }): Promise<Job[]> {
    const now = this.options.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const due = of
      ? sql`type = ${of.type} and force_id = ${of.forceId} and state = 'pending' and run_at <= ${now}`
      : sql`(state = 'pending' and run_at <= ${now}) or (state = 'running' and locked_until < ${now})`;
    const rows = await withSystem(this.options.db, async (tx) => {
      const result = await sql<JobRow>`
        update jobs set state = 'running', attempts = attempts + 1, locked_until = ${lease}, updated_at = ${now}
        where id in (
          select id from jobs
          where ${due}
          order by run_at
          limit ${limit}
          for update skip locked
        )
        returning id, force_id, type, payload, state, attempts, max_attempts, run_at, last_error, created_at`.execute(tx);
      return result.rows;
    });
    return rows.map(toJob).sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
  }

  /** Splits claimed jobs into those run alone and batches (one per type and force), each filled up with more of its kind. */
  private async gather(jobs: readonly Job[]): Promise<{ singles: Job[]; batches: Job[][] }> {
    const singles: Job[] = [];
    const groups = new Map<string, Job[]>();
    for (const job of jobs) {
      if (!this.options.batchHandlers?.has(job.type)) {
        singles.push(job);
        continue;
      }
      const key = `${job.type}\u0000${job.forceId}`;
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    const batches: Job[][] = [];
    for (const group of groups.values()) {
      const [first] = group;
      const handler = first && this.options.batchHandlers?.get(first.type);
      if (!first || !handler) continue;
      const room = handler.maxBatch - group.length;
      const more = room > 0 ? await this.claim(room, { type: first.type, forceId: first.forceId }) : [];
      const all = [...group, ...more];
      for (let i = 0; i < all.length; i += handler.maxBatch) batches.push(all.slice(i, i + handler.maxBatch));
    }
    return { singles, batches };
  }

  /**
   * Runs a batch in one transaction that also marks its jobs done. If it fails, nothing of it
   * stayed: each job is run alone, so a failure is one job's (with its own retry or death).
   */
  private async executeBatch(jobs: readonly Job[]): Promise<void> {
    const [first] = jobs;
    const handler = first && this.options.batchHandlers?.get(first.type);
    if (!first || !handler) return;
    const { db, clock } = this.options;
    this.running += 1;
    try {
      await withForce(db, first.forceId, async (tx) => {
        await handler.run({ forceId: first.forceId, jobs, tx });
        await tx
          .updateTable('jobs')
          .set({ state: 'done', locked_until: null, last_error: null, updated_at: clock.now() })
          .where(
            'id',
            'in',
            jobs.map((job) => job.id),
          )
          .execute();
      });
      return;
    } catch (error) {
      if (isConnectionLost(error)) {
        for (const job of jobs) await this.release(job, error instanceof Error ? error.message : String(error));
        return;
      }
      if (jobs.length === 1) {
        await this.fail(first, error);
        return;
      }
    } finally {
      this.running -= 1;
    }
    for (const job of jobs) await this.executeBatch([job]);
  }

  private async execute(job: Job): Promise<void> {
    const { db, clock } = this.options;
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
      await this.fail(job, error);
    } finally {
      this.running -= 1;
    }
  }

  /** Records a failed attempt: retry later with backoff, or dead (an event) after the last. */
  private async fail(job: Job, error: unknown): Promise<void> {
    const { db, clock, logger } = this.options;
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

