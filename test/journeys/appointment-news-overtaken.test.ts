import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { JOURNEY_MILESTONE_JOB } from '../../src/capabilities/journeys/journey.events.ts';
import { appointmentIdOf, milestone, portalOnlyVictim, reminderReads, type Session } from './journey-kit.ts';

// The message telling a victim of their appointment ("an appointment was made", "your appointment
// has changed") may wait: for the victim's safe time to contact them, or a rule's delay. The
// appointment cancelled or moved before it goes, it would tell of an appointment that no longer
// stands, or of the old time. It is taken back as a reminder is (decision 0126): at once, by the
// cancellation's or the change's withdrawal, and at its delivery should that withdrawal be given
// up; and not sent once the appointment's time has come. The message of the cancellation itself,
// and of the change, still goes, at the victim's safe time, in their language.

const CANCELLED = 'the appointment was cancelled';
const CHANGED = 'the appointment was changed';
const PASSED = 'the time of the appointment had come before this could be sent';

describe(`an appointment's message overtaken before it goes (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time; the victims are safe to contact from 18:00 to 20:00.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  const SAFE = new Date('2026-05-06T17:00:00Z');
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const made = reminderReads(() => app, 'journey:case.appointment_made');
  const changed = reminderReads(() => app, 'journey:case.appointment_changed');
  const cancelled = reminderReads(() => app, 'journey:case.appointment_cancelled');
  /** A victim told in the portal inbox (delivered the moment its job runs), safe to contact only in the evening. */
  const eveningVictim = async (language: 'en' | 'cy') => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const victim = await portalOnlyVictim(app, language, { safeWindows: [{ days: every, from: '18:00', to: '20:00' }] });
    investigator = victim.investigator;
    return victim;
  };
  const appointmentOf = (caseId: string) => appointmentIdOf(app, investigator, caseId);
  /** An appointment made in the morning: its message waits for the evening. */
  const appointmentMade = async (caseId: string, at = '2026-05-10T10:00:00Z') => {
    await milestone(app, investigator, caseId, { type: 'appointment_made', at, place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await made.reminders(caseId)).map((m) => [m.status, m.not_before])).toEqual([['pending', SAFE]]);
    return appointmentOf(caseId);
  };
  const evening = async () => {
    clock.set(SAFE);
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };

  for (const [language, subject] of [
    ['cy', 'Mae eich apwyntiad wedi’i ganslo'],
    ['en', 'Your appointment has been cancelled'],
  ] as const) {
    it(`takes back the waiting message of an appointment cancelled, at once, and tells only of the cancellation at the safe time (${language})`, async () => {
      const victim = await eveningVictim(language);
      const appointmentId = await appointmentMade(victim.caseId);
      clock.set(new Date('2026-05-06T09:30:00Z'));
      await milestone(app, investigator, victim.caseId, { type: 'appointment_cancelled', appointmentId });
      await app.runner?.runDue();
      // Staff see at once that the message of the appointment will not go, and why.
      const [news] = await made.reminders(victim.caseId);
      expect([news?.status, news?.last_error]).toEqual(['suppressed', CANCELLED]);
      expect(await made.shownReminders(victim.caseId)).toEqual([['suppressed', CANCELLED]]);
      expect((await made.eventsOf('outbox.withdrawn', victim.caseId)).filter((e) => e.subject_id === news?.id).map((e) => e.data.reason)).toEqual([CANCELLED]);

      await evening();
      expect((await made.reminders(victim.caseId)).map((m) => [m.status, m.delivered_at])).toEqual([['suppressed', null]]);
      const told = await cancelled.reminders(victim.caseId);
      expect(told.map((m) => [m.status, m.subject])).toEqual([['delivered', subject]]);
    });
  }

  it('does not send the waiting message of an appointment cancelled when the withdrawal was given up, and still tells of the cancellation', async () => {
    const victim = await eveningVictim('en');
    const appointmentId = await appointmentMade(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_cancelled', appointmentId });
    await made.giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();
    expect((await made.reminders(victim.caseId)).map((m) => m.status)).toEqual(['pending']);

    await evening();
    expect((await made.reminders(victim.caseId)).map((m) => [m.status, m.last_error, m.delivered_at])).toEqual([['suppressed', CANCELLED, null]]);
    expect((await made.eventsOf('outbox.delivered', victim.caseId)).filter((e) => e.data.purpose === 'journey:case.appointment_made')).toEqual([]);
    expect((await cancelled.reminders(victim.caseId)).map((m) => m.status)).toEqual(['delivered']);
  });

  for (const [language, day] of [
    ['cy', '12 Mai 2026'],
    ['en', '12 May 2026'],
  ] as const) {
    it(`tells only the new time when the appointment moves before its message goes (${language})`, async () => {
      const victim = await eveningVictim(language);
      const appointmentId = await appointmentMade(victim.caseId);
      await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
      await app.runner?.runDue();
      expect((await made.reminders(victim.caseId)).map((m) => [m.status, m.last_error])).toEqual([['suppressed', CHANGED]]);

      await evening();
      const told = await changed.reminders(victim.caseId);
      expect(told.map((m) => m.status)).toEqual(['delivered']);
      expect(told[0]?.body).toContain(day);
      expect(told[0]?.body).not.toMatch(/10 (May|Mai)/);
      expect((await made.reminders(victim.caseId)).map((m) => m.delivered_at)).toEqual([null]);
    });
  }

  it('does not send the waiting message of the appointment’s old time when it is moved again before the change’s message goes', async () => {
    const victim = await eveningVictim('en');
    const appointmentId = await appointmentMade(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-13T14:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();

    await evening();
    const told = await changed.reminders(victim.caseId);
    const day = (m: { body: string }) => (m.body.includes('12 May 2026') ? '12 May' : m.body.includes('13 May 2026') ? '13 May' : 'neither');
    expect(told.map((m) => [day(m), m.status, m.last_error]).sort()).toEqual([
      ['12 May', 'suppressed', CHANGED],
      ['13 May', 'delivered', null],
    ]);
  });

  it('queues no message of an appointment already cancelled when its journey runs late, and staff read why', async () => {
    const victim = await eveningVictim('en');
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    // The appointment's journey is held up (an outage, a retry) until after its cancellation.
    await made.inForce((tx) =>
      tx
        .updateTable('jobs')
        .set({ run_at: new Date('2026-05-06T10:00:00Z') })
        .where('type', '=', JOURNEY_MILESTONE_JOB)
        .where(sql<boolean>`payload->>'caseId' = ${victim.caseId}`)
        .where(sql<boolean>`payload->>'milestone' = 'case.appointment_made'`)
        .execute(),
    );
    await milestone(app, investigator, victim.caseId, { type: 'appointment_cancelled', appointmentId: await appointmentOf(victim.caseId) });
    await app.runner?.runDue();
    clock.set(new Date('2026-05-06T10:00:00Z'));
    await app.runner?.runDue();

    expect(await made.reminders(victim.caseId)).toEqual([]);
    const notSent = await made.inForce((tx) => tx.selectFrom('events').select('data').where('type', '=', 'journey.message_suppressed').where('subject_id', '=', victim.caseId).execute());
    expect(notSent.filter((e) => e.data.step === 'case.appointment_made').map((e) => e.data.reason)).toEqual([`${CANCELLED} before this was queued`]);
    await evening();
    expect((await cancelled.reminders(victim.caseId)).map((m) => m.status)).toEqual(['delivered']);
  });

  it('does not send the message of an appointment whose time came while it waited', async () => {
    const victim = await eveningVictim('en');
    // An appointment at 16:00 today, made in the morning: the victim's safe time comes after it.
    await appointmentMade(victim.caseId, '2026-05-06T15:00:00Z');
    await evening();
    expect((await made.reminders(victim.caseId)).map((m) => [m.status, m.last_error, m.delivered_at])).toEqual([['suppressed', PASSED, null]]);
    expect(await made.shownReminders(victim.caseId)).toEqual([['suppressed', PASSED]]);
  });
});
