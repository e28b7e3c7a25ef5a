import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { verifyChain } from '../../src/platform/events/event-log.ts';
import { enqueueRecurringJobs } from '../../src/platform/jobs/recurring.ts';
import type { JobHandler } from '../../src/platform/jobs/jobs.ts';
import { VICTIM_UPDATES_OPEN_JOB, VICTIM_UPDATES_SWEEP_JOB, VICTIM_UPDATES_SWEEP_MS } from '../../src/capabilities/cases/victims-code.events.ts';
import { LOOKBACK_MS } from '../../src/capabilities/cases/victim-updates.jobs.ts';
import { unopenedMilestones } from '../../src/capabilities/cases/victim-updates-repair.service.ts';

// A case whose Victims' Code clocks cannot be opened from its records (decision 0123): here its
// victim's row is refused by the clocks' table, as a row put right by hand in the database, or a
// constraint broken by a migration, would be. Its milestones' own jobs were given up (the job does
// nothing here), so only the force's sweep could open them. Such a case must not take the sweep's
// places for ever, supervisors are told once where they look (the alert banner, the case's
// timeline), no database error reaches them, and once the case is put right its clocks open, once.

type Session = Awaited<ReturnType<typeof signIn>>;
type Update = { duty: string; victimName: string | null; dueAt: string };
type Alert = { id: string; kind: string; caseId?: string; caseReference?: string; message: string; putRightAt?: string | null };
type CaseView = { reference: string; people: { id: string; name: string }[]; timeline: { type: string; note: string | null }[] };

const MINUTE = 60_000;
/** What the clocks' table says of the refused rows: the internal text that must stay in the logs. */
const INTERNAL = 'violates check constraint "victim_updates_victim_check"';

async function startApp(clock: ReturnType<typeof fixedClock>) {
  const given: JobHandler = async () => {};
  const app = await createTestApp({ overrides: { clock, jobHandlers: new Map([[VICTIM_UPDATES_OPEN_JOB, given]]) } });
  // A victim named "Unwritable …" is refused by the clocks' table, whoever opens their clock.
  await sql`create function test_refuse_unwritable_victim() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from case_people where id = new.case_person_id and name like 'Unwritable %') then
        raise exception 'new row for relation "victim_updates" ${sql.raw(INTERNAL)}';
      end if;
      return new;
    end $$`.execute(app.database.db);
  await sql`create trigger test_refuse_unwritable_victim before insert on victim_updates for each row execute function test_refuse_unwritable_victim()`.execute(app.database.db);
  return app;
}

function kit(getApp: () => TestApp, clock: ReturnType<typeof fixedClock>) {
  let investigator: Session | undefined;
  let supervisor: Session | undefined;
  const app = () => getApp();
  const as = async (who: 'investigator' | 'supervisor') => {
    if (who === 'investigator') investigator ??= await signIn(app(), 'investigator@demo.police.uk');
    else supervisor ??= await signIn(app(), 'supervisor@demo.police.uk');
    return who === 'investigator' ? investigator : supervisor;
  };
  const api = async <T>(who: 'investigator' | 'supervisor', method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const session = await as(who);
    const response = await app().inject({ method, url, headers: session?.headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<T>(), raw: response.body };
  };
  const inDemo = <T>(work: Parameters<typeof withForce<T>>[2]) => withForce(app().database.db, app().demoForceId, work);
  return {
    api,
    inDemo,
    /** Sessions last a while; the tests move the clock by days. */
    signInAgain: () => {
      investigator = undefined;
      supervisor = undefined;
    },
    newCase: async (victimName: string) => {
      const created = await api<{ case: { id: string } }>('investigator', 'POST', '/api/cases', { crimeType: 'VAP-VWI', summary: 'Assault outside a pub', victims: [{ name: victimName }] });
      expect(created.status, created.raw).toBe(201);
      // The case's own follow-ups (its journey, its given-up clocks job) run when it is made, as
      // they would in service, not later within a sweep where their events would follow its failure.
      await app().runner?.runDue();
      return created.body.case.id;
    },
    readCase: async (caseId: string) => {
      const response = await api<{ case: CaseView }>('investigator', 'GET', `/api/cases/${caseId}`);
      expect(response.status, response.raw).toBe(200);
      return response.body.case;
    },
    caseUpdates: async (caseId: string) => {
      const response = await api<{ updates: Update[] }>('investigator', 'GET', `/api/cases/${caseId}/victim-updates`);
      expect(response.status, response.raw).toBe(200);
      return response.body.updates;
    },
    alerts: async () => {
      const response = await api<{ alerts: Alert[] }>('supervisor', 'GET', '/api/alerts');
      expect(response.status, response.raw).toBe(200);
      return response.body.alerts;
    },
    /** How many times the sweep said a case's clocks could not be opened. */
    failures: (caseId: string) =>
      inDemo((tx) => tx.selectFrom('events').select('data').where('subject_type', '=', 'case').where('subject_id', '=', caseId).where('type', '=', 'case.victim_updates_not_opened').orderBy('seq').execute()),
    opened: (caseId: string) => inDemo((tx) => tx.selectFrom('events').select('data').where('subject_id', '=', caseId).where('type', '=', 'case.victim_update_opened').execute()),
    sweep: async () => {
      await enqueueRecurringJobs(app().database.db, clock, { type: VICTIM_UPDATES_SWEEP_JOB, intervalMs: VICTIM_UPDATES_SWEEP_MS });
      await app().runner?.runDue();
    },
  };
}

describe(`Victims' Code clocks a case's records will not let the sweep open: the sweep's places (${ENGINE})`, () => {
  // Wednesday 2 December 2026, 10:00 in London (GMT).
  const clock = fixedClock(new Date('2026-12-02T10:00:00Z'));
  let app: TestApp;
  const t = kit(() => app, clock);

  beforeAll(async () => {
    app = await startApp(clock);
  });
  afterAll(() => app.close());

  it('opens the case that can be opened though more than fifty that cannot came first, and tries those no more every sweep', async () => {
    const unwritable: string[] = [];
    for (let i = 0; i < 51; i += 1) unwritable.push(await t.newCase(`Unwritable Victim ${i}`));
    const good = await t.newCase('Ann Victim');
    await app.runner?.runDue();
    expect(await t.caseUpdates(good)).toEqual([]);

    // Past the milestones' own jobs' time: the sweep's fifty places a sweep.
    clock.advance(20 * MINUTE);
    for (let sweep = 0; sweep < 3; sweep += 1) {
      await t.sweep();
      clock.advance(VICTIM_UPDATES_SWEEP_MS);
    }
    expect((await t.caseUpdates(good)).map((u) => [u.duty, u.victimName])).toEqual([['referral', 'Ann Victim']]);
    // Each case that could not be opened was tried once in those sweeps, and said so once.
    for (const caseId of unwritable) expect(await t.failures(caseId)).toHaveLength(1);

    // The sweeps that follow within the hour leave them be; after it each is tried once more.
    for (let sweep = 0; sweep < 3; sweep += 1) {
      await t.sweep();
      clock.advance(VICTIM_UPDATES_SWEEP_MS);
    }
    for (const caseId of unwritable) expect(await t.failures(caseId)).toHaveLength(1);
    clock.advance(60 * MINUTE);
    await t.sweep();
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await t.sweep();
    for (const caseId of unwritable) expect((await t.failures(caseId)).map((f) => f.data.attempt)).toEqual([1, 2]);
    // Supervisors were told of each once.
    expect((await t.alerts()).map((a) => a.caseId).sort()).toEqual([...unwritable].sort());
    expect(await t.opened(good)).toHaveLength(1);
  });

  it('reads the cases waiting once a sweep: the last day’s failures by type and time, and each one’s later events by its case', async () => {
    // Every five minutes: the sweep must not read the force's whole event log to find the few
    // cases that wait, nor join every milestone to every failure.
    type PlanNode = { 'Node Type'?: string; 'Relation Name'?: string; Alias?: string; 'Index Cond'?: string; Filter?: string; Plans?: PlanNode[] };
    const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
    const plan = await t.inDemo(async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      const query = unopenedMilestones(tx, app.demoForceId, clock, LOOKBACK_MS).compile();
      const result = await tx.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
      const raw = result.rows[0]?.['QUERY PLAN'];
      return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]?.Plan;
    });
    const all = nodes(plan ?? {});
    const failures = all.find((node) => node.Alias === 'w');
    expect(failures?.['Index Cond'] ?? '').toMatch(/type = 'case\.victim_updates_not_opened'.*occurred_at >/s);
    // Each failure's later events: a lookup of its own case (a lateral, limited), never a join.
    const limits = all.filter((node) => node['Node Type'] === 'Limit' && (node.Plans ?? []).some((inner) => inner.Alias === 'g'));
    expect(limits).toHaveLength(1);
    const changes = all.find((node) => node.Alias === 'g');
    expect(`${changes?.['Index Cond'] ?? ''} ${changes?.Filter ?? ''}`).toMatch(/subject_id = w\.subject_id/);
  });
});

describe(`Victims' Code clocks a case's records will not let the sweep open: telling supervisors, and mending (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-12-02T10:00:00Z'));
  let app: TestApp;
  const t = kit(() => app, clock);

  beforeAll(async () => {
    app = await startApp(clock);
  });
  afterAll(() => app.close());

  it('tells supervisors once, in staff’s words, and opens the clocks once the victim is put right, once', async () => {
    const caseId = await t.newCase('Unwritable Victim');
    const { reference, people } = await t.readCase(caseId);
    clock.advance(20 * MINUTE);
    await t.sweep();

    // The banner: one alert about the case, saying what is wrong and what to do, nothing internal.
    const [alert, ...others] = await t.alerts();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ kind: 'victim_updates_unopened', caseId, caseReference: reference, putRightAt: null });
    expect(alert?.message).toMatch(/Victims' Code/);
    // The case's timeline says so too.
    const failed = (await t.readCase(caseId)).timeline.filter((e) => e.type === 'case.victim_updates_not_opened');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.note).toMatch(/not being watched/);
    for (const text of [alert?.message ?? '', ...failed.map((e) => e.note ?? '')]) {
      expect(text).not.toMatch(/victim_updates|constraint|relation|violates/);
    }

    // Tried again later (the wait has passed), it fails again: the supervisors are not told twice.
    clock.advance(3 * 60 * MINUTE);
    await t.sweep();
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await t.sweep();
    expect((await t.failures(caseId)).length).toBe(2);
    expect(await t.alerts()).toHaveLength(1);

    // The investigator puts the victim's record right: the next sweep opens the clocks, once.
    t.signInAgain();
    const victim = people.find((p) => p.name === 'Unwritable Victim');
    const mended = await t.api('investigator', 'PATCH', `/api/cases/${caseId}/people/${victim?.id ?? ''}`, { name: 'Bea Victim' });
    expect(mended.status, mended.raw).toBe(200);
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await t.sweep();
    const putRightAt = clock.now().toISOString();
    expect((await t.caseUpdates(caseId)).map((u) => [u.duty, u.victimName])).toEqual([['referral', 'Bea Victim']]);
    // The alert stays for a supervisor, but no longer says the updates are not being watched: it
    // says they were put right, and when (decision 0128); the case's timeline says so too.
    expect(await t.alerts()).toEqual([expect.objectContaining({ id: alert?.id, caseId, putRightAt })]);
    const putRight = (await t.readCase(caseId)).timeline.filter((e) => e.type === 'case.victim_updates_put_right');
    expect(putRight.map((e) => e.note)).toEqual([expect.stringMatching(/being watched again/)]);
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await t.sweep();
    expect(await t.opened(caseId)).toHaveLength(1);
    expect((await t.failures(caseId)).length).toBe(2);
    expect(await t.alerts()).toEqual([expect.objectContaining({ id: alert?.id, putRightAt })]);
    expect((await t.readCase(caseId)).timeline.filter((e) => e.type === 'case.victim_updates_put_right')).toHaveLength(1);

    // The supervisor acknowledges the alert: recorded on the case, and the banner is clear.
    const acknowledged = await t.api<{ alert: Alert }>('supervisor', 'POST', `/api/alerts/${alert?.id ?? ''}/acknowledge`, { note: 'Victim record corrected by DC Smith' });
    expect(acknowledged.status, acknowledged.raw).toBe(200);
    expect(await t.alerts()).toEqual([]);
    expect((await t.readCase(caseId)).timeline.map((e) => e.type)).toContain('case.victim_updates_alert_acknowledged');
    // Once (decision 0125): a second acknowledgement is refused and records nothing.
    const again = await t.api<{ error: { code: string; message: string } }>('supervisor', 'POST', `/api/alerts/${alert?.id ?? ''}/acknowledge`, { note: 'Again' });
    expect([again.status, again.body.error]).toEqual([409, { code: 'conflict', message: 'this alert has already been acknowledged' }]);
    expect((await t.readCase(caseId)).timeline.filter((e) => e.type === 'case.victim_updates_alert_acknowledged')).toHaveLength(1);
    expect(await t.inDemo((tx) => verifyChain(tx, app.demoForceId))).toMatchObject({ ok: true });
  });

  it('opens a case put right by hand in the database, with no change recorded, after its wait', async () => {
    t.signInAgain();
    const caseId = await t.newCase('Unwritable Victim Two');
    clock.advance(20 * MINUTE);
    await t.sweep();
    expect(await t.failures(caseId)).toHaveLength(1);
    expect((await t.alerts()).filter((a) => a.caseId === caseId)).toHaveLength(1);

    await sql`update case_people set name = 'Cy Victim' where name = 'Unwritable Victim Two'`.execute(app.database.db);
    // Within its wait, nothing tells the sweep the case changed: it is not tried.
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await t.sweep();
    expect(await t.caseUpdates(caseId)).toEqual([]);
    // After its wait it is tried, and opened, once; nothing more is said of it.
    clock.advance(2 * 60 * MINUTE);
    await t.sweep();
    t.signInAgain();
    expect((await t.caseUpdates(caseId)).map((u) => u.victimName)).toEqual(['Cy Victim']);
    expect((await t.alerts()).filter((a) => a.caseId === caseId)).toEqual([expect.objectContaining({ putRightAt: clock.now().toISOString() })]);
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await t.sweep();
    expect(await t.opened(caseId)).toHaveLength(1);
    expect(await t.failures(caseId)).toHaveLength(1);
    expect((await t.alerts()).filter((a) => a.caseId === caseId)).toHaveLength(1);
  });
});
