import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { LONG_WORK_MARK } from './postgres-pool.ts';
import type { Database, Db } from './database.ts';

// The migration runner. A large database in use day and night is migrated while it serves, so a
// migration never waits long for a table lock: while a statement waits for an ACCESS EXCLUSIVE
// lock behind a long reader, every new query on that table queues behind it. Each migration's
// transaction has a lock_timeout; one refused for it (55P03) is rolled back whole and tried again
// after a growing wait, a bounded number of times (decision 0164). A file whose first line is
// NO_TRANSACTION_MARK runs statement by statement outside a transaction, for the statements that
// cannot run in one (CREATE INDEX CONCURRENTLY); it is recorded only once every statement succeeded.

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant will do; it only has to be the same for every Bluelamp process sharing a database.
const MIGRATION_LOCK = 7_410_001;

/** How often a node asks again for the lock another node holds while it migrates. */
export const MIGRATION_LOCK_POLL_MS = 1_000;
/** The first line of a migration that runs outside a transaction. */
export const NO_TRANSACTION_MARK = '-- bluelamp: no transaction';
/** How long a migration's statement may wait for a table lock before its transaction is refused. */
export const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 5_000;
/** How many times a migration refused for a lock is tried in all before the start fails. */
export const DEFAULT_MIGRATION_ATTEMPTS = 6;
/** The wait after each refusal: 1 s, 2 s, 4 s, ... at most 30 s. */
export const migrationRetryWait = (attempt: number): number => Math.min(1_000 * 2 ** (attempt - 1), 30_000);

export type Migration = { name: string; sql: string; transaction: boolean };

export type MigrateOptions = {
  /** The folder of migration files (tests use scratch ones); default: the product's migrations. */
  dir?: string;
  /** lock_timeout of each migration's transaction (MIGRATION_LOCK_TIMEOUT_S). */
  lockTimeoutMs?: number;
  /** Attempts in all for a migration refused for a lock. */
  attempts?: number;
  /** Waits between attempts, and for another node's migrations (tests pass one that does not sleep). */
  wait?: (ms: number) => Promise<void>;
  /** Told of each refusal before its wait (the start logs it). */
  onLockRefused?: (refusal: { migration: string; attempt: number; waitMs: number }) => void;
};

/** A migration refused its locks at every attempt: the start stops, with none of it applied. */
export class MigrationLockedError extends Error {
  override name = 'MigrationLockedError';
  constructor(
    readonly migration: string,
    attempts: number,
    lockTimeoutMs: number,
  ) {
    super(
      `migration ${migration} was refused its locks ${attempts} times (lock_timeout ${lockTimeoutMs / 1000} s each): ` +
        'another session holds a lock on a table this migration changes. Nothing of this migration was applied; ' +
        'start again when that session ends (pg_stat_activity names it; see the runbook "Upgrading a live database").',
    );
  }
}

/**
 * A unique index a migration builds concurrently that rows already break: the start stops naming
 * the migration, the index and a key it found twice, for an operator to settle (the runbook says
 * how for each such migration) before starting again. Carries the database's code (23505).
 */
export class MigrationDuplicateRowsError extends Error {
  override name = 'MigrationDuplicateRowsError';
  readonly code = '23505';
  constructor(migration: string, index: string, detail: string | undefined, cause: unknown) {
    super(
      `migration ${migration} could not build the unique index ${index}: rows already break it (${detail ?? 'a key is duplicated'}). ` +
        'Nothing of this migration was recorded, and the next start drops the half-built index; settle the rows first ' +
        '(see the runbook "Upgrading a live database", under this migration), then start again.',
      { cause },
    );
  }
}

/** A migration file the runner will not run as written. */
export class MigrationFileError extends Error {
  override name = 'MigrationFileError';
}

/** The migration files in the order they apply. */
export function listMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const outside = /^--\s*bluelamp:\s*no\s+transaction\s*$/i.test(text.split('\n', 1)[0] ?? '');
      return { name: file.replace(/\.sql$/, ''), sql: text, transaction: !outside };
    });
}

/**
 * Applies every migration not yet applied, each in its own transaction (or, marked, outside one),
 * under an advisory lock so that several nodes starting together apply each migration once.
 * Returns the names applied; throws MigrationLockedError when one is refused its locks throughout.
 */
export async function migrate(database: Database, options: MigrateOptions = {}): Promise<string[]> {
  const lockTimeoutMs = Math.round(options.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS);
  const attempts = Math.max(1, options.attempts ?? DEFAULT_MIGRATION_ATTEMPTS);
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const migrations = listMigrations(options.dir);
  // A file that cannot run as written stops the start before anything of it runs.
  const statementsOf = new Map(migrations.filter((m) => !m.transaction).map((m) => [m.name, outsideStatements(m)]));
  const applied: string[] = [];
  await database.db.connection().execute(async (conn) => {
    // Another node may hold it for as long as its migrations take. Asked for again and again, not
    // waited for in pg_advisory_lock: a session waiting in a statement holds a snapshot, and the
    // other node's CREATE INDEX CONCURRENTLY waits for every older snapshot to end: a deadlock.
    while (!(await sql<{ locked: boolean }>`select pg_try_advisory_lock(${MIGRATION_LOCK}) as locked`.execute(conn)).rows[0]?.locked) {
      await wait(MIGRATION_LOCK_POLL_MS);
    }
    try {
      await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(
        conn,
      );
      const done = new Set(
        (await sql<{ name: string }>`select name from schema_migrations`.execute(conn)).rows.map((row) => row.name),
      );
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        const statements = statementsOf.get(migration.name);
        const apply = statements
          ? () => applyOutside(conn, migration.name, statements)
          : () => applyInTransaction(database, conn, migration, lockTimeoutMs);
        for (let attempt = 1; ; attempt++) {
          try {
            await apply();
            break;
          } catch (error) {
            if (!isLockRefusal(error)) throw error;
            if (attempt >= attempts) throw new MigrationLockedError(migration.name, attempts, lockTimeoutMs);
            const waitMs = migrationRetryWait(attempt);
            options.onLockRefused?.({ migration: migration.name, attempt, waitMs });
            await wait(waitMs);
          }
        }
        applied.push(migration.name);
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
  return applied;
}

function recordStatement(name: string): string {
  return `insert into schema_migrations (name) values ('${name.replace(/'/g, "''")}')`;
}

/** The migration and its schema_migrations row in one transaction: both commit or neither. */
async function applyInTransaction(database: Database, conn: Db, migration: Migration, lockTimeoutMs: number): Promise<void> {
  // Migrations are system work: they may move data across forces (see 0009_forced_row_security).
  // SET LOCAL: the timeout ends with the transaction, so the advisory lock's wait is not bounded by it.
  await database.runScript(
    conn,
    `set local lock_timeout = '${lockTimeoutMs}ms';\nselect set_config('bluelamp.system', 'on', true);\n` +
      `${migration.sql};\n${recordStatement(migration.name)};`,
  );
}

/**
 * A migration outside a transaction: each statement on its own, then its row. Whatever ran before
 * a failure stays, so its statements must be safe to run again (IF NOT EXISTS); an index a
 * failed or interrupted CREATE INDEX CONCURRENTLY left INVALID, which IF NOT EXISTS would take
 * as built, is dropped before the statement runs again.
 */
async function applyOutside(conn: Db, name: string, statements: string[]): Promise<void> {
  for (const statement of statements) {
    const index = concurrentIndexName(statement);
    if (index !== null) await dropInvalidIndex(conn, index);
    try {
      // An index over a large table takes minutes: no deadline on the answer.
      await sql.raw(`${LONG_WORK_MARK}${statement}`).execute(conn);
    } catch (error) {
      if (index !== null && errorField(error, 'code') === '23505') throw new MigrationDuplicateRowsError(name, index, errorField(error, 'detail'), error);
      throw error;
    }
  }
  await sql.raw(recordStatement(name)).execute(conn);
}

/**
 * The statements of a migration marked to run outside a transaction, each ending with a semicolon
 * at the end of its line. Only statements that cannot run in a transaction belong there: any
 * other would leave the migration half applied when a later one fails.
 */
export function outsideStatements(migration: Pick<Migration, 'name' | 'sql'>): string[] {
  const statements = migration.sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((chunk) => chunk.split('\n').filter((line) => !/^\s*(--.*)?$/.test(line)).join('\n').trim())
    .filter((statement) => statement.length > 0);
  if (statements.length === 0) throw new MigrationFileError(`migration ${migration.name} is marked "${NO_TRANSACTION_MARK}" but has no statement`);
  for (const statement of statements) {
    const first = statement.split('\n', 1)[0];
    if (!CONCURRENT_STATEMENT.test(statement)) {
      throw new MigrationFileError(
        `migration ${migration.name} is marked "${NO_TRANSACTION_MARK}" but holds a statement other than CREATE INDEX CONCURRENTLY or ` +
          `DROP INDEX CONCURRENTLY (${first}); it belongs in a migration of its own, in a transaction`,
      );
    }
    if (!SAFE_AGAIN.test(statement)) {
      throw new MigrationFileError(
        `migration ${migration.name} runs outside a transaction, so each statement must be safe to run again after a crash: ` +
          `write IF NOT EXISTS (or IF EXISTS) in ${first}`,
      );
    }
  }
  return statements;
}

/** The statements a migration outside a transaction may hold: building or dropping an index concurrently. */
const CONCURRENT_STATEMENT = /^\s*(?:create\s+(?:unique\s+)?index\s+concurrently|drop\s+index\s+concurrently)\s/i;
/** Each of them written to be run again: what ran before a crash stays, and its row was not recorded. */
const SAFE_AGAIN = /^\s*(?:create\s+(?:unique\s+)?index\s+concurrently\s+if\s+not\s+exists|drop\s+index\s+concurrently\s+if\s+exists)\s/i;

/** The name a CREATE INDEX CONCURRENTLY statement gives its index, as written (quotes kept); null for any other statement. */
export function concurrentIndexName(statement: string): string | null {
  const match = /^\s*create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[a-z_][\w$]*)\s+on\b/i.exec(statement);
  return match?.[1] ?? null;
}

/** Drops the index of that name if it is INVALID (a build that failed or was interrupted). */
async function dropInvalidIndex(conn: Db, name: string): Promise<void> {
  const invalid = await sql<{ invalid: boolean }>`select not i.indisvalid as invalid from pg_index i where i.indexrelid = to_regclass(${name})`.execute(conn);
  if (invalid.rows[0]?.invalid) await sql.raw(`${LONG_WORK_MARK}drop index concurrently if exists ${name}`).execute(conn);
}

/**
 * Refused for lock_timeout (or a NOWAIT lock), SQLSTATE 55P03, or chosen as a deadlock's victim,
 * 40P01 (a migration that locks many tables against nodes still serving them): either way its
 * transaction was rolled back whole, so it is tried again like a refusal.
 */
function isLockRefusal(error: unknown): boolean {
  const code = errorField(error, 'code');
  return code === '55P03' || code === '40P01';
}

/** A text field of a database error (`code`, `detail`), if it has one. */
function errorField(error: unknown, field: 'code' | 'detail'): string | undefined {
  const value = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
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
