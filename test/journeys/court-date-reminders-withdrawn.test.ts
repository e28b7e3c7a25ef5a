import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { JOURNEY_MILESTONE_JOB } from '../../src/capabilities/journeys/journey.events.ts';
import { milestone, portalOnlyVictim, reminderReads, type Session } from './journey-kit.ts';

// A victim is reminded of their case's hearing two days before it (`case.court_date.reminder`).
// When the listing is overtaken (listed again, the court's result given, the case closed), the
// reminder not yet sent is taken back at once, so the case screen and the victim's record stop
// showing a reminder of a hearing that will not be held then; and a journey that runs after the
// listing was overtaken queues none (decision 0121).

const MOVED = 'the court date was changed; a reminder of the new date replaces this one';
const HEARD = 'the court gave its result';
const CLOSED = 'the case was closed';

describe('court date reminders are taken back when the listing is overtaken', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const { inForce, reminders, shownReminders, withdrawnReasons } = reminderReads(() => app, 'journey:case.court_date.reminder');
  const suppressedSteps = (caseId: string) =>
    inForce((tx) =>
      tx
        .selectFrom('events')
        .select(sql<string>`data->>'reason'`.as('reason'))
        .where('type', '=', 'journey.message_suppressed')
        .where('subject_id', '=', caseId)
        .where(sql<boolean>`data->>'step' = 'case.court_date.reminder'`)
        .execute(),
    );
  /** Runs every job due now again (a worker that lost its lease, an admin's retry): nothing settles twice. */
  const runAllAgain = async (caseId: string) => {
    await inForce((tx) => tx.updateTable('jobs').set({ state: 'pending', attempts: 0, run_at: clock.now() }).where(sql<boolean>`payload->>'caseId' = ${caseId}`).execute());
    await app.runner?.runDue();
  };

  /** A victim told in the portal inbox, on a case where someone is charged. */
  const chargedCase = async (language: 'en' | 'cy' = 'en') => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await portalOnlyVictim(app, language);
    investigator = victim.investigator;
    await milestone(app, investigator, victim.caseId, { type: 'suspect_identified' });
    await milestone(app, investigator, victim.caseId, { type: 'charged' });
    await app.runner?.runDue();
    return victim;
  };
  /** The same, with a hearing listed for Tuesday 12 May at 10:00 UK time; its reminder waits for Sunday 10 May. */
  const listedCase = async (language: 'en' | 'cy' = 'en') => {
    const victim = await chargedCase(language);
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-12T09:00:00Z', place: 'Demoton Magistrates’ Court' });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-05-10T09:00:00Z')]]);
    return victim;
  };

  it('takes back the reminder of a court date set again at once, once, reminds of the new date in Welsh, and staff read why', async () => {
    const victim = await listedCase('cy');
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-19T13:00:00Z', place: 'Demoton Crown Court' });
    await app.runner?.runDue();
    const [old, renewed] = await reminders(victim.caseId);
    expect(old).toMatchObject({ status: 'suppressed', last_error: MOVED, delivered_at: null });
    expect(renewed).toMatchObject({ status: 'pending', not_before: new Date('2026-05-17T13:00:00Z') });
    expect(await withdrawnReasons(victim.caseId)).toEqual([[old?.id, MOVED]]);
    expect(await shownReminders(victim.caseId)).toEqual(expect.arrayContaining([['suppressed', MOVED]]));

    await runAllAgain(victim.caseId);
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['suppressed', 'pending']);
    expect(await withdrawnReasons(victim.caseId)).toHaveLength(1);

    clock.set(new Date('2026-05-17T13:00:00Z'));
    await app.runner?.runDue();
    const [, sent] = await reminders(victim.caseId);
    expect(sent?.status).toBe('delivered');
    expect(sent?.subject).toMatch(/^Nodyn atgoffa/);
    expect(sent?.body).toContain('19 Mai 2026');
    expect(sent?.body).toContain('Demoton Crown Court');
    expect(await withdrawnReasons(victim.caseId)).toHaveLength(1);
  });

  it('takes back the reminder at once when the court’s result is given (the hearing vacated)', async () => {
    const victim = await listedCase();
    await milestone(app, investigator, victim.caseId, { type: 'court_result', note: 'The defendant pleaded guilty at an earlier hearing.' });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', HEARD]]);
    expect(await shownReminders(victim.caseId)).toEqual([['suppressed', HEARD]]);
    await runAllAgain(victim.caseId);
    expect((await withdrawnReasons(victim.caseId)).map(([, reason]) => reason)).toEqual([HEARD]);
  });

  it('takes back the reminder at once when the case is closed', async () => {
    const victim = await listedCase();
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'The prosecution was discontinued.' });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CLOSED]]);
    expect((await withdrawnReasons(victim.caseId)).map(([, reason]) => reason)).toEqual([CLOSED]);
    expect(await shownReminders(victim.caseId)).toEqual([['suppressed', CLOSED]]);
  });

  /** Holds back the journey of the case's first court listing until a minute after now (jobs due together run in no promised order). */
  const holdFirstListingJourney = (caseId: string) =>
    inForce((tx) =>
      tx
        .updateTable('jobs')
        .set({ run_at: new Date(clock.now().getTime() + 60_000) })
        .where('type', '=', JOURNEY_MILESTONE_JOB)
        .where(sql<boolean>`payload->>'caseId' = ${caseId} and payload->>'milestone' = 'case.court_date_set'`)
        .execute(),
    );

  it('queues no reminder of a listing already set again when its journey runs late, and reminds of the new date once, in Welsh', async () => {
    const victim = await chargedCase('cy');
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-12T09:00:00Z', place: 'Demoton Magistrates’ Court' });
    await holdFirstListingJourney(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-19T13:00:00Z', place: 'Demoton Crown Court' });
    await app.runner?.runDue();
    clock.set(new Date(clock.now().getTime() + 2 * 60_000));
    await app.runner?.runDue();

    const queued = await reminders(victim.caseId);
    expect(queued.map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-05-17T13:00:00Z')]]);
    expect(queued[0]?.subject).toMatch(/^Nodyn atgoffa/);
    expect(queued[0]?.body).toContain('19 Mai 2026');
    expect((await suppressedSteps(victim.caseId)).map((row) => row.reason)).toEqual(['the court date was changed before this was queued']);
  });

  it('queues no reminder of a listing the court’s result or the closing came before when its journey runs late', async () => {
    const victim = await chargedCase();
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-12T09:00:00Z', place: 'Demoton Magistrates’ Court' });
    await holdFirstListingJourney(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'court_result', note: 'Guilty plea at the first hearing.' });
    await app.runner?.runDue();
    clock.set(new Date(clock.now().getTime() + 2 * 60_000));
    await app.runner?.runDue();
    expect(await reminders(victim.caseId)).toEqual([]);
    expect((await suppressedSteps(victim.caseId)).map((row) => row.reason)).toEqual(['the court gave its result before this was queued']);

    const closed = await chargedCase();
    await milestone(app, investigator, closed.caseId, { type: 'court_date_set', at: '2026-05-12T09:00:00Z', place: 'Demoton Magistrates’ Court' });
    await holdFirstListingJourney(closed.caseId);
    await milestone(app, investigator, closed.caseId, { type: 'close', outcomeCode: '1', reason: 'The prosecution was discontinued.' });
    await app.runner?.runDue();
    clock.set(new Date(clock.now().getTime() + 2 * 60_000));
    await app.runner?.runDue();
    expect(await reminders(closed.caseId)).toEqual([]);
    expect((await suppressedSteps(closed.caseId)).map((row) => row.reason)).toEqual(['the case was closed before this was queued']);
  });

  it('reminds again, once and in Welsh, of a hearing still to come when a case closed by mistake is reopened, and of none the court heard or whose time passed', async () => {
    const victim = await listedCase('cy');
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await app.runner?.runDue();
    await milestone(app, investigator, victim.caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });
    await app.runner?.runDue();
    await runAllAgain(victim.caseId);
    const [withdrawn, restored] = await reminders(victim.caseId);
    expect(withdrawn).toMatchObject({ status: 'suppressed', last_error: CLOSED });
    expect(restored).toMatchObject({ status: 'pending', not_before: new Date('2026-05-10T09:00:00Z') });
    expect(restored?.subject).toMatch(/^Nodyn atgoffa/);
    expect(restored?.body).toContain('12 Mai 2026');
    expect(restored?.body).toContain('Demoton Magistrates’ Court');
    expect(await reminders(victim.caseId)).toHaveLength(2);

    // Closed by mistake again, and reopened: the same taken back and queued again, one waiting at a time.
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake again.' });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([
      ['suppressed', CLOSED],
      ['suppressed', CLOSED],
    ]);
    await milestone(app, investigator, victim.caseId, { type: 'reopen' });
    await app.runner?.runDue();
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['suppressed', 'suppressed', 'delivered']);

    // Closed after it went, and reopened: it is not sent twice.
    investigator = await signIn(app, 'investigator@demo.police.uk');
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed once more.' });
    await milestone(app, investigator, victim.caseId, { type: 'reopen' });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['suppressed', 'suppressed', 'delivered']);

    // The court's result came before the closing: reopening lists nothing again.
    const heard = await listedCase();
    await milestone(app, investigator, heard.caseId, { type: 'court_result', note: 'Found guilty.' });
    await milestone(app, investigator, heard.caseId, { type: 'close', outcomeCode: '1', reason: 'Dealt with at court.' });
    await milestone(app, investigator, heard.caseId, { type: 'reopen' });
    await app.runner?.runDue();
    expect((await reminders(heard.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', HEARD]]);

    // Reopened after the hearing's time: nothing to remind of.
    const passed = await listedCase();
    await milestone(app, investigator, passed.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await app.runner?.runDue();
    clock.set(new Date('2026-05-12T10:00:00Z'));
    investigator = await signIn(app, 'investigator@demo.police.uk');
    await milestone(app, investigator, passed.caseId, { type: 'reopen' });
    await app.runner?.runDue();
    expect((await reminders(passed.caseId)).map((r) => r.status)).toEqual(['suppressed']);
  });
});
