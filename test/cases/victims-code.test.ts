import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { enqueueRecurringJobs } from '../../src/platform/jobs/recurring.ts';
import { queueMessage } from '../../src/capabilities/outbox/outbox.service.ts';
import { VICTIM_UPDATES_SWEEP_JOB, VICTIM_UPDATES_SWEEP_MS } from '../../src/capabilities/cases/victims-code.events.ts';
import { sweepVictimUpdates } from '../../src/capabilities/cases/victim-updates.jobs.ts';
import type { ForceId } from '../../src/platform/ids.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Update = {
  id: string;
  caseId: string;
  caseReference: string;
  duty: string;
  victimName: string | null;
  enhancedRights: boolean;
  dueAt: string;
  warnAt: string;
  standing: string;
  satisfiedAt: string | null;
  how: string | null;
  breachedAt: string | null;
  team: string | null;
};
type Figures = { team: string | null; total: number; onTime: number; late: number; overdue: number; open: number; declined: number; withdrawn: number; breaches: number };

// Wednesday 2 December 2026, 10:00 in London (GMT).
const WEDNESDAY = new Date('2026-12-02T10:00:00Z');

describe(`Victims' Code clocks (${ENGINE})`, () => {
  const clock = fixedClock(WEDNESDAY);
  let app: TestApp;
  let investigator: Session;
  let supervisor: Session;
  let otherInvestigator: Session;
  let otherSupervisor: Session;
  let otherForceId: ForceId;
  let addresses = 0;

  const signInAll = async () => {
    // Sessions last a shift: after the clock moves on, everyone signs in again (from addresses of their own).
    addresses += 1;
    investigator = await signIn(app, 'investigator@demo.police.uk', 'demo-password', `10.9.${addresses}.1`);
    supervisor = await signIn(app, 'supervisor@demo.police.uk', 'demo-password', `10.9.${addresses}.2`);
    otherInvestigator = await signIn(app, 'investigator@other.police.uk', 'other-password', `10.9.${addresses}.3`);
    otherSupervisor = await signIn(app, 'supervisor@other.police.uk', 'other-password', `10.9.${addresses}.4`);
  };
  const api = async <T>(session: Session, method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<T>(), raw: response.body };
  };
  const runJobs = () => app.runner?.runDue() ?? Promise.resolve(0);
  const sweep = async () => {
    await enqueueRecurringJobs(app.database.db, clock, { type: VICTIM_UPDATES_SWEEP_JOB, intervalMs: VICTIM_UPDATES_SWEEP_MS });
    await runJobs();
  };
  const newCase = async (victims: { name: string; enhancedRights?: boolean }[], team = 'CID North') => {
    const created = await api<{ case: { id: string; reference: string } }>(investigator, 'POST', '/api/cases', { crimeType: 'VAP-VWI', summary: 'Assault outside a pub', victims });
    expect(created.status, created.raw).toBe(201);
    const id = created.body.case.id;
    await milestone(id, { type: 'allocate', officerInCase: investigator.user.id, team });
    return id;
  };
  const milestone = async (caseId: string, payload: object) => {
    const response = await api(investigator, 'POST', `/api/cases/${caseId}/milestones`, payload);
    expect(response.status, response.raw).toBe(200);
  };
  const caseUpdates = async (caseId: string) => {
    const response = await api<{ updates: Update[] }>(investigator, 'GET', `/api/cases/${caseId}/victim-updates`);
    expect(response.status, response.raw).toBe(200);
    return response.body.updates;
  };
  const eventsOf = (caseId: string, prefix: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', caseId).where('type', 'like', `${prefix}%`).orderBy('seq').execute(),
    );

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    const other = await createOtherForce(app, ['investigator', 'supervisor']);
    otherForceId = other.forceId;
    await signInAll();
  });
  afterAll(() => app.close());

  let arrestCase = '';

  it('gives an enhanced-rights victim until the end of the next working day to hear of an arrest, and others five', async () => {
    arrestCase = await newCase([{ name: 'Alex Victim', enhancedRights: true }, { name: 'Bo Witness-Victim' }]);
    await milestone(arrestCase, { type: 'suspect_arrested', note: 'Arrested at home' });
    await runJobs();
    const updates = await caseUpdates(arrestCase);
    const arrest = updates.filter((u) => u.duty === 'arrest');
    expect(arrest).toHaveLength(2);
    expect(arrest.find((u) => u.victimName === 'Alex Victim')).toMatchObject({ enhancedRights: true, dueAt: '2026-12-04T00:00:00.000Z', standing: 'open', team: 'CID North' });
    expect(arrest.find((u) => u.victimName === 'Bo Witness-Victim')).toMatchObject({ enhancedRights: false, dueAt: '2026-12-10T00:00:00.000Z' });
    // Recording the case asked for a referral to support services for each victim, within two working days.
    expect(updates.filter((u) => u.duty === 'referral').map((u) => u.dueAt)).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-05T00:00:00.000Z']);
    // Allocation alone obliges nothing; running the jobs again opens nothing twice.
    await runJobs();
    expect(await caseUpdates(arrestCase)).toHaveLength(4);
    expect((await eventsOf(arrestCase, 'case.victim_update_opened')).length).toBe(4);

    const mine = await api<{ updates: Update[] }>(investigator, 'GET', '/api/cases/victim-updates?which=mine');
    expect(mine.status, mine.raw).toBe(200);
    const mineHere = mine.body.updates.filter((u) => u.caseId === arrestCase);
    expect(mineHere.map((u) => u.duty)).toEqual(['arrest', 'referral', 'referral', 'arrest']);
    const team = await api<{ updates: Update[] }>(investigator, 'GET', '/api/cases/victim-updates?which=team');
    expect(team.body.updates.filter((u) => u.caseId === arrestCase)).toHaveLength(4);
    const otherTeam = await api<{ updates: Update[] }>(supervisor, 'GET', '/api/cases/victim-updates?which=team&team=CID%20South');
    expect(otherTeam.body.updates.filter((u) => u.caseId === arrestCase)).toHaveLength(0);
  });

  it('is satisfied by the officer saying the victim was told, once; a referral takes "referred" or "declined"', async () => {
    const updates = await caseUpdates(arrestCase);
    const alex = updates.find((u) => u.duty === 'arrest' && u.victimName === 'Alex Victim');
    const referral = updates.find((u) => u.duty === 'referral' && u.victimName === 'Alex Victim');
    if (!alex || !referral) throw new Error('clocks missing');
    clock.set(new Date('2026-12-03T09:15:00Z'));
    await signInAll();
    const informed = await api<{ update: Update }>(investigator, 'POST', `/api/cases/${arrestCase}/victim-updates/${alex.id}/informed`, { how: 'phone', note: 'Spoke to Alex' });
    expect(informed.status, informed.raw).toBe(200);
    expect(informed.body.update).toMatchObject({ how: 'phone', satisfiedAt: '2026-12-03T09:15:00.000Z', standing: 'on_time' });
    const again = await api<{ error: { code: string } }>(investigator, 'POST', `/api/cases/${arrestCase}/victim-updates/${alex.id}/informed`, { how: 'visit' });
    expect(again.status).toBe(409);
    const wrongHow = await api<{ error: { code: string } }>(investigator, 'POST', `/api/cases/${arrestCase}/victim-updates/${referral.id}/informed`, { how: 'phone' });
    expect(wrongHow.status).toBe(400);
    const declined = await api<{ update: Update }>(investigator, 'POST', `/api/cases/${arrestCase}/victim-updates/${referral.id}/informed`, { how: 'declined' });
    expect(declined.body.update.standing).toBe('declined');
    const badHow = await api(investigator, 'POST', `/api/cases/${arrestCase}/victim-updates/${alex.id}/informed`, { how: 'pigeon' });
    expect(badHow.status).toBe(400);
    const informedEvents = await eventsOf(arrestCase, 'case.victim_informed');
    expect(informedEvents.map((e) => e.data.how)).toEqual(['phone', 'declined']);
    // What is done leaves the list of updates due.
    const mine = await api<{ updates: Update[] }>(investigator, 'GET', '/api/cases/victim-updates?which=mine');
    expect(mine.body.updates.some((u) => u.id === alex.id || u.id === referral.id)).toBe(false);
  });

  it('counts a journey message for the milestone as telling the victim', async () => {
    const charged = await newCase([{ name: 'Cam Victim' }]);
    await milestone(charged, { type: 'suspect_identified' });
    await milestone(charged, { type: 'charged' });
    await runJobs();
    const duty = (await caseUpdates(charged)).find((u) => u.duty === 'charge');
    expect(duty).toMatchObject({ standing: 'open', dueAt: '2026-12-11T00:00:00.000Z' });
    // A message for another step does not count; the one for the charge does. A journey message's
    // key ends with the id of the victim it was written to.
    const cam = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select('id').where('case_id', '=', charged).executeTakeFirstOrThrow());
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      for (const step of ['case.report_received', 'case.charged']) {
        await queueMessage(tx, app.demoForceId, clock, {
          channels: [{ channel: 'email', recipient: 'cam@example.org', subject: 'Update', body: 'Someone has been charged' }],
          purpose: `journey:${step}`,
          idempotencyKey: `test:${charged}:${step}:${cam.id}`,
          caseId: charged,
        });
      }
    });
    await sweep();
    const met = (await caseUpdates(charged)).find((u) => u.duty === 'charge');
    expect(met).toMatchObject({ how: 'journey', standing: 'on_time', satisfiedAt: '2026-12-03T09:15:00.000Z' });
    expect((await eventsOf(charged, 'case.victim_informed')).map((e) => e.data.how)).toEqual(['journey']);
  });

  it('warns before the due time, marks a breach after it, and reports breaches and on-time updates by team', async () => {
    // Just after midnight on Friday 4 December: a two-day referral warns once its first working day has ended.
    clock.set(new Date('2026-12-04T00:30:00Z'));
    await signInAll();
    await sweep();
    const updates = await caseUpdates(arrestCase);
    const boReferral = updates.find((u) => u.duty === 'referral' && u.victimName === 'Bo Witness-Victim');
    expect(boReferral).toMatchObject({ standing: 'due_soon', breachedAt: null });
    expect((await eventsOf(arrestCase, 'case.victim_update_due_soon')).map((e) => e.data.duty)).toContain('referral');

    // Saturday 5 December, 01:00: the referral was due at midnight and nobody made it.
    clock.set(new Date('2026-12-05T01:00:00Z'));
    await signInAll();
    await sweep();
    await sweep(); // a second sweep marks nothing twice
    const after = await caseUpdates(arrestCase);
    expect(after.find((u) => u.id === boReferral?.id)).toMatchObject({ standing: 'overdue', breachedAt: '2026-12-05T01:00:00.000Z' });
    const breaches = await eventsOf(arrestCase, 'case.victim_update_breached');
    expect(breaches.map((e) => e.data.duty)).toEqual(['referral']);
    // Alex's arrest update was given in time: no breach for it.
    expect(after.find((u) => u.duty === 'arrest' && u.victimName === 'Alex Victim')?.breachedAt).toBeNull();
    const overdue = await api<{ updates: Update[] }>(supervisor, 'GET', '/api/cases/victim-updates?which=all');
    expect(overdue.body.updates[0]).toMatchObject({ id: boReferral?.id, standing: 'overdue' });

    const report = await api<{ teams: Figures[] }>(supervisor, 'GET', '/api/reports/victims-code?from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z');
    expect(report.status, report.raw).toBe(200);
    expect(report.body.teams.find((t) => t.team === 'CID North')).toEqual({ team: 'CID North', total: 6, onTime: 2, late: 0, overdue: 1, open: 2, declined: 1, withdrawn: 0, breaches: 1 });
    const forbidden = await api(investigator, 'GET', '/api/reports/victims-code');
    expect(forbidden.status).toBe(403);
    const backwards = await api(supervisor, 'GET', '/api/reports/victims-code?from=2026-12-31T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(backwards.status).toBe(400);
  });

  it('counts working days over the Christmas bank holidays: an arrest on Christmas Eve is due by the end of 29 December', async () => {
    clock.set(new Date('2026-12-24T11:00:00Z'));
    await signInAll();
    const christmas = await newCase([{ name: 'Dee Victim', enhancedRights: true }, { name: 'Eve Victim' }], 'CID South');
    await milestone(christmas, { type: 'suspect_arrested' });
    await runJobs();
    const updates = await caseUpdates(christmas);
    expect(updates.find((u) => u.duty === 'arrest' && u.enhancedRights)?.dueAt).toBe('2026-12-30T00:00:00.000Z');
    expect(updates.find((u) => u.duty === 'arrest' && !u.enhancedRights)?.dueAt).toBe('2027-01-06T00:00:00.000Z');
    expect(updates.find((u) => u.duty === 'referral')?.dueAt).toBe('2026-12-31T00:00:00.000Z');
    // A close with no further action after an arrest tells the victims so; the sweep on the 30th finds the arrest update late.
    await milestone(christmas, { type: 'close', outcomeCode: '15', reason: 'Not enough evidence to charge' });
    await runJobs();
    expect((await caseUpdates(christmas)).filter((u) => u.duty === 'no_further_action')).toHaveLength(2);
    clock.set(new Date('2026-12-30T08:00:00Z'));
    await signInAll();
    await sweep();
    // Dee has enhanced rights: her arrest and no-further-action updates were both due at the end of the 29th.
    expect((await eventsOf(christmas, 'case.victim_update_breached')).map((e) => e.data.duty).sort()).toEqual(['arrest', 'no_further_action']);
  });

  it('decides a case closed without investigation is "not investigated"', async () => {
    const filed = await newCase([{ name: 'Fay Victim' }], 'CID South');
    await milestone(filed, { type: 'close', outcomeCode: '18', reason: 'No lines of enquiry' });
    await runJobs();
    expect((await caseUpdates(filed)).map((u) => u.duty).sort()).toEqual(['not_investigated', 'referral']);
  });

  it("hides-other-force-victim-updates: another force can neither see nor act on them, nor count them", async () => {
    const ours = (await caseUpdates(arrestCase)).find((u) => u.satisfiedAt === null);
    if (!ours) throw new Error('no open clock');
    const listed = await api<{ updates: Update[] }>(otherInvestigator, 'GET', '/api/cases/victim-updates?which=all');
    expect(listed.status).toBe(200);
    expect(listed.body.updates).toEqual([]);
    const ofCase = await api(otherInvestigator, 'GET', `/api/cases/${arrestCase}/victim-updates`);
    expect(ofCase.status).toBe(404);
    const act = await api(otherInvestigator, 'POST', `/api/cases/${arrestCase}/victim-updates/${ours.id}/informed`, { how: 'phone' });
    expect(act.status).toBe(404);
    const report = await api<{ teams: Figures[] }>(otherSupervisor, 'GET', '/api/reports/victims-code?from=2026-12-01T00:00:00Z&to=2027-01-31T00:00:00Z');
    expect(report.body.teams).toEqual([]);
    // The row is untouched, and the other force's sweep leaves it alone.
    const stored = await withForce(app.database.db, otherForceId, (tx) => tx.selectFrom('victim_updates').select('id').execute());
    expect(stored).toEqual([]);
    expect((await caseUpdates(arrestCase)).find((u) => u.id === ours.id)?.satisfiedAt).toBeNull();
  });

  it('sweeps many open clocks reading each a few times, not once for every other (whatever the planner believes)', async () => {
    const caseId = await newCase([{ name: 'Fay Many' }]);
    await milestone(caseId, { type: 'suspect_arrested', note: 'Arrested at home' });
    await runJobs();
    // A busy month's open clocks, written faster than PGlite's statistics follow (none due yet).
    await withSystem(app.database.db, (tx) =>
      sql`insert into victim_updates (id, force_id, case_id, case_person_id, victim_key, person_id, duty, milestone_event_id, milestone_type, milestone_at,
            counted_from, enhanced_rights, working_days, due_at, warn_at, created_at)
          select gen_random_uuid(), force_id, case_id, case_person_id, victim_key, person_id, duty, gen_random_uuid(), milestone_type, milestone_at,
            counted_from, enhanced_rights, working_days, due_at + interval '60 days', warn_at + interval '60 days', created_at
          from victim_updates, generate_series(1, 1500) where case_id = ${caseId}`.execute(tx),
    );
    const { reads, open } = await withForce(app.database.db, app.demoForceId, async (tx) => {
      await sweepVictimUpdates(tx, app.demoForceId, clock);
      // This transaction's own reads of the table (index and sequential), counted by PostgreSQL.
      const counted = await sql<{ reads: string; open: string }>`
        select (select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) from pg_stat_xact_user_tables where relname = 'victim_updates') as reads,
               (select count(*) from victim_updates where force_id = ${app.demoForceId} and satisfied_at is null) as open`.execute(tx);
      return { reads: Number(counted.rows[0]?.reads), open: Number(counted.rows[0]?.open) };
    });
    expect(open).toBeGreaterThan(1500);
    // A batch chosen once and joined reads each open clock a few times; `id in (subquery … limit)`
    // planned as a nested loop read every open clock again for each one (open × open).
    expect(reads).toBeLessThan(10 * open);
  });

  it('opens the clocks of many cases in one run, each for its own victims only', async () => {
    const first = await newCase([{ name: 'Cai Batch', enhancedRights: true }, { name: 'Dee Batch' }], 'CID Batch');
    const second = await newCase([{ name: 'Eli Batch' }], 'CID Batch');
    await milestone(first, { type: 'suspect_arrested', note: 'Arrested at work' });
    await milestone(second, { type: 'suspect_arrested', note: 'Arrested at home' });
    await runJobs();
    const arrests = async (caseId: string) => (await caseUpdates(caseId)).filter((u) => u.duty === 'arrest').sort((a, b) => (a.victimName ?? '').localeCompare(b.victimName ?? ''));
    const [cai, dee] = await arrests(first);
    expect([cai?.victimName, dee?.victimName]).toEqual(['Cai Batch', 'Dee Batch']);
    expect([cai?.enhancedRights, dee?.enhancedRights]).toEqual([true, false]);
    // An enhanced-rights victim is due sooner (one working day against five).
    expect(Date.parse(cai?.dueAt ?? '')).toBeLessThan(Date.parse(dee?.dueAt ?? ''));
    const [eli, ...none] = await arrests(second);
    expect(none).toEqual([]);
    expect(eli).toMatchObject({ victimName: 'Eli Batch', enhancedRights: false, dueAt: dee?.dueAt });
    expect((await eventsOf(second, 'case.victim_update_opened')).length).toBe(2);
  });
});
