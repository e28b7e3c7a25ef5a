import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { LONG_WORK_MARK } from './postgres-pool.ts';
import type { Database, Db } from './database.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant will do; it only has to be the same for every Bluelamp process sharing a database.
const MIGRATION_LOCK = 7_410_001;

/** The migration files in the order they apply. */
export function listMigrations(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ name: file.replace(/\.sql$/, ''), sql: readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8') }));
}

/**
 * Applies every migration not yet applied, each in its own transaction, under an advisory lock so
 * that several nodes starting together apply each migration once.
 */
export async function migrate(database: Database): Promise<string[]> {
  const applied: string[] = [];
  await database.db.connection().execute(async (conn) => {
    // Another node may hold it for as long as its migrations take: no deadline on the answer.
    await sql`${sql.raw(LONG_WORK_MARK)}select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(
        conn,
      );
      const done = new Set(
        (await sql<{ name: string }>`select name from schema_migrations`.execute(conn)).rows.map((row) => row.name),
      );
      for (const migration of listMigrations()) {
        if (done.has(migration.name)) continue;
        const record = `insert into schema_migrations (name) values ('${migration.name.replace(/'/g, "''")}')`;
        // Migrations are system work: they may move data across forces (see 0009_forced_row_security).
        await database.runScript(conn, `select set_config('bluelamp.system', 'on', true);\n${migration.sql};\n${record};`);
        applied.push(migration.name);
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
  return applied;
}

/** True when every migration file has been applied (used by /readyz). */
export async function isMigrated(db: Db): Promise<boolean> {
  try {
    const rows = (await sql<{ name: string }>`select name from schema_migrations`.execute(db)).rows;
    const done = new Set(rows.map((row) => row.name));
    return listMigrations().every((migration) => done.has(migration.name));
  } catch {
    return false;
  }
}
