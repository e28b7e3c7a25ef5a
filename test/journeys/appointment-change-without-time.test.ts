// A change of an appointment that gives no time of its own (a records-system status the force maps
// to "appointment changed", sent with no appointment) leaves the appointment's time standing. Its
// reminder is taken back as any changed appointment's is, so the change must bring one in its
// place: the victim is reminded once, at the first reminder's moment, of the time still standing
// and the place as it now is, in their language (decision 0117).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { connectRecordsSystem } from './journey-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';

// A Monday morning in March (GMT), inside any default safe time.
const START = new Date('2026-03-02T10:00:00Z');
const CHANGED = 'the appointment was changed; a reminder of the new time replaces this one';

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
        .orderBy('created_at')
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
});
