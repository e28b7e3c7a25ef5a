import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { enqueueJobs } from '../../src/platform/jobs/enqueue.ts';
import type { JobHandler } from '../../src/platform/jobs/jobs.ts';
import { HOUSEKEEPING_JOB, runHousekeeping } from '../../src/platform/jobs/housekeeping.ts';
import { enqueueRecurringJobs, startRecurringJobs } from '../../src/platform/jobs/recurring.ts';
import { CHAT_SESSION_IDLE_DAYS } from '../../src/platform/jobs/upkeep.ts';
import { SESSION_IDLE_MS } from '../../src/capabilities/channels/chat/chat.service.ts';
import { newId } from '../../src/platform/ids.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('housekeeping', () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-01-05T09:00:00Z'));
  const handlers = new Map<string, JobHandler>([
    ['test.ok', async () => {}],
    [
      'test.fail',
      async () => {
        throw new Error('always fails');
      },
    ],
  ]);

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, jobHandlers: handlers } });
  });
  afterAll(() => app.close());

  let serial = 0;
  const enqueue = (type: string, count: number, options: { runAt?: Date } = {}) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      enqueueJobs(
        tx,
        app.demoForceId,
        clock,
        Array.from({ length: count }, (_, i) => ({
          type,
          payload: {},
          idempotencyKey: `${type}:${(serial += 1)}:${i}`,
          maxAttempts: 1,
          ...options,
        })),
      ),
    );
  const countJobs = async (type: string) =>
    (await withSystem(app.database.db, (tx) => tx.selectFrom('jobs').select('state').where('type', '=', type).execute())).map((row) => row.state).sort();
  const countRows = async (table: 'staff_sessions' | 'events') =>
    Number(
      (await withSystem(app.database.db, (tx) => tx.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow())).n,
    );
  const runHousekeepingJob = async () => {
    await enqueueRecurringJobs(app.database.db, clock, { type: HOUSEKEEPING_JOB, intervalMs: 3_600_000 });
    await app.runner?.runDue();
  };

  it('deletes-finished-jobs-and-expired-sessions-after-their-retention-and-never-events', async () => {
    await enqueue('test.ok', 5);
    await enqueue('test.fail', 1);
    await enqueue('test.ok', 1, { runAt: new Date(clock.now().getTime() + 365 * DAY) });
    await app.runner?.runDue();
    expect(await countJobs('test.ok')).toEqual(['done', 'done', 'done', 'done', 'done', 'pending']);
    expect(await countJobs('test.fail')).toEqual(['dead']);
    await signIn(app, 'admin@demo.police.uk');

    // Six days on: within the seven-day retention of done jobs; the shift's session has expired.
    clock.advance(6 * DAY);
    const fresh = await signIn(app, 'supervisor@demo.police.uk');
    const sessionsBefore = await countRows('staff_sessions');
    await runHousekeepingJob();
    expect(await countJobs('test.ok')).toEqual(['done', 'done', 'done', 'done', 'done', 'pending']);
    expect(await countRows('staff_sessions')).toBe(sessionsBefore - 1);
    const stillSignedIn = await app.inject({ method: 'GET', url: '/api/auth/me', headers: fresh.headers });
    expect(stillSignedIn.statusCode).toBe(200);

    // Eight days on: done jobs go, dead ones wait for an admin (90 days), pending ones are untouched.
    clock.advance(2 * DAY);
    const eventsBefore = await countRows('events');
    await runHousekeepingJob();
    expect(await countJobs('test.ok')).toEqual(['pending']);
    expect(await countJobs('test.fail')).toEqual(['dead']);
    expect(await countRows('events')).toBe(eventsBefore);
    expect(await app.metrics.registry.getSingleMetricAsString('bluelamp_housekeeping_deleted_total')).toMatch(/what="jobs_done"} [1-9]/);

    clock.advance(90 * DAY);
    await runHousekeepingJob();
    expect(await countJobs('test.fail')).toEqual([]);
    expect(await countRows('events')).toBe(eventsBefore);
  });

  it('deletes-in-bounded-batches-and-leaves-the-rest-for-the-next-run', async () => {
    await enqueue('test.ok', 5);
    await app.runner?.runDue();
    clock.advance(8 * DAY);
    const policy = { jobsDoneDays: 7, jobsDeadDays: 90, inboundRequestsDays: 30, chatSessionIdleDays: 30, positionHistoryDefaultDays: 7, deliveryBacklogDays: 30 };
    const done = async () =>
      Number(
        (
          await withSystem(app.database.db, (tx) =>
            tx.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'done').executeTakeFirstOrThrow(),
          )
        ).n,
      );
    const before = await done();
    expect(before).toBeGreaterThanOrEqual(5);
    const first = await runHousekeeping(app.database.db, clock, app.demoForceId, policy, { batchSize: 2, maxBatches: 1 });
    expect(first.jobsDone).toBe(2);
    expect(await done()).toBe(before - 2);
    const rest = await runHousekeeping(app.database.db, clock, app.demoForceId, policy, { batchSize: 2, maxBatches: 100 });
    expect(rest.jobsDone).toBe(before - 2);
    expect(await done()).toBe(0);
  });

  it('enqueues-each-recurring-job-once-per-slot-however-many-workers-tick', async () => {
    const jobs = [{ type: HOUSEKEEPING_JOB, intervalMs: 3_600_000 }];
    // Two workers start at the same moment; each ticks at once.
    const stops = [1, 2].map(() => startRecurringJobs({ db: app.database.db, clock, logger: app.deps.logger, jobs }));
    for (const stop of stops) await stop();
    const slot = Math.floor(clock.now().getTime() / 3_600_000);
    const rows = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('jobs').select('force_id').where('type', '=', HOUSEKEEPING_JOB).where('idempotency_key', '=', `${HOUSEKEEPING_JOB}:${slot}`).execute(),
    );
    expect(rows.map((row) => row.force_id)).toEqual([app.demoForceId]);
  });
  it('deletes-raw-requests-expired-report-codes-and-idle-chat-sessions-after-their-retention-keeping-the-messages', async () => {
    const db = app.database.db;
    const forceId = app.demoForceId;
    const start = clock.now().getTime();
    const at = (days: number) => new Date(start + days * DAY);
    const raw = (status: 'processed' | 'rejected', receivedAt: Date) => ({
      id: newId(),
      force_id: forceId,
      channel: 'api',
      channel_account_id: null,
      received_at: receivedAt,
      method: 'POST',
      url: '/webhooks/api',
      headers: JSON.stringify({}),
      raw_body: Buffer.from('{"text":"My neighbour is shouting"}'),
      status,
    });
    const processed = raw('processed', at(0));
    const rejected = raw('rejected', at(0));
    const recent = raw('processed', at(25));
    await submitPublicReport(app.deps, forceId, {
      submissionId: 'housekeeping-raw-link',
      whatHappened: 'My neighbour is shouting',
      where: '1 High Street, Demoton',
      when: 'Last night',
      name: 'Alex Victim',
      email: 'victim@example.org',
    });
    const { message, account, contact } = await withSystem(db, async (tx) => {
      await tx.insertInto('inbound_requests').values([processed, rejected, recent]).execute();
      const anyMessage = await tx.selectFrom('messages').select(['id', 'contact_id']).where('force_id', '=', forceId).limit(1).executeTakeFirstOrThrow();
      await tx.updateTable('messages').set({ inbound_request_id: processed.id }).where('id', '=', anyMessage.id).execute();
      const chatAccount = await tx.selectFrom('channel_accounts').select('id').where('force_id', '=', forceId).limit(1).executeTakeFirstOrThrow();
      return { message: anyMessage.id, account: chatAccount.id, contact: anyMessage.contact_id };
    });
    const codes = [at(1), at(40)].map((expiresAt) => ({
      id: newId(),
      force_id: forceId,
      contact_id: contact,
      code_hash: 'not-a-real-hash',
      expires_at: expiresAt,
      created_at: at(0),
    }));
    const chats = [at(0), at(20)].map((lastSeen) => ({
      id: newId(),
      force_id: forceId,
      channel_account_id: account,
      token_hash: 'not-a-real-hash',
      created_at: at(0),
      last_seen_at: lastSeen,
    }));
    await withSystem(db, async (tx) => {
      await tx.insertInto('portal_codes').values(codes).execute();
      await tx.insertInto('chat_sessions').values(chats).execute();
    });
    const present = async () =>
      withSystem(db, async (tx) => ({
        raw: (await tx.selectFrom('inbound_requests').select('id').where('id', 'in', [processed.id, rejected.id, recent.id]).execute()).map((r) => r.id).sort(),
        codes: (await tx.selectFrom('portal_codes').select('id').where('id', 'in', codes.map((c) => c.id)).execute()).length,
        chats: (await tx.selectFrom('chat_sessions').select('id').where('id', 'in', chats.map((c) => c.id)).execute()).length,
        link: (await tx.selectFrom('messages').select('inbound_request_id').where('id', '=', message).executeTakeFirst())?.inbound_request_id,
      }));

    const policy = { jobsDoneDays: 7, jobsDeadDays: 90, inboundRequestsDays: 30, chatSessionIdleDays: CHAT_SESSION_IDLE_DAYS, positionHistoryDefaultDays: 7, deliveryBacklogDays: 30 };
    const on = (days: number) => fixedClock(at(days));
    // Day 29: nothing is old enough yet; the first code is expired.
    await runHousekeeping(db, on(29), forceId, policy);
    expect(await present()).toEqual({ raw: [processed.id, rejected.id, recent.id].sort(), codes: 1, chats: 2, link: processed.id });
    // Day 31: the processed raw request goes and its message stays, unlinked; the rejected one waits for replay; the first chat is idle too long.
    const day31 = await runHousekeeping(db, on(31), forceId, policy);
    expect(day31).toMatchObject({ inboundRequests: 1, chatSessions: 1 });
    expect(await present()).toEqual({ raw: [rejected.id, recent.id].sort(), codes: 1, chats: 1, link: null });
    // Day 91: the rejected one has had as long as a dead job; every code has expired.
    await runHousekeeping(db, on(91), forceId, policy);
    expect(await present()).toEqual({ raw: [], codes: 0, chats: 0, link: null });
  });

  it('keeps-chat-sessions-as-long-as-the-chat-channel-lets-them-resume', () => {
    expect(CHAT_SESSION_IDLE_DAYS * DAY).toBe(SESSION_IDLE_MS);
  });

  it('deletes-delivery-reports-left-waiting-for-their-message-after-their-retention', async () => {
    const db = app.database.db;
    const forceId = app.demoForceId;
    const start = clock.now().getTime();
    const at = (days: number) => new Date(start + days * DAY);
    // Reports for provider ids no send of ours ever recorded (another system on the same account, a run that never woke).
    const waiting = (receivedAt: Date) => ({
      id: newId(),
      force_id: forceId,
      channel: 'sms_twilio',
      provider_message_id: `SMwaiting${newId().replaceAll('-', '')}`,
      status: 'delivered',
      reason: null,
      received_at: receivedAt,
      provider_at: null,
    });
    const old = waiting(at(0));
    const recent = waiting(at(20));
    await withSystem(db, (tx) => tx.insertInto('delivery_status_backlog').values([old, recent]).execute());
    const present = async () =>
      (await withSystem(db, (tx) => tx.selectFrom('delivery_status_backlog').select('id').where('id', 'in', [old.id, recent.id]).execute())).map((row) => row.id).sort();

    const policy = { jobsDoneDays: 7, jobsDeadDays: 90, inboundRequestsDays: 30, chatSessionIdleDays: CHAT_SESSION_IDLE_DAYS, positionHistoryDefaultDays: 7, deliveryBacklogDays: 14 };
    const on = (days: number) => fixedClock(at(days));
    // Day 13: neither has waited its retention.
    expect(await runHousekeeping(db, on(13), forceId, policy)).toMatchObject({ deliveryBacklog: 0 });
    expect(await present()).toEqual([old.id, recent.id].sort());
    // Day 15: the first has, and goes; the second waits on.
    expect(await runHousekeeping(db, on(15), forceId, policy)).toMatchObject({ deliveryBacklog: 1 });
    expect(await present()).toEqual([recent.id]);
    // Day 35: the second too.
    expect(await runHousekeeping(db, on(35), forceId, policy)).toMatchObject({ deliveryBacklog: 1 });
    expect(await present()).toEqual([]);
  });
});
