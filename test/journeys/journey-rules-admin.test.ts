import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { DEFAULT_JOURNEY_RULES } from '../../src/capabilities/journeys/journey-defaults.repository.ts';
import { deliveryDue, milestone, outboxOf, reportedCase, type Session } from './journey-kit.ts';

// A force admin adapts the victims' journey to the force's policy: the rules are listed in order,
// on and off; added, changed, switched off and on, reordered; each change is one event in the
// force's log with the rule before and after, and the next milestone follows the rules as they are.

type Rule = {
  id: string;
  milestone: string;
  templateKey: string;
  crimeType: string | null;
  outcomeCodes: string[] | null;
  delayMinutes: number;
  delayFrom: string;
  statutory: boolean;
  active: boolean;
  position: number;
};
type ErrorBody = { error: { code: string; message: string } };

describe('journey rules, as a force admin keeps them', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let admin: Session;
  let handler: Session;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(() => app.close());

  const rules = async (session: Session = admin) => {
    const response = await app.inject({ method: 'GET', url: '/api/journey-rules', headers: session.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ rules: Rule[]; choices: { milestones: { milestone: string; namesATime: boolean }[]; templates: { key: string }[]; crimeTypes: { code: string }[] } }>();
  };
  const ruleOf = async (milestoneType: string, templateKey: string) => {
    const found = (await rules()).rules.find((r) => r.milestone === milestoneType && r.templateKey === templateKey);
    if (!found) throw new Error(`no rule ${milestoneType} ${templateKey}`);
    return found;
  };
  const post = (url: string, payload: unknown, session: Session = admin) => app.inject({ method: 'POST', url, headers: session.headers, payload: payload as object });
  const eventsAbout = (subjectId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'data', 'actor_type', 'actor_id']).where('subject_id', '=', subjectId).orderBy('seq').execute(),
    );

  it('lists-every-rule-in-order-with-what-a-rule-may-name-and-lets-case-staff-read-them', async () => {
    const listed = await rules();
    expect(listed.rules.length).toBe(DEFAULT_JOURNEY_RULES.length);
    expect(listed.rules.map((r) => r.position)).toEqual([...listed.rules.keys()]);
    expect(listed.rules[0]).toMatchObject({ milestone: 'case.created', templateKey: 'case.report_received', statutory: true, active: true });
    expect(listed.choices.milestones.find((m) => m.milestone === 'case.court_date_set')).toMatchObject({ namesATime: true });
    expect(listed.choices.milestones.map((m) => m.milestone)).toContain('portal.case_reply_sent');
    expect(listed.choices.templates.map((t) => t.key)).toContain('victim_support.offer');
    // A reply to a contact or a check-my-report code is not a journey message.
    expect(listed.choices.templates.map((t) => t.key)).not.toContain('portal.access_code');
    expect(listed.choices.crimeTypes.map((t) => t.code)).toContain('VAP-SAH');
    // An investigator sees what victims are sent; a call handler does not.
    expect((await rules(investigator)).rules.length).toBe(DEFAULT_JOURNEY_RULES.length);
    const handlerList = await app.inject({ method: 'GET', url: '/api/journey-rules', headers: handler.headers });
    expect(handlerList.statusCode).toBe(403);
  });

  it('adds-a-rule-that-the-next-milestone-sends-and-records-it-in-the-log', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const added = await post('/api/journey-rules', { milestone: 'case.property_returned', templateKey: 'victim_support.offer', delayMinutes: 30 });
    expect(added.statusCode, added.body).toBe(201);
    const rule = added.json<{ rule: Rule; warnings: string[] }>().rule;
    expect(rule).toMatchObject({ milestone: 'case.property_returned', templateKey: 'victim_support.offer', crimeType: null, delayMinutes: 30, delayFrom: 'milestone', statutory: false, active: true, position: DEFAULT_JOURNEY_RULES.length });
    expect((await rules()).rules.at(-1)?.id).toBe(rule.id);

    const victim = await reportedCase(app, handler);
    await milestone(app, investigator, victim.caseId, { type: 'property_returned', note: 'The bicycle is back' });
    await app.runner?.runDue();
    const sent = (await outboxOf(app, victim.caseId)).filter((m) => m.purpose === 'journey:victim_support.offer');
    // Once for the report (an hour after it), once for the new rule (half an hour after the return).
    expect(sent.length).toBe(2);
    const dues = await Promise.all(sent.map((m) => deliveryDue(app, m.id)));
    expect(dues.map((d) => d?.toISOString()).sort()).toEqual(['2026-05-06T09:30:00.000Z', '2026-05-06T10:00:00.000Z']);

    const events = await eventsAbout(rule.id);
    expect(events).toEqual([
      {
        type: 'journey_rule.added',
        actor_type: 'staff',
        actor_id: admin.user.id,
        data: { position: DEFAULT_JOURNEY_RULES.length, after: expect.objectContaining({ milestone: 'case.property_returned', templateKey: 'victim_support.offer', delayMinutes: 30, active: true }) },
      },
    ]);
  });

  it('changes-a-rule-s-delay-for-later-milestones-and-logs-before-and-after', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const allocated = await ruleOf('case.allocated', 'case.allocated');
    const changed = await post(`/api/journey-rules/${allocated.id}`, { delayMinutes: 120 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<{ rule: Rule; warnings: string[] }>()).toMatchObject({ rule: { id: allocated.id, delayMinutes: 120, templateKey: 'case.allocated' }, warnings: [] });

    const victim = await reportedCase(app, handler);
    await milestone(app, investigator, victim.caseId, { type: 'allocate', team: 'CID North' });
    await app.runner?.runDue();
    const message = (await outboxOf(app, victim.caseId)).find((m) => m.purpose === 'journey:case.allocated');
    expect(message).toBeDefined();
    expect((await deliveryDue(app, message?.id ?? ''))?.toISOString()).toBe('2026-05-06T11:00:00.000Z');

    const events = await eventsAbout(allocated.id);
    expect(events.map((e) => e.type)).toEqual(['journey_rule.changed']);
    expect(events[0]?.data).toMatchObject({ before: { delayMinutes: 0 }, after: { delayMinutes: 120 } });
  });

  it('switches-a-rule-off-so-the-milestone-sends-nothing-for-it-and-on-again', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const identified = await ruleOf('case.suspect_identified', 'case.suspect_identified');
    const off = await post(`/api/journey-rules/${identified.id}/active`, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<{ rule: Rule; warnings: string[] }>()).toMatchObject({ rule: { active: false }, warnings: [] });
    // Still listed, in its place, switched off.
    expect(await ruleOf('case.suspect_identified', 'case.suspect_identified')).toMatchObject({ active: false, position: identified.position });
    const again = await post(`/api/journey-rules/${identified.id}/active`, { active: false });
    expect(again.statusCode).toBe(409);

    const victim = await reportedCase(app, handler);
    await milestone(app, investigator, victim.caseId, { type: 'suspect_identified' });
    await app.runner?.runDue();
    const purposes = (await outboxOf(app, victim.caseId)).map((m) => m.purpose);
    expect(purposes).toContain('journey:case.report_received');
    expect(purposes).not.toContain('journey:case.suspect_identified');

    const on = await post(`/api/journey-rules/${identified.id}/active`, { active: true });
    expect(on.statusCode, on.body).toBe(200);
    expect((await eventsAbout(identified.id)).map((e) => [e.type, (e.data as { after: { active: boolean } }).after.active])).toEqual([
      ['journey_rule.switched_off', false],
      ['journey_rule.switched_on', true],
    ]);
  });

  it('warns-on-a-victims-code-update-and-refuses-to-take-away-a-milestone-s-last-one', async () => {
    const statement = await ruleOf('case.charged', 'victims_code.personal_statement');
    const off = await post(`/api/journey-rules/${statement.id}/active`, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<{ warnings: string[] }>().warnings).toEqual([expect.stringContaining("Victims' Code update")]);

    const arrested = await ruleOf('case.suspect_arrested', 'case.suspect_arrested');
    const delayed = await post(`/api/journey-rules/${arrested.id}`, { delayMinutes: 60 });
    expect(delayed.statusCode, delayed.body).toBe(200);
    expect(delayed.json<{ warnings: string[] }>().warnings).toEqual([expect.stringContaining("Victims' Code update")]);
    for (const attempt of [post(`/api/journey-rules/${arrested.id}/active`, { active: false }), post(`/api/journey-rules/${arrested.id}`, { statutory: false })]) {
      const refused = await attempt;
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json<ErrorBody>().error.message).toContain('only Victims\' Code update left for “Suspect arrested”');
    }
    // With a replacement added first, the old one may go.
    const replacement = await post('/api/journey-rules', { milestone: 'case.suspect_arrested', templateKey: 'case.suspect_arrested', statutory: true, delayMinutes: 15 });
    expect(replacement.statusCode, replacement.body).toBe(201);
    expect((await post(`/api/journey-rules/${arrested.id}/active`, { active: false })).statusCode).toBe(200);
    expect((await ruleOf('case.suspect_arrested', 'case.suspect_arrested')).statutory).toBe(true);
  });

  it('reorders-every-rule-as-one-event-and-refuses-a-list-that-leaves-one-out', async () => {
    const before = (await rules()).rules.map((r) => r.id);
    const after = [...before].reverse();
    const response = await app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: admin.headers, payload: { ruleIds: after } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ rules: Rule[] }>().rules.map((r) => r.id)).toEqual(after);
    expect((await rules()).rules.map((r) => r.id)).toEqual(after);
    const events = await eventsAbout(app.demoForceId);
    expect(events.filter((e) => e.type === 'journey_rules.reordered').map((e) => e.data)).toEqual([{ before, after }]);

    const short = await app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: admin.headers, payload: { ruleIds: after.slice(1) } });
    expect(short.statusCode).toBe(400);
    expect(short.json<ErrorBody>().error.message).toContain(after[0]);
    const twice = await app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: admin.headers, payload: { ruleIds: [...after.slice(1), after[1]] } });
    expect(twice.statusCode).toBe(400);
    expect((await rules()).rules.map((r) => r.id)).toEqual(after);
  });

  it('refuses-unknown-milestones-messages-crime-types-and-outcomes-naming-each', async () => {
    const cases: [object, string][] = [
      [{ milestone: 'case.suspect_arested', templateKey: 'case.charged' }, 'case.suspect_arested'],
      [{ milestone: 'case.charged', templateKey: 'case.no_such_message' }, 'case.no_such_message'],
      [{ milestone: 'case.charged', templateKey: 'portal.access_code' }, 'portal.access_code'],
      [{ milestone: 'case.charged', templateKey: 'case.charged', crimeType: 'XXX-NOPE' }, 'XXX-NOPE'],
      [{ milestone: 'case.closed', templateKey: 'case.closed', outcomeCodes: ['18', '99'] }, '99'],
      [{ milestone: 'case.charged', templateKey: 'case.charged', outcomeCodes: ['1'] }, 'has no outcome'],
      [{ milestone: 'case.charged', templateKey: 'case.charged', delayFrom: 'at', delayMinutes: -60 }, 'names a time'],
      [{ milestone: 'case.charged', templateKey: 'case.charged', delayMinutes: -60 }, 'before the milestone'],
    ];
    const count = (await rules()).rules.length;
    for (const [payload, named] of cases) {
      const refused = await post('/api/journey-rules', payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
      expect(refused.json<ErrorBody>().error.message).toContain(named);
    }
    // A reminder two days before the hearing is fine.
    const reminder = await post('/api/journey-rules', { milestone: 'case.court_date_set', templateKey: 'case.court_date.reminder', delayFrom: 'at', delayMinutes: -2 * 24 * 60, crimeType: 'VAP-SAH' });
    expect(reminder.statusCode, reminder.body).toBe(201);
    expect((await rules()).rules.length).toBe(count + 1);
    // A change is checked as the whole rule it makes.
    const unknownTemplate = await post(`/api/journey-rules/${reminder.json<{ rule: Rule }>().rule.id}`, { templateKey: 'nope.nothing' });
    expect(unknownTemplate.statusCode).toBe(400);
    expect(unknownTemplate.body).toContain('nope.nothing');
    const atOnAnother = await post(`/api/journey-rules/${reminder.json<{ rule: Rule }>().rule.id}`, { milestone: 'case.charged' });
    expect(atOnAnother.statusCode).toBe(400);
  });

  it('refuses-malformed-bodies-with-400', async () => {
    const id = (await ruleOf('case.reopened', 'case.reopened')).id;
    const bodies: [string, unknown][] = [
      ['/api/journey-rules', {}],
      ['/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged', delayMinutes: 1.5 }],
      ['/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged', delayMinutes: 200 * 24 * 60 }],
      ['/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged', victimCategory: 'everyone' }],
      ['/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged', outcomeCodes: [] }],
      ['/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged', position: 3 }],
      ['/api/journey-rules', ['case.charged']],
      [`/api/journey-rules/${id}`, {}],
      [`/api/journey-rules/${id}`, { statutory: 'yes' }],
      [`/api/journey-rules/${id}/active`, {}],
      [`/api/journey-rules/${id}/active`, { active: 'off' }],
      ['/api/journey-rules/not-an-id/active', { active: false }],
    ];
    for (const [url, payload] of bodies) {
      const refused = await post(url, payload);
      expect(refused.statusCode, `${url} ${JSON.stringify(payload)}: ${refused.body}`).toBe(400);
    }
    const order = await app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: admin.headers, payload: { ruleIds: ['x'] } });
    expect(order.statusCode).toBe(400);
    expect((await ruleOf('case.reopened', 'case.reopened')).active).toBe(true);
  });

  it('hides-other-force-rules-and-denies-roles-that-may-not-change-them', async () => {
    const reopened = await ruleOf('case.reopened', 'case.reopened');
    const other = await createOtherForce(app, ['force_admin']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    const theirs = await rules(otherAdmin);
    expect(theirs.rules.map((r) => r.id)).not.toContain(reopened.id);
    for (const attempt of [post(`/api/journey-rules/${reopened.id}`, { delayMinutes: 5 }, otherAdmin), post(`/api/journey-rules/${reopened.id}/active`, { active: false }, otherAdmin)]) {
      expect((await attempt).statusCode).toBe(404);
    }
    const foreignOrder = await app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: otherAdmin.headers, payload: { ruleIds: [reopened.id, ...theirs.rules.map((r) => r.id)] } });
    expect(foreignOrder.statusCode).toBe(400);

    const byInvestigator = await post(`/api/journey-rules/${reopened.id}/active`, { active: false }, investigator);
    expect(byInvestigator.statusCode).toBe(403);
    expect((await post('/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged' }, investigator)).statusCode).toBe(403);
    expect(await ruleOf('case.reopened', 'case.reopened')).toMatchObject({ active: true, delayMinutes: 0 });
    expect(await eventsAbout(reopened.id)).toEqual([]);
  });
});
