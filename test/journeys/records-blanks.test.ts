// A records system may set a court date before the court has listed it, or give a court date or an
// appointment without its place. The victim is never sent a message with a gap where the date,
// time or place would be ("heard at  on  at ."), in English or in Welsh; nor is a force's own
// text that uses a placeholder the milestone does not fill. See docs/decisions/0068.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { connectRecordsSystem } from './journey-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';


// A Monday morning in March (GMT), inside any default safe time.
const START = new Date('2026-03-02T10:00:00Z');
/** A word the default texts put before a date, time or place, then nothing: a gap. */
const GAP = /\b(at|on|yn|ar|am)\s*[,.]|\(\s*\)| {2}/;

describe(`no gaps in a victim's messages from the records system (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let records: Awaited<ReturnType<typeof connectRecordsSystem>>;

  const send = (reference: string, payload: Record<string, unknown>) => records.send(reference, payload);
  /** The messages of one journey step on a case, each with every channel's words. */
  const messages = async (caseId: string, step: string) => {
    const rows = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select(['subject', 'body', 'alternatives']).where('case_id', '=', caseId).where('purpose', '=', `journey:${step}`).orderBy('created_at').orderBy('seq').execute(),
    );
    return rows.flatMap((row) => [{ subject: row.subject, body: row.body }, ...(row.alternatives as { subject: string; body: string }[])]);
  };
  /** A case charged in the records system, with a victim who reads English and one who reads Welsh. */
  const chargedCase = async (reference: string) =>
    (
      await send(reference, {
        status: 'CHG',
        victims: [
          { reference: 'V1', name: 'Sam Example', email: `sam.${reference.slice(-4)}@example.org`, language: 'en' },
          { reference: 'V2', name: 'Elin Enghraifft', email: `elin.${reference.slice(-4)}@example.org`, language: 'cy' },
        ],
      })
    ).caseId;
  const expectNoGaps = (texts: { subject: string; body: string }[]) => {
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text.subject, text.subject).not.toMatch(GAP);
      expect(text.body, text.body).not.toMatch(GAP);
    }
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    records = await connectRecordsSystem(app, clock, START);
  });
  afterAll(() => app.close());

  it('records a court date set without its date only when the date comes, and tells the victim then', async () => {
    const caseId = await chargedCase('NIC/26/0901');
    const early = await send('NIC/26/0901', { status: 'CRT' });
    expect(early.moves.map((m) => m.move)).not.toContain('court_date_set');
    expect(early.warnings).toEqual([expect.stringMatching(/^court_date_set not recorded: status CRT gave no courtDate/)]);
    expect(await messages(caseId, 'case.court_date_set')).toEqual([]);

    const listed = await send('NIC/26/0901', { status: 'CRT', courtDate: { at: '2026-04-20T09:30:00Z', place: 'Demoton Magistrates’ Court' } });
    expect(listed.moves.map((m) => m.move)).toEqual(['court_date_set']);
    const told = await messages(caseId, 'case.court_date_set');
    expectNoGaps(told);
    expect(told.map((t) => t.body).join('\n')).toContain('heard at Demoton Magistrates’ Court on Monday 20 April 2026 at 10:30');
  });

  it('tells of a court date given without its court in words that say so, in English and Welsh', async () => {
    const caseId = await chargedCase('NIC/26/0902');
    const answer = await send('NIC/26/0902', { status: 'CRT', courtDate: { at: '2026-04-21T09:00:00Z' } });
    expect(answer.moves.map((m) => m.move)).toEqual(['court_date_set']);
    const told = [...(await messages(caseId, 'case.court_date_set')), ...(await messages(caseId, 'case.court_date.reminder'))];
    expectNoGaps(told);
    const all = told.map((t) => t.body).join('\n');
    expect(all).toContain('heard at a court to be confirmed on Tuesday 21 April 2026 at 10:00');
    expect(all).toContain('yn cael ei glywed yn llys i’w gadarnhau ar');
  });

  it('tells of an appointment given without its place in words that say so, in English and Welsh', async () => {
    const caseId = await chargedCase('NIC/26/0903');
    await send('NIC/26/0903', { appointments: [{ reference: 'APT1', at: '2026-03-10T14:00:00Z' }] });
    const told = [...(await messages(caseId, 'case.appointment_made')), ...(await messages(caseId, 'appointment.reminder'))];
    expectNoGaps(told);
    const all = told.map((t) => t.body).join('\n');
    expect(all).toContain('on Tuesday 10 March 2026 at 14:00, at a place to be confirmed');
    expect(all).toContain('am 14:00, yn lle i’w gadarnhau');
  });

  it('tells of a staff change to an appointment the records system gave no place, without a gap', async () => {
    const caseId = await chargedCase('NIC/26/0905');
    await send('NIC/26/0905', { appointments: [{ reference: 'APT1', at: '2026-03-11T14:00:00Z' }] });
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const changed = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/milestones`, headers: investigator.headers, payload: { type: 'appointment_changed', at: '2026-03-12T15:00:00Z' } });
    expect(changed.statusCode, changed.body).toBe(200);
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
    const told = await messages(caseId, 'case.appointment_changed');
    expectNoGaps(told);
    expect(told.map((t) => t.body).join('\n')).toContain('It is now on Thursday 12 March 2026 at 15:00, at a place to be confirmed.');
  });

  it('sends the default wording where a force’s own text uses a placeholder the milestone leaves empty', async () => {
    const saved = await app.inject({
      method: 'POST',
      url: '/api/templates/case.court_date_set',
      headers: records.admin.headers,
      payload: { channel: 'email', locale: 'en', subject: 'Your court date', body: 'Hello {{name}}, {{officerName}} will meet you at {{place}} on {{date}}.' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const caseId = await chargedCase('NIC/26/0904');
    await send('NIC/26/0904', { status: 'CRT', courtDate: { at: '2026-04-22T09:00:00Z', place: 'Demoton Crown Court' } });
    const told = await messages(caseId, 'case.court_date_set');
    expectNoGaps(told);
    const english = told.find((t) => t.body.startsWith('Hello Sam Example'));
    expect(english?.subject).toBe('A court date has been set');
    expect(english?.body).toContain('The case will be heard at Demoton Crown Court on Wednesday 22 April 2026 at 10:00.');
  });

  it('names a crime type not yet known in words that say so, in English and Welsh', async () => {
    // A force whose journey also tells each victim the crime was recorded (no default rule does;
    // a force's own rule, as the records of its journey hold it).
    await withSystem(app.database.db, (tx) =>
      tx
        .insertInto('journey_rules')
        .values({
          id: newId(),
          force_id: app.demoForceId,
          milestone: 'case.created',
          crime_type: null,
          victim_category: 'all',
          outcome_codes: null,
          template_key: 'case.recorded',
          delay_minutes: 0,
          delay_from: 'milestone',
          statutory: false,
          fallback: false,
          position: 100,
          created_at: clock.now(),
        })
        .execute(),
    );
    // The records system says nothing of the crime's type.
    const caseId = await chargedCase('NIC/26/0906');
    const told = await messages(caseId, 'case.recorded');
    expectNoGaps(told);
    const all = told.map((t) => t.body).join('\n');
    expect(all).toContain('the crime you told us about (type not yet confirmed)');
    expect(all).toContain('amdani (math heb ei gadarnhau eto)');
  });
});
