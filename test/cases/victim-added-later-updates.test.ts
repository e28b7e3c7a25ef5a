import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

// Wednesday 2 December 2026, 10:00 in London (GMT).
const WEDNESDAY = new Date('2026-12-02T10:00:00Z');
// The Tuesday after: four working days on.
const TUESDAY = new Date('2026-12-08T10:00:00Z');

// A victim the force comes to know of after a milestone is owed its update from when they were
// added, on their timescale (decision 0137): their clock is not born overdue, counted from a
// milestone that happened before they were a victim on the case.

type Update = { duty: string; victimName: string | null; countedFrom: string; milestoneAt: string; dueAt: string; standing: string; workingDays: number };

describe(`the Victims' Code clocks of a victim added after the milestone (${ENGINE})`, () => {
  const clock = fixedClock(WEDNESDAY);
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const runJobs = async () => {
    while (((await app.runner?.runDue()) ?? 0) > 0);
  };
  /** The clock moves to `time`, and the investigator signs in afresh (a session ends). */
  const at = async (time: Date) => {
    clock.set(time);
    investigator = await signIn(app, 'investigator@demo.police.uk');
  };
  const call = async (method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: investigator.headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response;
  };
  const updatesOf = async (caseId: string, name: string) =>
    (await call('GET', `/api/cases/${caseId}/victim-updates`))
      .json<{ updates: Update[] }>()
      .updates.filter((u) => u.victimName === name)
      .map((u) => [u.duty, u.countedFrom, u.dueAt, u.standing, u.workingDays]);

  /** A case with its first victim, someone arrested on Wednesday; on Tuesday a second victim is added. */
  const arrestCase = async () => {
    await at(WEDNESDAY);
    const made = await call('POST', '/api/cases', { summary: 'Assault outside the pub', victims: [{ name: 'Ann First' }] });
    const caseId = made.json<{ case: { id: string } }>().case.id;
    await call('POST', `/api/cases/${caseId}/milestones`, { type: 'suspect_arrested' });
    await runJobs();
    await at(TUESDAY);
    return caseId;
  };
  const addBen = async (caseId: string) => {
    const added = await call('POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Ben Later', email: 'ben.later@example.org', enhancedRights: true });
    await runJobs();
    return added.json<{ casePersonId: string }>().casePersonId;
  };

  it('counts a later victim’s updates from their addition, on their enhanced-rights timescale, not born overdue', async () => {
    const caseId = await arrestCase();
    await addBen(caseId);
    expect((await updatesOf(caseId, 'Ben Later')).sort()).toEqual([
      // One working day from Tuesday: the end of Wednesday 9 December.
      ['arrest', TUESDAY.toISOString(), '2026-12-10T00:00:00.000Z', 'open', 1],
      // Two working days for the referral to support, from Tuesday too.
      ['referral', TUESDAY.toISOString(), '2026-12-11T00:00:00.000Z', 'open', 2],
    ]);
    // The first victim's clock still counts from the arrest: five working days from Wednesday.
    expect((await updatesOf(caseId, 'Ann First')).find(([duty]) => duty === 'arrest')).toEqual(['arrest', WEDNESDAY.toISOString(), '2026-12-10T00:00:00.000Z', 'open', 5]);
    // On the officers' list only the first victim's referral is overdue (two working days from
    // Wednesday), and the supervisors' report counts that one breach, none of the later victim's.
    const due = await call('GET', '/api/cases/victim-updates?which=all');
    const overdue = due.json<{ updates: (Update & { caseId: string })[] }>().updates.filter((u) => u.caseId === caseId && u.standing === 'overdue');
    expect(overdue.map((u) => [u.victimName, u.duty])).toEqual([['Ann First', 'referral']]);
    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    const report = await app.inject({ method: 'GET', url: `/api/reports/victims-code?from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z`, headers: supervisor.headers });
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json<{ teams: { overdue: number }[] }>().teams.reduce((sum, team) => sum + team.overdue, 0)).toBe(1);
  });

  it('re-times a later victim’s update from their addition when their enhanced rights are taken off', async () => {
    const caseId = await arrestCase();
    const ben = await addBen(caseId);
    await call('PATCH', `/api/cases/${caseId}/people/${ben}`, { enhancedRights: false });
    // Five working days from Tuesday 8 December: the end of Tuesday 15 December.
    expect((await updatesOf(caseId, 'Ben Later')).find(([duty]) => duty === 'arrest')).toEqual(['arrest', TUESDAY.toISOString(), '2026-12-16T00:00:00.000Z', 'open', 5]);
  });

  it('does not restart the clock of a victim removed and added again: the duty began with their first addition', async () => {
    const caseId = await arrestCase();
    const ben = await addBen(caseId);
    await at(new Date('2026-12-09T09:00:00Z'));
    await call('DELETE', `/api/cases/${caseId}/people/${ben}`);
    await at(new Date('2026-12-09T10:00:00Z'));
    await addBen(caseId);
    const arrests = (await updatesOf(caseId, 'Ben Later')).filter(([duty]) => duty === 'arrest');
    // The first withdrawn as they were removed, the second due as the first was (due soon by now).
    expect(arrests.map(([, countedFrom, dueAt, standing]) => [countedFrom, dueAt, standing]).sort()).toEqual([
      [TUESDAY.toISOString(), '2026-12-10T00:00:00.000Z', 'due_soon'],
      [TUESDAY.toISOString(), '2026-12-10T00:00:00.000Z', 'withdrawn'],
    ]);
  });
});
