// An online report's step done past its clock's due time while the clock's check was behind (the
// worker down) breaches the clock as the step is done, as the check would have: one
// `online_report.clock_breached`, before the step's own event, and the queue says the target was
// missed at its due time. The check that runs later adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';

type Clock = { dueAt: string; doneAt: string | null; isPastDue: boolean; breachedAt: string | null };
type Report = { contactId: string; processed: Clock; classified: Clock };

const START = new Date('2027-06-01T09:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe(`an online report's target missed before its check ran (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let submitted = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const runJobs = async () => {
    if (!app.runner) throw new Error('no job runner');
    await app.runner.runDue();
  };
  const report = async (whatHappened: string) => {
    submitted += 1;
    const stored = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `online-late-${submitted}`,
      whatHappened,
      where: '12 High Street, Demoton',
      when: 'Last night',
      name: 'Pat Reporter',
      email: `late${submitted}@example.org`,
    });
    return stored.contactId;
  };
  // Signed in afresh for each step: sessions lapse over the day the clocks run.
  const supervisor = () => signIn(app, 'supervisor@demo.police.uk');
  const post = async (url: string, payload: object) => app.inject({ method: 'POST', url, headers: (await supervisor()).headers, payload });
  const breachesOf = async (contactId: string) =>
    (await withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', contactId).orderBy('seq').execute())).filter((e) =>
      e.type.startsWith('online_report.'),
    );

  const historyOf = async (contactId: string) => {
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: (await supervisor()).headers });
    expect(detail.statusCode, detail.body).toBe(200);
    return detail
      .json<{ timeline: { type: string; summary: string }[] }>()
      .timeline.filter((entry) => entry.type.startsWith('online_report.'))
      .map((entry) => entry.summary);
  };

  it('breaches each clock as its step is done late, before the step, at its due time; the checks that follow add nothing', async () => {
    const contactId = await report('Someone stole the bike from my front garden');
    // The draft job runs; then the worker stops, so no clock check runs.
    await runJobs();
    const processedDue = new Date(START.getTime() + HOUR).toISOString();
    const classifiedDue = new Date(START.getTime() + 24 * HOUR).toISOString();

    clock.advance(HOUR + 30 * MINUTE);
    const processed = await post(`/api/online-reports/${contactId}/process`, {});
    expect(processed.statusCode, processed.body).toBe(200);
    expect(processed.json<{ report: Report }>().report.processed).toEqual({ dueAt: processedDue, doneAt: clock.now().toISOString(), isPastDue: true, breachedAt: processedDue });
    expect((await breachesOf(contactId)).map((e) => e.type)).toEqual(['online_report.drafted', 'online_report.clock_breached', 'online_report.processed']);
    // The report's history (its contact's timeline) says the target was missed, and when it was due
    // (11:00 in the UK on a June morning), before it says the report was processed.
    expect(await historyOf(contactId)).toEqual([
      'Online report to be processed by 01 Jun 2027, 11:00 and classified by 02 Jun 2027, 10:00',
      'Online report processing target missed (due 01 Jun 2027, 11:00)',
      'Online report processed, late',
    ]);

    clock.advance(24 * HOUR);
    const classified = await post(`/api/online-reports/${contactId}/classify`, { crimeType: 'THF-BIC' });
    expect(classified.statusCode, classified.body).toBe(200);
    expect(classified.json<{ report: Report }>().report.classified).toMatchObject({ dueAt: classifiedDue, isPastDue: true, breachedAt: classifiedDue });
    const events = await breachesOf(contactId);
    expect(events.map((e) => e.type)).toEqual([
      'online_report.drafted',
      'online_report.clock_breached',
      'online_report.processed',
      'online_report.clock_breached',
      'online_report.classified',
    ]);
    expect(events.filter((e) => e.type === 'online_report.clock_breached').map((e) => e.data)).toEqual([
      expect.objectContaining({ clock: 'processed', dueAt: processedDue }),
      expect.objectContaining({ clock: 'classified', dueAt: classifiedDue }),
    ]);
    expect((await historyOf(contactId)).slice(3)).toEqual(['Online report classification target missed (due 02 Jun 2027, 10:00)', 'Online report classified as THF-BIC, late']);
    const row = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('online_report_processing').select(['processed_breached_at', 'classified_breached_at']).where('contact_id', '=', contactId).executeTakeFirstOrThrow(),
    );
    expect(row.processed_breached_at?.toISOString()).toBe(new Date(START.getTime() + HOUR + 30 * MINUTE).toISOString());
    expect(row.classified_breached_at?.toISOString()).toBe(clock.now().toISOString());

    // The worker catches up: both checks find their steps done.
    await runJobs();
    expect((await breachesOf(contactId)).filter((e) => e.type === 'online_report.clock_breached')).toHaveLength(2);

    // A second classification changes the crime type alone: no clock stops, so nothing is breached.
    expect((await post(`/api/online-reports/${contactId}/classify`, { crimeType: 'THF-OTH' })).statusCode).toBe(200);
    expect((await breachesOf(contactId)).filter((e) => e.type === 'online_report.clock_breached')).toHaveLength(2);
  });

  it('does not breach a step done in time, nor again one its check already breached', async () => {
    const contactId = await report('My shed was broken into and tools were taken');
    await runJobs();
    clock.advance(30 * MINUTE);
    expect((await post(`/api/online-reports/${contactId}/process`, {})).statusCode).toBe(200);
    // Its classified clock's check runs on time and breaches it; the late classification adds nothing.
    clock.advance(24 * HOUR);
    await runJobs();
    const foundAt = clock.now().toISOString();
    clock.advance(HOUR);
    const classified = await post(`/api/online-reports/${contactId}/classify`, { crimeType: 'THF-BRE' });
    expect(classified.statusCode, classified.body).toBe(200);
    const events = await breachesOf(contactId);
    expect(events.filter((e) => e.type === 'online_report.clock_breached').map((e) => e.data)).toEqual([expect.objectContaining({ clock: 'classified' })]);
    const row = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('online_report_processing').select(['processed_breached_at', 'classified_breached_at']).where('contact_id', '=', contactId).executeTakeFirstOrThrow(),
    );
    expect({ processed: row.processed_breached_at, classified: row.classified_breached_at?.toISOString() }).toEqual({ processed: null, classified: foundAt });
  });
});
