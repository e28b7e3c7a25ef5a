import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, addTestStaff, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { Session } from './journey-kit.ts';

// The order of the force's journey rules counts its changes as a whole: a new order made from the
// order an admin read is refused once another admin has reordered the rules or added one, naming
// who and when, and nothing of it is applied, so neither silently undoes the other (decision 0090).
// A new order without a version is not checked, as before, but still names every rule it leaves out.

type Rule = { id: string; milestone: string; templateKey: string };
type Listed = { rules: Rule[]; orderVersion: number };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; sentence: string }[] } };

describe(`the order of the journey rules changed from the version the admin opened (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const start = new Date('2026-05-06T09:00:00Z');
  const clock = fixedClock(start);
  let app: TestApp;
  let admin: Session;
  let secondAdmin: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    await addTestStaff(app, app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
    admin = await signIn(app, 'admin@demo.police.uk');
    secondAdmin = await signIn(app, 'second.admin@demo.police.uk', 'second-password');
  });
  afterAll(() => app.close());

  const listed = async (session: Session = admin) => (await app.inject({ method: 'GET', url: '/api/journey-rules', headers: session.headers })).json<Listed>();
  const reorder = (payload: object, session: Session = admin) => app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: session.headers, payload });
  const reorders = () =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('events').select(['actor_id', 'data']).where('type', '=', 'journey_rules.reordered').orderBy('seq').execute());
  /** The ids with the first two swapped: a move of the first rule down. */
  const swapped = (ids: readonly string[]) => [ids[1] ?? '', ids[0] ?? '', ...ids.slice(2)];

  it('refuses-a-new-order-made-from-an-order-changed-since-naming-who-and-when-and-applies-nothing', async () => {
    const opened = await listed();
    expect(opened.orderVersion).toBe(1);
    const ids = opened.rules.map((r) => r.id);

    clock.set(start);
    const first = await reorder({ ruleIds: swapped(ids), version: opened.orderVersion }, secondAdmin);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<Listed>().orderVersion).toBe(2);

    // The other admin moves the last rule to the top a quarter of an hour later, from the order both opened.
    clock.set(new Date('2026-05-06T09:15:00Z'));
    const lastFirst = [ids[ids.length - 1] ?? '', ...ids.slice(0, -1)];
    const second = await reorder({ ruleIds: lastFirst, version: opened.orderVersion });
    expect(second.statusCode, second.body).toBe(409);
    const refused = second.json<ErrorBody>().error;
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe(
      'The order of the journey rules was changed by someone else after you opened it: Bea Second changed it on Wednesday 6 May 2026 at 10:00. You had version 1; it is now version 2. Nothing was saved. Check the order as it is now, then make your change again.',
    );
    expect(refused.fields?.map((f) => f.path)).toEqual(['body.version']);
    const now = await listed();
    expect(now).toMatchObject({ orderVersion: 2 });
    expect(now.rules.map((r) => r.id)).toEqual(swapped(ids));
    expect((await reorders()).map((e) => e.actor_id)).toEqual([secondAdmin.user.id]);

    // Made again from the order now shown, it applies.
    const again = await reorder({ ruleIds: [ids[ids.length - 1] ?? '', ...swapped(ids).slice(0, -1)], version: 2 });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<Listed>().orderVersion).toBe(3);
    expect((await reorders()).map((e) => e.actor_id)).toEqual([secondAdmin.user.id, admin.user.id]);
  });

  it('counts-a-rule-added-as-a-change-of-the-order-so-a-list-without-it-is-refused-naming-who-added-it', async () => {
    const opened = await listed();
    clock.set(new Date('2026-05-06T11:30:00Z'));
    const added = await app.inject({ method: 'POST', url: '/api/journey-rules', headers: secondAdmin.headers, payload: { milestone: 'case.charged', templateKey: 'case.allocated' } });
    expect(added.statusCode, added.body).toBe(201);
    const addedId = added.json<{ rule: Rule }>().rule.id;
    expect((await listed()).orderVersion).toBe(opened.orderVersion + 1);

    const stale = await reorder({ ruleIds: swapped(opened.rules.map((r) => r.id)), version: opened.orderVersion });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json<ErrorBody>().error.message).toContain('Bea Second changed it on Wednesday 6 May 2026 at 12:30.');

    // Without a version it is not checked, but a list that leaves the new rule out is never applied: it is named.
    const unchecked = await reorder({ ruleIds: swapped(opened.rules.map((r) => r.id)) });
    expect(unchecked.statusCode, unchecked.body).toBe(400);
    const issue = unchecked.json<ErrorBody>().error.fields?.[0];
    expect(issue?.path).toBe('body.ruleIds');
    expect(issue?.sentence).toBe(`Order must name every rule of the force; it leaves out “Suspect charged: An officer was allocated to the case” (${addedId})`);
    const unknownId = '00000000-0000-4000-8000-00000000beef';
    const unknown = await reorder({ ruleIds: [...(await listed()).rules.map((r) => r.id), unknownId] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error.fields?.[0]?.sentence).toContain(`names rules the force does not have (${unknownId})`);
    expect((await listed()).rules.map((r) => r.id).at(-1)).toBe(addedId);
  });

  it('applies-a-new-order-without-a-version-and-counts-nothing-for-an-order-unchanged', async () => {
    const opened = await listed();
    const ids = opened.rules.map((r) => r.id);
    const unchecked = await reorder({ ruleIds: swapped(ids) });
    expect(unchecked.statusCode, unchecked.body).toBe(200);
    expect(unchecked.json<Listed>().orderVersion).toBe(opened.orderVersion + 1);
    const events = (await reorders()).length;

    // The same order again changes nothing: no event, no new version, so it refuses nobody.
    const same = await reorder({ ruleIds: swapped(ids), version: opened.orderVersion + 1 });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json<Listed>().orderVersion).toBe(opened.orderVersion + 1);
    expect(await reorders()).toHaveLength(events);
  });

  it('refuses-a-version-that-is-not-one-with-400-and-changes-nothing', async () => {
    const opened = await listed();
    const ids = swapped(opened.rules.map((r) => r.id));
    for (const version of ['one', 0, -1, 1.5, null]) {
      const refused = await reorder({ ruleIds: ids, version });
      expect(refused.statusCode, `${JSON.stringify(version)}: ${refused.body}`).toBe(400);
      expect(refused.json<ErrorBody>().error.fields?.[0]?.path).toBe('body.version');
    }
    const future = await reorder({ ruleIds: ids, version: opened.orderVersion + 5 });
    expect(future.statusCode).toBe(400);
    expect(future.json<ErrorBody>().error.message).toContain(`is ${opened.orderVersion + 5}, a version the order of the journey rules has never had: it is at version ${opened.orderVersion}`);
    expect(await listed()).toEqual(opened);
  });

  it('keeps-each-force-s-order-and-its-count-apart', async () => {
    const ours = await listed();
    const other = await createOtherForce(app, ['force_admin']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    const theirs = await listed(otherAdmin);
    expect(theirs.orderVersion).toBe(1);
    // Our rules are no rules of theirs, whatever version is sent.
    const foreign = await reorder({ ruleIds: ours.rules.map((r) => r.id), version: theirs.orderVersion }, otherAdmin);
    expect(foreign.statusCode, foreign.body).toBe(400);
    expect(foreign.json<ErrorBody>().error.fields?.[0]?.sentence).toContain('names rules the force does not have');
    expect(await listed()).toEqual(ours);
    const byInvestigator = await reorder({ ruleIds: swapped(ours.rules.map((r) => r.id)), version: ours.orderVersion }, await signIn(app, 'investigator@demo.police.uk'));
    expect(byInvestigator.statusCode).toBe(403);
    expect(await listed()).toEqual(ours);
  });
});
