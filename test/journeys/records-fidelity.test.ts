// What a force's records system sends is neither dropped nor misstated: two different changes made
// in the same second both count, a victim named twice is one victim (or a clear refusal), a victim
// it adds is recorded as one an investigator adds is, and a court date given without its time is
// told without one, and so is an appointment's (decision 0077). See docs/decisions/0070.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { connectRecordsSystem } from './journey-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';


// A Monday morning in March (GMT), inside any default safe time.
const START = new Date('2026-03-02T10:00:00Z');
/** A refused hearing or appointment time is told both forms it may take, once, in a sentence. */
const BOTH_FORMS = 'must be a date (2026-03-17), or a date and time with its offset (2026-03-17T10:00:00Z)';
const refusalsOf = (body: string) => (JSON.parse(body) as { error: { fields?: { path: string; sentence: string }[] } }).error.fields;

describe(`records-system updates kept whole (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let records: Awaited<ReturnType<typeof connectRecordsSystem>>;

  /** Posts one update, each a minute after the last; `send` expects it taken. */
  const post = (reference: string, payload: Record<string, unknown>) => records.post(reference, payload);
  const send = (reference: string, payload: Record<string, unknown>) => records.send(reference, payload);
  const eventsOf = (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'data', 'actor_type']).where('subject_id', '=', caseId).orderBy('seq').execute());
  const outboxOf = (caseId: string, step: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select(['subject', 'body', 'alternatives']).where('case_id', '=', caseId).where('purpose', '=', `journey:${step}`).orderBy('created_at').orderBy('seq').execute(),
    );
  /** Every channel's words of one journey step's messages on a case. */
  const bodiesOf = async (caseId: string, step: string) =>
    (await outboxOf(caseId, step)).flatMap((row) => [row.body, ...(row.alternatives as { body: string }[]).map((a) => a.body)]);
  const victimsOf = (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select(['id', 'name', 'email', 'records_reference']).where('case_id', '=', caseId).where('role', '=', 'victim').execute());

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    records = await connectRecordsSystem(app, clock, START);
  });
  afterAll(() => app.close());

  describe('updates made in the same second', () => {
    it('applies a different change stamped with the same second as the last one applied', async () => {
      const updatedAt = '2026-03-02T09:30:00Z';
      const victims = [{ reference: 'V1', name: 'Sam Example', email: 'sam.sec1@example.org' }];
      const first = await send('NIC/26/1001', { updatedAt, status: 'ARR', victims });
      expect(first.result).toBe('created');
      // The charge, made in the same second in the records system.
      const second = await send('NIC/26/1001', { updatedAt, status: 'CHG', victims });
      expect(second.result).toBe('updated');
      expect(second.moves.map((m) => m.move)).toEqual(['charged']);
      expect(await outboxOf(first.caseId, 'case.charged')).toHaveLength(1);
      // The first sent again (its answer was lost on the way back) is still a retry.
      const retried = await send('NIC/26/1001', { updatedAt, status: 'ARR', victims });
      expect(retried).toMatchObject({ result: 'duplicate', moves: [] });
      expect((await eventsOf(first.caseId)).filter((e) => e.type === 'records.update_applied')).toHaveLength(2);
      expect(await outboxOf(first.caseId, 'case.suspect_arrested')).toHaveLength(1);
    });

    it('takes the same update again as a retry: stored once, one milestone, one message', async () => {
      const update = { updatedAt: '2026-03-02T09:31:00Z', status: 'ARR', victims: [{ reference: 'V1', name: 'Sam Example', email: 'sam.sec2@example.org' }] };
      const first = await send('NIC/26/1002', update);
      const again = await send('NIC/26/1002', update);
      expect(again).toMatchObject({ result: 'duplicate', caseId: first.caseId, moves: [] });
      const types = (await eventsOf(first.caseId)).map((e) => e.type);
      expect(types.filter((t) => t === 'case.suspect_arrested')).toHaveLength(1);
      expect(types.filter((t) => t === 'records.update_applied')).toHaveLength(1);
      expect(await outboxOf(first.caseId, 'case.suspect_arrested')).toHaveLength(1);
    });

    it('still ignores an update older than the last one applied, whatever it says', async () => {
      const first = await send('NIC/26/1003', { updatedAt: '2026-03-02T09:32:00Z', status: 'CHG' });
      const late = await send('NIC/26/1003', { updatedAt: '2026-03-02T09:31:59Z', status: 'NFA' });
      expect(late.result).toBe('out_of_order');
      expect((await eventsOf(first.caseId)).map((e) => e.type)).not.toContain('case.closed');
    });
  });

  describe('a victim named twice in one update', () => {
    it('takes the same victim given twice as one victim, told once', async () => {
      const victim = { reference: 'V1', name: 'Sam Twice', email: 'sam.twice@example.org' };
      const answer = await send('NIC/26/1101', { status: 'ARR', victims: [victim, { ...victim }] });
      expect(await victimsOf(answer.caseId)).toEqual([expect.objectContaining({ records_reference: 'V1', email: 'sam.twice@example.org' })]);
      expect(await outboxOf(answer.caseId, 'case.suspect_arrested')).toHaveLength(1);
    });

    it('refuses-a-victim-given-twice-with-different-details with 400 naming the reference, changing nothing', async () => {
      const refused = await post('NIC/26/1102', {
        status: 'ARR',
        victims: [
          { reference: 'V7', name: 'Sam Twice', email: 'first@example.org' },
          { reference: 'V7', name: 'Sam Twice', email: 'second@example.org' },
        ],
      });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.body).toContain('victims.1.reference');
      expect(refused.body).toContain('V7');
      const stored = await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select('id').where('records_reference', '=', 'NIC/26/1102').execute());
      expect(stored).toEqual([]);
    });
  });

  describe('victims the records system adds', () => {
    it('records each as an investigator’s is: one case.person_added, through the recorder', async () => {
      const created = await send('NIC/26/1201', { status: 'ARR', victims: [{ reference: 'V1', name: 'Sam First', email: 'sam.first@example.org' }] });
      const later = await send('NIC/26/1201', {
        victims: [
          { reference: 'V1', name: 'Sam First', email: 'sam.first@example.org' },
          { reference: 'V2', name: 'Elin Second', enhancedRights: true },
        ],
      });
      expect(later.result).toBe('updated');
      const rows = await victimsOf(created.caseId);
      const added = (await eventsOf(created.caseId)).filter((e) => e.type === 'case.person_added');
      expect(added.map((e) => e.data)).toEqual([
        expect.objectContaining({ casePersonId: rows.find((r) => r.records_reference === 'V1')?.id, role: 'victim', source: 'records_system', details: { name: 'Sam First', role: 'victim', enhancedRights: 'no' } }),
        expect.objectContaining({ casePersonId: rows.find((r) => r.records_reference === 'V2')?.id, role: 'victim', personId: null, source: 'records_system', details: { name: 'Elin Second', role: 'victim', enhancedRights: 'yes' } }),
      ]);
      expect(new Set(added.map((e) => e.actor_type))).toEqual(new Set(['system']));
      // The same victims again add nobody.
      await send('NIC/26/1201', { victims: [{ reference: 'V2', name: 'Elin Second', enhancedRights: true }] });
      expect((await eventsOf(created.caseId)).filter((e) => e.type === 'case.person_added')).toHaveLength(2);
    });
  });

  describe('a court date given without its time', () => {
    const charged = async (reference: string) =>
      (
        await send(reference, {
          status: 'CHG',
          victims: [
            { reference: 'V1', name: 'Sam Example', email: `sam.${reference.slice(-4)}@example.org`, language: 'en' },
            { reference: 'V2', name: 'Elin Enghraifft', email: `elin.${reference.slice(-4)}@example.org`, language: 'cy' },
          ],
        })
      ).caseId;

    it('accepts a date alone and tells it without a time, in English and Welsh', async () => {
      const caseId = await charged('NIC/26/1301');
      const answer = await send('NIC/26/1301', { status: 'CRT', courtDate: { at: '2026-03-17', place: 'Demoton Magistrates’ Court' } });
      expect(answer.moves.map((m) => m.move)).toEqual(['court_date_set']);
      const told = (await bodiesOf(caseId, 'case.court_date_set')).join('\n');
      expect(told).toContain('heard at Demoton Magistrates’ Court on Tuesday 17 March 2026. The Witness Care Unit');
      expect(told).toContain('yn Demoton Magistrates’ Court ar ddydd Mawrth 17 Mawrth 2026. Bydd yr Uned Gofal Tystion');
      expect(told).not.toMatch(/00:00|01:00|i’w gadarnhau|to be confirmed/);
      // The same date again is no new listing.
      const same = await send('NIC/26/1301', { status: 'CRT', courtDate: { at: '2026-03-17', place: 'Demoton Magistrates’ Court' } });
      expect(same.moves).toEqual([]);
    });

    it('takes midnight, UK time, as a date without a time: in winter and in summer, reminders too', async () => {
      const winter = await charged('NIC/26/1302');
      await send('NIC/26/1302', { status: 'CRT', courtDate: { at: '2026-03-03T00:00:00Z', place: 'Demoton Crown Court' } });
      const winterTold = (await bodiesOf(winter, 'case.court_date_set')).join('\n');
      expect(winterTold).toContain('heard at Demoton Crown Court on Tuesday 3 March 2026.');
      expect(winterTold).not.toMatch(/00:00/);

      const summer = await charged('NIC/26/1303');
      await send('NIC/26/1303', { status: 'CRT', courtDate: { at: '2026-06-10T00:00:00+01:00', place: 'Demoton Crown Court' } });
      const summerTold = [...(await bodiesOf(summer, 'case.court_date_set')), ...(await bodiesOf(summer, 'case.court_date.reminder'))];
      expect(summerTold.join('\n')).toContain('heard at Demoton Crown Court on Wednesday 10 June 2026.');
      expect(summerTold.join('\n')).toContain('This is a reminder that the case will be heard at Demoton Crown Court on Wednesday 10 June 2026.');
      expect(summerTold.join('\n')).not.toMatch(/00:00|23:00/);
    });

    it('still tells a court date with its time when one is given', async () => {
      const caseId = await charged('NIC/26/1304');
      await send('NIC/26/1304', { status: 'CRT', courtDate: { at: '2026-03-18T10:00:00Z', place: 'Demoton Crown Court' } });
      expect((await bodiesOf(caseId, 'case.court_date_set')).join('\n')).toContain('on Wednesday 18 March 2026 at 10:00.');
    });

    it('refuses-a-court-date-that-is-no-date with 400 naming courtDate.at', async () => {
      for (const at of ['2026-02-30', '17/03/2026', '2026-03-17T10:00', 'next Tuesday', '1990-01-01']) {
        const refused = await post('NIC/26/1305', { courtDate: { at } });
        expect(refused.statusCode, `${at}: ${refused.body}`).toBe(400);
        expect(refusalsOf(refused.body)).toEqual([expect.objectContaining({ path: 'body.courtDate.at', sentence: expect.stringContaining(BOTH_FORMS) as string })]);
      }
    });
  });

  describe('an appointment given without its time', () => {
    it('accepts a date alone and tells it as a day, in English and Welsh, on the timeline and in the reminder the morning before', async () => {
      const victims = [
        { reference: 'V1', name: 'Sam Example', email: 'sam.appt1@example.org', language: 'en' },
        { reference: 'V2', name: 'Elin Enghraifft', email: 'elin.appt1@example.org', language: 'cy' },
      ];
      const created = await send('NIC/26/1401', { status: 'INV', victims });
      const made = await send('NIC/26/1401', { victims, appointments: [{ reference: 'A1', at: '2026-03-17', place: 'Demoton Police Station' }] });
      expect(made.moves.map((m) => m.move)).toEqual(['appointment_made']);
      const told = (await bodiesOf(created.caseId, 'case.appointment_made')).join('\n');
      expect(told).toContain('We have made an appointment for you on Tuesday 17 March 2026, at Demoton Police Station.');
      expect(told).toContain('Rydym wedi gwneud apwyntiad i chi ar ddydd Mawrth 17 Mawrth 2026, yn Demoton Police Station.');
      expect(told).not.toMatch(/00:00|01:00|i’w gadarnhau|to be confirmed/);

      // The reminder: the day before, at 09:00 UK time, told as a day too.
      const reminders = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('outbox').select(['body', 'not_before']).where('case_id', '=', created.caseId).where('purpose', '=', 'journey:appointment.reminder').execute(),
      );
      expect(reminders).toHaveLength(2);
      expect(new Set(reminders.map((r) => r.not_before?.toISOString()))).toEqual(new Set(['2026-03-16T09:00:00.000Z']));
      expect(reminders.map((r) => r.body).join('\n')).toContain('This is a reminder of your appointment on Tuesday 17 March 2026, at Demoton Police Station.');

      // The case's timeline and appointments say it is a day.
      const investigator = await signIn(app, 'investigator@demo.police.uk');
      const view = await app.inject({ method: 'GET', url: `/api/cases/${created.caseId}`, headers: investigator.headers });
      const entry = view.json<{ case: { timeline: { type: string; details: Record<string, string> }[] } }>().case.timeline.find((e) => e.type === 'case.appointment_made');
      expect(entry?.details).toMatchObject({ at: '2026-03-17T00:00:00.000Z', isDateOnly: 'true', appointmentReference: 'A1' });
      const listed = await app.inject({ method: 'GET', url: `/api/cases/${created.caseId}/appointments`, headers: investigator.headers });
      expect(listed.json<{ appointments: object[] }>().appointments).toEqual([expect.objectContaining({ at: '2026-03-17T00:00:00.000Z', isDateOnly: true, status: 'current' })]);

      // The same day again, or as midnight, is no change; the time given later is, and is told.
      expect((await send('NIC/26/1401', { victims, appointments: [{ reference: 'A1', at: '2026-03-17', place: 'Demoton Police Station' }] })).moves).toEqual([]);
      expect((await send('NIC/26/1401', { victims, appointments: [{ reference: 'A1', at: '2026-03-17T00:00:00Z', place: 'Demoton Police Station' }] })).moves).toEqual([]);
      const timed = await send('NIC/26/1401', { victims, appointments: [{ reference: 'A1', at: '2026-03-17T14:00:00Z', place: 'Demoton Police Station' }] });
      expect(timed.moves.map((m) => m.move)).toEqual(['appointment_changed']);
      expect((await bodiesOf(created.caseId, 'case.appointment_changed')).join('\n')).toContain('It is now on Tuesday 17 March 2026 at 14:00, at Demoton Police Station.');
    });

    it('refuses-an-appointment-that-is-no-date with 400 naming appointments.0.at', async () => {
      for (const at of ['2026-02-30', '17/03/2026', '2026-03-17T10:00', 'next Tuesday', '1990-01-01']) {
        const refused = await post('NIC/26/1402', { appointments: [{ reference: 'A1', at }] });
        expect(refused.statusCode, `${at}: ${refused.body}`).toBe(400);
        expect(refusalsOf(refused.body)).toEqual([expect.objectContaining({ path: 'body.appointments.0.at', sentence: expect.stringContaining(BOTH_FORMS) as string })]);
      }
    });
  });
});
