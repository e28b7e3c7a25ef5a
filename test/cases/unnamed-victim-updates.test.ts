import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

// Wednesday 2 December 2026, 10:00 in London (GMT).
const WEDNESDAY = new Date('2026-12-02T10:00:00Z');

// A case recorded with no victim owes its duties to "the victim", unnamed (key 'case'). Once a
// victim is added, what is still owed moves to them: it is not left open, owed to nobody.

describe(`the Victims' Code clocks of a case whose victim is added later (${ENGINE})`, () => {
  const clock = fixedClock(WEDNESDAY);
  let app: TestApp;
  let investigator: Session;
  let handler: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  const api = async (session: Session, method: 'POST', url: string, payload: object) => {
    const response = await app.inject({ method, url, headers: session.headers, payload });
    return { status: response.statusCode, body: response.json<{ case?: { id: string }; casePersonId?: string }>(), raw: response.body };
  };
  const runJobs = async () => {
    while (((await app.runner?.runDue()) ?? 0) > 0);
  };
  const clocksOf = (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('victim_updates').select(['duty', 'victim_key', 'case_person_id', 'working_days', 'satisfied_at']).where('case_id', '=', caseId).orderBy('duty').execute());

  it('moves the duty owed to the unnamed victim to the first victim added, with an event, re-timed to their rights', async () => {
    const made = await api(investigator, 'POST', '/api/cases', { summary: 'Assault in the park', victims: [] });
    expect(made.status, made.raw).toBe(201);
    const caseId = made.body.case?.id ?? '';
    expect((await api(investigator, 'POST', `/api/cases/${caseId}/milestones`, { type: 'suspect_arrested' })).status).toBe(200);
    await runJobs();
    expect((await clocksOf(caseId)).map((c) => [c.duty, c.victim_key])).toEqual([
      ['arrest', 'case'],
      ['referral', 'case'],
    ]);

    // Refused additions move nothing.
    expect((await api(handler, 'POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Kim Later' })).status).toBe(403);
    await runJobs();
    expect((await clocksOf(caseId)).map((c) => c.victim_key)).toEqual(['case', 'case']);

    const added = await api(investigator, 'POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Kim Later', enhancedRights: true });
    expect(added.status, added.raw).toBe(201);
    const victimId = added.body.casePersonId ?? '';
    await runJobs();
    // A second victim changes nothing: the duty is the first's.
    await api(investigator, 'POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Lee Second' });
    await runJobs();
    const clocks = await clocksOf(caseId);
    expect(clocks.filter((c) => c.victim_key === 'case')).toEqual([]);
    expect(clocks.filter((c) => c.case_person_id === victimId).map((c) => [c.duty, c.working_days])).toEqual([
      ['arrest', 1],
      ['referral', 2],
    ]);
    const moved = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('data').where('subject_id', '=', caseId).where('type', '=', 'case.victim_update_reassigned').orderBy('seq').execute(),
    );
    // One event a clock moved; in which order they were moved is not the point.
    const byDuty = (data: unknown) => (data as { duty: string }).duty;
    expect(moved.map((e) => e.data).sort((a, b) => byDuty(a).localeCompare(byDuty(b)))).toEqual([
      expect.objectContaining({ duty: 'arrest', casePersonId: victimId, workingDays: 1 }),
      expect.objectContaining({ duty: 'referral', casePersonId: victimId, workingDays: 2 }),
    ]);
  });
});
