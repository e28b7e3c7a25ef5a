import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { listedHearing, milestone, portalOnlyVictim, setPreferences, type Session } from './journey-kit.ts';
import { VICTIM_ADDED_GRACE_MS } from '../../src/capabilities/journeys/journey.events.ts';

// A victim added to a case after its hearing was listed is told of the hearing that still stands
// ("a court date has been set"), once, in their language, at their safe time, and reminded of it
// as the other victims are; not when the hearing has passed. The same when the hearing stands
// again after a reopening (decision 0134). The victims the case had are not told twice.

const EVENINGS = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '18:00', to: '20:00' }];

describe(`a victim added after the court date was set (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;
  let added = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const runAll = async () => {
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };

  /** A victim told in the portal inbox, someone charged, a hearing listed for Tuesday 12 May at 10:00 UK time. */
  const listedCase = async () => {
    const victim = await listedHearing(app, clock);
    investigator = victim.investigator;
    await runAll();
    return victim;
  };

  /** An investigator adds a victim with an email address, told by email in `language` in the evenings. */
  const addVictim = async (caseId: string, language: 'en' | 'cy') => {
    added += 1;
    const email = `later${added}@example.org`;
    // Signed in afresh: the clock may have moved on.
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const response = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/people`, headers: investigator.headers, payload: { role: 'victim', name: 'Sam Later', email } });
    expect(response.statusCode, response.body).toBe(201);
    const victimId = response.json<{ casePersonId: string }>().casePersonId;
    await runAll();
    // Nothing is decided on the defaults while the officer is still setting how they may be contacted.
    expect(await forVictim(caseId, victimId)).toEqual([]);
    await setPreferences(app, investigator, caseId, victimId, { channels: ['email'], language, safeWindows: EVENINGS });
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    return { victimId, email };
  };

  /** A case's court date messages (its news and reminders), each with the victim it is for, by when they go. */
  const courtMessages = (caseId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['purpose', 'status', 'recipient', 'subject', 'body', 'not_before', 'idempotency_key'])
        .where('case_id', '=', caseId)
        .where('purpose', 'in', ['journey:case.court_date_set', 'journey:case.court_date.reminder'])
        .orderBy('not_before')
        .orderBy(sql`purpose`)
        .execute(),
    );
  const forVictim = async (caseId: string, victimId: string) => (await courtMessages(caseId)).filter((m) => m.idempotency_key.endsWith(`:${victimId}`));

  it('queues no journey for the reporter added as the case is made: nothing stands on a new case', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await portalOnlyVictim(app);
    const journeys = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('jobs').select(sql<string>`payload->>'milestone'`.as('milestone')).where('type', '=', 'journey.milestone').where(sql<string>`payload->>'caseId'`, '=', victim.caseId).execute(),
    );
    expect(journeys.map((j) => j.milestone)).not.toContain('case.victim_added');
    // An investigator's victim added to the same case is told of what stands, through the journey.
    const later = await addVictim(victim.caseId, 'en');
    const after = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('jobs').select(sql<string>`payload->>'details'`.as('details')).where('type', '=', 'journey.milestone').where(sql<string>`payload->>'milestone'`, '=', 'case.victim_added').where(sql<string>`payload->>'caseId'`, '=', victim.caseId).execute(),
    );
    expect(after.map((j) => JSON.parse(j.details) as { forVictimId: string })).toEqual([{ forVictimId: later.victimId }]);
  });

  for (const [language, subject, day] of [
    ['cy', 'Mae dyddiad llys wedi’i bennu', '12 Mai 2026'],
    ['en', 'A court date has been set', '12 May 2026'],
  ] as const) {
    it(`tells them of the standing hearing once, at their safe time, and reminds them of it (${language})`, async () => {
      const first = await listedCase();
      const before = await courtMessages(first.caseId);
      const later = await addVictim(first.caseId, language);
      await runAll();

      const theirs = await forVictim(first.caseId, later.victimId);
      expect(theirs.map((m) => [m.purpose, m.status, m.recipient, m.not_before])).toEqual([
        // Told this evening at 18:00, reminded on Sunday 10 May at 18:00 (two days before is 10:00, outside their safe time).
        ['journey:case.court_date_set', 'pending', later.email, new Date('2026-05-06T17:00:00Z')],
        ['journey:case.court_date.reminder', 'pending', later.email, new Date('2026-05-10T17:00:00Z')],
      ]);
      expect(theirs[0]?.subject).toBe(subject);
      expect(theirs[0]?.body).toContain(day);
      expect(theirs[0]?.body).toContain('Demoton Magistrates’ Court');
      // The victims the case had are not told again.
      expect((await courtMessages(first.caseId)).filter((m) => !m.idempotency_key.endsWith(`:${later.victimId}`))).toEqual(before);
    });
  }

  it('takes the reminder back from the victim added later when the court date moves, as from the others', async () => {
    const first = await listedCase();
    const later = await addVictim(first.caseId, 'en');
    await milestone(app, investigator, first.caseId, { type: 'court_date_set', at: '2026-05-19T09:00:00Z', place: 'Demoton Crown Court' });
    await runAll();
    const reminders = (await forVictim(first.caseId, later.victimId)).filter((m) => m.purpose === 'journey:case.court_date.reminder');
    expect(reminders.map((m) => [m.status, m.not_before])).toEqual([
      ['suppressed', new Date('2026-05-10T17:00:00Z')],
      ['pending', new Date('2026-05-17T17:00:00Z')],
    ]);
  });

  it('tells a victim added after the hearing has passed nothing of it', async () => {
    const first = await listedCase();
    clock.set(new Date('2026-05-13T09:00:00Z'));
    const later = await addVictim(first.caseId, 'en');
    expect(await forVictim(first.caseId, later.victimId)).toEqual([]);
  });

  it('tells a victim added after a reopening of the hearing it lists again, once', async () => {
    const first = await listedCase();
    await milestone(app, investigator, first.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await runAll();
    await milestone(app, investigator, first.caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });
    await runAll();
    const later = await addVictim(first.caseId, 'cy');
    await runAll();
    const theirs = await forVictim(first.caseId, later.victimId);
    expect(theirs.map((m) => [m.purpose, m.status, m.not_before])).toEqual([
      ['journey:case.court_date_set', 'pending', new Date('2026-05-06T17:00:00Z')],
      ['journey:case.court_date.reminder', 'pending', new Date('2026-05-10T17:00:00Z')],
    ]);
    expect(theirs[0]?.subject).toBe('Mae dyddiad llys wedi’i bennu');
    expect(theirs[0]?.body).toContain('12 Mai 2026');
  });

  it('tells a victim added while the case was closed of the hearing its reopening lists again, once', async () => {
    const first = await listedCase();
    await milestone(app, investigator, first.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await runAll();
    clock.set(new Date('2026-05-06T09:10:00Z'));
    const later = await addVictim(first.caseId, 'en');
    // No hearing stands while the case is closed: nothing to tell them yet.
    expect(await forVictim(first.caseId, later.victimId)).toEqual([]);
    clock.set(new Date('2026-05-06T09:20:00Z'));
    await milestone(app, investigator, first.caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });
    await runAll();
    await runAll();
    const theirs = await forVictim(first.caseId, later.victimId);
    expect(theirs.map((m) => [m.purpose, m.status, m.not_before])).toEqual([
      ['journey:case.court_date_set', 'pending', new Date('2026-05-06T17:00:00Z')],
      ['journey:case.court_date.reminder', 'pending', new Date('2026-05-10T17:00:00Z')],
    ]);
    expect(theirs[0]?.subject).toBe('A court date has been set');
  });

  it('reminds a victim added while the case was closed of the hearing listed again, though its reminder fell due before the closing', async () => {
    // The reminder (two days before: Sunday 10 May) went to the victims the case had; on Monday
    // morning the case is closed by mistake, a victim added, and the case reopened, the hearing on
    // Tuesday still to come. The victim added was on the case for neither the reminder nor the closing.
    const first = await listedCase();
    clock.set(new Date('2026-05-11T07:00:00Z'));
    investigator = await signIn(app, 'investigator@demo.police.uk');
    await milestone(app, investigator, first.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await runAll();
    clock.set(new Date('2026-05-11T07:10:00Z'));
    const later = await addVictim(first.caseId, 'en');
    expect(await forVictim(first.caseId, later.victimId)).toEqual([]);
    clock.set(new Date('2026-05-11T07:20:00Z'));
    await milestone(app, investigator, first.caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });
    await runAll();
    await runAll();
    const theirs = await forVictim(first.caseId, later.victimId);
    // Both at their first safe time, this evening, before the hearing.
    expect(theirs.map((m) => [m.purpose, m.status, m.not_before]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1))).toEqual([
      ['journey:case.court_date.reminder', 'pending', new Date('2026-05-11T17:00:00Z')],
      ['journey:case.court_date_set', 'pending', new Date('2026-05-11T17:00:00Z')],
    ]);
  });
});
