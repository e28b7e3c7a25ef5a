import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { appointmentIdOf, listedHearing, milestone, portalOnlyVictim, reminderReads, setPreferences, type Session } from './journey-kit.ts';

// A reminder taken back because its hearing or appointment moved tells staff that a reminder of
// the new time replaces it only when the journey will queue one for this victim: not when the
// victim now takes statutory updates only, has no channel we can reach them by, or the new time
// has passed or comes before their next safe time. Then staff read that none will be sent and
// why, in the words the journey records for not queueing it (decision 0134).

const MOVED = 'the court date was changed; a reminder of the new date replaces this one';
const MOVED_ALONE = 'the court date was changed; no reminder of the new date will be sent: ';
const CHANGED_ALONE = 'the appointment was changed; no reminder of the new time will be sent: ';
const EVERY_WEEKEND = [{ days: ['sat', 'sun'], from: '10:00', to: '16:00' }];

describe(`a reminder taken back for a new time the victim will not be reminded of (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const court = reminderReads(() => app, 'journey:case.court_date.reminder');
  const appointment = reminderReads(() => app, 'journey:appointment.reminder');

  /** A victim told in the portal inbox, someone charged, a hearing listed for Tuesday 12 May at 10:00 UK time and reminded of on Sunday 10 May. */
  const listedCase = async () => {
    const victim = await listedHearing(app, clock);
    investigator = victim.investigator;
    await app.runner?.runDue();
    expect((await court.reminders(victim.caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-05-10T09:00:00Z')]]);
    return victim;
  };
  const listedAgain = async (caseId: string, at = '2026-05-19T09:00:00Z') => {
    await milestone(app, investigator, caseId, { type: 'court_date_set', at, place: 'Demoton Crown Court' });
  };
  /**
   * That none but the reminder taken back is queued, and what staff read: it taken back, saying no
   * reminder of the new date will be sent because (the journey's words) `why`, and beside it the
   * journey's own decision not to queue one, for that same reason.
   */
  const expectTakenBackAlone = async (caseId: string, why: string) => {
    const reason = `${MOVED_ALONE}${why}`;
    expect((await court.reminders(caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', reason]]);
    expect(await court.withdrawnReasons(caseId)).toEqual([[expect.any(String), reason]]);
    expect(await court.shownReminders(caseId)).toEqual([
      ['suppressed', reason],
      ['suppressed', why],
    ]);
  };

  it('still says a reminder of the new date replaces one the journey queues again', async () => {
    const victim = await listedCase();
    await listedAgain(victim.caseId);
    await app.runner?.runDue();
    expect((await court.reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([
      ['suppressed', MOVED],
      ['pending', null],
    ]);
  });

  it('says none will be sent to a victim who now takes statutory updates only', async () => {
    const victim = await listedCase();
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['portal'], portalOnly: true, optOutNonStatutory: true });
    await listedAgain(victim.caseId);
    await app.runner?.runDue();
    await expectTakenBackAlone(victim.caseId, 'opted out of non-statutory updates');
  });

  it('says none will be sent to a victim with no channel we can reach them by', async () => {
    const victim = await listedCase();
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['letter'] });
    await listedAgain(victim.caseId);
    await app.runner?.runDue();
    await expectTakenBackAlone(victim.caseId, 'no address for any allowed channel');
  });

  it('says none will be sent when the new date has passed by the time the journey runs', async () => {
    const victim = await listedCase();
    // Listed again for 11:00 today; the jobs run after noon (a worker that was down).
    await listedAgain(victim.caseId, '2026-05-06T10:00:00Z');
    clock.set(new Date('2026-05-06T11:00:00Z'));
    await app.runner?.runDue();
    await expectTakenBackAlone(victim.caseId, 'the time it is about has passed');
  });

  it('says none will be sent when the new date comes before the victim’s next safe time, and queues none', async () => {
    const victim = await listedCase();
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['portal'], portalOnly: true, safeWindows: EVERY_WEEKEND });
    // Thursday 7 May at 10:00: the victim may be contacted only at weekends.
    await listedAgain(victim.caseId, '2026-05-07T09:00:00Z');
    await app.runner?.runDue();
    await expectTakenBackAlone(victim.caseId, 'the victim’s next safe time comes after the time it is about');
  });

  it('says the same when the delivery takes it back, its withdrawal given up', async () => {
    const victim = await listedCase();
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['portal'], portalOnly: true, optOutNonStatutory: true });
    await listedAgain(victim.caseId);
    await court.giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();
    clock.set(new Date('2026-05-10T09:30:00Z'));
    await app.runner?.runDue();
    expect((await court.reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', `${MOVED_ALONE}opted out of non-statutory updates`, null]]);
    expect(await court.shownReminders(victim.caseId)).toEqual([
      ['suppressed', `${MOVED_ALONE}opted out of non-statutory updates`],
      ['suppressed', 'opted out of non-statutory updates'],
    ]);
  });

  it('says none will be sent of a changed appointment to a victim who now takes statutory updates only', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await portalOnlyVictim(app);
    investigator = victim.investigator;
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-12T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await appointment.reminders(victim.caseId)).map((r) => r.status)).toEqual(['pending']);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['portal'], portalOnly: true, optOutNonStatutory: true });
    const appointmentId = await appointmentIdOf(app, investigator, victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-14T13:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const reason = `${CHANGED_ALONE}opted out of non-statutory updates`;
    expect((await appointment.reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', reason]]);
    expect(await appointment.shownReminders(victim.caseId)).toEqual([
      ['suppressed', reason],
      ['suppressed', 'opted out of non-statutory updates'],
    ]);
  });
});
