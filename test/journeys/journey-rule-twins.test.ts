// A force admin cannot switch on two journey rules that send a victim the same message at the same
// time (decision 0075): adding, changing or switching on such a rule is refused with a 409 that
// names the rule already sending it, and nothing is written. And every change of the rules reaches,
// on the live stream, the consoles of staff who may read them, and no one else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import type { Session } from './journey-kit.ts';
import { listenForSockets, openLiveSocket } from '../live-socket.ts';

type Rule = { id: string; milestone: string; templateKey: string; outcomeCodes: string[] | null; delayMinutes: number; active: boolean };
type Listed = { rules: Rule[]; choices: { milestones: { milestone: string; label: string }[]; templates: { key: string; purpose: string }[] } };
type ErrorBody = { error: { code: string; message: string } };

describe(`journey rules that would send a victim the same message twice (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Session;
  let supervisor: Session;
  let handler: Session;
  let base: string;
  const heard: LiveMessage[] = [];
  const otherHeard: LiveMessage[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    const other = await createOtherForce(app, ['force_admin']);
    app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    app.hub.subscribe(other.forceId, (message) => otherHeard.push(message));
    base = await listenForSockets(app);
  });
  afterAll(() => app.close());

  const list = async () => {
    const response = await app.inject({ method: 'GET', url: '/api/journey-rules', headers: admin.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Listed>();
  };
  /** The rule, its place in the order counted from 1, and its name as the page shows it. */
  const named = async (milestone: string, templateKey: string, where: (r: Rule) => boolean = () => true) => {
    const listed = await list();
    const index = listed.rules.findIndex((r) => r.milestone === milestone && r.templateKey === templateKey && where(r));
    const rule = listed.rules[index];
    if (!rule) throw new Error(`no rule ${milestone} ${templateKey}`);
    const label = listed.choices.milestones.find((m) => m.milestone === milestone)?.label;
    const purpose = listed.choices.templates.find((t) => t.key === templateKey)?.purpose;
    return { rule, words: `Rule ${index + 1} (“${label}: ${purpose}”)` };
  };
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: admin.headers, payload });
  const ruleEvents = () =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('events').select('type').where('type', 'like', 'journey_rule%').execute()).then((rows) => rows.length);
  const expectRefusedNaming = async (attempt: Promise<{ statusCode: number; body: string; json: <T>() => T }>, words: string) => {
    const refused = await attempt;
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<ErrorBody>().error).toMatchObject({ code: 'conflict' });
    expect(refused.json<ErrorBody>().error.message).toContain(words);
    expect(refused.json<ErrorBody>().error.message).toContain('twice');
  };

  it('refuses-to-add-a-rule-an-active-rule-already-sends-naming-it-and-writes-nothing', async () => {
    const charged = await named('case.charged', 'case.charged');
    const closure = await named('case.closed', 'case.closed.caution');
    const count = (await list()).rules.length;
    const events = await ruleEvents();
    // Being a courtesy update does not make it another message: a victim who did not opt out gets both.
    await expectRefusedNaming(post('/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged', statutory: false }), charged.words);
    // The same outcomes in another order are the same closures.
    await expectRefusedNaming(post('/api/journey-rules', { milestone: 'case.closed', templateKey: 'case.closed.caution', outcomeCodes: ['3', '2'], statutory: true }), closure.words);
    expect((await list()).rules.length).toBe(count);
    expect(await ruleEvents()).toBe(events);
  });

  it('adds-the-same-message-at-another-time-or-for-other-victims-and-refuses-a-change-that-makes-it-a-twin', async () => {
    const charged = await named('case.charged', 'case.charged');
    const later = await post('/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged', delayMinutes: 3 * 24 * 60 });
    expect(later.statusCode, later.body).toBe(201);
    const enhanced = await post('/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged', victimCategory: 'enhanced' });
    expect(enhanced.statusCode, enhanced.body).toBe(201);

    const laterId = later.json<{ rule: Rule }>().rule.id;
    await expectRefusedNaming(post(`/api/journey-rules/${laterId}`, { delayMinutes: 0 }), charged.words);
    expect((await list()).rules.find((r) => r.id === laterId)).toMatchObject({ delayMinutes: 3 * 24 * 60, active: true });
  });

  it('lets-a-twin-be-added-when-the-first-is-off-and-refuses-to-switch-the-first-on-again', async () => {
    const identified = await named('case.suspect_identified', 'case.suspect_identified');
    expect((await post(`/api/journey-rules/${identified.rule.id}/active`, { active: false })).statusCode).toBe(200);
    // A rule switched off sends nothing, so a rule alike to it is no twin.
    const replacement = await post('/api/journey-rules', { milestone: 'case.suspect_identified', templateKey: 'case.suspect_identified' });
    expect(replacement.statusCode, replacement.body).toBe(201);
    const replacementId = replacement.json<{ rule: Rule }>().rule.id;
    const theNewOne = await named('case.suspect_identified', 'case.suspect_identified', (r) => r.id === replacementId);

    await expectRefusedNaming(post(`/api/journey-rules/${identified.rule.id}/active`, { active: true }), theNewOne.words);
    expect((await list()).rules.find((r) => r.id === identified.rule.id)?.active).toBe(false);
    // A rule switched off may still be changed: it sends nothing until it is switched on.
    const changedWhileOff = await post(`/api/journey-rules/${identified.rule.id}`, { delayMinutes: 0 });
    expect(changedWhileOff.statusCode, changedWhileOff.body).toBe(200);
  });

  it('tells-the-consoles-of-staff-who-read-the-rules-of-each-change-once-and-no-one-else', async () => {
    const supervisorSocket = await openLiveSocket(base, supervisor);
    const handlerSocket = await openLiveSocket(base, handler);
    try {
      const allocated = await named('case.allocated', 'case.allocated');
      heard.length = 0;
      otherHeard.length = 0;
      const changed = await post(`/api/journey-rules/${allocated.rule.id}`, { delayMinutes: 30 });
      expect(changed.statusCode, changed.body).toBe(200);
      await expect.poll(() => supervisorSocket.messages.filter((m) => m.type === 'journey_rules.changed').length, { timeout: 20_000 }).toBe(1);
      expect(heard.filter((m) => m.type === 'journey_rules.changed')).toHaveLength(1);

      // A refusal changed nothing, so it tells no one.
      expect((await post('/api/journey-rules', { milestone: 'case.charged', templateKey: 'case.charged' })).statusCode).toBe(409);
      const order = (await list()).rules.map((r) => r.id).reverse();
      const reordered = await app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: admin.headers, payload: { ruleIds: order } });
      expect(reordered.statusCode, reordered.body).toBe(200);
      await expect.poll(() => supervisorSocket.messages.filter((m) => m.type === 'journey_rules.changed').length, { timeout: 20_000 }).toBe(2);
      expect(heard.filter((m) => m.type === 'journey_rules.changed')).toHaveLength(2);

      // A call handler may not read the rules, so is not told of them; nor is another force.
      expect(handlerSocket.messages.map((m) => m.type)).not.toContain('journey_rules.changed');
      expect(otherHeard).toEqual([]);
    } finally {
      supervisorSocket.close();
      handlerSocket.close();
    }
  });
});
