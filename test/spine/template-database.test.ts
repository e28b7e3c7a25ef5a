import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { listMigrations } from '../../src/platform/db/migrate.ts';
import { createForce } from '../../src/capabilities/admin/forces.service.ts';

describe(`test apps copied from the run's template database (${ENGINE})`, () => {
  let startedAt: Date;
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    startedAt = new Date();
    first = await createTestApp();
    second = await createTestApp();
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('starts every app migrated and seeded before it opened, so no app re-runs migrations or the seed', async () => {
    expect(inject('bluelampTemplate')).toMatchObject({ engine: ENGINE });
    for (const app of [first, second]) {
      const applied = await sql<{ name: string; applied_at: Date }>`select name, applied_at from schema_migrations order by name`.execute(app.database.db);
      expect(applied.rows.map((row) => row.name)).toEqual(listMigrations().map((migration) => migration.name));
      for (const row of applied.rows) expect(new Date(row.applied_at).getTime()).toBeLessThan(startedAt.getTime());
      const staff = await withSystem(app.database.db, (tx) => tx.selectFrom('staff').select('email').where('force_id', '=', app.demoForceId).execute());
      expect(staff.map((row) => row.email)).toContain('handler@demo.police.uk');
    }
  });

  it('keeps each app’s writes to itself', async () => {
    await createForce(first.database.db, first.deps.clock, { slug: 'only-in-first', code: 'ONLYONE', name: 'Only in the first app' });
    const find = (app: TestApp) =>
      withSystem(app.database.db, (tx) => tx.selectFrom('forces').select('slug').where('slug', '=', 'only-in-first').execute());
    expect(await find(first)).toHaveLength(1);
    expect(await find(second)).toEqual([]);
  });
});

// On PGlite an app's engine is put back as the template left it and handed to the next app
// (test/template-engines.ts): nothing a test file did may reach the next file through it.
describe.runIf(ENGINE === 'pglite')('an engine handed on to the next test app (pglite)', () => {
  /** The planner's statistics of the forces table, summed up (null when it has none). */
  const statisticsOfForces = async (app: TestApp) =>
    (
      await sql<{ digest: string | null }>`
        select md5(string_agg(format('%s %s %s %s %s', s.staattnum, s.stainherit, s.stanullfrac, s.stadistinct, s.stavalues1::text), E'\n' order by s.staattnum, s.stainherit)) as digest
        from pg_statistic s where s.starelid = 'forces'::regclass`.execute(app.database.db)
    ).rows[0]?.digest ?? null;

  it('carries no planner statistics an earlier app gathered, so a query is planned as on the template', async () => {
    const first = await createTestApp();
    const templates = await statisticsOfForces(first);
    for (const [slug, code] of [['stats-one', 'STONE'], ['stats-two', 'STTWO'], ['stats-three', 'STTHREE']] as const) {
      await createForce(first.database.db, first.deps.clock, { slug, code, name: slug });
    }
    await sql`analyze forces`.execute(first.database.db);
    expect(await statisticsOfForces(first)).not.toBe(templates);
    await first.close();

    const next = await createTestApp();
    try {
      expect(await withSystem(next.database.db, (tx) => tx.selectFrom('forces').select('slug').where('slug', 'like', 'stats-%').execute())).toEqual([]);
      expect(await statisticsOfForces(next)).toBe(templates);
    } finally {
      await next.close();
    }
  });
});
