import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { borrowTemplateEngine, isLikeTemplate } from '../template-engines.ts';
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
// (test/template-engines.ts): nothing a test file did may reach the next file through it. On
// PostgreSQL each app has a database of its own, dropped when it closes, and roles and ALTER SYSTEM
// belong to the whole server: these tests would change the server the other test files share.
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

  /**
   * What a test file could change in its engine beyond its rows, and how another file would see
   * it. `handedOn` changes are made through an app that then closes: the next app must read what
   * the template holds (the engine was closed, or put back). The others are each made on one engine
   * inside a transaction and rolled back: the summary that decides whether an engine is handed on
   * (isLikeTemplate) must tell each from the template's, which the first case shows closes the
   * engine, without opening a new engine for every change.
   */
  const changes: { what: string; change: string[]; read: string; handedOn?: true }[] = [
    {
      what: 'an index made again on the same columns for fewer rows',
      change: ['drop index incidents_type_live', 'create index incidents_type_live on incidents (force_id, type) where type is not null'],
      read: `select pg_get_indexdef('incidents_type_live'::regclass) as value`,
      handedOn: true,
    },
    {
      what: 'a check constraint made again with another condition',
      change: ['alter table forces drop constraint forces_code_check', `alter table forces add constraint forces_code_check check (code ~ '^[A-Z0-9]{2,8}$')`],
      read: `select pg_get_constraintdef(oid) as value from pg_constraint where conname = 'forces_code_check'`,
    },
    {
      what: 'a trigger made again to fire at another time',
      change: [
        'drop trigger events_no_truncate on events',
        'create trigger events_no_truncate after truncate on events for each statement execute function bluelamp_forbid_event_change()',
      ],
      read: `select pg_get_triggerdef(oid) as value from pg_trigger where tgname = 'events_no_truncate'`,
    },
    {
      what: 'an enum type',
      change: [`create type bl_handed_on_mood as enum ('calm', 'cross')`],
      read: `select to_regtype('bl_handed_on_mood')::text as value`,
    },
    {
      what: 'an operator (a kind of object the fingerprint does not name)',
      change: ['create operator public.=== (leftarg = int, rightarg = int, function = int4eq)'],
      read: `select count(*)::int as value from pg_operator where oprname = '==='`,
    },
    {
      what: 'a function’s settings and security',
      change: ['alter function bluelamp_forbid_event_change() security definer set search_path = public'],
      read: `select format('%s %s', prosecdef, proconfig) as value from pg_proc where oid = 'bluelamp_forbid_event_change'::regproc`,
    },
    {
      what: 'a column’s statistics target',
      change: ['alter table forces alter column name set statistics 500'],
      read: `select attstattarget as value from pg_attribute where attrelid = 'forces'::regclass and attname = 'name'`,
    },
    {
      what: 'a table’s storage options',
      change: ['alter table forces set (fillfactor = 70)'],
      read: `select reloptions::text as value from pg_class where oid = 'forces'::regclass`,
    },
    {
      what: 'a grant on one column',
      change: ['grant update (name) on forces to bluelamp_app'],
      read: `select attacl::text as value from pg_attribute where attrelid = 'forces'::regclass and attname = 'name'`,
    },
    {
      what: 'the roles a policy applies to',
      change: ['alter policy tenant on forces to public'],
      read: `select polroles::regrole[]::text as value from pg_policy where polname = 'tenant' and polrelid = 'forces'::regclass`,
    },
    {
      what: 'default privileges for tables made later',
      change: ['alter default privileges grant select on tables to bluelamp_app'],
      read: 'select count(*)::int as value from pg_default_acl',
    },
    {
      what: 'a role’s attributes',
      change: ['alter role bluelamp_app connection limit 5'],
      read: `select rolconnlimit as value from pg_roles where rolname = 'bluelamp_app'`,
    },
    {
      what: 'a setting written by ALTER SYSTEM',
      change: [`alter system set work_mem = '7MB'`],
      read: `select setting as value from pg_file_settings where name = 'work_mem'`,
      // Not transactional: ALTER SYSTEM cannot run inside a transaction.
      handedOn: true,
    },
    {
      what: 'a comment',
      change: [`comment on table forces is 'changed by a test'`],
      read: `select obj_description('forces'::regclass, 'pg_class') as value`,
    },
    {
      what: 'a large object',
      change: [`select lo_from_bytea(0, 'left behind')`],
      read: 'select count(*)::int as value from pg_largeobject_metadata',
    },
    {
      // The analysis of changed tables (src/platform/db/vacuum.ts) reads these counters.
      what: 'activity counters of a table',
      change: ['update forces set name = name'],
      read: `select n_tup_upd + n_mod_since_analyze as value from pg_stat_user_tables where relname = 'forces'`,
      // Not in the summary: put back to zero rather than closing the engine.
      handedOn: true,
    },
  ];

  const handedOn = changes.filter((change) => change.handedOn);
  it.each(handedOn.map((change) => [change.what, change] as const))('carries no %s an earlier app made', async (_what, { change, read }) => {
    const readIn = async (app: TestApp) => {
      // Counters reach the statistics views when a statement ends, at most once a second unless asked.
      await sql`select pg_stat_force_next_flush()`.execute(app.database.db);
      return (await sql.raw<{ value: unknown }>(read).execute(app.database.db)).rows[0]?.value ?? null;
    };
    const first = await createTestApp();
    const template = await readIn(first);
    for (const statement of change) await sql.raw(statement).execute(first.database.db);
    expect(await readIn(first)).not.toEqual(template);
    await first.close();

    const next = await createTestApp();
    try {
      expect(await readIn(next)).toEqual(template);
    } finally {
      await next.close();
    }
  });

  describe('on one engine, each change inside a transaction rolled back', () => {
    let lent: Awaited<ReturnType<typeof borrowTemplateEngine>>;
    beforeAll(async () => {
      const template = inject('bluelampTemplate');
      if (template.engine !== 'pglite') throw new Error('the run has no PGlite template');
      lent = await borrowTemplateEngine(template.imageFolder);
      expect(await isLikeTemplate(lent.pglite)).toBe(true);
    });
    afterAll(() => lent.giveBack());

    it.each(changes.filter((change) => !change.handedOn).map((change) => [change.what, change] as const))(
      'tells %s from the template, so an engine with it is not handed on',
      async (_what, { change, read }) => {
        const engine = lent.pglite;
        const readIn = async () => (await engine.query<{ value: unknown }>(read)).rows[0]?.value ?? null;
        const template = await readIn();
        await engine.exec('begin');
        try {
          for (const statement of change) await engine.exec(statement);
          expect(await readIn()).not.toEqual(template);
          expect(await isLikeTemplate(engine)).toBe(false);
        } finally {
          await engine.exec('rollback');
        }
        expect(await readIn()).toEqual(template);
        expect(await isLikeTemplate(engine)).toBe(true);
      },
    );
  });
});
