import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { REMINDERS_WITHDRAWAL_JOB } from '../../src/capabilities/cases/case.events.ts';
import { DELIVER_JOB } from '../../src/capabilities/outbox/outbox.events.ts';
import { listedHearing, milestone, reminderReads, type Session } from './journey-kit.ts';

// A victim is reminded of their case's hearing two days before it (`case.court_date.reminder`).
// Whatever happened to the jobs between its queuing and its sending (the withdrawal of an overtaken
// listing's reminder given up, an outage, an admin putting a dead job back), what goes must be true when it goes: never a court date since moved, never a
// hearing the court's result or the case's closing has overtaken, never one whose time has passed;
// and once (decision 0117).

const MOVED = 'the court date was changed; a reminder of the new date replaces this one';
const HEARD = 'the court gave its result before this could be sent';
const CLOSED = 'the case was closed before this could be sent';
const PASSED = 'the time of the hearing had come before this could be sent';

describe('court date reminders are true when they go', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const { inForce, eventsOf, reminders, shownReminders, giveUpWithdrawal, withdrawnReasons } = reminderReads(() => app, 'journey:case.court_date.reminder');
  const deliveredReminders = async (caseId: string) =>
    (await eventsOf('outbox.delivered', caseId)).filter((e) => e.data.purpose === 'journey:case.court_date.reminder').map((e) => e.subject_id);
  /** A victim told in the portal inbox (delivered the moment its job runs), on a case where someone is charged and a hearing listed. */
  const listedCase = async (language: 'en' | 'cy' = 'en') => {
    // The hearing: Tuesday 12 May at 10:00 UK time; its reminder is due on Sunday 10 May at 10:00.
    const victim = await listedHearing(app, clock, { language });
    investigator = victim.investigator;
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-05-10T09:00:00Z')]]);
    return victim;
  };

  it('sends no reminder of a court date since moved when its withdrawal was given up, reminds of the new date once, in Welsh, and staff read why', async () => {
    const victim = await listedCase('cy');
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-19T13:00:00Z', place: 'Demoton Crown Court' });
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['pending', 'pending']);

    // The old date's reminder comes due: it names a hearing no longer listed then, so it does not go.
    clock.set(new Date('2026-05-10T09:30:00Z'));
    await app.runner?.runDue();
    const [old, renewed] = await reminders(victim.caseId);
    expect(old).toMatchObject({ status: 'suppressed', last_error: MOVED, delivered_at: null });
    expect(await withdrawnReasons(victim.caseId)).toEqual([[old?.id, MOVED]]);
    expect(renewed?.status).toBe('pending');

    // An admin puts the dead withdrawal back once its cause is mended: nothing more is withdrawn.
    const admin = await signIn(app, 'admin@demo.police.uk');
    const dead = await inForce((tx) => tx.selectFrom('jobs').select('id').where('type', '=', REMINDERS_WITHDRAWAL_JOB).where('state', '=', 'dead').where(sql<boolean>`payload->>'caseId' = ${victim.caseId}`).execute());
    expect(dead).toHaveLength(1);
    const retried = await app.inject({ method: 'POST', url: `/api/jobs/${dead[0]?.id}/retry`, headers: admin.headers });
    expect(retried.statusCode, retried.body).toBe(200);
    await app.runner?.runDue();
    expect(await withdrawnReasons(victim.caseId)).toEqual([[old?.id, MOVED]]);

    // The new date's reminder goes at its time, once, in the victim's language.
    clock.set(new Date('2026-05-17T13:00:00Z'));
    await app.runner?.runDue();
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['suppressed', 'delivered']);
    expect(await deliveredReminders(victim.caseId)).toEqual([renewed?.id]);
    expect(renewed?.subject).toMatch(/^Nodyn atgoffa/);
    expect(renewed?.body).toContain('19 Mai 2026');
    expect(renewed?.body).toContain('Demoton Crown Court');
    expect(await withdrawnReasons(victim.caseId)).toHaveLength(1);
    expect(await shownReminders(victim.caseId)).toEqual(expect.arrayContaining([['suppressed', MOVED]]));
  });

  it('sends no reminder of a hearing the court’s result came before (the hearing vacated) when its withdrawal was given up', async () => {
    const victim = await listedCase();
    await milestone(app, investigator, victim.caseId, { type: 'court_result', note: 'The defendant pleaded guilty at an earlier hearing; the trial will not take place.' });
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();

    clock.set(new Date('2026-05-10T09:30:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', HEARD, null]]);
    expect(await deliveredReminders(victim.caseId)).toEqual([]);
    expect(await shownReminders(victim.caseId)).toEqual([['suppressed', HEARD]]);
  });

  it('sends no reminder of a hearing on a case closed since when its withdrawal was given up', async () => {
    const victim = await listedCase();
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'The prosecution was discontinued.' });
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();

    clock.set(new Date('2026-05-10T09:30:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CLOSED]]);
    expect(await withdrawnReasons(victim.caseId)).toHaveLength(1);
  });

  it('sends no reminder of a hearing a reopening listed again once the court’s result came, or once its time came, when its withdrawal was given up', async () => {
    // A case closed by mistake and reopened: the hearing is listed again, and its reminder queued again (decision 0121).
    const victim = await listedCase();
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await app.runner?.runDue();
    await milestone(app, investigator, victim.caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['suppressed', 'pending']);
    await milestone(app, investigator, victim.caseId, { type: 'court_result', note: 'The defendant pleaded guilty at an earlier hearing; the trial will not take place.' });
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();
    clock.set(new Date('2026-05-10T09:30:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([
      ['suppressed', 'the case was closed', null],
      ['suppressed', HEARD, null],
    ]);
    expect(await deliveredReminders(victim.caseId)).toEqual([]);

    // Reopened, and its reminder's delivery first runs after the hearing (an outage).
    const late = await listedCase();
    await milestone(app, investigator, late.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await milestone(app, investigator, late.caseId, { type: 'reopen' });
    await app.runner?.runDue();
    expect((await reminders(late.caseId)).map((r) => r.status)).toEqual(['suppressed', 'pending']);
    clock.set(new Date('2026-05-12T09:30:00Z'));
    await app.runner?.runDue();
    expect((await reminders(late.caseId)).map((r) => [r.status, r.last_error])).toEqual([
      ['suppressed', 'the case was closed'],
      ['suppressed', PASSED],
    ]);
    expect(await deliveredReminders(late.caseId)).toEqual([]);
  });

  it('sends no reminder when its delivery first runs after the hearing’s time (an outage), and staff read why', async () => {
    const victim = await listedCase();
    clock.set(new Date('2026-05-12T09:30:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', PASSED, null]]);
    expect((await withdrawnReasons(victim.caseId)).map(([, reason]) => reason)).toEqual([PASSED]);
    expect(await shownReminders(victim.caseId)).toEqual([['suppressed', PASSED]]);
  });

  it('sends no reminder when an admin puts its dead delivery job back after the hearing', async () => {
    const victim = await listedCase();
    const [queued] = await reminders(victim.caseId);
    await inForce((tx) => tx.updateTable('jobs').set({ state: 'dead', last_error: 'given up' }).where('type', '=', DELIVER_JOB).where(sql<boolean>`payload->>'outboxId' = ${queued?.id ?? ''}`).execute());

    clock.set(new Date('2026-05-13T09:00:00Z'));
    const admin = await signIn(app, 'admin@demo.police.uk');
    const [dead] = await inForce((tx) => tx.selectFrom('jobs').select('id').where('type', '=', DELIVER_JOB).where(sql<boolean>`payload->>'outboxId' = ${queued?.id ?? ''}`).execute());
    const retried = await app.inject({ method: 'POST', url: `/api/jobs/${dead?.id}/retry`, headers: admin.headers });
    expect(retried.statusCode, retried.body).toBe(200);
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', PASSED, null]]);
  });

  it('sends a reminder whose delivery runs late but before the hearing, once, however often its job runs', async () => {
    const victim = await listedCase();
    const [queued] = await reminders(victim.caseId);
    clock.set(new Date('2026-05-12T08:00:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['delivered']);

    await inForce((tx) =>
      tx.updateTable('jobs').set({ state: 'pending', attempts: 0, run_at: clock.now() }).where('type', '=', DELIVER_JOB).where(sql<boolean>`payload->>'outboxId' = ${queued?.id ?? ''}`).execute(),
    );
    await app.runner?.runDue();
    expect(await deliveredReminders(victim.caseId)).toEqual([queued?.id]);
    expect(await withdrawnReasons(victim.caseId)).toEqual([]);
  });
});
