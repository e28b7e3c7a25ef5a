import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { journeyEventsOf, listedHearing, setPreferences, type Session } from './journey-kit.ts';
import { VICTIM_ADDED_GRACE_MS } from '../../src/capabilities/journeys/journey.events.ts';

// A victim added after the hearing was listed whom nothing could reach when their journey decided
// (no address, or none for a channel they allow) is told of the hearing that still stands once
// their contact details or preferences let a message reach them: its news and its reminder, once,
// never of a hearing passed (decision 0137). A victim removed and added again is told of it once,
// unless what they were told the first time was taken back, or had not gone (decision 0143).

describe(`a victim reached after the court date was set (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time; the hearing is on Tuesday 12 May at 10:00.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const runAll = async () => {
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };
  /** The grace a victim's journey waits for the officer to finish passes, and its jobs run. */
  const afterGrace = async () => {
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
  };
  const call = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
    // Signed in afresh: the clock moves on.
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const response = await app.inject({ method, url, headers: investigator.headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response;
  };
  const listedCase = async () => {
    const victim = await listedHearing(app, clock);
    await runAll();
    return victim.caseId;
  };
  const addVictim = async (caseId: string, particulars: Record<string, unknown>) => {
    const response = await call('POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Sam Later', ...particulars });
    await runAll();
    return response.json<{ casePersonId: string }>().casePersonId;
  };

  /** A victim's court date messages (news and reminder), by purpose: status, channel and recipient. */
  const courtMessagesOf = (caseId: string, victimId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['purpose', 'status', 'channel', 'recipient', 'not_before'])
        .where('case_id', '=', caseId)
        .where('purpose', 'in', ['journey:case.court_date_set', 'journey:case.court_date.reminder'])
        .where('idempotency_key', 'like', `%:${victimId}`)
        .orderBy(sql`purpose`)
        .execute(),
    );
  /** Told: the news (gone at once, by email or the portal it falls back to) and the reminder for Sunday, by email. */
  const told = (email: string) => [
    ['journey:case.court_date.reminder', 'told', email],
    ['journey:case.court_date_set', 'told', null],
  ];
  const shown = async (caseId: string, victimId: string) =>
    (await courtMessagesOf(caseId, victimId)).map((m) => [
      m.purpose,
      m.status === 'suppressed' || m.status === 'failed' ? 'not told' : 'told',
      m.purpose === 'journey:case.court_date.reminder' && m.not_before?.toISOString() === '2026-05-10T09:00:00.000Z' ? m.recipient : null,
    ]);
  const suppressedReasons = async (caseId: string, victimId: string) =>
    (await journeyEventsOf(app, caseId)).filter((e) => e.type === 'journey.message_suppressed' && e.data.victimId === victimId && e.data.channel === null).map((e) => [e.data.step, e.data.reason]);

  it('tells a victim added with no address of the standing hearing once their email address is added after the grace', async () => {
    const caseId = await listedCase();
    const victimId = await addVictim(caseId, {});
    await afterGrace();
    expect(await shown(caseId, victimId)).toEqual([]);
    expect((await suppressedReasons(caseId, victimId)).sort()).toEqual([
      ['case.court_date.reminder', 'no address for any allowed channel'],
      ['case.court_date_set', 'no address for any allowed channel'],
    ]);

    await call('PATCH', `/api/cases/${caseId}/people/${victimId}`, { email: 'sam.later@example.org' });
    await runAll();
    // Nothing while the officer may still be setting how they may be contacted.
    expect(await shown(caseId, victimId)).toEqual([]);
    await afterGrace();
    expect(await shown(caseId, victimId)).toEqual(told('sam.later@example.org'));

    // A later change of their details tells them nothing twice.
    await call('PATCH', `/api/cases/${caseId}/people/${victimId}`, { phone: '07700 900123' });
    await afterGrace();
    expect(await shown(caseId, victimId)).toEqual(told('sam.later@example.org'));
  });

  it('tells a victim whose preferences allowed no channel we could reach once they allow one we can', async () => {
    const caseId = await listedCase();
    const victimId = await addVictim(caseId, { email: 'pat.later@example.org' });
    // Texts only, and no number for them.
    await setPreferences(app, investigator, caseId, victimId, { channels: ['sms'] });
    await afterGrace();
    expect(await shown(caseId, victimId)).toEqual([]);
    await setPreferences(app, await signIn(app, 'investigator@demo.police.uk'), caseId, victimId, { channels: ['email'] });
    await afterGrace();
    expect(await shown(caseId, victimId)).toEqual(told('pat.later@example.org'));
  });

  it('tells a victim reached later the statutory updates they are still owed, not the others', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const made = await call('POST', '/api/cases', { summary: 'Bike stolen from the shed', victims: [{ name: 'Nia Unreached' }] });
    const caseId = made.json<{ case: { id: string } }>().case.id;
    await call('POST', `/api/cases/${caseId}/milestones`, { type: 'suspect_identified' });
    await call('POST', `/api/cases/${caseId}/milestones`, { type: 'suspect_arrested' });
    await runAll();
    const people = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('case_people').select('id').where('case_id', '=', caseId).execute());
    const victimId = people[0]?.id ?? '';
    const purposes = () =>
      withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('outbox').select('purpose').where('case_id', '=', caseId).where('purpose', 'in', ['journey:case.suspect_identified', 'journey:case.suspect_arrested']).execute(),
      );
    expect(await purposes()).toEqual([]);
    await call('PATCH', `/api/cases/${caseId}/people/${victimId}`, { email: 'nia@example.org' });
    await afterGrace();
    // The arrest is a Victims' Code update, as are the case's statutory first messages (its
    // reference, their rights, the offer of support); a suspect identified is not, and is not told late.
    expect((await purposes()).map((m) => m.purpose)).toEqual(['journey:case.suspect_arrested']);
    const queued = (await journeyEventsOf(app, caseId)).filter((e) => e.type === 'journey.message_queued');
    expect(queued.map((e) => [e.data.step, e.data.channel]).sort()).toEqual([
      ['case.report_received', 'email'],
      ['case.suspect_arrested', 'email'],
      ['victim_support.offer', 'email'],
      ['victims_code.rights', 'email'],
    ]);
  });

  it('does-not-tell-a-victim-reached-later-that-the-case-is-closed-once-it-has-been-reopened', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const made = await call('POST', '/api/cases', { summary: 'Van broken into overnight', victims: [{ name: 'Ffion Unreached' }] });
    const caseId = made.json<{ case: { id: string } }>().case.id;
    await call('POST', `/api/cases/${caseId}/milestones`, { type: 'close', outcomeCode: '18', reason: 'No suspect' });
    await runAll();
    clock.advance(86_400_000);
    await call('POST', `/api/cases/${caseId}/milestones`, { type: 'reopen', note: 'New CCTV' });
    await runAll();
    const people = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('case_people').select('id').where('case_id', '=', caseId).execute());
    const victimId = people[0]?.id ?? '';
    await call('PATCH', `/api/cases/${caseId}/people/${victimId}`, { email: 'ffion@example.org' });
    await afterGrace();
    // The case is open again: its closing is no longer true, and is not told late.
    const closings = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('outbox').select('purpose').where('case_id', '=', caseId).where('purpose', 'like', 'journey:case.closed%').execute(),
    );
    expect(closings).toEqual([]);
  });

  it('tells a victim reached only after the hearing nothing of it', async () => {
    const caseId = await listedCase();
    const victimId = await addVictim(caseId, {});
    await afterGrace();
    clock.set(new Date('2026-05-13T09:00:00Z'));
    await call('PATCH', `/api/cases/${caseId}/people/${victimId}`, { email: 'lou.later@example.org' });
    await afterGrace();
    expect(await shown(caseId, victimId)).toEqual([]);
  });

  it('does not tell a victim removed and added again of the hearing a second time', async () => {
    const caseId = await listedCase();
    const first = await addVictim(caseId, { email: 'kit.later@example.org' });
    await afterGrace();
    expect(await shown(caseId, first)).toEqual(told('kit.later@example.org'));
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    const again = await addVictim(caseId, { email: 'kit.later@example.org' });
    await afterGrace();
    // The news went; the reminder was still waiting for Sunday, and a message for a removed row
    // never goes (decision 0143): the row they are on now is reminded instead, once.
    expect(await shown(caseId, again)).toEqual([['journey:case.court_date.reminder', 'told', 'kit.later@example.org']]);
    expect(await suppressedReasons(caseId, again)).toEqual([['case.court_date_set', 'told to them before they were removed from the case']]);
  });

  it('tells a victim added again of the hearing when what they were told the first time was taken back', async () => {
    const caseId = await listedCase();
    const first = await addVictim(caseId, { email: 'jo.later@example.org' });
    await afterGrace();
    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    const reminder = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('outbox').select('id').where('case_id', '=', caseId).where('purpose', '=', 'journey:case.court_date.reminder').where('idempotency_key', 'like', `%:${first}`).executeTakeFirstOrThrow(),
    );
    const withdrawn = await app.inject({ method: 'POST', url: `/api/outbox/${reminder.id}/withdraw`, headers: supervisor.headers, payload: { reason: 'Sent to the wrong victim record' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    const again = await addVictim(caseId, { email: 'jo.later@example.org' });
    await afterGrace();
    // The reminder, taken back, is queued again; the news, which went, is not sent twice.
    expect(await shown(caseId, again)).toEqual([['journey:case.court_date.reminder', 'told', 'jo.later@example.org']]);
    expect(await suppressedReasons(caseId, again)).toEqual([['case.court_date_set', 'told to them before they were removed from the case']]);
  });
});
