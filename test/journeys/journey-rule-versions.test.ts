import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestStaff, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { milestone, reportedCase, type Session } from './journey-kit.ts';

// Two force admins with the same rule open: the one who saves second, from the version both
// opened, is refused and told who changed it and when, and nothing of theirs is applied, so
// neither change silently replaces the other (decision 0079). A request without a version is
// not checked, as before.

type Rule = { id: string; milestone: string; templateKey: string; delayMinutes: number; victimCategory: string; active: boolean; version: number };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; sentence: string }[] } };

describe('journey rules changed from the version the admin opened', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const start = new Date('2026-05-06T09:00:00Z');
  const clock = fixedClock(start);
  let app: TestApp;
  let admin: Session;
  let secondAdmin: Session;
  let handler: Session;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    await addTestStaff(app, app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
    admin = await signIn(app, 'admin@demo.police.uk');
    secondAdmin = await signIn(app, 'second.admin@demo.police.uk', 'second-password');
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(() => app.close());

  const ruleOf = async (milestoneType: string, templateKey: string) => {
    const listed = await app.inject({ method: 'GET', url: '/api/journey-rules', headers: admin.headers });
    const found = listed.json<{ rules: Rule[] }>().rules.find((r) => r.milestone === milestoneType && r.templateKey === templateKey);
    if (!found) throw new Error(`no rule ${milestoneType} ${templateKey}`);
    return found;
  };
  const change = (id: string, payload: unknown, session: Session = admin) =>
    app.inject({ method: 'POST', url: `/api/journey-rules/${id}`, headers: session.headers, payload: payload as object });
  const switchRule = (id: string, payload: unknown, session: Session = admin) =>
    app.inject({ method: 'POST', url: `/api/journey-rules/${id}/active`, headers: session.headers, payload: payload as object });
  const eventsAbout = (subjectId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('events').select(['type', 'data', 'actor_id']).where('subject_id', '=', subjectId).orderBy('seq').execute());

  it('refuses-the-second-of-two-changes-from-the-same-version-naming-who-and-when-and-applies-nothing', async () => {
    const opened = await ruleOf('case.allocated', 'case.allocated');
    expect(opened.version).toBe(1);

    // Both admins opened version 1; the first saves at 10:00.
    clock.set(start);
    const first = await change(opened.id, { delayMinutes: 60, version: opened.version });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ rule: Rule }>().rule).toMatchObject({ delayMinutes: 60, version: 2 });

    // The second saves their own delay a quarter of an hour later, from version 1.
    clock.set(new Date('2026-05-06T09:15:00Z'));
    const second = await change(opened.id, { delayMinutes: 120, victimCategory: 'enhanced', version: opened.version }, secondAdmin);
    expect(second.statusCode, second.body).toBe(409);
    const refused = second.json<ErrorBody>().error;
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe(
      'This rule was changed by someone else after you opened it: Ada Admin changed it on Wednesday 6 May 2026 at 10:00. You had version 1; it is now version 2. Nothing was saved. Check the rule as it is now, then make your change again.',
    );
    expect(refused.fields?.map((f) => f.path)).toEqual(['body.version']);

    // Nothing of the second change applied; one change in the log.
    expect(await ruleOf('case.allocated', 'case.allocated')).toMatchObject({ delayMinutes: 60, victimCategory: 'all', version: 2 });
    const events = await eventsAbout(opened.id);
    expect(events.map((e) => [e.type, e.actor_id])).toEqual([['journey_rule.changed', admin.user.id]]);

    // Re-applied from the version now shown, the second admin's change goes through.
    const again = await change(opened.id, { delayMinutes: 120, victimCategory: 'enhanced', version: 2 }, secondAdmin);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<{ rule: Rule }>().rule).toMatchObject({ delayMinutes: 120, victimCategory: 'enhanced', version: 3 });
    expect((await eventsAbout(opened.id)).map((e) => e.type)).toEqual(['journey_rule.changed', 'journey_rule.changed']);
  });

  it('tells-an-admin-it-was-their-own-change-in-another-window', async () => {
    const opened = await ruleOf('case.suspect_interviewed', 'case.suspect_interviewed');
    clock.set(start);
    expect((await change(opened.id, { delayMinutes: 30, version: opened.version })).statusCode).toBe(200);
    const stale = await change(opened.id, { delayMinutes: 45, version: opened.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.message).toContain('you changed it in another window or tab on Wednesday 6 May 2026 at 10:00');
    expect((await ruleOf('case.suspect_interviewed', 'case.suspect_interviewed')).delayMinutes).toBe(30);
  });

  it('refuses-a-switch-off-from-a-stale-version-withdrawing-nothing', async () => {
    clock.set(start);
    const victim = await reportedCase(app, handler);
    await milestone(app, investigator, victim.caseId, { type: 'investigate' });
    await app.runner?.runDue();
    const opened = await ruleOf('case.investigation_started', 'case.still_investigating');
    const queued = () =>
      withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('outbox').select(['id', 'status']).where('case_id', '=', victim.caseId).where('purpose', '=', 'journey:case.still_investigating').execute(),
      );
    const before = await queued();
    expect(before).toHaveLength(1);

    // Another admin changes the rule while this admin's page shows version 1.
    expect((await change(opened.id, { delayMinutes: 27 * 24 * 60, version: opened.version }, secondAdmin)).statusCode).toBe(200);
    const off = await switchRule(opened.id, { active: false, version: opened.version });
    expect(off.statusCode, off.body).toBe(409);
    expect(off.json<ErrorBody>().error.message).toContain(
      'changed by someone else after your page showed it: Bea Second changed it on Wednesday 6 May 2026 at 10:00. You had version 1; it is now version 2. It was not switched off, and nothing it queued was withdrawn.',
    );
    expect(await ruleOf('case.investigation_started', 'case.still_investigating')).toMatchObject({ active: true, version: 2 });
    expect(await queued()).toEqual(before);
    expect((await eventsAbout(opened.id)).map((e) => e.type)).toEqual(['journey_rule.changed']);

    // A switch counts as a change: switching on again from the version before it is refused too.
    const offNow = await switchRule(opened.id, { active: false, version: 2, withdrawQueued: false });
    expect(offNow.statusCode, offNow.body).toBe(200);
    expect(offNow.json<{ rule: Rule }>().rule).toMatchObject({ active: false, version: 3 });
    const staleOn = await switchRule(opened.id, { active: true, version: 2 });
    expect(staleOn.statusCode).toBe(409);
    expect(staleOn.json<ErrorBody>().error.message).toContain('It was not switched on.');
    expect((await ruleOf('case.investigation_started', 'case.still_investigating')).active).toBe(false);
  });

  it('keeps-requests-without-a-version-working-and-leaves-the-version-alone-on-a-new-order', async () => {
    const opened = await ruleOf('case.investigation_started', 'case.investigation_started');
    const unchecked = await change(opened.id, { delayMinutes: 15 });
    expect(unchecked.statusCode, unchecked.body).toBe(200);
    expect(unchecked.json<{ rule: Rule }>().rule).toMatchObject({ delayMinutes: 15, version: opened.version + 1 });
    const off = await switchRule(opened.id, { active: false });
    expect(off.json<{ rule: Rule }>().rule.version).toBe(opened.version + 2);

    // A new order is the force's list, not a change of any rule: a change opened before it still applies.
    const listed = await app.inject({ method: 'GET', url: '/api/journey-rules', headers: admin.headers });
    const ids = listed.json<{ rules: Rule[] }>().rules.map((r) => r.id);
    const reordered = await app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: admin.headers, payload: { ruleIds: [...ids].reverse() } });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect((await ruleOf('case.investigation_started', 'case.investigation_started')).version).toBe(opened.version + 2);
    expect((await change(opened.id, { delayMinutes: 20, version: opened.version + 2 })).statusCode).toBe(200);
  });

  it('refuses-a-version-that-is-not-one-with-400-and-changes-nothing', async () => {
    const opened = await ruleOf('case.reopened', 'case.reopened');
    const bodies: [string, unknown][] = [
      [`/api/journey-rules/${opened.id}`, { delayMinutes: 5, version: 'one' }],
      [`/api/journey-rules/${opened.id}`, { delayMinutes: 5, version: 0 }],
      [`/api/journey-rules/${opened.id}`, { delayMinutes: 5, version: -1 }],
      [`/api/journey-rules/${opened.id}`, { delayMinutes: 5, version: 1.5 }],
      [`/api/journey-rules/${opened.id}`, { delayMinutes: 5, version: null }],
      // A version alone changes nothing.
      [`/api/journey-rules/${opened.id}`, { version: opened.version }],
      [`/api/journey-rules/${opened.id}/active`, { active: false, version: '1' }],
    ];
    for (const [url, payload] of bodies) {
      const refused = await app.inject({ method: 'POST', url, headers: admin.headers, payload: payload as object });
      expect(refused.statusCode, `${url} ${JSON.stringify(payload)}: ${refused.body}`).toBe(400);
    }
    const wrongType = await change(opened.id, { delayMinutes: 5, version: 'one' });
    expect(wrongType.json<ErrorBody>().error.fields?.[0]?.sentence).toBe("Version must be the rule's version as you read it, a whole number");

    // A version the rule never had is a mistake in the request, not someone else's change.
    const future = await switchRule(opened.id, { active: false, version: opened.version + 5 });
    expect(future.statusCode).toBe(400);
    expect(future.json<ErrorBody>().error.message).toContain(`is ${opened.version + 5}, a version this rule has never had: it is at version ${opened.version}`);
    expect(await ruleOf('case.reopened', 'case.reopened')).toMatchObject({ active: true, delayMinutes: 0, version: opened.version });
    expect(await eventsAbout(opened.id)).toEqual([]);
  });

  it('answers-another-force-s-admin-404-whatever-version-they-send', async () => {
    const opened = await ruleOf('case.property_returned', 'case.property_returned');
    const other = await createOtherForce(app, ['force_admin']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    for (const attempt of [
      change(opened.id, { delayMinutes: 5, version: opened.version }, otherAdmin),
      change(opened.id, { delayMinutes: 5, version: opened.version + 1 }, otherAdmin),
      switchRule(opened.id, { active: false, version: opened.version }, otherAdmin),
    ]) {
      const refused = await attempt;
      expect(refused.statusCode, refused.body).toBe(404);
    }
    expect(await ruleOf('case.property_returned', 'case.property_returned')).toMatchObject({ active: true, version: opened.version });
    expect(await eventsAbout(opened.id)).toEqual([]);
  });
});
