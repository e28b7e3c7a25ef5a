import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE, createScratchDatabase } from '../helpers.ts';
import { makeScratchFolder } from '../scratch-folder.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { MigrationFileError, MigrationLockedError, migrate } from '../../src/platform/db/migrate.ts';

// Decision 0164. A migration on a database in use never waits long for a table lock: while it
// waits, every other query on that table waits behind it. It is refused after its lock_timeout,
// rolled back whole, and tried again; an index is built concurrently by a migration that runs
// outside a transaction. Each test migrates an empty database with migration files of its own.

let database: Database;
let url = '';
let drop: () => Promise<void> = async () => {};
let dir = '';
// PGlite: one engine for the file (opening one takes seconds), emptied before each test.
let pglite: Database | undefined;

beforeAll(async () => {
  if (ENGINE === 'pglite') pglite = await openDatabase({ dataDir: 'memory://' });
});

afterAll(async () => {
  await pglite?.close();
});

beforeEach(async () => {
  dir = makeScratchFolder('bluelamp-migrations-');
  if (pglite) {
    database = pglite;
    await sql`drop schema public cascade`.execute(database.db);
    await sql`create schema public`.execute(database.db);
    return;
  }
  const scratch = await createScratchDatabase();
  url = scratch.url;
  drop = scratch.drop;
  database = await openDatabase({ databaseUrl: url, poolSize: 2 });
});

afterEach(async () => {
  if (!pglite) {
    await database.close();
    await drop();
  }
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): void {
  writeFileSync(path.join(dir, `${name}.sql`), text);
}

async function recorded(): Promise<string[]> {
  return (await sql<{ name: string }>`select name from schema_migrations order by name`.execute(database.db)).rows.map((row) => row.name);
}

async function exists(table: string): Promise<boolean> {
  return (await sql<{ found: boolean }>`select to_regclass(${table}) is not null as found`.execute(database.db)).rows[0]!.found;
}

async function indexValid(name: string): Promise<boolean | null> {
  const rows = (await sql<{ valid: boolean }>`select indisvalid as valid from pg_index where indexrelid = to_regclass(${name})`.execute(database.db)).rows;
  return rows[0]?.valid ?? null;
}

/** A second session reading the table in a transaction it keeps open: a long report, say. */
async function longReader(table: string): Promise<{ end: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  // Ended by the scratch database's drop when a test failed before ending it.
  client.on('error', () => {});
  await client.connect();
  await client.query('begin');
  await client.query(`select count(*) from ${table}`);
  let ended = false;
  return {
    end: async () => {
      if (ended) return;
      ended = true;
      await client.query('commit');
      await client.end();
    },
  };
}

describe(`migrations on a database in use (${ENGINE})`, () => {
  it('runs-each-migration-under-its-lock-timeout', async () => {
    file('0001_seen', "create table seen (lock_timeout text);\ninsert into seen select current_setting('lock_timeout');\n");
    expect(await migrate(database, { dir, lockTimeoutMs: 1500 })).toEqual(['0001_seen']);
    const seen = (await sql<{ lock_timeout: string }>`select lock_timeout from seen`.execute(database.db)).rows;
    expect(seen.map((row) => row.lock_timeout)).toEqual(['1500ms']);
  });

  it.skipIf(ENGINE !== 'postgres')('retries-a-migration-refused-a-lock-and-applies-it-once-the-lock-is-released', async () => {
    file('0001_reports', 'create table reports (id int primary key);\n');
    await migrate(database, { dir });
    const reader = await longReader('reports');
    file('0002_reports_grade', 'create table grades (id int);\nalter table reports add column grade int;\n');
    const waits: number[] = [];
    const refusals: number[] = [];
    const applied = await migrate(database, {
      dir,
      lockTimeoutMs: 20,
      onLockRefused: ({ attempt }) => refusals.push(attempt),
      wait: async (ms) => {
        waits.push(ms);
        // The report ends while the runner waits after its second refusal.
        if (waits.length === 2) await reader.end();
      },
    }).finally(reader.end);
    expect(applied).toEqual(['0002_reports_grade']);
    expect(refusals).toEqual([1, 2]);
    expect(waits).toEqual([1000, 2000]);
    expect(await exists('grades')).toBe(true);
    await sql`insert into reports (id, grade) values (1, 2)`.execute(database.db);
    expect(await recorded()).toEqual(['0001_reports', '0002_reports_grade']);
  });

  it('tries-again-a-migration-chosen-as-a-deadlock-s-victim-with-nothing-of-the-first-try-kept', async () => {
    // A migration that locks many tables (0092) can deadlock against a node still serving them; the
    // server then rolls it back with 40P01. A sequence outlives the rollback, so the first try is the
    // victim and the second goes through.
    await sql`create sequence deadlock_tries`.execute(database.db);
    file(
      '0001_policies',
      "create table policies (id int);\ninsert into policies values (1);\n" +
        "do $$ begin if nextval('deadlock_tries') = 1 then raise exception 'deadlock detected' using errcode = '40P01'; end if; end $$;\n",
    );
    const refusals: number[] = [];
    const waits: number[] = [];
    const applied = await migrate(database, { dir, onLockRefused: ({ attempt }) => refusals.push(attempt), wait: async (ms) => void waits.push(ms) });
    expect(applied).toEqual(['0001_policies']);
    expect(refusals).toEqual([1]);
    expect(waits).toEqual([1000]);
    const rows = (await sql<{ id: number }>`select id from policies`.execute(database.db)).rows;
    expect(rows).toEqual([{ id: 1 }]);
    expect(await recorded()).toEqual(['0001_policies']);
  });

  it.skipIf(ENGINE !== 'postgres')('fails-the-start-naming-the-migration-when-the-lock-is-never-released-with-nothing-of-it-applied', async () => {
    file('0001_reports', 'create table reports (id int primary key);\n');
    await migrate(database, { dir });
    const reader = await longReader('reports');
    file('0002_reports_grade', 'create table grades (id int);\nalter table reports add column grade int;\n');
    const waits: number[] = [];
    try {
      const refused = migrate(database, { dir, lockTimeoutMs: 20, attempts: 3, wait: async (ms) => void waits.push(ms) });
      await expect(refused).rejects.toBeInstanceOf(MigrationLockedError);
      await expect(refused).rejects.toThrow(/^migration 0002_reports_grade .*another session holds a lock on a table this migration changes/);
      expect(waits).toEqual([1000, 2000]);
      // Nothing half applied: the table it created went with the refusal, and it is not recorded.
      expect(await exists('grades')).toBe(false);
      expect(await recorded()).toEqual(['0001_reports']);
    } finally {
      await reader.end();
    }
    // The next start, once the report has ended, applies it.
    expect(await migrate(database, { dir, lockTimeoutMs: 20 })).toEqual(['0002_reports_grade']);
  });

  it.skipIf(ENGINE !== 'postgres')('waits-for-another-node-migrating-without-holding-up-its-concurrent-index-build', async () => {
    file('0001_outbox', 'create table outbox (id int, recipient text);\n');
    await migrate(database, { dir });
    file('0002_outbox_by_recipient', '-- bluelamp: no transaction\ncreate index concurrently if not exists outbox_by_recipient on outbox (recipient);\n');
    // Another node, in the middle of its migrations: it holds the migration lock.
    const other = new pg.Client({ connectionString: url });
    other.on('error', () => {});
    await other.connect();
    try {
      await other.query('select pg_advisory_lock(7410001)');
      const otherPid = (await other.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      let resume = () => {};
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const starting = migrate(database, { dir, wait: () => resumed });
      // This node has asked for the lock (and, refused, waits for it).
      for (;;) {
        const asking = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid not in (pg_backend_pid(), ${otherPid}) and query like '%advisory_lock(%'`.execute(database.db);
        if (asking.rows[0]!.n > 0) break;
      }
      // The other node builds an index concurrently meanwhile: the build waits for every older
      // snapshot, so a node waiting for the lock inside a statement would deadlock with it.
      await other.query('create index concurrently if not exists outbox_by_id on outbox (id)');
      await other.query('select pg_advisory_unlock(7410001)');
      resume();
      expect(await starting).toEqual(['0002_outbox_by_recipient']);
      expect(await indexValid('outbox_by_id')).toBe(true);
      expect(await indexValid('outbox_by_recipient')).toBe(true);
    } finally {
      await other.end();
    }
  });

  it('builds-an-index-concurrently-in-a-migration-marked-to-run-outside-a-transaction', async () => {
    file('0001_outbox', "create table outbox (id int, recipient text);\ninsert into outbox select n, 'x' || n from generate_series(1, 50) n;\n");
    file(
      '0002_outbox_by_recipient',
      '-- bluelamp: no transaction\n-- Built while the outbox is written to.\ncreate index concurrently if not exists outbox_by_recipient\n  on outbox (recipient);\n' +
        'create index concurrently if not exists outbox_by_id on outbox (id);\n',
    );
    expect(await migrate(database, { dir })).toEqual(['0001_outbox', '0002_outbox_by_recipient']);
    expect(await indexValid('outbox_by_recipient')).toBe(true);
    expect(await indexValid('outbox_by_id')).toBe(true);
    expect(await recorded()).toEqual(['0001_outbox', '0002_outbox_by_recipient']);
    expect(await migrate(database, { dir })).toEqual([]);
  });

  it('drops-and-rebuilds-an-index-a-failed-concurrent-build-left-invalid', async () => {
    file('0001_people', "create table people (email text);\ninsert into people values ('a@example.org'), ('a@example.org'), ('b@example.org');\n");
    file('0002_people_email', '-- bluelamp: no transaction\ncreate unique index concurrently if not exists people_email on people (email);\n');
    // The build fails on the duplicate and leaves its index behind, INVALID; the migration is not recorded.
    await expect(migrate(database, { dir })).rejects.toMatchObject({ code: '23505' });
    expect(await indexValid('people_email')).toBe(false);
    // The start says which migration, which index and which rows, and where the runbook says what to do (decision 0185).
    await expect(migrate(database, { dir })).rejects.toThrow(
      /^migration 0002_people_email could not build the unique index people_email: rows already break it \(Key \(email\)=\(a@example\.org\) is duplicated\.\).*runbook "Upgrading a live database"/,
    );
    expect(await indexValid('people_email')).toBe(false);
    expect(await recorded()).toEqual(['0001_people']);

    await sql`delete from people where ctid in (select ctid from people where email = 'a@example.org' limit 1)`.execute(database.db);
    // IF NOT EXISTS alone would take the invalid index as built; the runner drops it and builds it again.
    expect(await migrate(database, { dir })).toEqual(['0002_people_email']);
    expect(await indexValid('people_email')).toBe(true);
    await expect(sql`insert into people values ('b@example.org')`.execute(database.db)).rejects.toMatchObject({ code: '23505' });
    expect(await recorded()).toEqual(['0001_people', '0002_people_email']);
  });

  it('refuses-a-migration-outside-a-transaction-that-holds-a-statement-which-needs-none', async () => {
    file('0001_first', 'create table first (id int);\n');
    file('0002_mixed', '-- bluelamp: no transaction\ncreate table second (id int);\ncreate index concurrently if not exists first_id on first (id);\n');
    await expect(migrate(database, { dir })).rejects.toBeInstanceOf(MigrationFileError);
    await expect(migrate(database, { dir })).rejects.toThrow(/0002_mixed .*create table second/);
    // Refused before anything ran: not even the migration before it.
    expect(await exists('first')).toBe(false);
    expect(await exists('second')).toBe(false);
  });

  it('refuses-a-migration-outside-a-transaction-whose-index-build-could-not-run-again-or-only-names-the-word', async () => {
    file('0001_first', 'create table first (id int, concurrently int);\n');
    // Without IF NOT EXISTS a build that ran before a crash (its row not recorded) fails every start after.
    file('0002_not_again', '-- bluelamp: no transaction\ncreate index concurrently first_id on first (id);\n');
    await expect(migrate(database, { dir })).rejects.toThrow(/0002_not_again .*IF NOT EXISTS/);
    rmSync(path.join(dir, '0002_not_again.sql'));
    // The word in a column's name is not a concurrent build.
    file('0002_by_name', '-- bluelamp: no transaction\ncreate index if not exists first_concurrently on first (concurrently);\n');
    await expect(migrate(database, { dir })).rejects.toThrow(/0002_by_name .*create index if not exists first_concurrently/);
    expect(await exists('first')).toBe(false);
  });
});
