import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINE, createTestApp, type TestApp } from '../../../test/helpers.ts';
import { engineCallsOf } from '../../../test/engine-calls.ts';
import { withForce, withSystem } from './database.ts';

// Every transaction opens with its settings (role and force, or system). BEGIN and that statement
// go to the engine in one call; a transaction must still be one transaction, whatever runs first.
describe('a transaction opened with its settings', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await withSystem(app.database.db, (tx) => sql`create table if not exists begin_probe (id int primary key)`.execute(tx));
    await withSystem(app.database.db, (tx) => sql`grant select, insert on begin_probe to bluelamp_app`.execute(tx));
  });
  afterAll(() => app.close());

  it('sends begin with the force’s settings in one call, and the settings hold', async () => {
    let seen: { role: string; force: string } | undefined;
    const calls = await engineCallsOf(() =>
      withForce(app.database.db, app.demoForceId, async (tx) => {
        const row = await sql<{ role: string; force: string }>`select current_user as role, current_setting('bluelamp.force_id') as force`.execute(tx);
        seen = row.rows[0];
      }),
    );
    expect(seen).toEqual({ role: 'bluelamp_app', force: app.demoForceId });
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatch(/^begin; \/\* transaction settings \*\/ select set_config\('role', 'bluelamp_app', true\)/);
    expect(calls[2]).toBe('commit');
  });

  it('keeps none of a failed transaction, whether settings or an ordinary statement ran first', async () => {
    await expect(
      withForce(app.database.db, app.demoForceId, async (tx) => {
        await sql`insert into begin_probe values (1)`.execute(tx);
        throw new Error('fails after writing');
      }),
    ).rejects.toThrow('fails after writing');
    // No settings first: BEGIN must go by itself before the insert, or the insert would stand alone.
    const calls = await engineCallsOf(() =>
      app.database.db
        .transaction()
        .execute(async (tx) => {
          await sql`insert into begin_probe values (2)`.execute(tx);
          throw new Error('fails after writing');
        })
        .catch((error: unknown) => error),
    );
    expect(calls[0]).toBe('begin');
    expect(calls.at(-1)).toBe('rollback');
    const rows = await withSystem(app.database.db, (tx) => sql<{ id: number }>`select id from begin_probe`.execute(tx));
    expect(rows.rows).toEqual([]);
  });

  it('sends nothing for a transaction that runs nothing, and the connection serves the next one', async () => {
    const calls = await engineCallsOf(() => app.database.db.transaction().execute(async () => 'nothing'));
    expect(calls).toEqual([]);
    const after = await withSystem(app.database.db, (tx) => sql<{ n: number }>`select 1 as n`.execute(tx));
    expect(after.rows).toEqual([{ n: 1 }]);
  });

  it('does not put a force id that is not a UUID into the text of a statement', async () => {
    const calls = await engineCallsOf(() =>
      withForce(app.database.db, "x', true); drop table begin_probe; --" as never, async (tx) => sql`select 1`.execute(tx)).catch((error: unknown) => error),
    );
    expect(calls[0]).toBe('begin');
    expect(calls.join('\n')).not.toContain('drop table');
    const still = await withSystem(app.database.db, (tx) => sql<{ n: number }>`select count(*)::int as n from begin_probe`.execute(tx));
    expect(still.rows).toEqual([{ n: 0 }]);
  });

  // Kysely's PostgreSQL driver offers savepoints; wrapping it keeps them (PGlite's driver never had them).
  it.runIf(ENGINE === 'postgres')('keeps savepoints on PostgreSQL, the pending BEGIN sent before the first', async () => {
    const trx = await app.database.db.startTransaction().execute();
    const marked = await trx.savepoint('first_probe').execute();
    await sql`insert into begin_probe values (3)`.execute(marked);
    await marked.rollbackToSavepoint('first_probe').execute();
    await sql`insert into begin_probe values (4)`.execute(trx);
    await trx.commit().execute();
    const rows = await withSystem(app.database.db, (tx) => sql<{ id: number }>`select id from begin_probe order by id`.execute(tx));
    expect(rows.rows).toEqual([{ id: 4 }]);
  });
});
