import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { sql } from 'kysely';
import { withForce } from '../../src/platform/db/database.ts';
import { milestone, reportedCase, setPreferences, type Session } from './journey-kit.ts';
import { JOURNEY_MILESTONE_JOB } from '../../src/capabilities/journeys/journey.events.ts';

// An appointment's reminder is queued a day before it; when the appointment moves or is cancelled,
// the reminder not yet sent is withdrawn (suppressed, with the reason and an event), and a moved
// one gets a reminder of its new time. One already sent is history and stays as it was.

describe('appointment reminders follow the appointment', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let handler: Session;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  /** Sessions end when idle: staff sign in again after the clock moves on. */
  const signInNow = async () => {
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
  };
  afterAll(() => app?.close());

  const reminders = (caseId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['id', 'status', 'last_error', 'not_before', 'sent_at', 'delivered_at'])
        .where('case_id', '=', caseId)
        .where('purpose', '=', 'journey:appointment.reminder')
        .orderBy('not_before')
        .execute(),
    );
  const withdrawals = (caseId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['subject_id', 'data']).where('type', '=', 'outbox.withdrawn').where(sql<boolean>`data->>'caseId' = ${caseId}`).orderBy('seq').execute(),
    );
  const appointmentIds = async (caseId: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/appointments`, headers: investigator.headers });
    return response.json<{ appointments: { id: string; status: string }[] }>().appointments;
  };

  it('withdraws the reminder of a moved appointment, reminds of the new time, and withdraws that one when it is cancelled', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    await signInNow();
    const victim = await reportedCase(app, handler);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const [first] = await reminders(victim.caseId);
    expect(first).toMatchObject({ status: 'pending', not_before: new Date('2026-05-09T10:00:00Z') });

    const [appointment] = await appointmentIds(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId: appointment?.id, at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const [old, renewed, ...none] = await reminders(victim.caseId);
    expect(none).toEqual([]);
    expect(old).toMatchObject({ id: first?.id, status: 'suppressed', last_error: 'the appointment was changed; a reminder of the new time replaces this one' });
    expect(renewed).toMatchObject({ status: 'pending', not_before: new Date('2026-05-11T14:00:00Z') });
    expect((await withdrawals(victim.caseId)).map((e) => [e.subject_id, e.data.reason])).toEqual([[first?.id, 'the appointment was changed; a reminder of the new time replaces this one']]);

    // The old reminder's time comes and goes: nothing is sent for it.
    clock.set(new Date('2026-05-09T11:00:00Z'));
    await app.runner?.runDue();
    expect((await reminders(victim.caseId))[0]).toMatchObject({ status: 'suppressed', sent_at: null, delivered_at: null });
    await signInNow();

    await milestone(app, investigator, victim.caseId, { type: 'appointment_cancelled', appointmentId: appointment?.id });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([
      ['suppressed', 'the appointment was changed; a reminder of the new time replaces this one'],
      ['suppressed', 'the appointment was cancelled'],
    ]);
    expect(await withdrawals(victim.caseId)).toHaveLength(2);
    // The case screen says why the reminders did not go.
    const messages = await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}/messages`, headers: investigator.headers });
    const shown = messages.json<{ messages: { purpose: string; status: string; reason: string | null }[] }>().messages.filter((m) => m.purpose === 'journey:appointment.reminder');
    // Both were queued at the same (fixed) time, so the screen's order between them is not the point.
    expect(shown.map((m) => [m.status, m.reason]).sort()).toEqual([
      ['suppressed', 'the appointment was cancelled'],
      ['suppressed', 'the appointment was changed; a reminder of the new time replaces this one'],
    ]);
  });

  it('leaves a reminder already sent as it was, and touches only the appointment that changed', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    await signInNow();
    const victim = await reportedCase(app, handler);
    // The portal inbox: a reminder is delivered when its time comes.
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['portal'], portalOnly: true });
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-08T10:00:00Z', place: 'First place' });
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-20T10:00:00Z', place: 'Second place' });
    await app.runner?.runDue();
    clock.set(new Date('2026-05-07T10:30:00Z'));
    await app.runner?.runDue();
    await signInNow();
    const [sent, other] = await reminders(victim.caseId);
    expect(sent?.status).toBe('delivered');
    expect(other?.status).toBe('pending');

    const [firstAppointment] = await appointmentIds(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_cancelled', appointmentId: firstAppointment?.id });
    await app.runner?.runDue();
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['delivered', 'pending']);
    expect(await withdrawals(victim.caseId)).toEqual([]);
  });
  it('queues no reminder of a time already moved when the first journey runs after the change’s withdrawal', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    await signInNow();
    const victim = await reportedCase(app, handler);
    await app.runner?.runDue();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    const [appointment] = await appointmentIds(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId: appointment?.id, at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
    // The journey of the appointment as first made is held back until the change's withdrawal has
    // run: jobs due at one moment run in no promised order.
    await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .updateTable('jobs')
        .set({ run_at: new Date('2026-05-06T09:01:00Z') })
        .where('type', '=', JOURNEY_MILESTONE_JOB)
        .where(sql<boolean>`payload->>'caseId' = ${victim.caseId} and payload->>'milestone' = 'case.appointment_made'`)
        .execute(),
    );
    await app.runner?.runDue();
    clock.set(new Date('2026-05-06T09:02:00Z'));
    await app.runner?.runDue();

    // One reminder, of the time that stands; the first journey's reminder is not queued, and says why.
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-05-11T14:00:00Z')]]);
    const suppressed = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('events')
        .select(sql<string>`data->>'reason'`.as('reason'))
        .where('type', '=', 'journey.message_suppressed')
        .where('subject_id', '=', victim.caseId)
        .where(sql<boolean>`data->>'step' = 'appointment.reminder'`)
        .execute(),
    );
    expect(suppressed.map((row) => row.reason)).toEqual(['the appointment was changed before this was queued']);
  });
});
