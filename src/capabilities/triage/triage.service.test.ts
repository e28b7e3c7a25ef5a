import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { withForce, withSystem } from '../../platform/db/database.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { ENGLISH_RULES } from './triage.default-rules.ts';
import { addMissingRulePacks, loadActiveEngine, publishRuleSet, RULE_PACK_EVENT, triageText } from './triage.service.ts';

describe('triage rule packs for forces created before them', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const packEvents = (forceId: ForceId) =>
    withForce(app.database.db, forceId, (tx) =>
      tx.selectFrom('events').select(['data']).where('force_id', '=', forceId).where('type', '=', RULE_PACK_EVENT).execute(),
    );

  it('gives a new force every pack with its first rule set, and nothing more later', async () => {
    const given = (await packEvents(app.demoForceId)).map((row) => row.data.pack).sort();
    expect(given).toEqual(['cy', 'en-2026']);
    expect(await withForce(app.database.db, app.demoForceId, (tx) => addMissingRulePacks(tx, app.demoForceId, app.deps.clock))).toBeNull();
  });

  it('adds the Welsh pack to an older force once, as a new active version that keeps its own rules', async () => {
    const forceId = newId<ForceId>();
    await withSystem(app.database.db, (tx) => tx.insertInto('forces').values({ id: forceId, slug: 'oldshire', code: 'OLD', name: 'Oldshire Police' }).execute());
    const own = [...ENGLISH_RULES, { phrase: 'quad bike', variants: [], category: 'road_danger', weight: 35 }];
    await withForce(app.database.db, forceId, (tx) => publishRuleSet(tx, forceId, app.deps.clock, own, { type: 'system', id: null }));
    expect((await withForce(app.database.db, forceId, (tx) => triageText(tx, forceId, 'Mae dyn tu allan gyda chyllell'))).priority).toBeGreaterThan(2);

    const version = await withForce(app.database.db, forceId, (tx) => addMissingRulePacks(tx, forceId, app.deps.clock));
    expect(version).toBe(2);
    const engine = await withForce(app.database.db, forceId, (tx) => loadActiveEngine(tx, forceId));
    expect(engine.version).toBe(2);
    expect(engine.rules.map((rule) => rule.phrase)).toEqual(expect.arrayContaining(['quad bike', 'cyllell', 'fy lladd']));
    expect((await packEvents(forceId)).map((row) => row.data.pack).sort()).toEqual(['cy', 'en-2026']);
    expect((await withForce(app.database.db, forceId, (tx) => triageText(tx, forceId, 'Mae dyn tu allan gyda chyllell'))).priority).toBeLessThanOrEqual(2);

    expect(await withForce(app.database.db, forceId, (tx) => addMissingRulePacks(tx, forceId, app.deps.clock))).toBeNull();
  });
});
