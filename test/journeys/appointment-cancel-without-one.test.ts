// A records-system status the force maps to "appointment cancelled", sent for a case with no
// appointment standing (none ever made, or the last one cancelled already), told each victim
// "Your appointment has been cancelled" of an appointment they never had, or a second time. It is
// recorded, as the records system said it, but tells no victim of a cancellation: staff read why
// no message went, and the records system's answer warns (decision 0126, as 0122 did for a change).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { connectRecordsSystem } from './journey-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { getVictimCase } from '../../src/capabilities/victim-portal/victim-case.service.ts';

// A Monday morning in March (GMT), inside any default safe time.
const START = new Date('2026-03-02T10:00:00Z');
const NOTHING_TO_CANCEL = 'the case had no appointment standing for this cancellation to be about';
const WARNING = 'status APX means appointment_cancelled, but the case has no appointment standing: the cancellation is recorded and the victims are not told of it';
const CANCELLATION_TOLD = /has been cancelled|wedi’i ganslo/i;

describe(`an appointment's cancellation with none standing (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let records: Awaited<ReturnType<typeof connectRecordsSystem>>;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    records = await connectRecordsSystem(app, clock, START);
    // The force's records system has a status of its own for "appointment cancelled".
    const mapping = await app.inject({ method: 'GET', url: '/api/integrations/records/mapping', headers: records.admin.headers });
    const statuses = [...mapping.json<{ statuses: Record<string, unknown>[] }>().statuses, { system: 'niche', code: 'APX', label: 'Appointment cancelled', moves: ['appointment_cancelled'], outcomeCode: null, reason: null }];
    const saved = await app.inject({ method: 'PUT', url: '/api/integrations/records/mapping', headers: records.admin.headers, payload: { statuses, crimeTypes: [] } });
    expect(saved.statusCode, saved.body).toBe(200);
  });
  afterAll(() => app.close());

  /** A victim who reads English and one who reads Welsh. */
  const bothLanguages = (n: number) => [
    { reference: 'V1', name: 'Rhian Example', email: `rhian.apx${n}@example.org`, language: 'cy' },
    { reference: 'V2', name: 'Sam Example', email: `sam.apx${n}@example.org`, language: 'en' },
  ];
  const outboxOf = (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('outbox').select(['purpose', 'subject', 'body']).where('case_id', '=', caseId).orderBy('created_at').orderBy('seq').execute());
  /** What the case screen shows staff of a case's messages about a cancellation. */
  const shownCancellations = async (caseId: string) => {
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/messages`, headers: investigator.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response
      .json<{ messages: { kind: string; purpose: string; status: string; reason: string | null; victim: { name: string } | null }[] }>()
      .messages.filter((m) => m.purpose === 'journey:case.appointment_cancelled')
      .map((m) => [m.kind, m.status, m.reason, m.victim?.name]);
  };
  /** The cancellations each victim's own case page lists, in English and in Welsh. */
  const cancellationsOnVictimPages = async (caseId: string) => {
    const victims = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select('person_id').where('case_id', '=', caseId).where('role', '=', 'victim').execute());
    expect(victims).toHaveLength(2);
    const listed: string[] = [];
    for (const { person_id } of victims) {
      for (const locale of ['en', 'cy'] as const) {
        const page = await getVictimCase(app.deps, app.demoForceId, caseId, person_id ?? '', locale);
        expect(page).not.toBeNull();
        listed.push(...(page?.updates ?? []).filter((u) => u.kind === 'milestone' && u.type === 'case.appointment_cancelled').map(() => `${person_id}:${locale}`));
      }
    }
    return listed.length;
  };
  const timelineTypes = async (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select('type').where('subject_id', '=', caseId).where('type', '=', 'case.appointment_cancelled').execute());

  it('records a cancellation with no appointment ever made but tells neither victim, in English or Welsh, of one; staff read why and the answer warns', async () => {
    const made = await records.send('NIC/26/4001', { victims: bothLanguages(1) });
    const cancelled = await records.send('NIC/26/4001', { status: 'APX', victims: bothLanguages(1) });
    expect(cancelled.moves.map((m) => m.move)).toEqual(['appointment_cancelled']);
    expect(cancelled.warnings).toEqual([WARNING]);
    expect(await timelineTypes(made.caseId)).toHaveLength(1);

    const told = await outboxOf(made.caseId);
    expect(told.filter((m) => m.purpose === 'journey:case.appointment_cancelled')).toEqual([]);
    expect(told.filter((m) => CANCELLATION_TOLD.test(`${m.subject ?? ''} ${m.body}`))).toEqual([]);
    expect(await shownCancellations(made.caseId)).toEqual(
      expect.arrayContaining([
        ['not_sent', 'suppressed', NOTHING_TO_CANCEL, 'Rhian Example'],
        ['not_sent', 'suppressed', NOTHING_TO_CANCEL, 'Sam Example'],
      ]),
    );
    expect(await shownCancellations(made.caseId)).toHaveLength(2);
    // Nor does either victim's own case page list a cancellation.
    expect(await cancellationsOnVictimPages(made.caseId)).toBe(0);
  });

  it('tells each victim once, in their language, of a cancellation, and not again when a status cancels what is cancelled already', async () => {
    const made = await records.send('NIC/26/4002', { victims: bothLanguages(2), appointments: [{ reference: 'A1', at: '2026-03-10T10:00:00Z', place: 'Low Road station' }] });
    const first = await records.send('NIC/26/4002', { status: 'APX', victims: bothLanguages(2) });
    expect(first.warnings).toEqual([]);
    const toldOnce = (await outboxOf(made.caseId)).filter((m) => m.purpose === 'journey:case.appointment_cancelled');
    expect(toldOnce.map((m) => m.subject).sort()).toEqual(['Mae eich apwyntiad wedi’i ganslo', 'Your appointment has been cancelled']);

    // The records system sends the cancellation again under another status code and then this one.
    await records.send('NIC/26/4002', { status: 'OPEN', victims: bothLanguages(2) });
    const again = await records.send('NIC/26/4002', { status: 'APX', victims: bothLanguages(2) });
    expect(again.moves.map((m) => m.move)).toEqual(['appointment_cancelled']);
    expect(again.warnings).toEqual([WARNING]);
    expect((await outboxOf(made.caseId)).filter((m) => m.purpose === 'journey:case.appointment_cancelled')).toHaveLength(2);
    const notSent = (await shownCancellations(made.caseId)).filter(([kind]) => kind === 'not_sent');
    expect(notSent.map(([, , reason, name]) => [reason, name])).toEqual(
      expect.arrayContaining([
        [NOTHING_TO_CANCEL, 'Rhian Example'],
        [NOTHING_TO_CANCEL, 'Sam Example'],
      ]),
    );
    // Each victim's page lists the one cancellation, in each language, not the second.
    expect(await cancellationsOnVictimPages(made.caseId)).toBe(4);
  });
});
