import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { appointmentIdOf, listedHearing, milestone, portalOnlyVictim, reminderReads, type Session } from './journey-kit.ts';

// A reminder taken back because its appointment or hearing moved tells staff that a reminder of
// the new time replaces it only when a rule switched on will queue one for this victim of this
// case: a rule for another crime type, or another category of victim, queues none, and staff read
// that none will be sent, and why (decision 0127).

const DAY = 24 * 60;
const MOVED = 'the court date was changed; a reminder of the new date replaces this one';
const MOVED_OTHER_CRIME = 'the court date was changed; no reminder of the new date will be sent: the reminder rules switched on are for other crime types';
const CHANGED_OTHER_VICTIMS = 'the appointment was changed; no reminder of the new time will be sent: the reminder rules switched on are for other categories of victim';

describe(`why a reminder taken back for a new time says what replaces it (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    const admin = await signIn(app, 'admin@demo.police.uk');
    const rules = (await app.inject({ method: 'GET', url: '/api/journey-rules', headers: admin.headers })).json<{ rules: { id: string; milestone: string; templateKey: string }[] }>().rules;
    // The force reminds of a hearing only in stalking cases, and of a changed appointment only victims with enhanced rights.
    for (const [milestoneType, templateKey] of [
      ['case.court_date_set', 'case.court_date.reminder'],
      ['case.appointment_changed', 'appointment.reminder'],
    ]) {
      const rule = rules.find((r) => r.milestone === milestoneType && r.templateKey === templateKey);
      const off = await app.inject({ method: 'POST', url: `/api/journey-rules/${rule?.id}/active`, headers: admin.headers, payload: { active: false } });
      expect(off.statusCode, off.body).toBe(200);
    }
    for (const payload of [
      { milestone: 'case.court_date_set', templateKey: 'case.court_date.reminder', delayFrom: 'at', delayMinutes: -2 * DAY, crimeType: 'VAP-SAH' },
      { milestone: 'case.appointment_changed', templateKey: 'appointment.reminder', delayFrom: 'at', delayMinutes: -DAY, victimCategory: 'enhanced' },
    ]) {
      const added = await app.inject({ method: 'POST', url: '/api/journey-rules', headers: admin.headers, payload });
      expect(added.statusCode, added.body).toBe(201);
    }
  });
  afterAll(() => app?.close());

  const court = reminderReads(() => app, 'journey:case.court_date.reminder');
  const appointment = reminderReads(() => app, 'journey:appointment.reminder');

  /** A stalking case, someone charged, its hearing listed for Tuesday 12 May at 10:00 UK time and reminded of on Sunday 10 May. */
  const listedCase = async () => {
    const victim = await listedHearing(app, clock, { crimeType: 'VAP-SAH' });
    investigator = victim.investigator;
    await app.runner?.runDue();
    expect((await court.reminders(victim.caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-05-10T09:00:00Z')]]);
    return victim;
  };
  /** The hearing listed again for Tuesday 19 May, the case read as another crime (or the same). */
  const listedAgain = (caseId: string, crimeType: string) => milestone(app, investigator, caseId, { type: 'court_date_set', at: '2026-05-19T09:00:00Z', place: 'Demoton Crown Court', crimeType });

  it('says a reminder of the new date replaces one taken back only when the rule on fits the case', async () => {
    const same = await listedCase();
    await listedAgain(same.caseId, 'VAP-SAH');
    await app.runner?.runDue();
    expect((await court.reminders(same.caseId)).map((r) => [r.status, r.last_error])).toEqual([
      ['suppressed', MOVED],
      ['pending', null],
    ]);

    const other = await listedCase();
    await listedAgain(other.caseId, 'VAP-VWI');
    await app.runner?.runDue();
    expect((await court.reminders(other.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', MOVED_OTHER_CRIME]]);
    expect(await court.withdrawnReasons(other.caseId)).toEqual([[expect.any(String), MOVED_OTHER_CRIME]]);
    expect(await court.shownReminders(other.caseId)).toEqual([['suppressed', MOVED_OTHER_CRIME]]);
  });

  it('says the same when the delivery takes it back, its withdrawal given up', async () => {
    const victim = await listedCase();
    await listedAgain(victim.caseId, 'VAP-VWI');
    await court.giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();
    clock.set(new Date('2026-05-10T09:30:00Z'));
    await app.runner?.runDue();
    expect((await court.reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', MOVED_OTHER_CRIME, null]]);
  });

  it('says no reminder of the new time will be sent when the rule on is for other victims', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await portalOnlyVictim(app);
    investigator = victim.investigator;
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-12T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await appointment.reminders(victim.caseId)).map((r) => r.status)).toEqual(['pending']);
    const appointmentId = await appointmentIdOf(app, investigator, victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-14T13:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await appointment.reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CHANGED_OTHER_VICTIMS]]);
    expect(await appointment.shownReminders(victim.caseId)).toEqual([['suppressed', CHANGED_OTHER_VICTIMS]]);
  });
});
