import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { seededEnv } from '../cli-kit.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { enqueueJob } from '../../src/platform/jobs/enqueue.ts';
import { retryDelayMs, type JobHandler } from '../../src/platform/jobs/jobs.ts';
import { fixedClock } from '../../src/platform/clock.ts';

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

function runChild(script: string, args: string[], env: Record<string, string>, killOn?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killOn && out.includes(killOn)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (killOn ? signal === 'SIGKILL' : code === 0) resolve(out);
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
      await runChild(script, ['crash'], env, 'EFFECT_RECORDED');
      const out = await runChild(script, ['resume'], env);
      const result = JSON.parse(out.split('RESULT ')[1] ?? '{}') as { state: string; attempts: number; effects: number };
      expect(result).toEqual({ state: 'done', attempts: 2, effects: 1 });
    } finally {
      await cleanup();
    }
  });
});
