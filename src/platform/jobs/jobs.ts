import { sql } from 'kysely';
import type { Logger } from 'pino';
import { withForce, withSystem, type Db } from '../db/database.ts';
import type { ForceId, JobId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { isConnectionLost } from '../db/connection-errors.ts';
import { recordJobFailure } from './job-failure.ts';
import { BatchTakenOver, markJobsDone, notHeld, releaseJob, renewLeases, warnTakenOver } from './job-fence.ts';
import { laneTypes, toClaimedJob, type BatchJobHandler, type ClaimedJob, type ClaimedJobRow, type DeadJobHandler, type Lane, type JobHandler, type OutboundBatchJobHandler } from './job-types.ts';

export type { BatchJobHandler, ClaimedJob, DeadJobHandler, Job, JobContext, JobHandler, JobPayload, JobState, OutboundBatchJobHandler } from './job-types.ts';
export { payloadText, retryDelayMs, toJob } from './job-types.ts';

export const JOBS_CHANNEL = 'bluelamp_jobs';

export type JobRunnerOptions = {
  db: Db;
  clock: Clock;
  logger: Logger;
  handlers: Map<string, JobHandler>;
  /** Job types run in batches (a type here needs no entry in `handlers`). */
  batchHandlers?: Map<string, BatchJobHandler | OutboundBatchJobHandler>;
  /** What a job type does when one of its jobs is given up (`DeadJobHandler`). */
  deadHandlers?: ReadonlyMap<string, DeadJobHandler>;
  /** How long a claimed job is ours before another worker may take it over. */
  leaseMs?: number;
  /** How often a running job's lease is renewed (a third of the lease by default). */
  leaseRenewMs?: number;
  retryBaseMs?: number;
  /** How many units (a job, or a batch) of database-only work run at once. */
  concurrency?: number;
  /**
   * Job types whose handlers call out of the process (a provider's API, mail, a download); an
   * outbound batch handler's type is one without being listed. They run in a lane of their own,
   * `outboundConcurrency` units at once, so slow calls never hold the slots the rest waits for.
   */
  outboundTypes?: ReadonlySet<string>;
  outboundConcurrency?: number;
};

/**
 * Claims due jobs with `FOR UPDATE SKIP LOCKED`, runs each handler, and records the outcome:
 * done, retry later with backoff, or dead after the last attempt. A job whose worker died is
 * taken over when its lease runs out. Jobs that call out run in a lane of their own, with their
 * own slots, beside the database-only ones (decision 0050). A run's writes to its jobs hold only
 * while they are still its claim, so a run taken over changes nothing of the newer run's (0165).
 */
export class JobRunner {
  private readonly leaseMs: number;
  private readonly leaseRenewMs: number;
  private readonly retryBaseMs: number;
  private readonly lanes: Lane[];
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: JobRunnerOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.leaseRenewMs = options.leaseRenewMs ?? Math.max(10, Math.floor(this.leaseMs / 3));
    this.retryBaseMs = options.retryBaseMs ?? 2_000;
    const outbound = new Set(options.outboundTypes);
    for (const [type, handler] of options.batchHandlers ?? []) if (handler.kind === 'outbound') outbound.add(type);
    const concurrency = options.concurrency ?? 4;
    const types = [...outbound];
    this.lanes =
      types.length === 0
        ? [{ name: 'local', concurrency, draining: undefined, wakeRequested: false }]
        : [
            { name: 'local', concurrency, except: types, draining: undefined, wakeRequested: false },
            { name: 'outbound', concurrency: options.outboundConcurrency ?? 4, only: types, draining: undefined, wakeRequested: false },
          ];
  }

  /** The job types this runner runs, and those whose giving up their type settles (decision 0116). */
  jobTypes(): { run: string[]; settledWhenGivenUp: string[] } {
    return { run: [...this.options.handlers.keys(), ...(this.options.batchHandlers?.keys() ?? [])], settledWhenGivenUp: [...(this.options.deadHandlers?.keys() ?? [])] };
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
    for (const lane of this.lanes) await lane.draining;
  }

  /** Drains every lane, each on its own: a lane busy with slow sends never delays another's work. */
  wake(): void {
    for (const lane of this.lanes) this.wakeLane(lane);
  }

  private wakeLane(lane: Lane): void {
    if (lane.draining) {
      lane.wakeRequested = true;
      return;
    }
    lane.draining = this.drain(lane)
      .then(() => undefined)
      .catch((error: unknown) => this.options.logger.error({ err: error, lane: lane.name }, 'job polling failed'))
      .finally(() => {
        lane.draining = undefined;
        if (lane.wakeRequested && !this.stopped) {
          lane.wakeRequested = false;
          this.wakeLane(lane);
        }
      });
  }

  /**
   * Runs every job that is due now, until none is left (jobs that the running ones create
   * included, in either lane). Returns how many ran.
   */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const ran = (await Promise.all(this.lanes.map((lane) => this.drain(lane)))).reduce((sum, n) => sum + n, 0);
      total += ran;
      // A lane's work may have created due jobs of another lane after that lane stopped looking.
      if (ran === 0 || this.lanes.length === 1) return total;
    }
  }

  /**
   * Runs the lane's due jobs until none is left (those its running jobs create included). Up to
   * the lane's `concurrency` units (a job, or a batch) run at once, and a free slot is filled as
   * soon as it frees, so a quick batch never waits for a slow one.
   */
  private async drain(lane: Lane): Promise<number> {
    let total = 0;
    let finished = 0;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const room = lane.concurrency - inFlight.size;
      const finishedBefore = finished;
      const jobs = room > 0 ? await this.claim(room, { lane }) : [];
      if (jobs.length === 0) {
        // A unit that finished while the claim looked committed after the claim's snapshot, so
        // the jobs it created were not seen: look again rather than stop (or wait) without them.
        if (finished !== finishedBefore) continue;
        if (inFlight.size === 0) return total;
        // Full, or nothing due: wait for a unit to finish (it may have created due jobs).
        await Promise.race(inFlight);
        continue;
      }
      const { singles, batches } = await this.gather(jobs);
      total += singles.length + batches.reduce((n, batch) => n + batch.length, 0);
      const units = [...singles.map((job) => ({ jobs: [job], run: () => this.execute(job) })), ...batches.map((batch) => ({ jobs: batch, run: () => this.executeBatch(batch) }))];
      for (const unit of units) {
        const running: Promise<void> = this.whileLeased(unit.jobs, unit.run).finally(() => {
          inFlight.delete(running);
          finished += 1;
        });
        inFlight.add(running);
      }
      // Between claims the event loop takes what is waiting: on PGlite, requests share this thread.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Runs a unit while renewing its jobs' lease every `leaseRenewMs`: a job still running is still
   * ours. Without it a send slower than the lease (a mail server taking minutes over DATA) was
   * taken over by the next claim and sent a second time while the first was still going.
   */
  private async whileLeased(jobs: readonly ClaimedJob[], run: () => Promise<void>): Promise<void> {
    let held = [...jobs];
    const renew = async () => {
      // One no longer ours (finished, or taken over) is not renewed again.
      const lost = new Set((await this.renewLease(held)).map((job) => job.id));
      held = held.filter((job) => !lost.has(job.id));
    };
    const timer = setInterval(() => void renew(), this.leaseRenewMs);
    timer.unref();
    try {
      await run();
    } finally {
      clearInterval(timer);
    }
  }

  /** Moves the lease of those of these jobs still this run's to a full lease from now; returns those no longer its. */
  protected renewLease(jobs: readonly ClaimedJob[]): Promise<ClaimedJob[]> {
    return renewLeases({ ...this.options, leaseMs: this.leaseMs }, jobs);
  }

  /** Claims due jobs: up to `limit` of a lane's types, or, with `type`, up to `limit` more of one type and force. */
  protected async claim(limit: number, of: { lane: Lane } | { type: string; forceId: ForceId }): Promise<ClaimedJob[]> {
    const now = this.options.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const due =
      'type' in of
        ? sql`type = ${of.type} and force_id = ${of.forceId} and state = 'pending' and run_at <= ${now}`
        : // A running job was due when it was claimed, so both kinds lie at or before now in the due
          // index: bounding it there keeps a look that finds nothing from reading every future job.
          sql`run_at <= ${now} and (state = 'pending' or (state = 'running' and locked_until < ${now}))${laneTypes(of.lane)}`;
    const rows = await withSystem(this.options.db, async (tx) => {
      // A job still running when claimed is taken over from a worker whose lease ran out. Its
      // claim token counts on, so what that worker may still write is not applied (decision 0165).
      const result = await sql<ClaimedJobRow>`
        with claimed as (
          select id, state = 'running' as taken_over from jobs
          where ${due}
          order by run_at
          limit ${limit}
          for update skip locked
        )
        update jobs as j set state = 'running', attempts = j.attempts + 1, claim_token = j.claim_token + 1, locked_until = ${lease}, updated_at = ${now}
        from claimed as c
        where j.id = c.id
        returning j.id, j.force_id, j.type, j.payload, j.state, j.attempts, j.max_attempts, j.run_at, j.last_error, j.created_at, c.taken_over, j.claim_token`.execute(tx);
      return result.rows;
    });
    return rows.map(toClaimedJob).sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
  }

  /** Splits claimed jobs into those run alone and batches (one per type and force), each filled up with more of its kind. */
  private async gather(jobs: readonly ClaimedJob[]): Promise<{ singles: ClaimedJob[]; batches: ClaimedJob[][] }> {
    const singles: ClaimedJob[] = [];
    const groups = new Map<string, ClaimedJob[]>();
    for (const job of jobs) {
      if (!this.options.batchHandlers?.has(job.type)) {
        singles.push(job);
        continue;
      }
      const key = `${job.type}\u0000${job.forceId}`;
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    const batches: ClaimedJob[][] = [];
    for (const group of groups.values()) {
      const [first] = group;
      const handler = first && this.options.batchHandlers?.get(first.type);
      if (!first || !handler) continue;
      const room = handler.maxBatch - group.length;
      // The jobs in hand are claimed: if looking for more fails (the connection lost, say), they
      // still run (or are released) now, rather than sit claimed until their lease runs out.
      const more =
        room > 0
          ? await this.claim(room, { type: first.type, forceId: first.forceId }).catch((error: unknown) => {
              this.options.logger.warn({ err: error, jobType: first.type }, 'could not claim more jobs for a batch; running those in hand');
              return [];
            })
          : [];
      const all = [...group, ...more];
      for (let i = 0; i < all.length; i += handler.maxBatch) batches.push(all.slice(i, i + handler.maxBatch));
    }
    return { singles, batches };
  }

  /**
   * Runs a batch in one transaction that also marks its jobs done. If it fails, nothing of it
   * stayed: each job is run alone, so a failure is one job's (with its own retry or death). If
   * some of its jobs were taken over, nothing of it stays either (another run does those now):
   * those still this run's are run again without them.
   */
  private async executeBatch(jobs: readonly ClaimedJob[]): Promise<void> {
    const [first] = jobs;
    const handler = first && this.options.batchHandlers?.get(first.type);
    if (!first || !handler) return;
    if (handler.kind === 'outbound') {
      await this.executeOutboundBatch(first.forceId, handler, jobs);
      return;
    }
    const { db, clock, logger } = this.options;
    try {
      await withForce(db, first.forceId, async (tx) => {
        await handler.run({ forceId: first.forceId, jobs, tx });
        const done = await markJobsDone(tx, clock, jobs);
        if (done.size < jobs.length) throw new BatchTakenOver(jobs.filter((job) => done.has(job.id)), notHeld(jobs, done));
      });
      return;
    } catch (error) {
      if (error instanceof BatchTakenOver) {
        warnTakenOver(logger, error.lost, 'done');
        if (error.held.length > 0) await this.executeBatch(error.held);
        return;
      }
      if (isConnectionLost(error)) {
        for (const job of jobs) await this.release(job, error instanceof Error ? error.message : String(error));
        return;
      }
      if (jobs.length === 1) {
        await this.fail(first, error);
        return;
      }
    }
    for (const job of jobs) await this.executeBatch([job]);
  }

  /**
   * Runs an outbound batch (it opens its own transactions), then marks the jobs that did not fail
   * done in one statement and records each failure as a one-job handler's would be.
   */
  private async executeOutboundBatch(forceId: ForceId, handler: OutboundBatchJobHandler, jobs: readonly ClaimedJob[]): Promise<void> {
    const { db, clock, logger } = this.options;
    let failures: Map<JobId, unknown>;
    try {
      failures = await handler.run({ forceId, jobs, inForce: (work) => withForce(db, forceId, work) });
    } catch (error) {
      for (const job of jobs) await this.fail(job, error);
      return;
    }
    const done = jobs.filter((job) => !failures.has(job.id));
    if (done.length > 0) {
      // If this is lost (the connection, say), the jobs come back when their lease runs out, and
      // the handler finds their effect already recorded. Only those still this run's are marked.
      await withForce(db, forceId, (tx) => markJobsDone(tx, clock, done)).then(
        (marked) => warnTakenOver(logger, notHeld(done, marked), 'done'),
        (error: unknown) => logger.warn({ err: error, jobIds: done.map((job) => job.id) }, 'finished jobs not marked done; left to their lease'),
      );
    }
    for (const job of jobs) if (failures.has(job.id)) await this.fail(job, failures.get(job.id));
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const { db, clock, logger } = this.options;
    const handler = this.options.handlers.get(job.type);
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      await handler({ job, inForce: (work) => withForce(db, job.forceId, work) });
      const marked = await withForce(db, job.forceId, (tx) => markJobsDone(tx, clock, [job]));
      if (marked.size === 0) warnTakenOver(logger, [job], 'done');
    } catch (error) {
      await this.fail(job, error);
    }
  }

  /** Records a failed attempt: retry later with backoff, or dead (an event, and its type's `DeadJobHandler`) after the last. */
  private async fail(job: ClaimedJob, error: unknown): Promise<void> {
    const { db, clock, logger } = this.options;
    const reason = error instanceof Error ? error.message : String(error);
    if (isConnectionLost(error)) {
      await this.release(job, reason);
      return;
    }
    logger.warn({ jobId: job.id, jobType: job.type, attempt: job.attempts, reason }, 'job failed');
    await recordJobFailure({ db, clock, logger, retryBaseMs: this.retryBaseMs, onDead: this.options.deadHandlers?.get(job.type) }, job, reason).catch((recordError: unknown) => {
      // Not even the failure could be recorded: the job stays claimed and is taken over when
      // its lease runs out, so it is not lost.
      logger.warn({ jobId: job.id, jobType: job.type, err: recordError }, 'job failure not recorded; left to its lease');
    });
  }

  /** Gives the attempt back, a lost connection being no failure of the job's (decision 0010). */
  private release(job: ClaimedJob, reason: string): Promise<void> {
    return releaseJob({ ...this.options, retryBaseMs: this.retryBaseMs }, job, reason);
  }
}
