import pg from 'pg';
import type { TestApp } from './helpers.ts';

/**
 * Runs requests side by side on PostgreSQL, as two people pressing at the same moment would:
 * a second connection holds `table` in SHARE mode (the requests may read it, not write it) until
 * `waiting` of them wait on a lock, then lets them all go. PGlite runs one transaction at a time,
 * so only PostgreSQL can hold them together.
 */
export async function heldTogether<T>(app: Pick<TestApp, 'config'>, table: string, requests: () => Promise<T>[], waiting = 2): Promise<T[]> {
  const locker = new pg.Client({ connectionString: app.config.databaseUrl });
  await locker.connect();
  try {
    await locker.query('begin');
    await locker.query(`lock table ${pg.escapeIdentifier(table)} in share mode`);
    const pending = requests();
    for (;;) {
      const { rows } = await locker.query<{ waiting: number }>('select count(*)::int as waiting from pg_locks where not granted');
      if ((rows[0]?.waiting ?? 0) >= waiting) break;
    }
    await locker.query('commit');
    return await Promise.all(pending);
  } finally {
    await locker.end();
  }
}
