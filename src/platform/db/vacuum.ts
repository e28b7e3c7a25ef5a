import type { Logger } from 'pino';
import type { Database } from './database.ts';
import { duringLongWork } from '../observability/stall-watchdog.ts';

/**
 * Vacuums embedded PGlite every `intervalMs` (decision 0044): its engine runs no autovacuum, so
 * the rows that updates and deletes leave behind (a job is written three times) would stay for
 * good, every index scan over them slower each day, and the planner would never learn a table's
 * size. A run that is still going when the next is due is not doubled. `idle` waits for a run in
 * progress; `stop` also ends the schedule.
 */
export function startVacuuming(database: Database, intervalMs: number, logger: Logger): { idle: () => Promise<void>; stop: () => Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    const started = performance.now();
    // One table's vacuum holds PGlite's thread until it ends: long work for the stall watchdog.
    running = duringLongWork(() => database.vacuum())
      .then((tables) => logger.debug({ tables, ms: Math.round(performance.now() - started) }, 'database vacuumed'))
      .catch((error: unknown) => logger.warn({ err: error }, 'database vacuum failed; will try again'))
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    idle: async () => running,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
