import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { verifyChain } from '../../src/platform/events/event-log.ts';
import { enqueueRecurringJobs } from '../../src/platform/jobs/recurring.ts';
import { payloadText, type JobHandler } from '../../src/platform/jobs/jobs.ts';
import { VICTIM_UPDATES_OPEN_JOB, VICTIM_UPDATES_SWEEP_JOB, VICTIM_UPDATES_SWEEP_MS } from '../../src/capabilities/cases/victims-code.events.ts';
import { LOOKBACK_MS, createVictimUpdatesSweepHandler, openVictimUpdates } from '../../src/capabilities/cases/victim-updates.jobs.ts';
import { casesWithUnopenedVictimUpdates, unopenedMilestones } from '../../src/capabilities/cases/victim-updates-repair.service.ts';

// The job that opens a case's Victims' Code clocks given up (decision 0118): every attempt fails
// (here a fault put in its place, as a broken holiday table or a database refusing its write would),
// so the milestone's duty has no clock. The force's sweep finds the milestone without its clocks
// and opens them, timed from the milestone, once; an admin's retry later opens nothing twice.

type Session = Awaited<ReturnType<typeof signIn>>;
type Update = { id: string; duty: string; victimName: string | null; dueAt: string; breachedAt: string | null; standing: string };

// Wednesday 2 December 2026, 10:00 in London (GMT).
const WEDNESDAY = new Date('2026-12-02T10:00:00Z');

describe(`Victims' Code clocks whose opening job is given up (${ENGINE})`, () => {
  const clock = fixedClock(WEDNESDAY);
  let app: TestApp;
  let investigator: Session;
  let isBroken = true;
  const openHandler: JobHandler = async ({ job, inForce }) => {
    if (isBroken) throw new Error('relation "bank_holidays" does not exist');
    await inForce((tx) => openVictimUpdates(tx, job.forceId, clock, [payloadText(job, 'caseId')]));
  };

  const inDemo = <T>(work: Parameters<typeof withForce<T>>[2]) => withForce(app.database.db, app.demoForceId, work);
  const api = async <T>(method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: investigator.headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<T>(), raw: response.body };
  };
  const newCase = async (victims: { name: string; enhancedRights?: boolean }[]) => {
    const created = await api<{ case: { id: string } }>('POST', '/api/cases', { crimeType: 'VAP-VWI', summary: 'Assault outside a pub', victims });
    expect(created.status, created.raw).toBe(201);
    return created.body.case.id;
  };
  const milestone = async (caseId: string, payload: object) => {
    const response = await api('POST', `/api/cases/${caseId}/milestones`, payload);
    expect(response.status, response.raw).toBe(200);
  };
  const caseUpdates = async (caseId: string) => {
    const response = await api<{ updates: Update[] }>('GET', `/api/cases/${caseId}/victim-updates`);
    expect(response.status, response.raw).toBe(200);
    return response.body.updates;
  };
  const openJobs = (caseId: string) =>
    inDemo((tx) => tx.selectFrom('jobs').select(['id', 'state']).where('type', '=', VICTIM_UPDATES_OPEN_JOB).where(sql<string>`payload->>'caseId'`, '=', caseId).orderBy('created_at').execute());
  const opened = (caseId: string) => inDemo((tx) => tx.selectFrom('events').select('data').where('subject_id', '=', caseId).where('type', '=', 'case.victim_update_opened').execute());
  /** Runs the jobs until every attempt of the opening jobs has failed (their backoff is at most ten minutes). */
  const runUntilGivenUp = async () => {
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      await app.runner?.runDue();
      clock.advance(10 * 60_000);
    }
  };
  /** What the sweep would open next: nothing, once every clock owed is open (else it would try every five minutes). */
  const stillUnopened = () => inDemo((tx) => casesWithUnopenedVictimUpdates(tx, app.demoForceId, clock, LOOKBACK_MS));
  const sweep = async () => {
    await enqueueRecurringJobs(app.database.db, clock, { type: VICTIM_UPDATES_SWEEP_JOB, intervalMs: VICTIM_UPDATES_SWEEP_MS });
    await app.runner?.runDue();
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, jobHandlers: new Map([[VICTIM_UPDATES_OPEN_JOB, openHandler]]) } });
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(() => app.close());

  it('opens the clocks of a milestone whose opening job died, timed from the milestone, once, and an admin’s retry opens nothing more', async () => {
    const caseId = await newCase([{ name: 'Alex Victim', enhancedRights: true }]);
    await milestone(caseId, { type: 'suspect_arrested', note: 'Arrested at home' });
    await runUntilGivenUp();
    const jobs = await openJobs(caseId);
    // The recording, its victim's addition and the arrest each asked for the clocks; every job died.
    expect(jobs.map((job) => job.state)).toEqual(['dead', 'dead', 'dead']);
    expect(await caseUpdates(caseId)).toEqual([]);

    // The next working week: the sweep finds both milestones without their clocks and opens them,
    // due as they were from Wednesday (not from today), and the arrest's, already past, is breached.
    clock.set(new Date('2026-12-07T09:00:00Z'));
    investigator = await signIn(app, 'investigator@demo.police.uk');
    await sweep();
    const updates = await caseUpdates(caseId);
    expect(updates.map((u) => [u.duty, u.victimName, u.dueAt]).sort()).toEqual([
      ['arrest', 'Alex Victim', '2026-12-04T00:00:00.000Z'],
      ['referral', 'Alex Victim', '2026-12-05T00:00:00.000Z'],
    ]);
    expect(updates.every((u) => u.breachedAt === '2026-12-07T09:00:00.000Z')).toBe(true);
    expect(await opened(caseId)).toHaveLength(2);
    expect(await stillUnopened()).toEqual([]);

    // Swept again, and the dead jobs retried by an admin once the fault is mended: nothing twice.
    await sweep();
    isBroken = false;
    const admin = await signIn(app, 'admin@demo.police.uk');
    for (const job of jobs) expect((await app.inject({ method: 'POST', url: `/api/jobs/${job.id}/retry`, headers: admin.headers })).statusCode).toBe(200);
    await app.runner?.runDue();
    expect((await openJobs(caseId)).map((job) => job.state)).toEqual(['done', 'done', 'done']);
    expect(await caseUpdates(caseId)).toHaveLength(2);
    expect(await opened(caseId)).toHaveLength(2);
    expect(await inDemo((tx) => verifyChain(tx, app.demoForceId))).toMatchObject({ ok: true });
  });

  it('opens no clock for a milestone that owes the victim nothing', async () => {
    isBroken = false;
    clock.set(new Date('2026-12-09T10:00:00Z'));
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const caseId = await newCase([{ name: 'Cal Victim' }]);
    await milestone(caseId, { type: 'suspect_arrested', note: 'Arrested at home' });
    await milestone(caseId, { type: 'charged', note: 'Charged with assault' });
    await app.runner?.runDue();
    expect((await caseUpdates(caseId)).map((u) => u.duty).sort()).toEqual(['arrest', 'charge', 'referral']);

    // Closed with a charge: the victim heard of it when charged, so the close owes no update.
    isBroken = true;
    await milestone(caseId, { type: 'close', outcomeCode: '1', reason: 'Charged' });
    await runUntilGivenUp();
    expect((await openJobs(caseId)).map((job) => job.state).sort()).toEqual(['dead', 'done', 'done', 'done', 'done']);
    await sweep();
    expect((await caseUpdates(caseId)).map((u) => u.duty).sort()).toEqual(['arrest', 'charge', 'referral']);
    expect(await opened(caseId)).toHaveLength(3);
    expect(await stillUnopened()).toEqual([]);
  });

  it('opens what a case with no victim named owes “the victim”, and a victim added later their own, when those jobs die too', async () => {
    isBroken = true;
    // Thursday 10 December: a referral is due by the end of Monday, an enhanced-rights arrest update by the end of Friday.
    clock.set(new Date('2026-12-10T10:00:00Z'));
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const caseId = await newCase([]);
    await runUntilGivenUp();
    await sweep();
    // Owed, as the job would have opened it, to the victim not yet named (decision 0056).
    expect((await caseUpdates(caseId)).map((u) => [u.duty, u.victimName, u.dueAt])).toEqual([['referral', null, '2026-12-15T00:00:00.000Z']]);

    await milestone(caseId, { type: 'suspect_arrested', note: 'Arrested at home' });
    const added = await api<{ casePersonId: string }>('POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Dee Victim', enhancedRights: true });
    expect(added.status, added.raw).toBe(201);
    await runUntilGivenUp();
    expect((await openJobs(caseId)).map((job) => job.state)).toEqual(['dead', 'dead', 'dead']);
    await sweep();
    // The unnamed referral moved to her, and the arrest opened for her, each timed from its milestone.
    expect((await caseUpdates(caseId)).map((u) => [u.duty, u.victimName, u.dueAt]).sort()).toEqual([
      ['arrest', 'Dee Victim', '2026-12-12T00:00:00.000Z'],
      ['referral', 'Dee Victim', '2026-12-15T00:00:00.000Z'],
    ]);
    expect(await stillUnopened()).toEqual([]);
  });

  it('reads each milestone’s victims by its case, not every victim of the force, every sweep', async () => {
    // The check runs every five minutes over each of the force's milestones of the last thirty days;
    // were each milestone's victims found by filtering all the force's case people, a force with
    // twenty thousand cases would spend minutes in it each sweep, and mark no breach until it ended.
    type PlanNode = { 'Relation Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] };
    const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
    const plan = await inDemo(async (tx) => {
      // As on a force with many cases, where reading them all is never the cheaper way.
      await sql`set local enable_seqscan = off`.execute(tx);
      const query = unopenedMilestones(tx, app.demoForceId, clock, LOOKBACK_MS).compile();
      const result = await tx.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
      const raw = result.rows[0]?.['QUERY PLAN'];
      return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]?.Plan;
    });
    const victimsRead = nodes(plan ?? {}).filter((node) => node['Relation Name'] === 'case_people');
    expect(victimsRead.length).toBeGreaterThan(0);
    for (const node of victimsRead) expect(node['Index Cond'] ?? '').toMatch(/case_id/);
  });

  it('still marks the force’s breaches when the look for unopened clocks itself fails', async () => {
    isBroken = false;
    clock.set(new Date('2026-12-14T10:00:00Z'));
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const caseId = await newCase([{ name: 'Eve Victim' }]);
    await app.runner?.runDue();
    expect((await caseUpdates(caseId)).map((u) => u.breachedAt)).toEqual([null]);

    // Long past the referral's due time, the sweep's first read is refused (a statement timeout, a failover).
    clock.set(new Date('2026-12-28T10:00:00Z'));
    const errors: unknown[] = [];
    const logger = { error: (...args: unknown[]) => errors.push(args) } as unknown as Parameters<typeof createVictimUpdatesSweepHandler>[0]['logger'];
    let reads = 0;
    const sweepOnce = createVictimUpdatesSweepHandler({ clock, logger });
    const job = { forceId: app.demoForceId } as unknown as Parameters<typeof sweepOnce>[0]['job'];
    await sweepOnce({
      job,
      inForce: (work) => {
        reads += 1;
        if (reads === 1) return Promise.reject(new Error('canceling statement due to statement timeout'));
        return withForce(app.database.db, app.demoForceId, work);
      },
    });
    investigator = await signIn(app, 'investigator@demo.police.uk');
    expect((await caseUpdates(caseId)).map((u) => u.breachedAt)).toEqual(['2026-12-28T10:00:00.000Z']);
    expect(errors).toHaveLength(1);
  });

  // PGlite has one connection: two transactions cannot overlap there.
  it.skipIf(ENGINE !== 'postgres')('moves a clock owed to the unnamed victim once when the sweep and a late opening job do it at once', async () => {
    isBroken = false;
    clock.set(new Date('2026-12-16T10:00:00Z'));
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const caseId = await newCase([]);
    await app.runner?.runDue();
    expect((await caseUpdates(caseId)).map((u) => u.victimName)).toEqual([null]);
    const added = await api<{ casePersonId: string }>('POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Fay Victim' });
    expect(added.status, added.raw).toBe(201);

    // The first holds the moved clock's row, uncommitted, until the second has read the clock as
    // still unnamed and waits on that row.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let first: Promise<number> | undefined;
    const firstOpened = new Promise<void>((opened) => {
      first = withForce(app.database.db, app.demoForceId, async (tx) => {
        const count = await openVictimUpdates(tx, app.demoForceId, clock, [caseId]);
        opened();
        await held;
        return count;
      });
    });
    await firstOpened;
    const second = withForce(app.database.db, app.demoForceId, (tx) => openVictimUpdates(tx, app.demoForceId, clock, [caseId]));
    for (let look = 0; look < 10_000; look += 1) {
      const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(app.database.db);
      if (waiting.rows[0]?.n) break;
    }
    release();
    await Promise.all([first, second]);

    const moves = await inDemo((tx) => tx.selectFrom('events').select('data').where('subject_id', '=', caseId).where('type', '=', 'case.victim_update_reassigned').execute());
    expect(moves).toHaveLength(1);
    expect((await caseUpdates(caseId)).map((u) => u.victimName)).toEqual(['Fay Victim']);
  });
});
