import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { planNewContactRoutes } from '../../src/capabilities/queue/routing.service.ts';

// Rules stored before the save checked them (decision 0089): one naming no condition, one naming
// a channel contacts never come in on. Reading the rules marks each such rule with why a save
// would refuse it, so an admin can fix it first; routing keeps honouring it until it is fixed,
// and the save of the list as it stands is refused by that rule, naming it (decision 0095).

type Rule = { queueId: string; position: number; channels: string[] | null; categories: string[] | null; priorities: number[] | null; refusedBecause: string | null };
type Queues = { queues: { id: string; key: string }[]; rules: Rule[]; rulesVersion: number };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; sentence: string }[] } };
type Session = Awaited<ReturnType<typeof signIn>>;

const NO_CONDITION = 'This rule must name at least one channel, category or priority';

describe(`rules stored before they were checked (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Session;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const read = async (session: Session = admin) => (await app.inject({ method: 'GET', url: '/api/queues', headers: session.headers })).json<Queues>();
  const replace = (payload: object) => app.inject({ method: 'POST', url: '/api/queues/rules', headers: admin.headers, payload });
  /** The rules as read, as a replacement sends them (no place, no empty conditions, no marks). */
  const asSent = (rules: readonly Rule[]) =>
    rules.map((r) => ({ queueId: r.queueId, ...(r.channels ? { channels: r.channels } : {}), ...(r.categories ? { categories: r.categories } : {}), ...(r.priorities ? { priorities: r.priorities } : {}) }));

  it('marks-each-stored-rule-a-save-would-refuse-with-why-keeps-routing-by-it-and-the-save-names-it', async () => {
    const { queues } = await read();
    const id = (key: string) => queues.find((q) => q.key === key)?.id ?? '';
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      await tx.deleteFrom('queue_rules').where('force_id', '=', app.demoForceId).execute();
      // As an earlier version of the API stored them.
      const stored = [
        { queue: 'online_report', channels: ['portal'], categories: null },
        { queue: 'public_safety', channels: ['fax'], categories: null },
        { queue: 'domestic', channels: null, categories: null },
        { queue: 'general', channels: null, categories: ['domestic_abuse'] },
      ];
      await tx
        .insertInto('queue_rules')
        .values(stored.map((rule, index) => ({ id: newId(), force_id: app.demoForceId, queue_id: id(rule.queue), position: index + 1, channels: rule.channels, categories: rule.categories, priorities: null })))
        .execute();
    });

    // Everyone who reads the rules sees the marks; the marks say why, not where.
    const { rules } = await read(await signIn(app, 'dispatch@demo.police.uk'));
    expect(rules.map((r) => r.refusedBecause)).toEqual([
      null,
      'Channel 1 is not a channel contacts come in on ("fax"): must be one of chat, sms_twilio, sms_notify, meta, x, email, portal, api, phone, callback.',
      `${NO_CONDITION}.`,
      null,
    ]);

    // Routing keeps honouring the stored rules until they are fixed: an email takes the catch-all rule 3.
    const [route] = await withForce(app.database.db, app.demoForceId, (tx) =>
      planNewContactRoutes(tx, app.demoForceId, app.deps.clock, [{ contactId: newId(), reference: 'TEST-1', channel: 'email', categories: [], priority: 4 }]),
    );
    expect([route?.queue?.key, route?.byRule?.position]).toEqual(['domestic', 3]);

    // Saving the list as read is refused by those two rules, each named.
    const refused = await replace({ rules: asSent(rules) });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json<ErrorBody>().error.fields).toEqual([
      expect.objectContaining({ path: 'body.rules.1.channels.0', sentence: 'Channel 1 of rule 2 is not a channel contacts come in on ("fax"): must be one of chat, sms_twilio, sms_notify, meta, x, email, portal, api, phone, callback' }),
      expect.objectContaining({ path: 'body.rules.2', sentence: 'Rule 3 must name at least one channel, category or priority' }),
    ]);
    expect((await read()).rules.map((r) => r.queueId)).toEqual(rules.map((r) => r.queueId));

    // Fixed (rule 2 removed, rule 3 given a channel), the list saves and nothing is marked.
    const [first, , third, fourth] = asSent(rules);
    const saved = await replace({ rules: [first, { ...third, channels: ['email'] }, fourth] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ rules: Rule[] }>().rules.map((r) => r.refusedBecause)).toEqual([null, null, null]);
    expect((await read()).rules.map((r) => r.refusedBecause)).toEqual([null, null, null]);
  });

  // A category triage no longer has (or never had: written through the database) is kept as stored,
  // named by its value in the mark and in the refusal, so the admin can find it and remove it.
  it('names-a-stored-category-triage-does-not-know-in-the-mark-and-refuses-it-by-its-rule', async () => {
    const { queues } = await read();
    const general = queues.find((q) => q.key === 'general')?.id ?? '';
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      await tx.deleteFrom('queue_rules').where('force_id', '=', app.demoForceId).execute();
      await tx.insertInto('queue_rules').values({ id: newId(), force_id: app.demoForceId, queue_id: general, position: 1, channels: null, categories: ['self_harm', 'lost_property'], priorities: null }).execute();
    });
    const { rules } = await read();
    expect(rules.map((r) => [r.categories, r.refusedBecause])).toEqual([[['self_harm', 'lost_property'], expect.stringMatching(/^Category 2 is not a triage category \("lost_property"\): must be one of weapons, /)]]);
    const refused = await replace({ rules: asSent(rules) });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json<ErrorBody>().error.fields).toEqual([
      expect.objectContaining({ path: 'body.rules.0.categories.1', sentence: expect.stringMatching(/^Category 2 of rule 1 is not a triage category \("lost_property"\)/) }),
    ]);
    expect((await read()).rules.map((r) => r.categories)).toEqual([['self_harm', 'lost_property']]);
  });

  it('cuts-a-long-stored-channel-short-in-the-mark', async () => {
    const { queues } = await read();
    const general = queues.find((q) => q.key === 'general')?.id ?? '';
    const long = `fax${'x'.repeat(200)}`;
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      await tx.deleteFrom('queue_rules').where('force_id', '=', app.demoForceId).execute();
      await tx.insertInto('queue_rules').values({ id: newId(), force_id: app.demoForceId, queue_id: general, position: 1, channels: [long], categories: null, priorities: null }).execute();
    });
    const [rule] = (await read()).rules;
    expect(rule?.refusedBecause).toContain(`("${long.slice(0, 40)}…")`);
    expect(rule?.refusedBecause?.length).toBeLessThan(200);
  });
});
