import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { enqueueJob } from '../../src/platform/jobs/enqueue.ts';
import { JobRunner, payloadText, retryDelayMs, type BatchJobHandler, type JobHandler, type OutboundBatchJobHandler } from '../../src/platform/jobs/jobs.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { ForceId, JobId } from '../../src/platform/ids.ts';
import { CHANNEL_SEND_JOB } from '../../src/capabilities/channels/channel.events.ts';
import { connectNotify, createForceWithCase, notifyFixture, outboxRow, queueWithDelivery } from '../outbox/outbox-kit.ts';

// How the job runner runs many jobs at a time (decisions 0040 and 0043): a slow job holds one slot,
// not the round; an outbound batch's failures are each its own job's; and outbox messages are
// delivered many to a run with each provider failure retried alone and nothing sent twice.

const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));
const silent = pino({ level: 'silent' });

describe('running jobs in batches', () => {
  let app: TestApp;
  // The app's own runner sends channel messages through this (a provider that may be slow), and runs a local job of the test's.
  let sendHandler: JobHandler = async () => {};
  const localRan: string[] = [];
  beforeAll(async () => {
    app = await createTestApp({
      env: { WORKER_OUTBOUND_CONCURRENCY: '2' },
      overrides: {
        clock,
        jobRetryBaseMs: 1000,
        jobHandlers: new Map<string, JobHandler>([
          [CHANNEL_SEND_JOB, (context) => sendHandler(context)],
          ['test.local', async ({ job }) => void localRan.push(payloadText(job, 'key'))],
        ]),
      },
    });
  });
  afterAll(() => app.close());

  const enqueue = (type: string, key: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => enqueueJob(tx, app.demoForceId, clock, { type, payload: { key }, idempotencyKey: `${type}:${key}` }));
  const jobsOf = (type: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('jobs').select(['id', 'state', 'attempts', 'last_error', 'run_at', 'payload']).where('type', '=', type).orderBy('idempotency_key').execute(),
    );

  it('runs quick batches while a slow job still holds its slot', async () => {
    let releaseSlow = () => {};
    let slowHandler: JobHandler = async () => {};
    const slowStarted = new Promise<void>((started) => {
      const slow: JobHandler = () => {
        started();
        return new Promise<void>((resolve) => (releaseSlow = resolve));
      };
      slowHandler = slow;
    });
    let batchesDone = 0;
    const quick: BatchJobHandler = {
      maxBatch: 2,
      run: async ({ jobs }) => {
        batchesDone += jobs.length;
      },
    };
    const runner = new JobRunner({
      db: app.database.db,
      clock,
      logger: silent,
      handlers: new Map([['test.slow', (context) => slowHandler(context)]]),
      batchHandlers: new Map([['test.quick', quick]]),
      concurrency: 2,
    });
    await enqueue('test.slow', 'one');
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) await enqueue('test.quick', key);

    const running = runner.runDue();
    await slowStarted;
    // Every quick job ran, in batches, and is marked done, while the slow one is still running.
    await expect.poll(() => batchesDone, { timeout: 10_000 }).toBe(6);
    await expect.poll(async () => (await jobsOf('test.quick')).map((job) => job.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    expect((await jobsOf('test.slow')).map((job) => job.state)).toEqual(['running']);
    releaseSlow();
    expect(await running).toBe(7);
    expect((await jobsOf('test.slow')).map((job) => job.state)).toEqual(['done']);
  });

  it('runs database-only jobs while every outbound slot waits on a slow provider', async () => {
    let started = 0;
    let releaseSends = () => {};
    const sendsMayFinish = new Promise<void>((resolve) => (releaseSends = resolve));
    sendHandler = async () => {
      started += 1;
      await sendsMayFinish;
    };
    const runner = app.runner;
    if (!runner) throw new Error('the test app has no job runner');
    for (const key of ['one', 'two', 'three']) await enqueue(CHANNEL_SEND_JOB, key);
    runner.wake();
    // WORKER_OUTBOUND_CONCURRENCY=2: two sends hang in their lane, the third waits its turn there.
    await expect.poll(() => started).toBe(2);

    // A job enqueued now (an acknowledgement, a clock check) runs at once, in the other lane.
    await enqueue('test.local', 'during');
    runner.wake();
    await expect.poll(async () => (await jobsOf('test.local')).map((job) => job.state)).toEqual(['done']);
    expect(localRan).toEqual(['during']);
    expect(started).toBe(2);

    releaseSends();
    await expect.poll(async () => (await jobsOf(CHANNEL_SEND_JOB)).map((job) => job.state)).toEqual(['done', 'done', 'done']);
    expect(started).toBe(3);
    await runner.stop();
  });

  it('runs, in one runDue, the jobs one lane’s work creates in the other', async () => {
    const ran: string[] = [];
    const handlers = new Map<string, JobHandler>([
      [
        'test.decide',
        async ({ inForce }) => {
          ran.push('decide');
          await inForce((tx) => enqueueJob(tx, app.demoForceId, clock, { type: 'test.call', payload: {}, idempotencyKey: 'call' }));
        },
      ],
      [
        'test.call',
        async ({ inForce }) => {
          ran.push('call');
          await inForce((tx) => enqueueJob(tx, app.demoForceId, clock, { type: 'test.record', payload: {}, idempotencyKey: 'record' }));
        },
      ],
      ['test.record', async () => void ran.push('record')],
    ]);
    const runner = new JobRunner({ db: app.database.db, clock, logger: silent, handlers, outboundTypes: new Set(['test.call']) });
    await enqueue('test.decide', 'first');

    expect(await runner.runDue()).toBe(3);
    expect(ran).toEqual(['decide', 'call', 'record']);
  });

  it('runs what a job created while the runner was looking for more, instead of stopping without it', async () => {
    // The race: the runner looks for due jobs while one still runs; that job commits a follow-up
    // after the look's snapshot and finishes before the look answers "nothing".
    const ran: string[] = [];
    let letFirstCommit = () => {};
    const firstMayCommit = new Promise<void>((resolve) => (letFirstCommit = resolve));
    const handlers = new Map<string, JobHandler>([
      [
        'test.first',
        async ({ inForce }) => {
          ran.push('first');
          await firstMayCommit;
          await inForce((tx) => enqueueJob(tx, app.demoForceId, clock, { type: 'test.second', payload: {}, idempotencyKey: 'second' }));
        },
      ],
      ['test.second', async () => void ran.push('second')],
    ]);
    let looks = 0;
    class LookingRunner extends JobRunner {
      protected override async claim(...args: Parameters<JobRunner['claim']>) {
        const found = await super.claim(...args);
        looks += 1;
        if (looks === 2) {
          letFirstCommit();
          await expect.poll(async () => (await jobsOf('test.first')).map((job) => job.state)).toEqual(['done']);
          await new Promise((resolve) => setImmediate(resolve));
        }
        return found;
      }
    }
    const runner = new LookingRunner({ db: app.database.db, clock, logger: silent, handlers });
    await enqueue('test.first', 'one');

    expect(await runner.runDue()).toBe(2);
    expect(ran).toEqual(['first', 'second']);
    expect((await jobsOf('test.second')).map((job) => job.state)).toEqual(['done']);
  });

  it('runs the batch jobs in hand when looking for more of their kind fails, instead of leaving them claimed', async () => {
    const ran: string[] = [];
    const batch: BatchJobHandler = { maxBatch: 10, run: async ({ jobs }) => void ran.push(...jobs.map((job) => payloadText(job, 'key'))) };
    class LosingRunner extends JobRunner {
      protected override async claim(...args: Parameters<JobRunner['claim']>) {
        // The look for more of one kind meets a lost connection.
        if ('type' in args[1]) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
        return super.claim(...args);
      }
    }
    const runner = new LosingRunner({ db: app.database.db, clock, logger: silent, handlers: new Map(), batchHandlers: new Map([['test.gathered', batch]]) });
    await enqueue('test.gathered', 'only');

    expect(await runner.runDue()).toBe(1);
    expect(ran).toEqual(['only']);
    expect((await jobsOf('test.gathered')).map((job) => [job.state, job.attempts])).toEqual([['done', 1]]);
  });

  it('marks an outbound batch’s jobs done but for those it returns as failed, which retry alone', async () => {
    const seen: string[][] = [];
    const outbound: OutboundBatchJobHandler = {
      kind: 'outbound',
      maxBatch: 10,
      run: async ({ jobs }) => {
        seen.push(jobs.map((job) => (typeof job.payload.key === 'string' ? job.payload.key : '')));
        return new Map<JobId, unknown>(jobs.filter((job) => job.payload.key === 'refused').map((job) => [job.id, new Error('provider said no')]));
      },
    };
    const runner = new JobRunner({ db: app.database.db, clock, logger: silent, handlers: new Map(), batchHandlers: new Map([['test.outbound', outbound]]), retryBaseMs: 1000 });
    for (const key of ['first', 'refused', 'third']) await enqueue('test.outbound', key);

    expect(await runner.runDue()).toBe(3);
    expect(seen.map((keys) => [...keys].sort())).toEqual([['first', 'refused', 'third']]);
    const jobs = await jobsOf('test.outbound');
    expect(jobs.map((job) => [job.payload.key, job.state, job.attempts, job.last_error])).toEqual([
      ['first', 'done', 1, null],
      ['refused', 'pending', 1, 'provider said no'],
      ['third', 'done', 1, null],
    ]);
    expect(jobs[1]?.run_at.getTime()).toBe(clock.now().getTime() + retryDelayMs(1, 1000));

    // When it falls due, the refused job runs again by itself.
    clock.advance(retryDelayMs(1, 1000));
    expect(await runner.runDue()).toBe(1);
    expect(seen.at(-1)).toEqual(['refused']);
  });

  it('counts an attempt against every job of an outbound batch that throws', async () => {
    const outbound: OutboundBatchJobHandler = {
      kind: 'outbound',
      maxBatch: 10,
      run: async () => {
        throw new Error('could not read the messages');
      },
    };
    const runner = new JobRunner({ db: app.database.db, clock, logger: silent, handlers: new Map(), batchHandlers: new Map([['test.throws', outbound]]) });
    for (const key of ['x', 'y']) await enqueue('test.throws', key);
    await runner.runDue();
    expect((await jobsOf('test.throws')).map((job) => [job.state, job.attempts, job.last_error])).toEqual([
      ['pending', 1, 'could not read the messages'],
      ['pending', 1, 'could not read the messages'],
    ]);
  });
});

describe('delivering outbox messages many to a run', () => {
  let app: TestApp;
  let notify: Server;
  const requests: { phone: string; reference: string }[] = [];
  /** Phone numbers Notify fails with a 500 for now. */
  const failing = new Set<string>();
  let forceId: ForceId;
  let caseId: string;

  beforeAll(async () => {
    // Notify's SMS endpoint as its API documents it: a 201 with the notification, or an error body.
    notify = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { phone_number: string; reference: string };
        requests.push({ phone: body.phone_number, reference: body.reference });
        if (failing.has(body.phone_number)) {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ error: 'Exception', message: 'Internal server error' }], status_code: 500 }));
          return;
        }
        const id = `9d0a1c2e-0000-4000-8000-${String(requests.length).padStart(12, '0')}`;
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ...notifyFixture('notification-created.json'), id }));
      });
    });
    await new Promise<void>((resolve) => notify.listen(0, '127.0.0.1', resolve));
    app = await createTestApp({ overrides: { clock, jobRetryBaseMs: 1000 } });
    ({ forceId, caseId } = await createForceWithCase(app));
    await connectNotify(app, forceId, `http://127.0.0.1:${(notify.address() as AddressInfo).port}`, 'batch-callback-token');
    await app.runner?.runDue();
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => notify.close(() => resolve()));
  });

  it('sends every due message, retries only the one Notify failed, and never sends one twice', async () => {
    requests.length = 0;
    failing.add('+447700900999');
    const phones = ['+447700900101', '+447700900999', '+447700900103', '+447700900104'];
    const ids: string[] = [];
    for (const phone of phones) ids.push(await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient: phone, subject: '', body: 'Your case has an update.' }], { caseId }));

    await app.runner?.runDue();
    expect(requests.map((request) => request.phone).sort()).toEqual([...phones].sort());
    const rows = await Promise.all(ids.map((id) => outboxRow(app, forceId, id)));
    expect(rows.map((row) => row.status)).toEqual(['sent', 'pending', 'sent', 'sent']);
    expect(rows[1]?.last_error).toContain('Notify answered 500');
    const jobs = await withForce(app.database.db, forceId, (tx) =>
      tx.selectFrom('jobs').select(['payload', 'state', 'attempts']).where('type', '=', 'outbox.deliver').execute(),
    );
    const jobOf = (id: string | undefined) => jobs.find((job) => job.payload.outboxId === id);
    expect(jobOf(ids[1])).toMatchObject({ state: 'pending', attempts: 1 });
    expect([ids[0], ids[2], ids[3]].map((id) => jobOf(id)?.state)).toEqual(['done', 'done', 'done']);

    // Notify recovers: the failed message is sent at its retry, and only it.
    failing.clear();
    requests.length = 0;
    clock.advance(retryDelayMs(1, 1000));
    await app.runner?.runDue();
    expect(requests).toEqual([{ phone: '+447700900999', reference: ids[1] }]);
    expect((await outboxRow(app, forceId, ids[1] ?? '')).status).toBe('sent');
  });
});
