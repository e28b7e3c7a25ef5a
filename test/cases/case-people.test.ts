import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { migrationStatements } from '../migration-script.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { sweepVictimUpdates } from '../../src/capabilities/cases/victim-updates.jobs.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Person = { id: string; role: string; name: string; enhancedRights: boolean; personId: string | null; email: string | null; phone: string | null };
type CaseBody = { id: string; people: Person[]; timeline: { type: string; details: Record<string, string> }[] };

// Wednesday 2 December 2026, 10:00 in London (GMT).
const WEDNESDAY = new Date('2026-12-02T10:00:00Z');

describe(`the people on a case: the reporter as its victim, added, changed, removed (${ENGINE})`, () => {
  const clock = fixedClock(WEDNESDAY);
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let otherInvestigator: Session;
  let supervisor: Session;
  let reports = 0;

  const api = async <T>(session: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<T>(), raw: response.body };
  };
  const runJobs = () => app.runner?.runDue() ?? Promise.resolve(0);
  const caseFromReport = async (body: object = {}) => {
    reports += 1;
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `case-people-${reports}`,
      whatHappened: 'Someone keeps damaging my car and leaving notes',
      where: '4 Mill Lane, Demoton',
      when: 'Every night this week',
      name: `Sam Reporter ${reports}`,
      email: `sam${reports}@example.org`,
    });
    const created = await api<{ case: { id: string } }>(handler, 'POST', `/api/contacts/${report.contactId}/case`, body);
    expect(created.status, created.raw).toBe(201);
    const personId = (await withSystem(app.database.db, (tx) => tx.selectFrom('contacts').select('person_id').where('id', '=', report.contactId).executeTakeFirstOrThrow())).person_id;
    return { caseId: created.body.case.id, personId: personId ?? '', name: `Sam Reporter ${reports}`, email: `sam${reports}@example.org` };
  };
  const getCase = async (caseId: string) => (await api<{ case: CaseBody }>(investigator, 'GET', `/api/cases/${caseId}`)).body.case;
  const clocksOf = (caseId: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('victim_updates').select(['duty', 'victim_key', 'case_person_id', 'person_id', 'enhanced_rights', 'working_days', 'due_at']).where('case_id', '=', caseId).orderBy('created_at').execute(),
    );

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    investigator = await signIn(app, 'investigator@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    const other = await createOtherForce(app, ['investigator']);
    otherInvestigator = await signIn(app, other.emails.investigator ?? '', 'other-password');
  });
  afterAll(() => app.close());

  it('records the reporter of a contact as the victim, once: on the case, on its clocks, in its journey', async () => {
    const made = await caseFromReport();
    const view = await getCase(made.caseId);
    expect(view.people).toEqual([{ id: expect.any(String), role: 'victim', name: made.name, enhancedRights: false, personId: made.personId, email: made.email, phone: null, postalAddress: null, smsOptedOutAt: null, smsOptOutSource: null }]);
    const victimId = view.people[0]?.id ?? '';
    expect(view.timeline.find((e) => e.type === 'case.person_added')?.details).toEqual({ name: made.name, role: 'victim', enhancedRights: 'no' });
    await runJobs();
    // One referral clock, to the victim row: not a second one for the reporter by implication.
    expect(await clocksOf(made.caseId)).toEqual([expect.objectContaining({ duty: 'referral', victim_key: victimId, case_person_id: victimId, person_id: made.personId })]);
    const sends = await withSystem(app.database.db, (tx) => tx.selectFrom('journey_sends').select(['victim_id']).where('case_id', '=', made.caseId).execute());
    expect(sends.length).toBeGreaterThan(0);
    expect(new Set(sends.map((s) => s.victim_id))).toEqual(new Set([victimId]));
    // Their contact preferences are the row's; the person id (their victim id before) names the same victim.
    const prefs = await api<{ preferences: { victimId: string } }>(investigator, 'GET', `/api/cases/${made.caseId}/victims/${victimId}/preferences`);
    expect(prefs.status, prefs.raw).toBe(200);
    const byPerson = await api<{ preferences: { victimId: string } }>(investigator, 'GET', `/api/cases/${made.caseId}/victims/${made.personId}/preferences`);
    expect(byPerson.body.preferences.victimId).toBe(victimId);
  });

  it('leaves the reporter off when the officer says they are not the victim, and owes them nothing', async () => {
    const made = await caseFromReport({ reporterIsVictim: false });
    expect((await getCase(made.caseId)).people).toEqual([]);
    await runJobs();
    expect(await clocksOf(made.caseId)).toEqual([expect.objectContaining({ victim_key: 'case', person_id: null })]);
    const sends = await withSystem(app.database.db, (tx) => tx.selectFrom('journey_sends').select('victim_id').where('case_id', '=', made.caseId).execute());
    expect(sends).toEqual([]);
  });

  it("re-times a victim's open updates to one working day when the officer marks their enhanced rights, and back", async () => {
    const made = await caseFromReport();
    const victimId = (await getCase(made.caseId)).people[0]?.id ?? '';
    const arrested = await api(investigator, 'POST', `/api/cases/${made.caseId}/milestones`, { type: 'suspect_arrested' });
    expect(arrested.status, arrested.raw).toBe(200);
    await runJobs();
    const before = (await clocksOf(made.caseId)).find((c) => c.duty === 'arrest');
    expect(before).toMatchObject({ working_days: 5, enhanced_rights: false, due_at: new Date('2026-12-10T00:00:00Z') });

    const marked = await api<{ case: CaseBody; retimed: number }>(investigator, 'PATCH', `/api/cases/${made.caseId}/people/${victimId}`, { enhancedRights: true, note: 'Persistently targeted' });
    expect(marked.status, marked.raw).toBe(200);
    expect(marked.body.retimed).toBe(1);
    expect(marked.body.case.people[0]).toMatchObject({ id: victimId, enhancedRights: true });
    const clocks = await clocksOf(made.caseId);
    expect(clocks.find((c) => c.duty === 'arrest')).toMatchObject({ working_days: 1, enhanced_rights: true, due_at: new Date('2026-12-04T00:00:00Z') });
    // The referral keeps its two working days whatever the rights.
    expect(clocks.find((c) => c.duty === 'referral')).toMatchObject({ working_days: 2 });
    const changed = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('data').where('subject_id', '=', made.caseId).where('type', '=', 'case.person_changed').execute());
    expect(changed.map((e) => e.data)).toEqual([expect.objectContaining({ casePersonId: victimId, changed: ['enhancedRights'], retimed: 1, note: 'Persistently targeted' })]);

    await api(investigator, 'PATCH', `/api/cases/${made.caseId}/people/${victimId}`, { enhancedRights: false });
    expect((await clocksOf(made.caseId)).find((c) => c.duty === 'arrest')).toMatchObject({ working_days: 5, due_at: new Date('2026-12-10T00:00:00Z') });
  });

  /** The force's sweep as it would run at `at`: it marks the clocks late by then. */
  const sweepAt = (at: Date) => withForce(app.database.db, app.demoForceId, (tx) => sweepVictimUpdates(tx, app.demoForceId, fixedClock(at)));
  const eventsOf = (caseId: string, type: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['data', 'actor_type']).where('subject_id', '=', caseId).where('type', '=', type).orderBy('seq').execute());
  const clocksOfVictim = (casePersonId: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('victim_updates').select(['id', 'duty', 'working_days', 'due_at', 'breached_at', 'satisfied_at', 'how']).where('case_person_id', '=', casePersonId).orderBy('milestone_at').orderBy('duty').execute(),
    );

  it("records what the officer changed, from and to, and leaves a victim's late update late when their rights change", async () => {
    const made = await caseFromReport();
    const added = await api<{ casePersonId: string }>(investigator, 'POST', `/api/cases/${made.caseId}/people`, { role: 'victim', name: 'Kim Partner' });
    expect(added.status, added.raw).toBe(201);
    await api(investigator, 'POST', `/api/cases/${made.caseId}/milestones`, { type: 'suspect_arrested' });
    await runJobs();
    // A week and a day on, nobody has told Kim of the arrest: the sweep finds it late.
    await sweepAt(new Date('2026-12-11T09:00:00Z'));
    const lateBefore = (await clocksOfVictim(added.body.casePersonId)).find((c) => c.duty === 'arrest');
    expect(lateBefore?.breached_at).toEqual(new Date('2026-12-11T09:00:00Z'));
    // A charge opens a fresh update for her, still open.
    await api(investigator, 'POST', `/api/cases/${made.caseId}/milestones`, { type: 'charged' });
    await runJobs();

    const marked = await api<{ retimed: number }>(investigator, 'PATCH', `/api/cases/${made.caseId}/people/${added.body.casePersonId}`, { name: 'Kim Partner-Jones', enhancedRights: true });
    expect(marked.status, marked.raw).toBe(200);
    expect(marked.body.retimed).toBe(1);
    const clocks = await clocksOfVictim(added.body.casePersonId);
    expect(clocks.find((c) => c.duty === 'arrest')).toEqual(lateBefore);
    expect(clocks.find((c) => c.duty === 'charge')).toMatchObject({ working_days: 1, due_at: new Date('2026-12-04T00:00:00Z'), breached_at: null });
    expect((await eventsOf(made.caseId, 'case.person_changed')).map((e) => e.data)).toEqual([
      expect.objectContaining({ changed: ['name', 'enhancedRights'], from: { name: 'Kim Partner', enhancedRights: 'no' }, to: { name: 'Kim Partner-Jones', enhancedRights: 'yes' }, retimed: 1 }),
    ]);
    expect((await eventsOf(made.caseId, 'case.victim_update_retimed')).map((e) => [e.actor_type, e.data])).toEqual([
      ['staff', expect.objectContaining({ duty: 'charge', casePersonId: added.body.casePersonId, reason: 'enhanced_rights_given', source: 'staff', previousDueAt: '2026-12-10T00:00:00.000Z', dueAt: '2026-12-04T00:00:00.000Z' })],
    ]);
    expect((await getCase(made.caseId)).timeline.map((e) => e.type)).toContain('case.victim_update_retimed');

    // The same details again change nothing and record nothing.
    const same = await api<{ retimed: number }>(investigator, 'PATCH', `/api/cases/${made.caseId}/people/${added.body.casePersonId}`, { name: 'Kim Partner-Jones', enhancedRights: true });
    expect(same.body.retimed).toBe(0);
    expect(await eventsOf(made.caseId, 'case.person_changed')).toHaveLength(1);
  });

  it("withdraws a removed victim's updates not yet given, once each, and leaves the reports their breaches only", async () => {
    const made = await caseFromReport();
    const added = await api<{ casePersonId: string }>(investigator, 'POST', `/api/cases/${made.caseId}/people`, { role: 'victim', name: 'Added In Error' });
    await api(investigator, 'POST', `/api/cases/${made.caseId}/milestones`, { type: 'suspect_arrested' });
    await runJobs();
    const open = await clocksOfVictim(added.body.casePersonId);
    expect(open.map((c) => c.duty).sort()).toEqual(['arrest', 'referral']);
    // By Monday her referral (due by the end of Friday) is late; the arrest update is due on Wednesday.
    await sweepAt(new Date('2026-12-07T09:00:00Z'));

    const removed = await api(investigator, 'DELETE', `/api/cases/${made.caseId}/people/${added.body.casePersonId}`);
    expect(removed.status, removed.raw).toBe(200);
    const closed = await clocksOfVictim(added.body.casePersonId);
    expect(closed.map((c) => [c.duty, c.how, c.satisfied_at])).toEqual(expect.arrayContaining([
      ['arrest', 'withdrawn', WEDNESDAY],
      ['referral', 'withdrawn', WEDNESDAY],
    ]));
    const withdrawn = await eventsOf(made.caseId, 'case.victim_update_withdrawn');
    expect(withdrawn.map((e) => e.data)).toEqual(expect.arrayContaining([
      expect.objectContaining({ duty: 'arrest', casePersonId: added.body.casePersonId, reason: 'victim_removed', wasBreached: false, source: 'staff' }),
      expect.objectContaining({ duty: 'referral', casePersonId: added.body.casePersonId, reason: 'victim_removed', wasBreached: true, source: 'staff' }),
    ]));
    expect(withdrawn).toHaveLength(2);

    // Off the officers' lists; on the case's own list as withdrawn.
    const due = await api<{ updates: { id: string }[] }>(investigator, 'GET', '/api/cases/victim-updates?which=all');
    expect(due.body.updates.map((u) => u.id)).not.toEqual(expect.arrayContaining([closed[0]?.id]));
    const ofCase = await api<{ updates: { id: string; standing: string }[] }>(investigator, 'GET', `/api/cases/${made.caseId}/victim-updates`);
    expect(ofCase.body.updates.filter((u) => closed.some((c) => c.id === u.id)).map((u) => u.standing)).toEqual(['withdrawn', 'withdrawn']);
    // A later sweep marks nothing on them.
    await sweepAt(new Date('2026-12-20T09:00:00Z'));
    expect((await clocksOfVictim(added.body.casePersonId)).find((c) => c.duty === 'arrest')?.breached_at).toBeNull();
    const report = await api<{ teams: { withdrawn: number }[] }>(supervisor, 'GET', '/api/reports/victims-code?from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z');
    expect(report.status, report.raw).toBe(200);
    expect(report.body.teams.reduce((n, t) => n + t.withdrawn, 0)).toBeGreaterThanOrEqual(1);
  });

  it('adds a witness and a suspect, refuses enhanced rights for them, and removes someone without deleting them', async () => {
    const made = await caseFromReport();
    const witness = await api<{ case: CaseBody; casePersonId: string }>(investigator, 'POST', `/api/cases/${made.caseId}/people`, { role: 'witness', name: 'Wyn Neighbour', phone: '07700 900123' });
    expect(witness.status, witness.raw).toBe(201);
    expect(witness.body.case.people.map((p) => [p.role, p.name])).toEqual([
      ['victim', made.name],
      ['witness', 'Wyn Neighbour'],
    ]);
    const refused = await api(investigator, 'POST', `/api/cases/${made.caseId}/people`, { role: 'suspect', name: 'Unknown male', enhancedRights: true });
    expect(refused.status).toBe(400);
    const nameless = await api(investigator, 'POST', `/api/cases/${made.caseId}/people`, { role: 'suspect' });
    expect(nameless.status).toBe(400);
    const twice = await api(investigator, 'POST', `/api/cases/${made.caseId}/people`, { role: 'victim', personId: made.personId });
    expect(twice.status).toBe(409);

    const removed = await api<{ case: CaseBody }>(investigator, 'DELETE', `/api/cases/${made.caseId}/people/${witness.body.casePersonId}`);
    expect(removed.status, removed.raw).toBe(200);
    expect(removed.body.case.people.map((p) => p.role)).toEqual(['victim']);
    const row = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select('removed_at').where('id', '=', witness.body.casePersonId).executeTakeFirstOrThrow());
    expect(row.removed_at).toEqual(WEDNESDAY);
    expect((await getCase(made.caseId)).timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['case.person_added', 'case.person_removed']));
    const again = await api(investigator, 'DELETE', `/api/cases/${made.caseId}/people/${witness.body.casePersonId}`);
    expect(again.status).toBe(404);
  });

  it('opens the updates a victim added later is owed for the recent milestones', async () => {
    const made = await caseFromReport();
    await api(investigator, 'POST', `/api/cases/${made.caseId}/milestones`, { type: 'suspect_arrested' });
    await runJobs();
    const added = await api<{ casePersonId: string }>(investigator, 'POST', `/api/cases/${made.caseId}/people`, { role: 'victim', name: 'Kim Partner', enhancedRights: true });
    expect(added.status, added.raw).toBe(201);
    await runJobs();
    const theirs = (await clocksOf(made.caseId)).filter((c) => c.case_person_id === added.body.casePersonId);
    expect(theirs.map((c) => [c.duty, c.working_days])).toEqual(expect.arrayContaining([['arrest', 1]]));
  });

  it('hides-other-force-case-people: another force can neither add, change nor remove', async () => {
    const made = await caseFromReport();
    const victimId = (await getCase(made.caseId)).people[0]?.id ?? '';
    expect((await api(otherInvestigator, 'POST', `/api/cases/${made.caseId}/people`, { role: 'witness', name: 'Nosy' })).status).toBe(404);
    expect((await api(otherInvestigator, 'PATCH', `/api/cases/${made.caseId}/people/${victimId}`, { enhancedRights: true })).status).toBe(404);
    expect((await api(otherInvestigator, 'DELETE', `/api/cases/${made.caseId}/people/${victimId}`)).status).toBe(404);
    expect((await getCase(made.caseId)).people).toEqual([expect.objectContaining({ id: victimId, enhancedRights: false })]);
  });

  it('back-fills an older case: its reporter becomes its victim, keeping their preferences and clocks', async () => {
    // An older case, as made before: no row for the reporter, preferences and a clock keyed by them.
    const made = await caseFromReport({ reporterIsVictim: false });
    await runJobs();
    await withSystem(app.database.db, async (tx) => {
      await sql`insert into victim_contact_preferences (force_id, case_id, victim_id, channels, never_sms, updated_at)
        select force_id, id, person_id, array['email'], true, now() from cases where id = ${made.caseId}`.execute(tx);
      await sql`update victim_updates set person_id = ${made.personId} where case_id = ${made.caseId}`.execute(tx);
      // The migration's statements, one at a time (its grant is the schema's, not the data's).
      const statements = migrationStatements('0039', (statement) => !statement.startsWith('grant'));
      for (const statement of statements) await sql.raw(statement).execute(tx);
    });
    const view = await getCase(made.caseId);
    expect(view.people).toEqual([expect.objectContaining({ role: 'victim', personId: made.personId, name: made.name, email: made.email })]);
    const victimId = view.people[0]?.id ?? '';
    const prefs = await api<{ preferences: { victimId: string; channels: string[]; neverSms: boolean; isSet: boolean } }>(investigator, 'GET', `/api/cases/${made.caseId}/victims/${victimId}/preferences`);
    expect(prefs.body.preferences).toMatchObject({ victimId, channels: ['email'], neverSms: true, isSet: true });
    expect(await clocksOf(made.caseId)).toEqual([expect.objectContaining({ duty: 'referral', victim_key: victimId, case_person_id: victimId })]);
  });
});
