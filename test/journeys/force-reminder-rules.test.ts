import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { isReminderRule } from '../../src/capabilities/journeys/journey-decision.schema.ts';
import { appointmentIdOf, milestone, portalOnlyVictim, reminderReads, type Session } from './journey-kit.ts';

// A force's own reminder (a rule its admin made that counts back from an appointment's or a
// hearing's time, with a message of the force's choosing) is a reminder as the default one is:
// taken back when the appointment changes, and checked when it would go (decision 0122). And a
// reminder taken back for a change says a new one replaces it only when a rule on will queue one.

const DAY = 24 * 60;
const CHANGED = 'the appointment was changed; a reminder of the new time replaces this one';
const CHANGED_ALONE = 'the appointment was changed; no reminder of the new time will be sent: no reminder rule of a changed appointment is switched on';
const PASSED = 'the time of the appointment had come before this could be sent';
const MOVED = 'the court date was changed; a reminder of the new date replaces this one';

describe('a force’s own reminder rules', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;
  let admin: Session;
  /** The force's reminders: three days before an appointment, a week before a hearing, each with the message that told of it. */
  const own = { appointment: '', court: '' };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    admin = await signIn(app, 'admin@demo.police.uk');
    const add = async (payload: Record<string, unknown>) => {
      const added = await app.inject({ method: 'POST', url: '/api/journey-rules', headers: admin.headers, payload });
      expect(added.statusCode, added.body).toBe(201);
      return added.json<{ rule: { id: string } }>().rule.id;
    };
    own.appointment = await add({ milestone: 'case.appointment_made', templateKey: 'case.appointment_made', delayFrom: 'at', delayMinutes: -3 * DAY });
    own.court = await add({ milestone: 'case.court_date_set', templateKey: 'case.court_date_set', delayFrom: 'at', delayMinutes: -7 * DAY });
  });
  afterAll(() => app?.close());

  const { inForce, eventsOf, giveUpWithdrawal, reminders: defaultReminders, shownReminders } = reminderReads(() => app, 'journey:case.appointment_made');
  /** The outbox rows one rule queued for a case (a journey message's key names its rule). */
  const queuedBy = (ruleId: string, caseId: string) =>
    inForce((tx) =>
      tx
        .selectFrom('outbox')
        .select(['id', 'status', 'last_error', 'not_before', 'delivered_at'])
        .where('case_id', '=', caseId)
        .where('idempotency_key', 'like', `journey:${caseId}:%:${ruleId}:%`)
        .orderBy('not_before')
        // A message queued again for a listing restored ties with the one it replaces on its time
        // (and, the test's clock standing still, on every other): then in the order they were
        // queued (their events' order), or the engine may answer them either way round.
        .orderBy(sql`(select min(e.seq) from events e where e.force_id = outbox.force_id and e.type = 'journey.message_queued' and e.data->>'outboxId' = outbox.id::text)`)
        .execute(),
    );
  const portalVictim = async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await portalOnlyVictim(app);
    investigator = victim.investigator;
    return victim;
  };
  /** A victim's appointment on Tuesday 12 May at 11:00 UK time: the force reminds them on Saturday 9 May. */
  const appointed = async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-12T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await queuedBy(own.appointment, victim.caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-05-09T10:00:00Z')]]);
    return { ...victim, appointmentId: await appointmentIdOf(app, investigator, victim.caseId) };
  };

  it('knows a reminder by its rule: counted back from the time its milestone names, not by the message it sends', () => {
    expect(isReminderRule({ milestone: 'case.appointment_made', delayFrom: 'at', delayMinutes: -3 * DAY })).toBe(true);
    expect(isReminderRule({ milestone: 'case.court_date_set', delayFrom: 'at', delayMinutes: 0 })).toBe(true);
    // A message after the appointment (how did it go?) is not a reminder of it, nor one counted from the milestone.
    expect(isReminderRule({ milestone: 'case.appointment_made', delayFrom: 'at', delayMinutes: DAY })).toBe(false);
    expect(isReminderRule({ milestone: 'case.appointment_made', delayFrom: 'milestone', delayMinutes: 0 })).toBe(false);
  });

  it('takes back the force’s own reminder when the appointment is changed, and leaves the message that told of it', async () => {
    const victim = await appointed();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId: victim.appointmentId, at: '2026-05-14T13:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const [old, renewed] = await queuedBy(own.appointment, victim.caseId);
    expect(old).toMatchObject({ status: 'suppressed', last_error: CHANGED });
    // The force's rule answers an appointment made, not changed: the default day-before reminder tells of the new time.
    expect(renewed).toBeUndefined();
    expect((await defaultReminders(victim.caseId)).map((r) => r.status)).toEqual(expect.arrayContaining(['delivered', 'suppressed']));
    expect(await shownReminders(victim.caseId)).toEqual(expect.arrayContaining([['suppressed', CHANGED]]));
  });

  it('does not send the force’s own reminder of the old time when the withdrawal was given up', async () => {
    const victim = await appointed();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId: victim.appointmentId, at: '2026-05-14T13:00:00Z', place: 'Low Road station' });
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();
    clock.set(new Date('2026-05-09T10:30:00Z'));
    await app.runner?.runDue();
    expect((await queuedBy(own.appointment, victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', CHANGED, null]]);
    expect((await eventsOf('outbox.withdrawn', victim.caseId)).map((e) => e.data.reason)).toEqual([CHANGED]);
  });

  it('does not send the force’s own reminder when its delivery first runs after the appointment (an outage)', async () => {
    const victim = await appointed();
    clock.set(new Date('2026-05-12T10:30:00Z'));
    await app.runner?.runDue();
    expect((await queuedBy(own.appointment, victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', PASSED, null]]);
  });

  it('does not send the force’s own reminder of a hearing since moved when the withdrawal was given up', async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'suspect_identified' });
    await milestone(app, investigator, victim.caseId, { type: 'charged' });
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-20T09:00:00Z', place: 'Demoton Magistrates’ Court' });
    await app.runner?.runDue();
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-06-03T09:00:00Z', place: 'Demoton Crown Court' });
    // The listing's withdrawal job given up: the delivery's own check must know the force's rule.
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();
    clock.set(new Date('2026-05-13T09:30:00Z'));
    await app.runner?.runDue();
    const [old, renewed] = await queuedBy(own.court, victim.caseId);
    expect(old).toMatchObject({ status: 'suppressed', last_error: MOVED, delivered_at: null });
    expect(renewed).toMatchObject({ status: 'pending', not_before: new Date('2026-05-27T09:00:00Z') });
  });

  it('says no reminder replaces one taken back for a change when the force has switched off reminding of changes', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    admin = await signIn(app, 'admin@demo.police.uk');
    const rules = await app.inject({ method: 'GET', url: '/api/journey-rules', headers: admin.headers });
    const changeReminder = rules.json<{ rules: { id: string; milestone: string; templateKey: string }[] }>().rules.find((r) => r.milestone === 'case.appointment_changed' && r.templateKey === 'appointment.reminder');
    const off = await app.inject({ method: 'POST', url: `/api/journey-rules/${changeReminder?.id}/active`, headers: admin.headers, payload: { active: false } });
    expect(off.statusCode, off.body).toBe(200);

    // Withdrawn by the change's own job.
    const first = await appointed();
    await milestone(app, investigator, first.caseId, { type: 'appointment_changed', appointmentId: first.appointmentId, at: '2026-05-14T13:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const { reminders: dayBefore } = reminderReads(() => app, 'journey:appointment.reminder');
    expect((await dayBefore(first.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CHANGED_ALONE]]);
    expect((await queuedBy(own.appointment, first.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CHANGED_ALONE]]);
    expect(await shownReminders(first.caseId)).toEqual(expect.arrayContaining([['suppressed', CHANGED_ALONE]]));

    // Withdrawn when it would go, its withdrawal given up.
    const second = await appointed();
    await milestone(app, investigator, second.caseId, { type: 'appointment_changed', appointmentId: second.appointmentId, at: '2026-05-14T13:00:00Z', place: 'Low Road station' });
    await giveUpWithdrawal(second.caseId);
    await app.runner?.runDue();
    clock.set(new Date('2026-05-11T10:30:00Z'));
    await app.runner?.runDue();
    expect((await dayBefore(second.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CHANGED_ALONE]]);
    expect((await queuedBy(own.appointment, second.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CHANGED_ALONE]]);
  });

  it('sends a message timed after a hearing once when a case closed by mistake is reopened: what the closing took back is queued again for the listing restored, and goes once', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    admin = await signIn(app, 'admin@demo.police.uk');
    // The force asks a day after a hearing how it went: counted from the hearing's time, going after it.
    const added = await app.inject({ method: 'POST', url: '/api/journey-rules', headers: admin.headers, payload: { milestone: 'case.court_date_set', templateKey: 'case.court_date_set', delayFrom: 'at', delayMinutes: DAY } });
    expect(added.statusCode, added.body).toBe(201);
    const after = added.json<{ rule: { id: string } }>().rule.id;

    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'suspect_identified' });
    await milestone(app, investigator, victim.caseId, { type: 'charged' });
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-12T09:00:00Z', place: 'Demoton Magistrates’ Court' });
    await app.runner?.runDue();
    expect((await queuedBy(after, victim.caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-05-13T09:00:00Z')]]);

    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await app.runner?.runDue();
    await milestone(app, investigator, victim.caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });
    await app.runner?.runDue();
    clock.set(new Date('2026-05-13T09:30:00Z'));
    await app.runner?.runDue();
    // The closing took the first back while it waited; the reopening's goes: once.
    expect((await queuedBy(after, victim.caseId)).map((r) => r.status)).toEqual(['suppressed', 'delivered']);
  });
});
