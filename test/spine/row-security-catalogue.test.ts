import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createScratchDatabase } from '../helpers.ts';
import { pgliteFolder } from '../cli-kit.ts';
import { openDatabase, withForce, withSystem, type Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { newId, type ForceId } from '../../src/platform/ids.ts';

let database: Database;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  // A migrated database with no force in it: an empty scratch PostgreSQL database, or on PGlite a
  // copy of the run's migrated template folder (creating an empty PGlite database and migrating it
  // here took several times longer). Migrating either finds the catalogue it checks.
  if (ENGINE === 'postgres') {
    const scratch = await createScratchDatabase();
    drop = scratch.drop;
    database = await openDatabase({ databaseUrl: scratch.url });
  } else {
    const folder = pgliteFolder('row-security');
    drop = folder.cleanup;
    database = await openDatabase({ dataDir: folder.dir });
  }
  await migrate(database);
});

afterAll(async () => {
  await database.close();
  await drop();
});

describe('the row-level security catalogue', () => {
  it('enables-and-forces-row-security-on-every-table-with-force_id', async () => {
    const tables = await sql<{ name: string; enabled: boolean; forced: boolean; policies: string[]; system: string | null }>`
      select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
        coalesce((select array_agg(p.polname::text order by p.polname) from pg_policy p where p.polrelid = c.oid), '{}') as policies,
        (select pg_get_expr(p.polqual, p.polrelid) from pg_policy p where p.polrelid = c.oid and p.polname = 'system') as system
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p')
        and (c.relname = 'forces' or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'force_id' and not a.attisdropped))
      order by c.relname`.execute(database.db);
    expect(tables.rows.length).toBeGreaterThan(20);
    const gaps = tables.rows.filter((table) => !table.enabled || !table.forced || !table.policies.includes('tenant') || !table.policies.includes('system'));
    expect(gaps.map((table) => table.name)).toEqual([]);
    // System work is open only to a role holding the table's owner's privileges (migration 0092).
    const openToOthers = tables.rows.filter((table) => !table.system?.includes('pg_has_role(CURRENT_USER') || !table.system.includes(`'${table.name}'::regclass`));
    expect(openToOthers.map((table) => table.name)).toEqual([]);
    // In every schema, not only the current one: each of Bluelamp's policies is in its final form,
    // tenant work for the application role alone, system work for the owner alone (migration 0097).
    const policies = await sql<{ table: string; name: string; roles: string[]; using: string }>`
      select p.polrelid::regclass::text as table, p.polname as name, pg_get_expr(p.polqual, p.polrelid) as using,
        array(select case r when 0 then 'public' else pg_get_userbyid(r)::text end from unnest(p.polroles) r) as roles
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema')
        and (pg_get_expr(p.polqual, p.polrelid) like '%bluelamp.force_id%' or pg_get_expr(p.polqual, p.polrelid) like '%bluelamp.system%')`.execute(database.db);
    expect(policies.rows.length).toBeGreaterThan(2 * 20);
    const astray = policies.rows.filter((policy) =>
      policy.name === 'tenant'
        ? policy.roles.join() !== 'bluelamp_app'
        : policy.name !== 'system' || policy.roles.join() !== 'public' || !policy.using.includes('pg_has_role(CURRENT_USER'),
    );
    expect(astray.map((policy) => `${policy.table}.${policy.name}`)).toEqual([]);
  });

  it('binds-a-table-owner-that-is-not-a-superuser-to-the-policies', async () => {
    // Superusers bypass row-level security even when forced, so the owner here is an ordinary role.
    const forceA = newId<ForceId>();
    const forceB = newId<ForceId>();
    await withSystem(database.db, (tx) =>
      tx
        .insertInto('forces')
        .values([
          { id: forceA, slug: 'a', code: 'AAA', name: 'A' },
          { id: forceB, slug: 'b', code: 'BBB', name: 'B' },
        ])
        .execute(),
    );
    const owner = `bluelamp_owner_${newId().slice(0, 8)}`;
    await sql.raw(`create role ${owner} nosuperuser nobypassrls`).execute(database.db);
    await sql.raw(`alter table people owner to ${owner}`).execute(database.db);
    for (const forceId of [forceA, forceB]) {
      await withForce(database.db, forceId, (tx) => tx.insertInto('people').values({ id: newId(), force_id: forceId, display_name: null, created_at: new Date() }).execute());
    }
    const countAsOwner = (setup: string) =>
      database.db.transaction().execute(async (tx) => {
        await sql.raw(`set local role ${owner}`).execute(tx);
        if (setup) await sql.raw(setup).execute(tx);
        return Number((await sql<{ n: number }>`select count(*)::int as n from people`.execute(tx)).rows[0]?.n);
      });
    try {
      expect(await countAsOwner('')).toBe(0);
      // The tenant policy applies to the application role and the roles holding its privileges
      // (migration 0097); this owner holds none of them, so naming a force opens nothing to it.
      expect(await countAsOwner(`select set_config('bluelamp.force_id', '${forceA}', true)`)).toBe(0);
      expect(await countAsOwner(`select set_config('bluelamp.system', 'on', true)`)).toBe(2);
      // The application role cannot claim system work.
      const asApp = await withForce(database.db, forceA, async (tx) => {
        await sql`select set_config('bluelamp.system', 'on', true)`.execute(tx);
        return tx.selectFrom('people').select('force_id').execute();
      });
      expect(asApp.map((row) => row.force_id)).toEqual([forceA]);
    } finally {
      await sql.raw(`alter table people owner to current_user`).execute(database.db);
      await sql.raw(`drop role ${owner}`).execute(database.db);
    }
  });

  it('gives-a-new-table-the-same-tenancy-with-one-call', async () => {
    // What later migrations do instead of pasting the statements of 0001 and 0009.
    await sql.raw('create table tenancy_probe (id uuid primary key, force_id uuid not null references forces(id))').execute(database.db);
    await sql.raw('grant select, insert on tenancy_probe to bluelamp_app').execute(database.db);
    try {
      await sql`select bluelamp_enable_tenancy('tenancy_probe')`.execute(database.db);
      await sql`select bluelamp_enable_tenancy('tenancy_probe')`.execute(database.db);
      const policiesOf = async (table: string) =>
        (
          await sql<{ name: string; roles: string[]; using: string | null; check: string | null }>`
            select p.polname as name, pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as check,
              array(select case r when 0 then 'public' else pg_get_userbyid(r)::text end from unnest(p.polroles) r) as roles
            from pg_policy p join pg_class c on c.oid = p.polrelid
            where c.relname = ${table} order by p.polname`.execute(database.db)
        ).rows;
      // The same policies, word for word, as a table of the first migrations, each naming its own
      // table (whose owner the system policy asks for).
      const ofTable = async (table: string) =>
        (await policiesOf(table)).map((policy) => JSON.parse(JSON.stringify(policy).replaceAll(`'${table}'::regclass`, "'<table>'::regclass")) as unknown);
      expect(await ofTable('tenancy_probe')).toEqual(await ofTable('people'));
      const flags = await sql<{ enabled: boolean; forced: boolean }>`
        select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class where relname = 'tenancy_probe'`.execute(database.db);
      expect(flags.rows).toEqual([{ enabled: true, forced: true }]);

      const [forceA, forceB] = [newId<ForceId>(), newId<ForceId>()];
      await withSystem(database.db, (tx) =>
        tx
          .insertInto('forces')
          .values([
            { id: forceA, slug: `probe-a-${forceA.slice(0, 8)}`, code: 'PRA', name: 'Probe A' },
            { id: forceB, slug: `probe-b-${forceB.slice(0, 8)}`, code: 'PRB', name: 'Probe B' },
          ])
          .execute(),
      );
      await withSystem(database.db, (tx) =>
        sql`insert into tenancy_probe (id, force_id) values (${newId()}, ${forceA}), (${newId()}, ${forceB})`.execute(tx),
      );
      const seen = await withForce(database.db, forceA, (tx) => sql<{ force_id: string }>`select force_id from tenancy_probe`.execute(tx));
      expect(seen.rows.map((row) => row.force_id)).toEqual([forceA]);
      await expect(
        withForce(database.db, forceA, (tx) => sql`insert into tenancy_probe (id, force_id) values (${newId()}, ${forceB})`.execute(tx)),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await sql.raw('drop table tenancy_probe').execute(database.db);
    }
  });

  it('refuses-to-give-tenancy-to-a-table-without-force_id', async () => {
    await sql.raw('create table tenancy_probe_without (id uuid primary key)').execute(database.db);
    try {
      await expect(sql`select bluelamp_enable_tenancy('tenancy_probe_without')`.execute(database.db)).rejects.toThrow(/no force_id column/);
    } finally {
      await sql.raw('drop table tenancy_probe_without').execute(database.db);
    }
  });
});
