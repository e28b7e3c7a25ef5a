// The whole of a victim's journey driven from the force's records system: ten milestones through
// the integration endpoint (with a duplicate and an out-of-order update among them) become the
// right messages, in each victim's language, on their channels, at the right times; a
// domestic-abuse victim marked "portal only" never gets a text or an email.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Outbox = { id: string; channel: string; purpose: string; subject: string; body: string; not_before: Date | null; alternatives: { channel: string }[]; person_id: string | null; recipient: string };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// A Monday morning in March (GMT), inside any default safe time.
const START = new Date('2026-03-02T10:00:00Z');

describe(`a victim's journey from the records system (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let token: string;
  let investigator: Session;
  let caseId = '';
  const victimIds = { elin: '', sam: '' };

  const send = async (payload: Record<string, unknown>) => {
    const response = await app.inject({ method: 'POST', url: '/api/integrations/records/cases', headers: { authorization: `Bearer ${token}` }, payload: { system: 'niche', reference: 'NIC/26/0100', ...payload } });
    expect([200, 201], response.body).toContain(response.statusCode);
    return response.json<{ result: string; caseId: string; moves: { move: string }[] }>();
  };
  const runJobs = async () => {
    // Journey jobs, then the deliveries they lead to.
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };
  const outbox = () =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select(['id', 'channel', 'purpose', 'subject', 'body', 'not_before', 'alternatives', 'person_id', 'recipient']).where('case_id', '=', caseId).orderBy('created_at').orderBy('seq').execute(),
    ) as Promise<Outbox[]>;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    const admin = await signIn(app, 'admin@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const issued = await app.inject({ method: 'POST', url: '/api/integrations/records/tokens', headers: admin.headers, payload: { label: 'Niche' } });
    token = issued.json<{ token: string }>().token;

    // 1. Recorded and allocated, with two victims: one who writes in Welsh, one at risk at home.
    const created = await send({
      updatedAt: '2026-03-02T09:00:00Z',
      status: 'ALLOC',
      crimeType: 'VAP-VWI',
      team: 'CID North',
      victims: [
        { reference: 'V1', name: 'Elin Jones', email: 'elin@example.org', phone: '+447700900111', language: 'cy' },
        { reference: 'V2', name: 'Sam Hidden', email: 'sam@example.org', phone: '+447700900222', language: 'en' },
      ],
    });
    caseId = created.caseId;
    const people = (await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers })).json<{ case: { people: { id: string; name: string }[] } }>().case.people;
    const hidden = people.find((p) => p.name === 'Sam Hidden')?.id ?? '';
    victimIds.sam = hidden;
    victimIds.elin = people.find((p) => p.name === 'Elin Jones')?.id ?? '';
    const prefs = await app.inject({
      method: 'PUT',
      url: `/api/cases/${caseId}/victims/${hidden}/preferences`,
      headers: investigator.headers,
      payload: { channels: ['email', 'sms', 'portal'], language: 'en', safeWindows: [], neverSms: true, portalOnly: true, optOutNonStatutory: false, domesticAbuse: true },
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
  });
  afterAll(() => app.close());

  it('turns ten milestones, a duplicate and a late update into the right messages on the right channels at the right times', async () => {
    await runJobs();
    const updates: [string, string, Record<string, unknown>?][] = [
      ['2026-03-02T11:00:00Z', 'INV'],
      ['2026-03-03T09:00:00Z', 'SUSP'],
      ['2026-03-03T12:00:00Z', 'ARR'],
      ['2026-03-03T15:00:00Z', 'INT'],
      ['2026-03-04T09:00:00Z', 'BAIL'],
      ['2026-03-10T09:00:00Z', 'CHG', { courtDate: { at: '2026-04-20T09:30:00Z', place: 'Demoton Magistrates' } }],
      ['2026-04-20T16:00:00Z', 'RES'],
      ['2026-04-21T09:00:00Z', 'CLS-CHG'],
    ];
    for (const [at, status, extra] of updates) {
      clock.set(new Date(Date.parse(at) + MINUTE));
      const answer = await send({ updatedAt: at, status, ...(extra ?? {}) });
      expect(answer.result, status).toBe('updated');
      await runJobs();
      // The records system sends the arrest twice: the second changes nothing.
      if (status === 'ARR') expect((await send({ updatedAt: at, status })).result).toBe('duplicate');
    }
    // An NFA from before the charge arrives after the close: ignored.
    expect((await send({ updatedAt: '2026-03-05T09:00:00Z', status: 'NFA' })).result).toBe('out_of_order');
    await runJobs();

    const milestones = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('type').where('subject_id', '=', caseId).where('type', 'like', 'case.%').where('type', 'not like', 'case.victim%').where('type', '<>', 'case.person_added').orderBy('seq').execute());
    expect(milestones.map((m) => m.type)).toEqual([
      'case.created',
      'case.allocated',
      'case.investigation_started',
      'case.suspect_identified',
      'case.suspect_arrested',
      'case.suspect_interviewed',
      'case.bailed',
      'case.charged',
      'case.court_date_set',
      'case.court_result',
      'case.closed',
    ]);

    const queued = (
      await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('data').where('subject_id', '=', caseId).where('type', '=', 'journey.message_queued').orderBy('seq').execute())
    ).map((e) => e.data as { step: string; victimId: string; outboxId: string; channel: string; language: string; notBefore: string | null });
    const rows = new Map((await outbox()).map((row) => [row.id, row]));

    // Elin: one message per milestone that has one, never two for the duplicate, none for the late NFA.
    const elin = queued.filter((q) => q.victimId === victimIds.elin);
    const steps = elin.map((q) => q.step);
    expect(steps.filter((step) => step === 'case.suspect_arrested')).toHaveLength(1);
    for (const wanted of ['case.allocated', 'case.suspect_arrested', 'case.bailed', 'case.charged', 'case.court_date_set', 'case.court_result', 'case.closed.charged']) {
      expect(steps, wanted).toContain(wanted);
    }
    expect(steps.some((step) => step.includes('no_suspect') || step.includes('no_further_action'))).toBe(false);
    // In Welsh, by email first with her text number behind it.
    for (const message of elin) {
      expect(message).toMatchObject({ channel: 'email', language: 'cy' });
      const row = rows.get(message.outboxId);
      // Where the email could not go, the message has moved on to her text number, still in Welsh.
      if (row?.channel === 'sms') {
        expect(row.recipient).toBe('+447700900111');
        expect(row.body).toMatch(/^Demo Constabulary: .*Cyf DEMO-C-/);
      } else {
        expect(row?.body).toMatch(/^Annwyl Elin Jones,/);
      }
    }
    // The court reminder waits until two days before the hearing.
    const reminder = elin.find((q) => q.step === 'case.court_date.reminder');
    expect(reminder?.notBefore).toBe(new Date(Date.parse('2026-04-20T09:30:00Z') - 2 * DAY).toISOString());

    // Sam, portal only: every message to the portal inbox, never an email or a text, not even as a
    // fallback; each withheld channel is recorded with the reason.
    const sam = queued.filter((q) => q.victimId === victimIds.sam);
    expect(sam.length).toBeGreaterThan(5);
    for (const message of sam) {
      const row = rows.get(message.outboxId);
      expect(message.channel).toBe('portal');
      expect([row?.channel, ...(row?.alternatives ?? []).map((a) => a.channel)]).toEqual(['portal']);
    }
    expect(JSON.stringify([...rows.values()])).not.toMatch(/sam@example\.org|900222/);
    const suppressed = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('data').where('subject_id', '=', caseId).where('type', '=', 'journey.message_suppressed').execute(),
    );
    expect(suppressed.length).toBeGreaterThan(0);
    expect(JSON.stringify(suppressed.map((e) => e.data))).toMatch(/portal only/i);
  });
});
