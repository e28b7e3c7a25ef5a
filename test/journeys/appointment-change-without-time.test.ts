// A change of an appointment that gives no time of its own (a records-system status the force maps
// to "appointment changed", sent with no appointment) leaves the appointment's time standing. Its
// reminder is taken back as any changed appointment's is, so the change must bring one in its
// place: the victim is reminded once, at the first reminder's moment, of the time still standing
// and the place as it now is, in their language (decision 0117). A change with no appointment
// standing (none made, or the last one cancelled) is recorded, but tells the victim of no change to
// "a date to be confirmed": staff read why no message went (decision 0122).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { connectRecordsSystem } from './journey-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { getVictimCase } from '../../src/capabilities/victim-portal/victim-case.service.ts';

// A Monday morning in March (GMT), inside any default safe time.
const START = new Date('2026-03-02T10:00:00Z');
const CHANGED = 'the appointment was changed; a reminder of the new time replaces this one';
const NOTHING_STANDING = 'the case had no appointment standing for this change to be about';

describe(`an appointment's change that gives no time (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let records: Awaited<ReturnType<typeof connectRecordsSystem>>;

  const reminders = (caseId: string) =>
    withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['id', 'status', 'last_error', 'not_before', 'subject', 'body'])
        .where('case_id', '=', caseId)
        .where('purpose', '=', 'journey:appointment.reminder')
        .orderBy('created_at').orderBy('seq')
        .execute(),
    );
  /** The reminders that went (an email is delivered once the test's mailer takes it). */
  const sentReminders = async (caseId: string) => (await reminders(caseId)).filter((r) => r.status === 'sent' || r.status === 'delivered');
  /** The reminder's moment comes (the day before the appointment at 10:00) and every job due runs. */
  const reminderMoment = async () => {
    clock.set(new Date('2026-03-09T10:00:00Z'));
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    records = await connectRecordsSystem(app, clock, START);
    // The force's records system has a status of its own for "appointment changed".
    const mapping = await app.inject({ method: 'GET', url: '/api/integrations/records/mapping', headers: records.admin.headers });
    const statuses = [...mapping.json<{ statuses: Record<string, unknown>[] }>().statuses, { system: 'niche', code: 'APC', label: 'Appointment changed', moves: ['appointment_changed'], outcomeCode: null, reason: null }];
    const saved = await app.inject({ method: 'PUT', url: '/api/integrations/records/mapping', headers: records.admin.headers, payload: { statuses, crimeTypes: [] } });
    expect(saved.statusCode, saved.body).toBe(200);
  });
  afterAll(() => app.close());

  const victims = (n: number) => [{ reference: 'V1', name: 'Rhian Example', email: `rhian.apc${n}@example.org`, language: 'cy' }];

  it('reminds once, in Welsh, of the time still standing when the change gives none', async () => {
    const made = await records.send('NIC/26/3001', { victims: victims(1), appointments: [{ reference: 'A1', at: '2026-03-10T10:00:00Z', place: 'Low Road station' }] });
    expect((await reminders(made.caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date('2026-03-09T10:00:00Z')]]);
    const changed = await records.send('NIC/26/3001', { status: 'APC', victims: victims(1) });
    expect(changed.moves.map((m) => m.move)).toEqual(['appointment_changed']);

    await reminderMoment();
    const sent = await sentReminders(made.caseId);
    expect(sent).toHaveLength(1);
    const [reminder] = sent;
    expect(reminder?.subject).toMatch(/^Nodyn atgoffa/);
    expect(reminder?.body).toContain('10 Mawrth 2026');
    expect(reminder?.body).toContain('Low Road station');
    expect((await reminders(made.caseId)).filter((r) => r.status === 'suppressed').map((r) => r.last_error)).toEqual([CHANGED]);
  });

  it('reminds once of the new place when the change that gives no time comes with the appointment at a new place', async () => {
    const made = await records.send('NIC/26/3002', { victims: victims(2), appointments: [{ reference: 'A1', at: '2026-03-10T10:00:00Z', place: 'Low Road station' }] });
    await records.send('NIC/26/3002', { status: 'APC', victims: victims(2), appointments: [{ reference: 'A1', at: '2026-03-10T10:00:00Z', place: 'High Street station' }] });

    await reminderMoment();
    const sent = await sentReminders(made.caseId);
    expect(sent).toHaveLength(1);
    const [reminder] = sent;
    expect(reminder?.body).toContain('High Street station');
    expect(reminder?.body).not.toContain('Low Road');
  });

  /** What the case screen shows staff of a case's messages about a change of appointment. */
  const shownChanges = async (caseId: string) => {
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/messages`, headers: investigator.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response
      .json<{ messages: { kind: string; purpose: string; status: string; reason: string | null; victim: { name: string } | null }[] }>()
      .messages.filter((m) => m.purpose === 'journey:case.appointment_changed' || m.purpose === 'journey:appointment.reminder');
  };
  const outboxOf = (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('outbox').select(['purpose', 'subject', 'body']).where('case_id', '=', caseId).orderBy('created_at').orderBy('seq').execute());
  /** A victim who reads English and one who reads Welsh. */
  const bothLanguages = (n: number) => [
    { reference: 'V1', name: 'Rhian Example', email: `rhian.none${n}@example.org`, language: 'cy' },
    { reference: 'V2', name: 'Sam Example', email: `sam.none${n}@example.org`, language: 'en' },
  ];
  const NO_CHANGE_TOLD = /to be confirmed|i’w gadarnhau|appointment has changed|apwyntiad wedi newid/i;

  it('records a change with no appointment ever made but tells neither victim, in English or Welsh, of a change; staff read why', async () => {
    const made = await records.send('NIC/26/3003', { victims: bothLanguages(3) });
    const changed = await records.send('NIC/26/3003', { status: 'APC', victims: bothLanguages(3) });
    expect(changed.moves.map((m) => m.move)).toEqual(['appointment_changed']);
    expect(changed.warnings).toEqual(['status APC means appointment_changed, but the case has no appointment standing: the change is recorded and the victims are not told of it']);

    await reminderMoment();
    const told = await outboxOf(made.caseId);
    expect(told.filter((m) => m.purpose === 'journey:case.appointment_changed' || m.purpose === 'journey:appointment.reminder')).toEqual([]);
    expect(told.filter((m) => NO_CHANGE_TOLD.test(`${m.subject ?? ''} ${m.body}`))).toEqual([]);
    const shown = await shownChanges(made.caseId);
    expect(shown.map((m) => [m.purpose, m.kind, m.status, m.reason, m.victim?.name])).toEqual(
      expect.arrayContaining([
        ['journey:case.appointment_changed', 'not_sent', 'suppressed', NOTHING_STANDING, 'Rhian Example'],
        ['journey:case.appointment_changed', 'not_sent', 'suppressed', NOTHING_STANDING, 'Sam Example'],
      ]),
    );
    expect(shown.every((m) => m.reason === NOTHING_STANDING)).toBe(true);

    // Nor does the victims' own page of the case say their appointment has changed, in either language.
    const victims = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select('person_id').where('case_id', '=', made.caseId).where('role', '=', 'victim').execute());
    expect(victims).toHaveLength(2);
    for (const { person_id } of victims) {
      for (const locale of ['en', 'cy'] as const) {
        const page = await getVictimCase(app.deps, app.demoForceId, made.caseId, person_id ?? '', locale);
        expect(page?.updates.filter((u) => u.kind === 'milestone').map((u) => u.type)).not.toContain('case.appointment_changed');
      }
    }
  });

  it('tells of no change when the case’s last appointment was cancelled, and a later appointment is told as made', async () => {
    const made = await records.send('NIC/26/3004', { victims: bothLanguages(4), appointments: [{ reference: 'A1', at: '2026-03-10T10:00:00Z', place: 'Low Road station' }] });
    await records.send('NIC/26/3004', { victims: bothLanguages(4), appointments: [{ reference: 'A1', at: '2026-03-10T10:00:00Z', place: 'Low Road station', isCancelled: true }] });
    const changed = await records.send('NIC/26/3004', { status: 'APC', victims: bothLanguages(4) });
    expect(changed.moves.map((m) => m.move)).toEqual(['appointment_changed']);
    expect(changed.warnings).toHaveLength(1);
    expect((await outboxOf(made.caseId)).filter((m) => m.purpose === 'journey:case.appointment_changed')).toEqual([]);
    expect((await shownChanges(made.caseId)).filter((m) => m.kind === 'not_sent' && m.purpose === 'journey:case.appointment_changed').map((m) => m.reason)).toEqual([NOTHING_STANDING, NOTHING_STANDING]);

    // The records system then gives the appointment: each victim is told it, in their language.
    await records.send('NIC/26/3004', { victims: bothLanguages(4), appointments: [{ reference: 'A2', at: '2026-03-12T10:00:00Z', place: 'High Street station' }] });
    const told = (await outboxOf(made.caseId)).filter((m) => m.purpose === 'journey:case.appointment_made' && m.body.includes('High Street station'));
    expect(told.map((m) => m.subject).sort()).toEqual(['Eich apwyntiad ar ddydd Iau 12 Mawrth 2026', 'Your appointment on Thursday 12 March 2026']);
  });
});
