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
