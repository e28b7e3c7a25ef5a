import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { fixedClock } from '../../platform/clock.ts';
import { withForce, withSystem } from '../../platform/db/database.ts';
import { verifyChain } from '../../platform/events/event-log.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { PublicReport } from './intake.schema.ts';
import { processReceivedReports, ReportIntake, retryDelayAfter, type GatherWait } from './received-reports.service.ts';

function report(tag: string, overrides: Partial<PublicReport> = {}): PublicReport {
  return {
    submissionId: newId(),
    whatHappened: `Report ${tag}: someone keeps trying car door handles on our street.`,
    where: 'Acacia Avenue',
    when: 'tonight',
    name: 'Two Phase',
    email: `two-phase-${tag}@example.org`,
    ...overrides,
  };
}

async function contactsOf(app: TestApp, forceId: ForceId, submissionIds: readonly string[]) {
  return withForce(app.database.db, forceId, (tx) =>
    tx
      .selectFrom('messages as m')
      .innerJoin('contacts as c', 'c.id', 'm.contact_id')
      .select(['m.provider_message_id', 'c.id', 'c.reference', 'c.received_at', 'c.queue_id'])
      .where('m.force_id', '=', forceId)
      .where('m.provider_message_id', 'in', [...submissionIds])
      .execute(),
  );
}

async function receivedCount(app: TestApp, forceId: ForceId): Promise<number> {
  const rows = await withForce(app.database.db, forceId, (tx) => tx.selectFrom('received_reports').select('id').where('force_id', '=', forceId).execute());
  return rows.length;
}

describe('two-phase intake of portal reports', () => {
  let app: TestApp;
  const start = new Date('2026-12-02T09:00:00Z');
  const clock = fixedClock(start);

  beforeAll(async () => {
    // Processing is left to each test, so that what was received and not yet processed can be seen.
    app = await createTestApp({ overrides: { clock, processReports: false } });
  });
  afterAll(() => app.close());

  it('counts-the-clock-and-the-events-from-receipt-not-from-processing', async () => {
    clock.set(start);
    const posted = report('clock');
    const accepted = await app.reports.accept(app.demoForceId, posted);
    expect(accepted.reference).toMatch(/^DEMO-\d{4}-\d{6}$/);
    expect(await contactsOf(app, app.demoForceId, [posted.submissionId])).toHaveLength(0);

    clock.advance(10 * 60 * 1000);
    await processReceivedReports(app.deps, app.demoForceId);
    const [contact] = await contactsOf(app, app.demoForceId, [posted.submissionId]);
    expect(contact).toMatchObject({ id: accepted.contactId, reference: accepted.reference });
    expect(contact?.received_at.toISOString()).toBe(start.toISOString());
    const { clocks, events } = await withForce(app.database.db, app.demoForceId, async (tx) => ({
      clocks: await tx.selectFrom('sla_clocks').select(['kind', 'started_at']).where('contact_id', '=', accepted.contactId).execute(),
      events: await tx.selectFrom('events').select(['type', 'occurred_at']).where('subject_id', '=', accepted.contactId).execute(),
    }));
    expect(clocks.map((c) => c.kind).sort()).toEqual(['first_response', 'resolution']);
    for (const c of clocks) expect(c.started_at.toISOString()).toBe(start.toISOString());
    expect(events.map((e) => e.type)).toEqual(['contact.received', 'contact.triaged', 'contact.routed']);
    for (const e of events) expect(e.occurred_at.toISOString()).toBe(start.toISOString());
    const chain = await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId));
    expect(chain.ok).toBe(true);
  });

  it('fails-only-the-bad-report-of-a-batch-and-keeps-it-received', async () => {
    const good = [report('g1'), report('g2'), report('g3')];
    const accepted = await Promise.all(good.map((r) => app.reports.accept(app.demoForceId, r)));
    // A row the processor cannot read, between the good ones (as a bug or a hand edit could leave).
    const badId = newId();
    await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .insertInto('received_reports')
        .values({
          id: badId,
          force_id: app.demoForceId,
          submission_id: newId(),
          reference: 'DEMO-2026-999999',
          payload: JSON.stringify({ whatHappened: 42 }),
          received_at: clock.now(),
        })
        .execute(),
    );
    await processReceivedReports(app.deps, app.demoForceId);

    const stored = await contactsOf(app, app.demoForceId, good.map((r) => r.submissionId));
    expect(stored.map((c) => c.reference).sort()).toEqual(accepted.map((a) => a.reference).sort());
    const left = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('received_reports').select(['id', 'attempts', 'last_error']).execute());
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ id: badId, attempts: 1 });
    expect(left[0]?.last_error).toBeTruthy();
    await withForce(app.database.db, app.demoForceId, (tx) => tx.deleteFrom('received_reports').where('id', '=', badId).execute());
  });

  it('tries-a-failing-report-again-after-a-growing-wait-for-as-long-as-it-takes-and-stores-it-once-mended', async () => {
    const posted = report('mended');
    const accepted = await app.reports.accept(app.demoForceId, posted);
    const row = () =>
      withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('received_reports').select(['attempts', 'next_attempt_at', 'last_error']).where('id', '=', accepted.contactId).executeTakeFirst(),
      );
    // Broken as a bug or a hand edit could leave it: the processor cannot read it.
    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('received_reports').select('payload').where('id', '=', accepted.contactId).executeTakeFirstOrThrow(),
    );
    const setPayload = (payload: unknown) =>
      withForce(app.database.db, app.demoForceId, (tx) =>
        tx.updateTable('received_reports').set({ payload: JSON.stringify(payload) }).where('id', '=', accepted.contactId).execute(),
      );
    await setPayload({ ...stored.payload, whatHappened: 42 });

    // Far more failures than the five after which it used to be given up on for good.
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      await processReceivedReports(app.deps, app.demoForceId);
      const failed = await row();
      expect(failed?.attempts).toBe(attempt);
      expect(failed?.last_error).toBeTruthy();
      expect(failed?.next_attempt_at?.getTime()).toBe(clock.now().getTime() + retryDelayAfter(attempt));
      // Not again before its wait is over.
      clock.advance(retryDelayAfter(attempt) - 1);
      expect(await processReceivedReports(app.deps, app.demoForceId)).toBe(0);
      clock.advance(1);
    }
    expect(retryDelayAfter(8)).toBe(15 * 60_000);

    await setPayload(stored.payload);
    await processReceivedReports(app.deps, app.demoForceId);
    expect(await row()).toBeUndefined();
    const [contact] = await contactsOf(app, app.demoForceId, [posted.submissionId]);
    expect(contact).toMatchObject({ id: accepted.contactId, reference: accepted.reference });
  });

  it('counts-no-attempt-while-the-database-is-too-busy-and-processes-the-reports-once-it-is-not', async () => {
    const posted = [report('busy1'), report('busy2')];
    for (const r of posted) await app.reports.accept(app.demoForceId, r);
    // What a statement timeout (or a lock not granted in time) answers, on either engine.
    await sql`create function test_busy() returns trigger language plpgsql as $$
      begin raise exception 'canceling statement due to statement timeout' using errcode = 'query_canceled'; end $$`.execute(app.database.db);
    await sql`create trigger test_busy before insert on contacts for each row execute function test_busy()`.execute(app.database.db);
    try {
      for (let round = 0; round < 7; round += 1) await expect(processReceivedReports(app.deps, app.demoForceId)).rejects.toThrow(/statement timeout/);
      const waiting = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('received_reports').select(['attempts', 'next_attempt_at']).execute());
      expect(waiting).toEqual(posted.map(() => ({ attempts: 0, next_attempt_at: null })));
    } finally {
      await sql`drop trigger test_busy on contacts`.execute(app.database.db);
      await sql`drop function test_busy()`.execute(app.database.db);
    }
    await processReceivedReports(app.deps, app.demoForceId);
    expect(await contactsOf(app, app.demoForceId, posted.map((r) => r.submissionId))).toHaveLength(2);
    expect(await receivedCount(app, app.demoForceId)).toBe(0);
  });

  it('processes-each-received-report-exactly-once-with-two-processors', async () => {
    const reports = Array.from({ length: 30 }, (_, i) => report(`dup${i}`));
    // Each fifth is posted twice at once (a double click): one row, one reference.
    const results = await Promise.all([...reports, ...reports.filter((_, i) => i % 5 === 0)].map((r) => app.reports.accept(app.demoForceId, r)));
    expect(new Set(results.map((r) => r.reference)).size).toBe(reports.length);
    expect(await receivedCount(app, app.demoForceId)).toBe(reports.length);

    // Two processors (two nodes on PostgreSQL) in small batches at the same time.
    const drain = async () => {
      while ((await processReceivedReports(app.deps, app.demoForceId, 4)) > 0);
    };
    await Promise.all([drain(), drain()]);
    const stored = await contactsOf(app, app.demoForceId, reports.map((r) => r.submissionId));
    expect(stored).toHaveLength(reports.length);
    expect(new Set(stored.map((c) => c.provider_message_id)).size).toBe(reports.length);
    expect(await receivedCount(app, app.demoForceId)).toBe(0);

    // A retry after processing finds the stored report: same reference, nothing new.
    const again = await app.reports.accept(app.demoForceId, reports[0] as PublicReport);
    expect(again).toMatchObject({ isDuplicate: true, reference: results[0]?.reference });
    expect(await receivedCount(app, app.demoForceId)).toBe(0);
  });

  it('tells-the-reporter-a-report-not-yet-processed-was-received', async () => {
    const accepted = await app.reports.accept(app.demoForceId, report('check'));
    const form = await app.inject({ method: 'GET', url: '/check' });
    const csrfCookie = form.cookies.find((c) => c.name === 'bl_csrf');
    const token = /name="csrfToken" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const answer = await app.inject({
      method: 'POST',
      url: '/check',
      headers: { cookie: `bl_csrf=${csrfCookie?.value ?? ''}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrfToken: token, reference: accepted.reference.toLowerCase() }).toString(),
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('data-testid="received"');
    expect(answer.body).toContain(`We have received report ${accepted.reference}.`);

    // Once processed, the same request sends a code as for any report.
    await processReceivedReports(app.deps, app.demoForceId);
    const again = await app.inject({
      method: 'POST',
      url: '/check',
      headers: { cookie: `bl_csrf=${csrfCookie?.value ?? ''}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrfToken: token, reference: accepted.reference }).toString(),
    });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/check/code');
    const mail = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('id').where('contact_id', '=', accepted.contactId).where('purpose', '=', 'portal.access_code').execute(),
    );
    expect(mail).toHaveLength(1);
  });

  it('gathers-reports-arriving-back-to-back-into-one-round-and-never-holds-a-first-one', async () => {
    // A window far longer than the test, with a wait the test ends: no real time passes.
    const waits: number[] = [];
    let endWait = () => {};
    const gatherWait: GatherWait = (ms, signal) =>
      new Promise((resolve) => {
        waits.push(ms);
        endWait = () => resolve();
        signal.addEventListener('abort', () => resolve());
      });
    const intake = new ReportIntake({ ...app.deps, gatherMs: 60_000, gatherWait });
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setImmediate(resolve));
    };
    const xminOf = async (contactIds: readonly string[]) =>
      withForce(app.database.db, app.demoForceId, (tx) =>
        sql<{ xmin: string }>`select xmin::text as xmin from contacts where id = any(${[...contactIds]}::uuid[])`.execute(tx),
      ).then((result) => result.rows);

    // After a quiet spell the first report is processed at once.
    const first = await intake.accept(app.demoForceId, report('first'));
    await intake.settled();
    expect(waits).toEqual([]);
    expect(await receivedCount(app, app.demoForceId)).toBe(0);
    expect(await xminOf([first.contactId])).toHaveLength(1);

    // Within the window of that round, the next ones wait for it to end, together.
    const second = await intake.accept(app.demoForceId, report('second'));
    await until(() => waits.length === 1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(60_000);
    const third = await intake.accept(app.demoForceId, report('third'));
    expect(await receivedCount(app, app.demoForceId)).toBe(2);
    endWait();
    // A wake while that round is being written (as an accept committing then would give) waits for
    // the next window rather than starting another round straight after.
    setImmediate(() => intake.wake(app.demoForceId));
    await until(() => waits.length === 2);
    expect(await receivedCount(app, app.demoForceId)).toBe(0);
    const rows = await xminOf([second.contactId, third.contactId]);
    expect(rows).toHaveLength(2);
    // Written by one transaction: gathered into one round.
    expect(new Set(rows.map((row) => row.xmin)).size).toBe(1);
    endWait();
    await intake.settled();

    // Stopping does not wait for the window; what was waiting stays received, never lost.
    const fourth = await intake.accept(app.demoForceId, report('fourth'));
    await until(() => waits.length === 3);
    await intake.stop();
    expect(await receivedCount(app, app.demoForceId)).toBe(1);
    await processReceivedReports(app.deps, app.demoForceId);
    expect(await xminOf([fourth.contactId])).toHaveLength(1);
  });

  it('tells-the-admission-gate-how-long-accepted-reports-have-waited-to-be-processed', async () => {
    let endWait = () => {};
    let isWaiting = false;
    const gatherWait: GatherWait = (_ms, signal) =>
      new Promise((resolve) => {
        isWaiting = true;
        endWait = () => ((isWaiting = false), resolve());
        signal.addEventListener('abort', () => resolve());
      });
    const intake = new ReportIntake({ ...app.deps, gatherMs: 60_000, gatherWait });
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setImmediate(resolve));
    };
    expect(intake.lagMs()).toBe(0);
    await intake.accept(app.demoForceId, report('lag-first'));
    await intake.settled();
    expect(intake.lagMs()).toBe(0);

    // The next one waits for the window: it counts from when it was accepted.
    const second = report('lag-second');
    await intake.accept(app.demoForceId, second);
    const acceptedBy = performance.now();
    await until(() => isWaiting);
    expect(intake.lagMs(acceptedBy + 5_000)).toBeGreaterThanOrEqual(5_000);
    // A retry of the same submission is no new work.
    await intake.accept(app.demoForceId, second);
    endWait();
    await intake.settled();
    expect(intake.lagMs()).toBe(0);

    // A report another node processes first does not count as waiting here for ever: the next
    // round finds nothing older than itself left, and forgets it.
    await intake.accept(app.demoForceId, report('lag-elsewhere'));
    await until(() => isWaiting);
    expect(await processReceivedReports(app.deps, app.demoForceId)).toBe(1);
    expect(intake.lagMs()).toBeGreaterThanOrEqual(0);
    expect(intake.lagMs(performance.now() + 1_000)).toBeGreaterThanOrEqual(1_000);
    endWait();
    await intake.settled();
    expect(intake.lagMs()).toBe(0);
    await intake.stop();

    // A process that leaves processing to another node cannot tell.
    const acceptOnly = new ReportIntake({ ...app.deps, isProcessing: false });
    await acceptOnly.accept(app.demoForceId, report('lag-unknown'));
    expect(acceptOnly.lagMs()).toBeNull();
    await processReceivedReports(app.deps, app.demoForceId);
  });

  it('keeps-reports-accepted-while-stopped-received-and-processes-them-once-resumed-with-gathering-working-again', async () => {
    const waits: boolean[] = [];
    const gatherWait: GatherWait = (_ms, signal) =>
      new Promise((resolve) => {
        waits.push(signal.aborted);
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve());
      });
    const intake = new ReportIntake({ ...app.deps, gatherMs: 60_000, gatherWait });
    await intake.stop();
    const held = [report('resume-1'), report('resume-2'), report('resume-3')];
    for (const posted of held) await intake.accept(app.demoForceId, posted);
    await intake.settled();
    expect(await receivedCount(app, app.demoForceId)).toBe(3);
    expect(await contactsOf(app, app.demoForceId, held.map((posted) => posted.submissionId))).toHaveLength(0);

    intake.resume(app.demoForceId);
    await intake.settled();
    expect(await receivedCount(app, app.demoForceId)).toBe(0);
    expect(await contactsOf(app, app.demoForceId, held.map((posted) => posted.submissionId))).toHaveLength(3);

    // The gathering window works again after a resume: the next report waits for it (the stop's
    // abort does not carry over), and stopping again ends the wait with the report kept received.
    await intake.accept(app.demoForceId, report('resume-after'));
    while (waits.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(waits).toEqual([false]);
    expect(await receivedCount(app, app.demoForceId)).toBe(1);
    await intake.stop();
    expect(await receivedCount(app, app.demoForceId)).toBe(1);
    await processReceivedReports(app.deps, app.demoForceId);
  });
});
