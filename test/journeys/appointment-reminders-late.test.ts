import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { REMINDERS_WITHDRAWAL_JOB } from '../../src/capabilities/cases/case.events.ts';
import { DELIVER_JOB } from '../../src/capabilities/outbox/outbox.events.ts';
import { appointmentIdOf, milestone, portalOnlyVictim, reminderReads, type Session } from './journey-kit.ts';

// A reminder tells a victim the time of their appointment. Whatever happened to the jobs between
// its queuing and its sending (the withdrawal of a moved or cancelled appointment's reminder given
// up, an outage, an admin putting a dead job back), what goes must be true when it goes: never the
// old time, never a cancelled appointment, never one whose time has passed; and once.

const CHANGED = 'the appointment was changed; a reminder of the new time replaces this one';
const CANCELLED = 'the appointment was cancelled';
const PASSED = 'the time of the appointment had come before this could be sent';

describe('appointment reminders are true when they go', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const { inForce, eventsOf, reminders, shownReminders, giveUpWithdrawal } = reminderReads(() => app, 'journey:appointment.reminder');
  const jobsOf = (type: string, field: string, value: string) =>
    inForce((tx) => tx.selectFrom('jobs').select(['id', 'state']).where('type', '=', type).where(sql<boolean>`payload->>${field} = ${value}`).execute());
  /** A victim told in the portal inbox, where a reminder is delivered the moment its job runs. */
  const portalVictim = async (language: 'en' | 'cy' = 'en') => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await portalOnlyVictim(app, language);
    investigator = victim.investigator;
    return victim;
  };
  const appointmentOf = (caseId: string) => appointmentIdOf(app, investigator, caseId);

  it('sends no reminder of the old time when the moved appointment’s withdrawal was given up, reminds of the new time once, in Welsh, and an admin’s retry changes nothing', async () => {
    const victim = await portalVictim('cy');
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const appointmentId = await appointmentOf(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['pending', 'pending']);

    // The old reminder's time comes: it names a time that no longer stands, so it does not go.
    clock.set(new Date('2026-05-09T11:00:00Z'));
    await app.runner?.runDue();
    const [old] = await reminders(victim.caseId);
    expect(old).toMatchObject({ status: 'suppressed', last_error: CHANGED, delivered_at: null });
    expect((await eventsOf('outbox.withdrawn', victim.caseId)).map((e) => [e.subject_id, e.data.reason])).toEqual([[old?.id, CHANGED]]);

    // An admin puts the dead withdrawal back once its cause is mended: nothing more is withdrawn or sent.
    const admin = await signIn(app, 'admin@demo.police.uk');
    const [dead] = await jobsOf(REMINDERS_WITHDRAWAL_JOB, 'caseId', victim.caseId);
    const retried = await app.inject({ method: 'POST', url: `/api/jobs/${dead?.id}/retry`, headers: admin.headers });
    expect(retried.statusCode, retried.body).toBe(200);
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['suppressed', 'pending']);
    expect(await eventsOf('outbox.withdrawn', victim.caseId)).toHaveLength(1);

    // The reminder of the new time goes at its time, in the victim's language.
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId))[1]?.status).toBe('pending');
    clock.set(new Date('2026-05-11T14:00:00Z'));
    await app.runner?.runDue();
    const [, renewed] = await reminders(victim.caseId);
    expect(renewed).toMatchObject({ status: 'delivered', not_before: new Date('2026-05-11T14:00:00Z') });
    expect((await eventsOf('outbox.delivered', victim.caseId)).filter((e) => e.data.purpose === 'journey:appointment.reminder').map((e) => e.subject_id)).toEqual([renewed?.id]);
    expect(renewed?.subject).toMatch(/^Nodyn atgoffa/);
    expect(renewed?.body).toContain('12 Mai 2026');
    expect(renewed?.body).not.toContain('10 Mai');
    expect(await shownReminders(victim.caseId)).toEqual(expect.arrayContaining([['suppressed', CHANGED]]));
  });

  it('sends no reminder of a cancelled appointment whose withdrawal was given up', async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_cancelled', appointmentId: await appointmentOf(victim.caseId) });
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();

    clock.set(new Date('2026-05-09T11:00:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', CANCELLED, null]]);
    expect(await eventsOf('outbox.delivered', victim.caseId).then((rows) => rows.filter((r) => r.data.purpose === 'journey:appointment.reminder'))).toEqual([]);
    expect(await shownReminders(victim.caseId)).toEqual([['suppressed', CANCELLED]]);
  });

  it('sends no reminder when its delivery first runs after the appointment’s time (an outage), and staff read why', async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['pending']);

    // Nothing ran from before the reminder's time until after the appointment.
    clock.set(new Date('2026-05-10T10:30:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', PASSED, null]]);
    expect((await eventsOf('outbox.withdrawn', victim.caseId)).map((e) => e.data.reason)).toEqual([PASSED]);
    expect(await shownReminders(victim.caseId)).toEqual([['suppressed', PASSED]]);
  });

  it('sends no reminder when an admin puts its dead delivery job back after the appointment', async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const [queued] = await reminders(victim.caseId);
    // Its delivery job died with the message still waiting (its given-up hook did not settle it).
    await inForce((tx) => tx.updateTable('jobs').set({ state: 'dead', last_error: 'given up' }).where('type', '=', DELIVER_JOB).where(sql<boolean>`payload->>'outboxId' = ${queued?.id ?? ''}`).execute());

    clock.set(new Date('2026-05-11T09:00:00Z'));
    const admin = await signIn(app, 'admin@demo.police.uk');
    const [dead] = await jobsOf(DELIVER_JOB, 'outboxId', queued?.id ?? '');
    const retried = await app.inject({ method: 'POST', url: `/api/jobs/${dead?.id}/retry`, headers: admin.headers });
    expect(retried.statusCode, retried.body).toBe(200);
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', PASSED, null]]);
  });

  it('sends no reminder of a day alone when its delivery first runs after that day has ended', async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10', place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['pending']);

    // 00:30 on 11 May, UK summer time: the day of the appointment is over.
    clock.set(new Date('2026-05-10T23:30:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', 'the day of the appointment had passed before this could be sent']]);
  });

  it('sends a reminder whose delivery runs late but before the appointment, once, however often its job runs', async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const [queued] = await reminders(victim.caseId);

    // Late, but in time to be of use: it goes.
    clock.set(new Date('2026-05-10T07:00:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['delivered']);

    // Its delivery job runs again (a worker that lost its lease, a duplicate): nothing is sent twice.
    await inForce((tx) =>
      tx.updateTable('jobs').set({ state: 'pending', attempts: 0, run_at: clock.now() }).where('type', '=', DELIVER_JOB).where(sql<boolean>`payload->>'outboxId' = ${queued?.id ?? ''}`).execute(),
    );
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['delivered']);
    expect((await eventsOf('outbox.delivered', victim.caseId)).filter((e) => e.subject_id === queued?.id)).toHaveLength(1);
    expect(await eventsOf('outbox.withdrawn', victim.caseId)).toEqual([]);
  });

  it('withdraws a moved appointment’s reminder once when its withdrawal job runs twice', async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId: await appointmentOf(victim.caseId), at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    await inForce((tx) => tx.updateTable('jobs').set({ state: 'pending', attempts: 0, run_at: clock.now() }).where('type', '=', REMINDERS_WITHDRAWAL_JOB).where(sql<boolean>`payload->>'caseId' = ${victim.caseId}`).execute());
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([
      ['suppressed', CHANGED],
      ['pending', null],
    ]);
    expect(await eventsOf('outbox.withdrawn', victim.caseId)).toHaveLength(1);
  });

  it('reminds once, at the first reminder’s moment and in Welsh, of an appointment whose change moved only its place, naming the new place', async () => {
    const victim = await portalVictim('cy');
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const appointmentId = await appointmentOf(victim.caseId);
    // The time given again as it was: only the place is new.
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-10T10:00:00Z', place: 'High Street station' });
    await app.runner?.runDue();

    clock.set(new Date('2026-05-09T10:00:00Z'));
    await app.runner?.runDue();
    await app.runner?.runDue();
    const sent = (await reminders(victim.caseId)).filter((r) => r.status === 'delivered');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ not_before: new Date('2026-05-09T10:00:00Z') });
    expect(sent[0]?.subject).toMatch(/^Nodyn atgoffa/);
    expect(sent[0]?.body).toContain('High Street station');
    expect(sent[0]?.body).not.toContain('Low Road');
    expect(await eventsOf('outbox.delivered', victim.caseId).then((rows) => rows.filter((r) => r.data.purpose === 'journey:appointment.reminder'))).toHaveLength(1);
    expect(await shownReminders(victim.caseId)).toEqual(expect.arrayContaining([['suppressed', CHANGED]]));
  });

  it('refuses a change of an appointment that gives no time, so no reminder is taken back for one that never comes', async () => {
    const victim = await portalVictim();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const refused = await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId: await appointmentOf(victim.caseId), place: 'High Street station' }, 400);
    expect(refused.body).toContain('must be given: the victim is told when the appointment is');
    await app.runner?.runDue();

    clock.set(new Date('2026-05-09T10:00:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([['delivered', null]]);
  });
});
