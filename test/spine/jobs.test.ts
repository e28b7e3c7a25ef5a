import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { seededEnv } from '../cli-kit.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { enqueueJob } from '../../src/platform/jobs/enqueue.ts';
import { JobRunner, retryDelayMs, type DeadJobHandler, type JobHandler } from '../../src/platform/jobs/jobs.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { CRASH_LEASE_MS, recordEffect } from '../fixtures/crash-effect.ts';

describe('durable jobs', () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-11-22T10:00:00Z'));
  let failuresLeft = 0;
  const runs: string[] = [];
  const flaky: JobHandler = async ({ job }) => {
    runs.push(job.id);
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      throw new Error('provider said no');
    }
  };

  beforeAll(async () => {
    app = await createTestApp({
      overrides: { clock, jobRetryBaseMs: 1000, jobHandlers: new Map([['test.flaky', flaky]]) },
    });
  });
  afterAll(() => app.close());

  const enqueue = (key: string, maxAttempts = 3) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      enqueueJob(tx, app.demoForceId, clock, { type: 'test.flaky', payload: { key }, idempotencyKey: key, maxAttempts }),
    );
  const jobState = (key: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('jobs').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow(),
    );

  it('creates-a-job-only-if-its-transaction-commits', async () => {
    await expect(
      withForce(app.database.db, app.demoForceId, async (tx) => {
        await enqueueJob(tx, app.demoForceId, clock, { type: 'test.flaky', payload: {}, idempotencyKey: 'rolled-back' });
        throw new Error('cause failed');
      }),
    ).rejects.toThrow('cause failed');
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('jobs').select('id').where('idempotency_key', '=', 'rolled-back').execute(),
    );
    expect(rows).toHaveLength(0);
  });

  it('stores one job per idempotency key', async () => {
    await enqueue('same-key');
    await enqueue('same-key');
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('jobs').select('id').where('idempotency_key', '=', 'same-key').execute(),
    );
    expect(rows).toHaveLength(1);
    await app.runner?.runDue();
  });

  it('retries with backoff, then dead-letters, and an admin can retry it', async () => {
    failuresLeft = 10;
    await enqueue('flaky', 3);
    await app.runner?.runDue();
    let job = await jobState('flaky');
    expect(job).toMatchObject({ state: 'pending', attempts: 1, last_error: 'provider said no' });
    expect(job.run_at.getTime() - clock.now().getTime()).toBe(retryDelayMs(1, 1000));

    // Not due yet: nothing runs.
    expect(await app.runner?.runDue()).toBe(0);
    clock.advance(retryDelayMs(1, 1000));
    await app.runner?.runDue();
    job = await jobState('flaky');
    expect(job).toMatchObject({ state: 'pending', attempts: 2 });
    expect(job.run_at.getTime() - clock.now().getTime()).toBe(retryDelayMs(2, 1000));
    clock.advance(retryDelayMs(2, 1000));
    await app.runner?.runDue();
    job = await jobState('flaky');
    expect(job).toMatchObject({ state: 'dead', attempts: 3 });

    const admin = await signIn(app, 'admin@demo.police.uk');
    const dead = await app.inject({ method: 'GET', url: '/api/jobs?state=dead', headers: admin.headers });
    expect(dead.json<{ jobs: { id: string; lastError: string }[] }>().jobs).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: job.id, lastError: 'provider said no' })]),
    );

    failuresLeft = 0;
    const retried = await app.inject({ method: 'POST', url: `/api/jobs/${job.id}/retry`, headers: admin.headers, payload: {} });
    expect(retried.statusCode).toBe(200);
    await app.runner?.runDue();
    expect((await jobState('flaky')).state).toBe('done');

    const again = await app.inject({ method: 'POST', url: `/api/jobs/${job.id}/retry`, headers: admin.headers, payload: {} });
    expect(again.statusCode).toBe(409);
  });
});

describe('a job given up, and its type\'s handler for that', () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-11-22T10:00:00Z'));
  const givenUp: { key: unknown; attempts: number; reason: string }[] = [];
  let deadHandlerFails = false;
  const failing: JobHandler = () => Promise.reject(new Error('handler broke'));
  const onDead: DeadJobHandler = async ({ job, reason, tx }) => {
    givenUp.push({ key: job.payload['key'], attempts: job.attempts, reason });
    // Its writes share the transaction that records the job dead.
    await tx.updateTable('jobs').set({ last_error: `settled: ${reason}` }).where('id', '=', job.id).execute();
    if (deadHandlerFails) throw new Error('settling failed');
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, startWorker: false } });
  });
  afterAll(() => app.close());

  const runner = () => new JobRunner({ db: app.database.db, clock, logger: app.deps.logger, handlers: new Map([['test.doomed', failing]]), deadHandlers: new Map([['test.doomed', onDead]]), retryBaseMs: 1000 });
  const enqueue = (key: string) => withForce(app.database.db, app.demoForceId, (tx) => enqueueJob(tx, app.demoForceId, clock, { type: 'test.doomed', payload: { key }, idempotencyKey: key, maxAttempts: 2 }));
  const jobOf = (key: string) =>
    withForce(app.database.db, app.demoForceId, async (tx) => {
      const job = await tx.selectFrom('jobs').select(['id', 'state', 'attempts', 'last_error']).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
      const dead = await tx.selectFrom('events').select('type').where('subject_id', '=', job.id).where('type', '=', 'job.dead').execute();
      return { ...job, deadEvents: dead.length };
    });

  it('runs-its-type\'s-dead-handler-once-on-the-last-attempt-only, in the transaction that records it dead', async () => {
    await enqueue('doomed');
    await runner().runDue();
    expect(givenUp).toEqual([]);
    clock.advance(60_000);
    await runner().runDue();
    expect(givenUp).toEqual([{ key: 'doomed', attempts: 2, reason: 'handler broke' }]);
    expect(await jobOf('doomed')).toMatchObject({ state: 'dead', attempts: 2, last_error: 'settled: handler broke', deadEvents: 1 });
  });

  it('records-the-job-dead-without-it-when-the-dead-handler-fails, never leaving it claimed', async () => {
    deadHandlerFails = true;
    givenUp.length = 0;
    await enqueue('doomed-twice');
    await runner().runDue();
    clock.advance(60_000);
    await runner().runDue();
    expect(givenUp).toHaveLength(1);
    // Its writes went with its failure; the job is dead, with its own error and one event.
    expect(await jobOf('doomed-twice')).toMatchObject({ state: 'dead', attempts: 2, last_error: 'handler broke', deadEvents: 1 });
    clock.advance(60 * 60_000);
    expect(await runner().runDue()).toBe(0);
  });
});

describe('a job that runs longer than its lease', () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-11-22T10:00:00Z'));
  let runs = 0;
  let started: () => void = () => undefined;
  let finish: () => void = () => undefined;
  const slow: JobHandler = () => {
    runs += 1;
    // The first run is the slow send; a second would be the duplicate, and returns at once.
    if (runs > 1) return Promise.resolve();
    started();
    return new Promise<void>((resolve) => (finish = resolve));
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  it('keeps-its-lease-while-it-runs-so-another-worker-never-runs-it-twice', async () => {
    const handlers = new Map([['test.slow', slow]]);
    // Two workers on one database: the first runs the job, the second polls while it is running.
    const worker = () => new JobRunner({ db: app.database.db, clock, logger: app.deps.logger, handlers, leaseMs: 60_000, leaseRenewMs: 5 });
    const [first, second] = [worker(), worker()];
    await withForce(app.database.db, app.demoForceId, (tx) => enqueueJob(tx, app.demoForceId, clock, { type: 'test.slow', payload: {}, idempotencyKey: 'slow-send' }));
    const running = new Promise<void>((resolve) => (started = resolve));
    const firstRun = first.runDue();
    await running;
    const lease = async () =>
      await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('jobs').select(['locked_until', 'state']).where('idempotency_key', '=', 'slow-send').executeTakeFirstOrThrow());
    // A send that takes longer than the lease: two minutes go by while it runs, 40 s at a time
    // (less than the lease, as time passes for a real worker), each followed by a renewal: the
    // running worker moves its lease on from the time as it now is (a bounded wait for its timer).
    for (let step = 0; step < 3; step += 1) {
      clock.advance(40_000);
      for (let i = 0; i < 200 && ((await lease()).locked_until?.getTime() ?? 0) < clock.now().getTime() + 60_000; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    // The second worker finds the job still leased (it may run other due jobs of the app's).
    await second.runDue();
    expect(runs).toBe(1);
    finish();
    await firstRun;
    expect(runs).toBe(1);
    expect(await lease()).toMatchObject({ state: 'done', locked_until: null });
  });
});

/** Runs `script` until it prints `killOn`, then kills it as `kill -9` would. */
function runUntilKilled(script: string, env: Record<string, string>, killOn: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(killOn)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited ${code ?? signal}: ${err}`));
    });
  });
}

describe('a worker killed during a job', () => {
  it('completes-the-job-exactly-once-in-effect-after-restart', async () => {
    // Built by the test run's global setup (test/build-server.ts), like the server itself.
    const script = path.resolve('dist/test/fixtures/crash-worker.js');
    // Already migrated and seeded, so both starts go straight to the job.
    const { env, cleanup } = await seededEnv('crash');
    try {
      // The worker process records the job's effect and is killed before it can mark the job done.
      await runUntilKilled(script, env, 'EFFECT_RECORDED');
      // The restart, here: a worker on the same database (a PGlite folder takes over the dead
      // process's lock), its clock past the crashed worker's lease (no real wait).
      const restarted = await buildApp(loadConfig({ ...process.env, ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), {
        clock: { now: () => new Date(Date.now() + CRASH_LEASE_MS * 2) },
        startWorker: false,
        jobLeaseMs: CRASH_LEASE_MS,
        jobHandlers: new Map([['test.effect', recordEffect(async () => undefined)]]),
      });
      try {
        await restarted.runner?.runDue();
        const result = await withSystem(restarted.database.db, async (tx) => {
          const job = await tx.selectFrom('jobs').select(['state', 'attempts']).where('type', '=', 'test.effect').executeTakeFirstOrThrow();
          const effects = await sql<{ n: number }>`select count(*)::int as n from outbox where purpose = 'crash-test'`.execute(tx);
          return { state: job.state, attempts: job.attempts, effects: effects.rows[0]?.n };
        });
        expect(result).toEqual({ state: 'done', attempts: 2, effects: 1 });
      } finally {
        await restarted.close();
      }
    } finally {
      await cleanup();
    }
  });
});
