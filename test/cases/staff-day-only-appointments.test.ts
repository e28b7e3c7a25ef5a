// An appointment staff make before its time is known: a date alone in the API (the console's "time
// not known yet") is a day, as one the records system gives is (decision 0077). The victim is told
// the day in English and Welsh with no time, reminded at 09:00 UK time the day before, and the
// timeline and appointments list say it is a day. A court date still needs its time. See decision 0080.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { milestone as recordMilestone, outboxOf, reportedCase, type Session } from '../journeys/journey-kit.ts';

// Monday 2 March 2026, 10:00 GMT.
const START = new Date('2026-03-02T10:00:00Z');

type ErrorBody = { error: { message: string; fields?: { path: string; message: string }[] } };
type Timeline = { type: string; details: Record<string, string> }[];

describe(`staff make an appointment whose time is not known yet (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let investigator: Session;
  let otherInvestigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const other = await createOtherForce(app, ['investigator']);
    otherInvestigator = await signIn(app, other.emails.investigator ?? '', 'other-password');
  });
  afterAll(() => app?.close());

  const post = (session: Session, caseId: string, payload: object) => app.inject({ method: 'POST', url: `/api/cases/${caseId}/milestones`, headers: session.headers, payload });
  const milestone = (caseId: string, payload: Record<string, unknown>, status = 200) => recordMilestone(app, investigator, caseId, payload, status);
  const refusal = (response: { json: <T>() => T }) => response.json<ErrorBody>().error;
  /** Every channel's words of one journey step's messages on a case, after the jobs have run. */
  const bodiesOf = async (caseId: string, purpose: string) => {
    await app.runner?.runDue();
    return (await outboxOf(app, caseId)).filter((row) => row.purpose === purpose).flatMap((row) => [row.body, ...(row.alternatives as { body: string }[]).map((a) => a.body)]);
  };
  const remindersOf = (caseId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('outbox').select(['body', 'not_before', 'status']).where('case_id', '=', caseId).where('purpose', '=', 'journey:appointment.reminder').orderBy('not_before').execute(),
    );

  it('takes a date alone as the day, tells it without a time in English and Welsh, and reminds at 09:00 the day before', async () => {
    const english = await reportedCase(app, handler, 'en');
    const welsh = await reportedCase(app, handler, 'cy');
    for (const victim of [english, welsh]) {
      const made = await milestone(victim.caseId, { type: 'appointment_made', at: '2026-03-17', place: 'Demoton Police Station' });
      const entry = made.json<{ case: { timeline: Timeline } }>().case.timeline.at(-1);
      expect(entry).toMatchObject({ type: 'case.appointment_made', details: { at: '2026-03-17T00:00:00.000Z', isDateOnly: 'true', place: 'Demoton Police Station' } });
      const listed = await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}/appointments`, headers: investigator.headers });
      expect(listed.json<{ appointments: object[] }>().appointments).toEqual([expect.objectContaining({ at: '2026-03-17T00:00:00.000Z', isDateOnly: true, status: 'current' })]);
    }

    const toldEnglish = (await bodiesOf(english.caseId, 'journey:case.appointment_made')).join('\n');
    expect(toldEnglish).toContain('We have made an appointment for you on Tuesday 17 March 2026, at Demoton Police Station.');
    const toldWelsh = (await bodiesOf(welsh.caseId, 'journey:case.appointment_made')).join('\n');
    expect(toldWelsh).toContain('Rydym wedi gwneud apwyntiad i chi ar ddydd Mawrth 17 Mawrth 2026, yn Demoton Police Station.');
    for (const told of [toldEnglish, toldWelsh]) expect(told).not.toMatch(/00:00|01:00|12:00|i’w gadarnhau|to be confirmed/);

    // The reminder goes the morning before (09:00 GMT in March), told as a day too.
    for (const victim of [english, welsh]) {
      const reminders = await remindersOf(victim.caseId);
      expect(reminders.length).toBeGreaterThan(0);
      expect(new Set(reminders.map((r) => r.not_before?.toISOString()))).toEqual(new Set(['2026-03-16T09:00:00.000Z']));
    }
    expect((await remindersOf(english.caseId)).map((r) => r.body).join('\n')).toContain('This is a reminder of your appointment on Tuesday 17 March 2026, at Demoton Police Station.');
    expect((await remindersOf(welsh.caseId)).map((r) => r.body).join('\n')).toContain('Dyma nodyn i’ch atgoffa am eich apwyntiad ar ddydd Mawrth 17 Mawrth 2026, yn Demoton Police Station.');
  });

  it('takes a summer day as the UK day, and a change to a day alone and back to a time', async () => {
    const victim = await reportedCase(app, handler, 'en');
    await milestone(victim.caseId, { type: 'appointment_made', at: '2026-06-16T10:00:00Z', place: 'Low Road station' });
    // The time is no longer known: the appointment moves to a day alone, in British Summer Time.
    const changed = (await milestone(victim.caseId, { type: 'appointment_changed', at: '2026-06-16' })).json<{ case: { timeline: Timeline } }>().case.timeline.at(-1);
    expect(changed).toMatchObject({ type: 'case.appointment_changed', details: { at: '2026-06-15T23:00:00.000Z', isDateOnly: 'true', place: 'Low Road station' } });
    expect((await bodiesOf(victim.caseId, 'journey:case.appointment_changed')).join('\n')).toContain('It is now on Tuesday 16 June 2026, at Low Road station.');
    const reminders = await remindersOf(victim.caseId);
    // The first reminder (of 10:00) is withdrawn; the one of the day goes at 09:00 BST the day before.
    expect(reminders.filter((r) => r.status === 'pending').map((r) => r.not_before?.toISOString())).toEqual(expect.arrayContaining(['2026-06-15T08:00:00.000Z']));
    expect(reminders.filter((r) => r.status === 'pending').every((r) => r.not_before?.toISOString() === '2026-06-15T08:00:00.000Z')).toBe(true);

    // The time comes to be known: it is a change with the time, told with it.
    const timed = (await milestone(victim.caseId, { type: 'appointment_changed', at: '2026-06-16T13:00:00Z' })).json<{ case: { timeline: Timeline } }>().case.timeline.at(-1);
    expect(timed?.details.isDateOnly).toBeUndefined();
    expect((await bodiesOf(victim.caseId, 'journey:case.appointment_changed')).join('\n')).toContain('It is now on Tuesday 16 June 2026 at 14:00, at Low Road station.');
    const listed = await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}/appointments`, headers: investigator.headers });
    expect(listed.json<{ appointments: object[] }>().appointments).toEqual([expect.objectContaining({ at: '2026-06-16T13:00:00Z', isDateOnly: false })]);
  });

  it('takes today as a day not yet over, and refuses-a-day-gone, a-day-out-of-reach, a-date-that-is-no-date and a-court-date-without-its-time with 400', async () => {
    const victim = await reportedCase(app, handler, 'en');
    await milestone(victim.caseId, { type: 'appointment_made', at: '2026-03-02', place: 'Front counter' });

    const gone = refusal(await milestone(victim.caseId, { type: 'appointment_made', at: '2026-03-01', place: 'Front counter' }, 400));
    expect(gone.fields?.map((f) => f.path)).toEqual(['at']);
    expect(gone.message).toContain('today or a day to come');
    expect(refusal(await milestone(victim.caseId, { type: 'appointment_made', at: '2031-03-03', place: 'Front counter' }, 400)).fields?.map((f) => f.path)).toEqual(['at']);
    for (const at of ['2026-02-30', '17/03/2026', '2026-03-17T10:00']) {
      const refused = refusal(await milestone(victim.caseId, { type: 'appointment_made', at, place: 'Front counter' }, 400));
      expect(refused.fields?.map((f) => f.path), at).toEqual(['body.at']);
      expect(refused.message, at).toContain('a date alone (2026-03-17)');
    }
    expect(refusal(await milestone(victim.caseId, { type: 'appointment_made', at: '2026-03-17' }, 400)).fields?.map((f) => f.path)).toEqual(['place']);

    // A court date is refused by the case's machine first, then for want of its time.
    await milestone(victim.caseId, { type: 'court_date_set', at: '2026-04-20', place: 'Demoton Crown Court' }, 409);
    await milestone(victim.caseId, { type: 'suspect_identified' });
    await milestone(victim.caseId, { type: 'charged' });
    const court = refusal(await milestone(victim.caseId, { type: 'court_date_set', at: '2026-04-20', place: 'Demoton Crown Court' }, 400));
    expect(court.fields?.map((f) => f.path)).toEqual(['at']);
    expect(court.message).toContain('only an appointment');

    // Only today's appointment was recorded.
    const view = await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}`, headers: investigator.headers });
    const timeline = view.json<{ case: { timeline: Timeline } }>().case.timeline;
    expect(timeline.filter((e) => e.type === 'case.appointment_made').map((e) => e.details.at)).toEqual(['2026-03-02T00:00:00.000Z']);
    expect(timeline.some((e) => e.type === 'case.court_date_set')).toBe(false);

    // The wrong role and the wrong force are refused before anything is checked.
    expect((await post(handler, victim.caseId, { type: 'appointment_made', at: '2026-03-17', place: 'x' })).statusCode).toBe(403);
    expect((await post(otherInvestigator, victim.caseId, { type: 'appointment_made', at: '2026-03-17', place: 'x' })).statusCode).toBe(404);
  });
});
