// A transaction whose PostgreSQL backend is terminated under it (as a failover, a restart or
// `idle_in_transaction_session_timeout` would): the request gets a 503 with Retry-After and
// nothing of its change is kept; a job it interrupts is retried without spending an attempt.
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { createServer } from '../../src/platform/http/server.ts';
import { enqueueJob } from '../../src/platform/jobs/enqueue.ts';
import type { JobHandler } from '../../src/platform/jobs/jobs.ts';
import { publishLive, type LiveMessage } from '../../src/platform/realtime/live.ts';

describe.runIf(ENGINE === 'postgres')('a transaction whose connection is lost', () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-11-22T10:00:00Z'));
  let interruptionsLeft = 0;
  const completed: string[] = [];
  /** Terminates its own backend while it holds a transaction, the first `interruptionsLeft` times. */
  const interrupted: JobHandler = async ({ job, inForce }) => {
    await inForce(async (tx) => {
      await tx.updateTable('jobs').set({ last_error: 'written by the interrupted run' }).where('id', '=', job.id).execute();
      if (interruptionsLeft > 0) {
        interruptionsLeft -= 1;
        // The job runs as the application role, which may not terminate anything: a superuser
        // connection terminates this transaction's backend, as an operator or a failover would.
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        await terminate(rows[0]?.pid ?? 0);
        await sql`select 1`.execute(tx);
      }
    });
    completed.push(job.id);
  };

  async function terminate(pid: number): Promise<void> {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, jobRetryBaseMs: 1000, jobHandlers: new Map([['test.interrupted', interrupted]]) } });
  });
  afterAll(() => app.close());

  it('answers-503-with-retry-after-and-keeps-none-of-the-change', async () => {
    const server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: false, cookieSecret: 'c'.repeat(32) });
    server.post('/api/test/terminated', async () =>
      withSystem(app.database.db, async (tx) => {
        await sql`create table if not exists resil_marker (id int)`.execute(tx);
        await sql`insert into resil_marker values (1)`.execute(tx);
        await sql`select pg_terminate_backend(pg_backend_pid())`.execute(tx);
        return { ok: true };
      }),
    );
    await server.ready();
    try {
      const response = await server.inject({ method: 'POST', url: '/api/test/terminated' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({ error: { code: 'unavailable', message: 'The service is briefly unavailable. Please try again in a few moments.' } });
      // Rolled back with the backend: not even the table exists. And the next query works.
      const marker = await withSystem(app.database.db, (tx) => sql<{ name: string | null }>`select to_regclass('resil_marker')::text as name`.execute(tx));
      expect(marker.rows[0]?.name).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('tells-local-subscribers-to-catch-up-when-a-notifying-transaction-loses-its-connection', async () => {
    // Lost under COMMIT, a transaction may or may not have committed; its NOTIFY, marked as this
    // process's, would be dropped here, so the consoles of this process refetch instead.
    const heard: LiveMessage[] = [];
    const unsubscribe = app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    try {
      await expect(
        withSystem(app.database.db, async (tx) => {
          await publishLive(tx, app.demoForceId, { type: 'routing.changed' });
          await sql`select pg_terminate_backend(pg_backend_pid())`.execute(tx);
        }),
      ).rejects.toThrow(/connection/i);
      expect(heard).toEqual([{ type: 'resync' }]);
    } finally {
      unsubscribe();
    }
  });

  it('retries-an-interrupted-job-without-spending-its-attempt', async () => {
    interruptionsLeft = 1;
    await withForce(app.database.db, app.demoForceId, (tx) =>
      enqueueJob(tx, app.demoForceId, clock, { type: 'test.interrupted', payload: {}, idempotencyKey: 'interrupted', maxAttempts: 1 }),
    );
    const state = () =>
      withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('jobs').select(['id', 'state', 'attempts', 'last_error']).where('idempotency_key', '=', 'interrupted').executeTakeFirstOrThrow(),
      );
    await app.runner?.runDue();
    // One attempt allowed, and it was interrupted: still pending, the attempt not counted.
    const afterInterruption = await state();
    expect(afterInterruption, String(afterInterruption.last_error)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(afterInterruption.last_error).toMatch(/connection/i);
    expect(completed).toEqual([]);

    clock.advance(1000);
    await app.runner?.runDue();
    expect(await state()).toMatchObject({ state: 'done', attempts: 1, last_error: null });
    expect(completed).toEqual([afterInterruption.id]);
  });
});
