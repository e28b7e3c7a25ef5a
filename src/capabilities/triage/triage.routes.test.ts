import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../../../test/helpers.ts';
import { heldTogether } from '../../../test/held-together.ts';
import { withForce } from '../../platform/db/database.ts';

type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string; label: string; sentence: string }[] } };
type RuleSetList = { ruleSets: { version: number; isActive: boolean; ruleCount: number; variantCount: number }[] };

describe('triage rule routes', () => {
  let app: TestApp;
  let admin: { headers: Record<string, string> };

  const inject = (options: InjectOptions) => app.inject(options);
  const countEvents = (type: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('force_id', '=', app.demoForceId).where('type', '=', type).executeTakeFirstOrThrow(),
    ).then((row) => Number(row.n));

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  it('rejects-anonymous rule set listing with 401', async () => {
    const response = await inject({ method: 'GET', url: '/api/triage/rule-sets' });
    expect(response.statusCode).toBe(401);
  });

  it('denies-call-handler the rules with 403', async () => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const response = await inject({ method: 'GET', url: '/api/triage/rule-sets', headers: handler.headers });
    expect(response.statusCode).toBe(403);
  });

  it('refuses a version larger than any the database keeps, naming the field, instead of failing', async () => {
    for (const version of [2_147_483_648, 9_007_199_254_740_991]) {
      const tried = await inject({ method: 'POST', url: '/api/triage/try', headers: admin.headers, payload: { text: 'someone is following me', version } });
      expect(tried.statusCode, tried.body).toBe(400);
      expect(tried.json<ErrorBody>().error.fields?.[0]).toMatchObject({ path: 'body.version', message: 'no version of the rules is that large' });
      const shown = await inject({ method: 'GET', url: `/api/triage/rule-sets/${version}`, headers: admin.headers });
      expect(shown.statusCode, shown.body).toBe(400);
      expect(shown.json<ErrorBody>().error.fields?.[0]?.path).toBe('params.version');
    }
  });

  it('lists the default version as active, with counts, and shows its rules with variants', async () => {
    const list = await inject({ method: 'GET', url: '/api/triage/rule-sets', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    const sets = list.json<RuleSetList>().ruleSets;
    expect(sets[0]).toMatchObject({ version: 1, isActive: true });
    expect(sets[0]?.ruleCount).toBeGreaterThan(30);
    expect(sets[0]?.variantCount).toBeGreaterThan(50);
    const one = await inject({ method: 'GET', url: '/api/triage/rule-sets/1', headers: admin.headers });
    const rules = one.json<{ ruleSet: { rules: { phrase: string; variants: string[] }[] } }>().ruleSet.rules;
    expect(rules.find((r) => r.phrase === 'knife')?.variants).toContain('nife');
    expect((await inject({ method: 'GET', url: '/api/triage/rule-sets/999', headers: admin.headers })).statusCode).toBe(404);
  });

  it('rejects-invalid-rules with 400 naming each field', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/triage/rule-sets',
      headers: admin.headers,
      payload: {
        rules: [
          { phrase: '', category: 'weapons', weight: 10 },
          { phrase: 'ok', category: 'not_a_category', weight: 10 },
          { phrase: 'ok', category: 'weapons', weight: 101 },
          { phrase: 'ok', category: 'weapons', weight: 1, variants: Array.from({ length: 21 }, (_, i) => `v${i}`) },
          { phrase: 'x'.repeat(201), category: 'weapons', weight: 1 },
        ],
      },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json<ErrorBody>().error.fields?.map((f) => f.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining(['body.rules.0.phrase', 'body.rules.1.category', 'body.rules.2.weight', 'body.rules.3.variants', 'body.rules.4.phrase']),
    );
  });

  it('names a bad weight as staff see it, never by its place in the request', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/triage/rule-sets',
      headers: admin.headers,
      payload: { rules: [{ phrase: 'knife', category: 'weapons', weight: 10 }, { phrase: 'blade', category: 'weapons', weight: 250 }] },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json<ErrorBody>();
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('Weight of rule 2 must be 100 or less.');
    expect(error.message).not.toContain('body.');
    expect(error.fields).toEqual([
      { path: 'body.rules.1.weight', message: expect.any(String) as string, label: 'Weight of rule 2', sentence: 'Weight of rule 2 must be 100 or less' },
    ]);
  });

  it('tries a text with the full explanation and stores nothing', async () => {
    const before = await countEvents('contact.triaged');
    const contactsBefore = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('contacts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    );
    const allEventsBefore = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('force_id', '=', app.demoForceId).executeTakeFirstOrThrow(),
    );
    const response = await inject({ method: 'POST', url: '/api/triage/try', headers: admin.headers, payload: { text: 'He did not have a knife but he has a gun' } });
    expect(response.statusCode).toBe(200);
    const result = response.json<{ result: { priority: number; ruleSetVersion: number; negatedMatches: { matchedText: string }[]; explanation: string[] } }>().result;
    expect(result.ruleSetVersion).toBe(1);
    expect(result.negatedMatches.map((m) => m.matchedText)).toEqual(['knife']);
    expect(result.priority).toBe(2);
    const onLine = await inject({ method: 'POST', url: '/api/triage/try', headers: admin.headers, payload: { text: 'hello', channel: '999' } });
    expect(onLine.json<{ result: { priority: number } }>().result.priority).toBe(1);
    expect(await countEvents('contact.triaged')).toBe(before);
    const contactsAfter = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('contacts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    );
    const allEventsAfter = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('force_id', '=', app.demoForceId).executeTakeFirstOrThrow(),
    );
    expect(Number(contactsAfter.n)).toBe(Number(contactsBefore.n));
    expect(Number(allEventsAfter.n)).toBe(Number(allEventsBefore.n));
  });

  it('saves a new version inactive, tries it, and activation changes how new contacts are scored', async () => {
    const created = await inject({
      method: 'POST',
      url: '/api/triage/rule-sets',
      headers: admin.headers,
      payload: { rules: [{ phrase: 'quad bike', variants: ['quadbike'], category: 'road_danger', weight: 35 }] },
    });
    expect(created.statusCode).toBe(201);
    const { version } = created.json<{ version: number }>();
    expect(version).toBe(2);
    const list = (await inject({ method: 'GET', url: '/api/triage/rule-sets', headers: admin.headers })).json<RuleSetList>().ruleSets;
    expect(list.find((s) => s.version === 2)).toMatchObject({ isActive: false, ruleCount: 1, variantCount: 1 });
    expect(list.find((s) => s.version === 1)?.isActive).toBe(true);

    const tried = await inject({ method: 'POST', url: '/api/triage/try', headers: admin.headers, payload: { text: 'quadbike racing on the field', version: 2 } });
    expect(tried.json<{ result: { score: number; ruleSetVersion: number } }>().result).toMatchObject({ ruleSetVersion: 2 });

    const report = (id: string) =>
      submitPublicReport(app.deps, app.demoForceId, { submissionId: id, whatHappened: 'A quad bike keeps racing on the field', where: 'Park', when: 'now', name: null, email: 'q@example.org' });
    const contactVersion = async (contactId: string) =>
      (await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('contacts').select(['rule_set_version', 'score']).where('id', '=', contactId).executeTakeFirstOrThrow()));

    const beforeActivation = await contactVersion((await report('triage-before')).contactId);
    expect(beforeActivation.rule_set_version).toBe(1);

    const activated = await inject({ method: 'POST', url: `/api/triage/rule-sets/${version}/activate`, headers: admin.headers });
    expect(activated.statusCode).toBe(200);
    expect(await countEvents('triage.rule_set_activated')).toBe(1);

    const afterActivation = await contactVersion((await report('triage-after')).contactId);
    expect(afterActivation.rule_set_version).toBe(2);
    expect(afterActivation.score).toBeGreaterThanOrEqual(35);

    const sets = (await inject({ method: 'GET', url: '/api/triage/rule-sets', headers: admin.headers })).json<RuleSetList>().ruleSets;
    expect(sets.filter((s) => s.isActive).map((s) => s.version)).toEqual([2]);
    expect((await inject({ method: 'POST', url: '/api/triage/rule-sets/77/activate', headers: admin.headers })).statusCode).toBe(404);
  });

  it('saves an empty version as a draft but never makes it active', async () => {
    const empty = await inject({ method: 'POST', url: '/api/triage/rule-sets', headers: admin.headers, payload: { rules: [] } });
    expect(empty.statusCode).toBe(201);
    const { version } = empty.json<{ version: number }>();
    const refused = await inject({ method: 'POST', url: `/api/triage/rule-sets/${version}/activate`, headers: admin.headers });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/has no rules/);
    const sets = (await inject({ method: 'GET', url: '/api/triage/rule-sets', headers: admin.headers })).json<RuleSetList>().ruleSets;
    expect(sets.find((s) => s.version === version)?.isActive).toBe(false);
    expect(sets.filter((s) => s.isActive)).toHaveLength(1);
  });

  // Two admins saving rules at the same moment: on PostgreSQL both took the same next version
  // number, and the second's insert met the first's on the table's key, so its rules were lost
  // with a 409 though nobody had changed what it was saved from.
  describe.skipIf(ENGINE !== 'postgres')('two admins saving rules at once', () => {
    it('saves-both-as-the-next-two-versions', async () => {
      const supervisor = await signIn(app, 'supervisor@demo.police.uk');
      const before = (await inject({ method: 'GET', url: '/api/triage/rule-sets', headers: admin.headers })).json<RuleSetList>().ruleSets;
      const latest = Math.max(...before.map((set) => set.version));
      const published = await countEvents('triage.rule_set_published');
      const answers = await heldTogether(app, 'lock table triage_rule_sets in share mode', [
        () => inject({ method: 'POST', url: '/api/triage/rule-sets', headers: admin.headers, payload: { rules: [{ phrase: 'machete', category: 'weapons', weight: 60 }] } }),
        () => inject({ method: 'POST', url: '/api/triage/rule-sets', headers: supervisor.headers, payload: { rules: [{ phrase: 'crossbow', category: 'weapons', weight: 60 }] } }),
      ]);
      expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([201, 201]);
      expect(answers.map((answer) => answer.json<{ version: number }>().version).sort()).toEqual([latest + 1, latest + 2]);
      expect(await countEvents('triage.rule_set_published')).toBe(published + 2);
      const phrases = await Promise.all(
        answers.map(async (answer) => {
          const saved = await inject({ method: 'GET', url: `/api/triage/rule-sets/${answer.json<{ version: number }>().version}`, headers: admin.headers });
          return saved.json<{ ruleSet: { rules: { phrase: string }[] } }>().ruleSet.rules.map((rule) => rule.phrase);
        }),
      );
      expect(phrases).toEqual([['machete'], ['crossbow']]);
    });
  });
});
