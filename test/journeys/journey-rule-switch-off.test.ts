import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { milestone, reportedCase, type Session } from './journey-kit.ts';

// A force admin who switches a journey rule off expects it to stop what it has queued and not yet
// sent, not only what later milestones would queue (decision 0074): those messages are withdrawn,
// each with the reason and the admin as who did it, unless the admin says to let them go.

type Rule = { id: string; milestone: string; templateKey: string; active: boolean };
type Switched = { rule: Rule; warnings: string[]; withdrawn: number };

describe('switching a journey rule off withdraws what it queued', () => {
  const start = new Date('2026-05-06T09:00:00Z');
  const clock = fixedClock(start);
  let app: TestApp;
  let admin: Session;
  let handler: Session;
  let investigator: Session;
  let ruleId: string;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const listed = await app.inject({ method: 'GET', url: '/api/journey-rules', headers: admin.headers });
    const rule = listed.json<{ rules: Rule[] }>().rules.find((r) => r.milestone === 'case.investigation_started' && r.templateKey === 'case.still_investigating');
    if (!rule) throw new Error('no still-investigating rule');
    ruleId = rule.id;
  });
  afterAll(() => app.close());

  const switchRule = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: `/api/journey-rules/${ruleId}/active`, headers: admin.headers, payload });
  /** A victim's case under investigation: the rule has queued its message, due in 28 days. Returns the case and that message's id. */
  async function investigatedCase() {
    clock.set(start);
    const victim = await reportedCase(app, handler);
    await milestone(app, investigator, victim.caseId, { type: 'investigate' });
    await app.runner?.runDue();
    const rows = await messagesOf(victim.caseId);
    const queued = rows.find((m) => m.purpose === 'journey:case.still_investigating');
    if (!queued) throw new Error('the rule queued nothing');
    expect(queued.status).not.toBe('suppressed');
    return { caseId: victim.caseId, id: queued.id };
  }
  const messagesOf = (caseId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('outbox').select(['id', 'purpose', 'status', 'last_error', 'sent_at']).where('case_id', '=', caseId).execute());
  const eventsAbout = (id: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('events').select(['type', 'actor_type', 'actor_id', 'data']).where('subject_id', '=', id).orderBy('seq').execute());

  it('withdraws-the-rules-waiting-messages-with-the-admin-and-reason-and-leaves-other-rules-messages', async () => {
    const { caseId, id } = await investigatedCase();
    const others = (await messagesOf(caseId)).filter((m) => m.id !== id);
    expect(others.length).toBeGreaterThan(0);

    const off = await switchRule({ active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<Switched>()).toMatchObject({ rule: { id: ruleId, active: false }, withdrawn: 1 });
    const [withdrawn] = (await messagesOf(caseId)).filter((m) => m.id === id);
    expect(withdrawn).toMatchObject({ status: 'suppressed', last_error: expect.stringContaining('was switched off') });
    expect(await eventsAbout(id)).toEqual([
      { type: 'outbox.withdrawn', actor_type: 'staff', actor_id: admin.user.id, data: expect.objectContaining({ caseId, reason: withdrawn?.last_error }) },
    ]);
    // The case's other messages, queued by rules still on, are left as they were.
    const after = (await messagesOf(caseId)).filter((m) => m.id !== id);
    expect(after.map((m) => m.status).sort()).toEqual(others.map((m) => m.status).sort());

    // When its time comes, nothing goes.
    clock.set(new Date(start.getTime() + 29 * 86_400_000));
    await app.runner?.runDue();
    expect((await messagesOf(caseId)).find((m) => m.id === id)).toMatchObject({ status: 'suppressed', sent_at: null });
    expect((await eventsAbout(id)).map((e) => e.type)).toEqual(['outbox.withdrawn']);
  });

  it('lets-the-waiting-messages-go-when-the-admin-says-so', async () => {
    clock.set(start);
    const on = await switchRule({ active: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json<Switched>().withdrawn).toBe(0);
    const { caseId, id } = await investigatedCase();

    const off = await switchRule({ active: false, withdrawQueued: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<Switched>()).toMatchObject({ rule: { active: false }, withdrawn: 0 });
    expect((await messagesOf(caseId)).find((m) => m.id === id)?.status).not.toBe('suppressed');
    expect(await eventsAbout(id)).not.toContainEqual(expect.objectContaining({ type: 'outbox.withdrawn' }));
  });

  it('rejects-a-withdraw-choice-that-is-not-true-or-false-with-400', async () => {
    const response = await switchRule({ active: true, withdrawQueued: 'yes' });
    expect(response.statusCode).toBe(400);
  });
});
