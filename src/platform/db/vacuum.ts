import type { Logger } from 'pino';
import { sql } from 'kysely';
import type { Database, Db } from './database.ts';
import { duringLongWork } from '../observability/stall-watchdog.ts';

/** How often PGlite's tables are looked at for changes enough to analyse them again. */
export const ANALYZE_CHECK_MS = 30_000;

/**
 * Analyses the tables changed enough since their last analysis, by PostgreSQL's own autovacuum
 * rule (50 rows plus a tenth of the table), and returns their names. PGlite runs no autovacuum,
 * and a planner that still believes a table holds a handful of rows picks plans that are
 * quadratic in it: a Victims' Code sweep held PGlite for 75 s after 22,000 reports, a few minutes
 * after a start, long before the first vacuum. ANALYZE samples at most 30,000 rows a table.
 */
export async function analyzeChangedTables(db: Db): Promise<string[]> {
  // Table statistics reach the views at most once a second unless a flush is asked for.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  const changed = await sql<{ name: string }>`
    select quote_ident(s.relname) as name from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema() and s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
    order by s.relname`.execute(db);
  for (const table of changed.rows) await sql`analyze ${sql.raw(table.name)}`.execute(db);
  return changed.rows.map((table) => table.name);
}

/**
 * Vacuums embedded PGlite every `intervalMs` (decision 0044): its engine runs no autovacuum, so
 * the rows that updates and deletes leave behind (a job is written three times) would stay for
 * good, every index scan over them slower each day, and the planner would never learn a table's
 * size. Between vacuums, tables that changed enough are analysed every `analyzeCheckMs`, as
 * PostgreSQL's autovacuum would. A run that is still going when the next is due is not doubled.
 * `idle` waits for a run in progress; `stop` also ends the schedule.
 */
export function startVacuuming(
  database: Database,
  intervalMs: number,
  logger: Logger,
  options: { analyzeCheckMs?: number } = {},
): { idle: () => Promise<void>; stop: () => Promise<void> } {
  let running: Promise<void> | undefined;
  const runAlone = (work: () => Promise<void>) => {
    if (running) return;
    running = work().finally(() => (running = undefined));
  };
  const timer = setInterval(() => {
    const started = performance.now();
    // One table's vacuum holds PGlite's thread until it ends: long work for the stall watchdog.
    runAlone(() =>
      duringLongWork(() => database.vacuum())
        .then((tables) => logger.debug({ tables, ms: Math.round(performance.now() - started) }, 'database vacuumed'))
        .catch((error: unknown) => logger.warn({ err: error }, 'database vacuum failed; will try again')),
    );
  }, intervalMs);
  timer.unref();
  const analyzeCheckMs = options.analyzeCheckMs ?? ANALYZE_CHECK_MS;
  const analyzeTimer =
    analyzeCheckMs > 0
      ? setInterval(() => {
          runAlone(() =>
            analyzeChangedTables(database.db)
              .then((tables) => {
                if (tables.length > 0) logger.debug({ tables }, 'database tables analysed');
              })
              .catch((error: unknown) => logger.warn({ err: error }, 'database analyse failed; will try again')),
          );
        }, analyzeCheckMs)
      : undefined;
  analyzeTimer?.unref();
  return {
    idle: async () => running,
    stop: async () => {
      clearInterval(timer);
      clearInterval(analyzeTimer);
      await running;
    },
  };
}
