import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { openVictimUpdates, sweepVictimUpdates } from '../../src/capabilities/cases/victim-updates.jobs.ts';
import { englandAndWalesBankHolidays, type BankHolidays } from '../../src/capabilities/cases/victims-code.schema.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Update = { id: string; duty: string; victimName: string | null; dueAt: string; standing: string; breachedAt: string | null; enhancedRights: boolean; victimEnhancedRights: boolean | null; missedBeforeNamed: boolean };
type Figures = { team: string | null; total: number; onTime: number; late: number; overdue: number; open: number; breaches: number };

// Wednesday 2 December 2026, 10:00 in London (GMT).
const WEDNESDAY = new Date('2026-12-02T10:00:00Z');

// A missed Victims' Code duty stays missed, whatever later moves its clock (decision 0133): a
// change to the victim's rights, or the clock moving from the case's unnamed victim to the first
// one named. The supervisors' report counts it, the officer's list shows it overdue, and the
// victim is told at once, counted late.

describe(`a missed Victims' Code update stays missed when its clock is re-timed or moved (${ENGINE})`, () => {
  const clock = fixedClock(WEDNESDAY);
  let app: TestApp;
  let investigator: Session;
  let supervisor: Session;
  let shift = 0;

  const signInAll = async () => {
    // Sessions last a shift: after the clock moves on, everyone signs in again.
    shift += 1;
    investigator = await signIn(app, 'investigator@demo.police.uk', 'demo-password', `10.33.${shift}.1`);
    supervisor = await signIn(app, 'supervisor@demo.police.uk', 'demo-password', `10.33.${shift}.2`);
  };
  const api = async <T>(session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<T>(), raw: response.body };
  };
  const runJobs = async () => {
    while (((await app.runner?.runDue()) ?? 0) > 0);
  };
  const sweep = () => withForce(app.database.db, app.demoForceId, (tx) => sweepVictimUpdates(tx, app.demoForceId, clock));
  const newCase = async (team: string, victims: { name: string; enhancedRights?: boolean }[]) => {
    const created = await api<{ case: { id: string } }>(investigator, 'POST', '/api/cases', { crimeType: 'VAP-VWI', summary: 'Assault outside a pub', victims });
    expect(created.status, created.raw).toBe(201);
    const caseId = created.body.case.id;
    for (const payload of [{ type: 'allocate', officerInCase: investigator.user.id, team }, { type: 'suspect_arrested' }]) {
      const done = await api(investigator, 'POST', `/api/cases/${caseId}/milestones`, payload);
      expect(done.status, done.raw).toBe(200);
    }
    await runJobs();
    return caseId;
  };
  const arrestUpdate = async (caseId: string) => {
    const response = await api<{ updates: Update[] }>(investigator, 'GET', `/api/cases/${caseId}/victim-updates`);
    expect(response.status, response.raw).toBe(200);
    return response.body.updates.find((u) => u.duty === 'arrest');
  };
  const report = async (team: string) => {
    const response = await api<{ teams: Figures[] }>(supervisor, 'GET', '/api/reports/victims-code?from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z');
    expect(response.status, response.raw).toBe(200);
    return response.body.teams.find((t) => t.team === team);
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  it('keeps-breach-when-rights-withdrawn-after-due: the update missed on one working day is not re-timed to five', async () => {
    clock.set(WEDNESDAY);
    await signInAll();
    const team = 'CID Rights';
    const caseId = await newCase(team, [{ name: 'Ash Enhanced', enhancedRights: true }]);
    expect(await arrestUpdate(caseId)).toMatchObject({ dueAt: '2026-12-04T00:00:00.000Z', standing: 'open' });

    // Friday morning: the one working day has passed, Ash was not told, the sweep has not yet run.
    // Then the officer takes the enhanced rights off.
    clock.set(new Date('2026-12-04T09:00:00Z'));
    await signInAll();
    const victimId = (await api<{ case: { people: { id: string }[] } }>(investigator, 'GET', `/api/cases/${caseId}`)).body.case.people[0]?.id ?? '';
    const changed = await api<{ retimed: number }>(investigator, 'PATCH', `/api/cases/${caseId}/people/${victimId}`, { enhancedRights: false });
    expect(changed.status, changed.raw).toBe(200);
    expect(changed.body.retimed).toBe(0);
    await sweep();

    // The duty was missed against the time it was owed: overdue, breached, on the officer's list first.
    expect(await arrestUpdate(caseId)).toMatchObject({ dueAt: '2026-12-04T00:00:00.000Z', standing: 'overdue', breachedAt: '2026-12-04T09:00:00.000Z' });
    // Missed on the enhanced timescale, which Ash no longer has: the view gives both, so staff can be told why.
    expect(await arrestUpdate(caseId)).toMatchObject({ enhancedRights: true, victimEnhancedRights: false, missedBeforeNamed: false });
    expect(await report(team)).toMatchObject({ overdue: 1, open: 1, breaches: 1 });
    const due = await api<{ updates: Update[] }>(investigator, 'GET', `/api/cases/victim-updates?which=team&team=${encodeURIComponent(team)}`);
    expect(due.body.updates[0]).toMatchObject({ duty: 'arrest', victimName: 'Ash Enhanced', standing: 'overdue' });
  });

  it('keeps-breach-when-victim-removed-after-due: updates missed before the sweep ran stay breaches when the victim is removed', async () => {
    clock.set(WEDNESDAY);
    await signInAll();
    const team = 'CID Removed';
    const caseId = await newCase(team, [{ name: 'Lee Removed' }]);
    expect(await arrestUpdate(caseId)).toMatchObject({ dueAt: '2026-12-10T00:00:00.000Z', standing: 'open' });

    // Thursday of the next week: five working days have passed untold (and the referral's two),
    // the sweep has not yet run; the report counts both overdue. Then Lee is removed from the case.
    clock.set(new Date('2026-12-10T09:00:00Z'));
    await signInAll();
    expect(await report(team)).toMatchObject({ overdue: 2, breaches: 2 });
    const victimId = (await api<{ case: { people: { id: string }[] } }>(investigator, 'GET', `/api/cases/${caseId}`)).body.case.people[0]?.id ?? '';
    const removed = await app.inject({ method: 'DELETE', url: `/api/cases/${caseId}/people/${victimId}`, headers: investigator.headers });
    expect(removed.statusCode, removed.body).toBe(200);
    await sweep();

    // Missed before the removal: still breaches, as they would be had the sweep run a minute earlier.
    expect(await report(team)).toMatchObject({ total: 2, overdue: 2, breaches: 2 });
    const events = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', caseId).where('type', 'in', ['case.victim_update_breached', 'case.victim_update_withdrawn']).orderBy('seq').execute(),
    );
    // Each update: breached, then withdrawn saying it was.
    const byUpdate = new Map<unknown, string[]>();
    for (const e of events) byUpdate.set(e.data.updateId, [...(byUpdate.get(e.data.updateId) ?? []), `${e.type}${e.data.wasBreached === true ? ' (was breached)' : ''}`]);
    expect([...byUpdate.values()]).toEqual([0, 1].map(() => ['case.victim_update_breached', 'case.victim_update_withdrawn (was breached)']));
  });

  it('keeps-breach-when-reassigned: the unnamed victim’s missed update moves to the first victim still missed, and they are told at once', async () => {
    clock.set(WEDNESDAY);
    await signInAll();
    const team = 'CID Unnamed';
    const caseId = await newCase(team, []);
    expect(await arrestUpdate(caseId)).toMatchObject({ victimName: null, dueAt: '2026-12-10T00:00:00.000Z' });

    // Thursday of the next week: five working days have passed untold, and the sweep marks it.
    clock.set(new Date('2026-12-10T09:00:00Z'));
    await signInAll();
    await sweep();
    expect(await arrestUpdate(caseId)).toMatchObject({ standing: 'overdue', breachedAt: '2026-12-10T09:00:00.000Z' });
    expect(await report(team)).toMatchObject({ overdue: 2, breaches: 2 }); // the referral too

    // The victim is named. Since the clock opened, a bank holiday was announced on Monday 7
    // December (as the one for a state funeral was, nine days ahead): counted afresh, five working
    // days from the arrest would end a day later, a time not yet come.
    const added = await api<{ casePersonId: string }>(investigator, 'POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Kim Later', enhancedRights: true });
    expect(added.status, added.raw).toBe(201);
    const known = englandAndWalesBankHolidays();
    const announced: BankHolidays = { isBankHoliday: (date) => date === '2026-12-07' || known.isBankHoliday(date) };
    await withForce(app.database.db, app.demoForceId, (tx) => openVictimUpdates(tx, app.demoForceId, clock, [caseId], announced));
    await sweep();

    // The update is Kim's now, still missed: not a fresh deadline that hides the breach.
    const moved = await arrestUpdate(caseId);
    expect(moved).toMatchObject({ victimName: 'Kim Later', dueAt: '2026-12-10T00:00:00.000Z', standing: 'overdue', breachedAt: '2026-12-10T09:00:00.000Z' });
    // Kim has enhanced rights; the update missed before she was named keeps the five working days it was missed against, and says so.
    expect(moved).toMatchObject({ enhancedRights: false, victimEnhancedRights: true, missedBeforeNamed: true });
    expect(await report(team)).toMatchObject({ overdue: 2, open: 0, breaches: 2 });

    // Kim is told the same morning: the report counts it late, not on time.
    const told = await api<{ update: Update }>(investigator, 'POST', `/api/cases/${caseId}/victim-updates/${moved?.id ?? ''}/informed`, { how: 'phone' });
    expect(told.status, told.raw).toBe(200);
    expect(told.body.update.standing).toBe('late');
    expect(await report(team)).toMatchObject({ onTime: 0, late: 1, overdue: 1, breaches: 2 });
  });
});
