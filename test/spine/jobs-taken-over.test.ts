import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { enqueueJob } from '../../src/platform/jobs/enqueue.ts';
import { JobRunner, payloadText, retryDelayMs, type BatchJobHandler, type ClaimedJob, type DeadJobHandler, type Job, type JobHandler, type OutboundBatchJobHandler } from '../../src/platform/jobs/jobs.ts';
import { fixedClock } from '../../src/platform/clock.ts';

// A run whose lease ran out while it was still at work (a stalled event loop, a long pause, the
// database out of reach) wakes after another run has taken its job over. What it then writes to
// the job must change nothing of the newer run's (decision 0165).

const clock = fixedClock(new Date('2026-12-01T09:00:00Z'));
const LEASE_MS = 60_000;
/** In every job's payload; no log line may carry it. */
const SECRET = 'flat 2, 14 hidden road';

/** What the test's handlers are doing: each run waits until the test ends it. */
type Run = { keys: string[]; end: (error?: Error) => void };
const started: Run[] = [];
const waiting: ((run: Run) => void)[] = [];
function hold(jobs: readonly Job[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const run: Run = { keys: jobs.map((job) => payloadText(job, 'key')), end: (error) => (error ? reject(error) : resolve()) };
    const waiter = waiting.shift();
    if (waiter) waiter(run);
    else started.push(run);
  });
}
/** The next run to start (one already started, or the next to). */
const nextRun = (): Promise<Run> => {
  const run = started.shift();
  return run ? Promise.resolve(run) : new Promise((resolve) => waiting.push(resolve));
};
const connectionLost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });

const givenUp: string[] = [];
const onDead: DeadJobHandler = async ({ job }) => void givenUp.push(payloadText(job, 'key'));
const sent: OutboundBatchJobHandler = {
  kind: 'outbound',
  maxBatch: 10,
  run: async ({ jobs }) => {
    await hold(jobs);
    return new Map();
  },
};
/** A database-only batch whose handler writes a follow-up per job and run (its attempt in its key). */
const batched: BatchJobHandler = {
  maxBatch: 10,
  run: async ({ forceId, jobs, tx }) => {
    for (const job of jobs) {
      await enqueueJob(tx, forceId, clock, { type: 'test.follow-up', payload: {}, idempotencyKey: `${payloadText(job, 'key')}:${job.attempts}`, runAt: new Date('2030-01-01T00:00:00Z') });
    }
  },
};

const logs: Record<string, unknown>[] = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
let app: TestApp;

/**
 * A worker of the test's job types only (they form its outbound lane; the other lane has no slot),
 * whose lease renewals never get through in the test (their interval is an hour of real time): a
 * stalled worker's. `most` bounds how many jobs it takes in all: a worker still looking once the
 * clock has moved on would take back its own (a takeover too, but not the one a test arranges).
 */
class Worker extends JobRunner {
  readonly claimed: ClaimedJob[] = [];
  private stall: { claimed: () => void; until: Promise<void> } | undefined;

  constructor(private most: number) {
    super({
      db: app.database.db,
      clock,
      logger,
      handlers: new Map<string, JobHandler>([['test.held', ({ job }) => hold([job])]]),
      batchHandlers: new Map<string, BatchJobHandler | OutboundBatchJobHandler>([
        ['test.sent', sent],
        ['test.batched', batched],
      ]),
      deadHandlers: new Map([['test.held', onDead]]),
      outboundTypes: new Set(['test.held', 'test.batched']),
      concurrency: 0,
      leaseMs: LEASE_MS,
      leaseRenewMs: 3_600_000,
      retryBaseMs: 1000,
    });
  }

  protected override async claim(...[limit, of]: Parameters<JobRunner['claim']>) {
    if (this.most <= 0 || 'type' in of) return [];
    const jobs = await super.claim(Math.min(limit, this.most), of);
    this.most -= jobs.length;
    this.claimed.push(...jobs);
    const stall = this.stall;
    if (stall && jobs.length > 0) {
      this.stall = undefined;
      stall.claimed();
      await stall.until;
    }
    return jobs;
  }

  /** Stalls straight after its next claim (before it runs what it claimed) until `resume`. */
  stallAfterClaim(): { claimed: Promise<void>; resume: () => void } {
    let resume = () => {};
    let claimed = () => {};
    const until = new Promise<void>((resolve) => (resume = resolve));
    const hasClaimed = new Promise<void>((resolve) => (claimed = resolve));
    this.stall = { claimed, until };
    return { claimed: hasClaimed, resume };
  }

  /** Renews the lease of what it claimed, as its timer would had it fired now. */
  renewNow(): Promise<ClaimedJob[]> {
    return this.renewLease(this.claimed);
  }
}

const enqueue = (type: string, key: string, options: { maxAttempts?: number; runAt?: Date } = {}) =>
  withForce(app.database.db, app.demoForceId, (tx) => enqueueJob(tx, app.demoForceId, clock, { type, payload: { key, address: SECRET }, idempotencyKey: key, ...options }));
const jobOf = (key: string) =>
  withForce(app.database.db, app.demoForceId, async (tx) => {
    const job = await tx.selectFrom('jobs').select(['id', 'state', 'attempts', 'last_error', 'run_at']).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    const dead = await tx.selectFrom('events').select('id').where('subject_id', '=', job.id).where('type', '=', 'job.dead').execute();
    return { ...job, deadEvents: dead.length };
  });
/** The warnings that a run's write was not applied, its job taken over. */
const notApplied = () => logs.filter((line) => line.msg === 'job taken over by another run; this run’s write not applied').map((line) => ({ jobId: line.jobId, jobType: line.jobType, write: line.write }));

/** A `test.held` job whose first run stalls past its lease and is taken over by a second, both still at work. */
async function takenOver(key: string, maxAttempts = 3) {
  await enqueue('test.held', key, { maxAttempts });
  const stale = new Worker(1);
  const staleRan = stale.runDue();
  const first = await nextRun();
  clock.advance(LEASE_MS + 1);
  const current = new Worker(1);
  const currentRan = current.runDue();
  const second = await nextRun();
  const { id } = await jobOf(key);
  return { id, stale, staleRan, first, currentRan, second };
}

describe(`a run taken over after its lease ran out (${ENGINE})`, () => {
  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, startWorker: false } });
  });
  afterAll(async () => {
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    await app.close();
  });

  it('cannot-mark-the-job-done-while-the-run-that-took-it-over-works, whose failure then retries it', async () => {
    const { id, first, staleRan, second, currentRan } = await takenOver('done-late');
    first.end();
    await staleRan;
    expect(await jobOf('done-late')).toMatchObject({ state: 'running', attempts: 2 });
    expect(notApplied()).toContainEqual({ jobId: id, jobType: 'test.held', write: 'done' });

    second.end(new Error('provider said no'));
    await currentRan;
    const job = await jobOf('done-late');
    expect(job).toMatchObject({ state: 'pending', attempts: 2, last_error: 'provider said no' });
    expect(job.run_at.getTime()).toBe(clock.now().getTime() + retryDelayMs(2, 1000));
    // Its retry runs when due (and leaves nothing due for the next test).
    clock.advance(retryDelayMs(2, 1000));
    const retry = new Worker(1).runDue();
    (await nextRun()).end();
    await retry;
    expect(await jobOf('done-late')).toMatchObject({ state: 'done', attempts: 3 });
  });

  it('cannot-fail-the-job-or-schedule-its-retry-while-the-run-that-took-it-over-works', async () => {
    const { id, first, staleRan, second, currentRan } = await takenOver('failed-late');
    first.end(new Error('the stalled run gave up'));
    await staleRan;
    expect(await jobOf('failed-late')).toMatchObject({ state: 'running', attempts: 2, last_error: null });
    expect(notApplied()).toContainEqual({ jobId: id, jobType: 'test.held', write: 'failed' });

    second.end();
    await currentRan;
    expect(await jobOf('failed-late')).toMatchObject({ state: 'done', attempts: 2, last_error: null });
  });

  it('cannot-give-up-on-its-last-attempt-a-job-the-run-that-took-it-over-works-on', async () => {
    const { id, first, staleRan, second, currentRan } = await takenOver('dead-late', 1);
    first.end(new Error('the last attempt failed'));
    await staleRan;
    // Not dead: no event, and its type did not settle what the job works on.
    expect(await jobOf('dead-late')).toMatchObject({ state: 'running', attempts: 2, deadEvents: 0 });
    expect(givenUp).toEqual([]);
    expect(notApplied()).toContainEqual({ jobId: id, jobType: 'test.held', write: 'dead' });

    second.end();
    await currentRan;
    expect(await jobOf('dead-late')).toMatchObject({ state: 'done', deadEvents: 0 });
  });

  it('cannot-release-the-job-or-give-back-an-attempt-after-a-lost-connection, which still spends no attempt of the run that holds it', async () => {
    const { id, first, staleRan, second, currentRan } = await takenOver('released-late', 2);
    first.end(connectionLost());
    await staleRan;
    expect(await jobOf('released-late')).toMatchObject({ state: 'running', attempts: 2 });
    expect(notApplied()).toContainEqual({ jobId: id, jobType: 'test.held', write: 'released' });

    // The run that holds it loses its connection: back to the queue, its attempt given back.
    second.end(connectionLost());
    await currentRan;
    expect(await jobOf('released-late')).toMatchObject({ state: 'pending', attempts: 1 });
    clock.advance(1000);
    const again = new Worker(1).runDue();
    (await nextRun()).end();
    await again;
    expect(await jobOf('released-late')).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('cannot-renew-the-lease-of-the-run-that-took-it-over, so that when that run dies the job is taken over again', async () => {
    const { id, stale, first, staleRan, second, currentRan } = await takenOver('renewed-late');
    clock.advance(10_000);
    await stale.renewNow();
    expect(notApplied()).toContainEqual({ jobId: id, jobType: 'test.held', write: 'lease renewed' });

    // The run that took it over stops renewing (it died): once its lease runs out, a third takes the job.
    clock.advance(LEASE_MS - 10_000 + 1);
    const third = new Worker(1);
    const thirdRan = third.runDue();
    const taken = await Promise.race([nextRun(), thirdRan.then(() => null)]);
    expect(taken?.keys).toEqual(['renewed-late']);
    second.end();
    first.end();
    await Promise.all([staleRan, currentRan]);
    taken?.end();
    await thirdRan;
    expect(await jobOf('renewed-late')).toMatchObject({ state: 'done', attempts: 3 });
  });

  it('rolls-back-a-batch-of-which-a-job-was-taken-over, its handler’s writes with it, and runs the jobs still its own again', async () => {
    const early = new Date(clock.now().getTime() - 60_000);
    await enqueue('test.batched', 'batch-x', { runAt: early });
    await enqueue('test.batched', 'batch-y', { runAt: new Date(early.getTime() + 1) });
    const stale = new Worker(2);
    const stalled = stale.stallAfterClaim();
    const staleRan = stale.runDue();
    await stalled.claimed;
    clock.advance(LEASE_MS + 1);
    // Another worker takes over the first of the two, and does it.
    await new Worker(1).runDue();
    expect(await jobOf('batch-x')).toMatchObject({ state: 'done', attempts: 2 });

    stalled.resume();
    await staleRan;
    const followUps = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('jobs').select('idempotency_key').where('type', '=', 'test.follow-up').orderBy('idempotency_key').execute());
    // Nothing of the stalled run's batch stayed for the job another run did; the other it ran again alone.
    expect(followUps.map((row) => row.idempotency_key)).toEqual(['batch-x:2', 'batch-y:1']);
    expect(await jobOf('batch-y')).toMatchObject({ state: 'done', attempts: 1 });
    expect(notApplied()).toContainEqual({ jobId: (await jobOf('batch-x')).id, jobType: 'test.batched', write: 'done' });
  });

  it('marks-done-only-the-jobs-of-an-outbound-batch-still-its-own', async () => {
    const early = new Date(clock.now().getTime() - 60_000);
    await enqueue('test.sent', 'sent-x', { runAt: early });
    await enqueue('test.sent', 'sent-y', { runAt: new Date(early.getTime() + 1) });
    const staleRan = new Worker(2).runDue();
    const first = await nextRun();
    expect([...first.keys].sort()).toEqual(['sent-x', 'sent-y']);
    clock.advance(LEASE_MS + 1);
    const currentRan = new Worker(1).runDue();
    const second = await nextRun();
    expect(second.keys).toEqual(['sent-x']);

    first.end();
    await staleRan;
    expect(await jobOf('sent-x')).toMatchObject({ state: 'running', attempts: 2 });
    expect(await jobOf('sent-y')).toMatchObject({ state: 'done', attempts: 1 });

    second.end();
    await currentRan;
    expect(await jobOf('sent-x')).toMatchObject({ state: 'done', attempts: 2 });
  });
});
