import pg from 'pg';
import type { TestApp } from './helpers.ts';

/**
 * Runs requests side by side on PostgreSQL, as people pressing at the same moment would: a second
 * connection takes a lock with `hold` (such as `lock table x in share mode`, under which the
 * requests may read x and lock its rows but not write it, or a row's `for update`), starts the
 * requests in turn, each once the one before waits on a lock, then lets them all go. PGlite runs
 * one transaction at a time, so only PostgreSQL can hold them together.
 */
export async function heldTogether<T>(app: Pick<TestApp, 'config'>, hold: string, requests: (() => Promise<T>)[]): Promise<T[]> {
  const locker = new pg.Client({ connectionString: app.config.databaseUrl });
  await locker.connect();
  try {
    await locker.query('begin');
    await locker.query(hold);
    const pending: Promise<T>[] = [];
    let settled = 0;
    for (const request of requests) {
      pending.push(
        request().finally(() => {
          settled += 1;
        }),
      );
      // Waits in this test's database only, as other test files share the server: the backends
      // holding a lock on one of its tables (pg_stat_activity would not do, as a transaction
      // reads it once and keeps what it saw).
      for (;;) {
        const { rows } = await locker.query<{ waiting: number }>(
          `select count(*)::int as waiting from pg_locks
            where not granted
              and pid in (select pid from pg_locks where database = (select oid from pg_database where datname = current_database()))`,
        );
        if ((rows[0]?.waiting ?? 0) >= pending.length) break;
        if (settled > 0) throw new Error(`request ${settled} of ${requests.length} finished without waiting on what \`${hold}\` held`);
      }
    }
    await locker.query('commit');
    return await Promise.all(pending);
  } finally {
    await locker.end();
  }
}
