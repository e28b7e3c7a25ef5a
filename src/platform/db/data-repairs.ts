import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { withSystem, type Db } from './database.ts';

// Some stored data can be put right only by the application's own code (decision 0161): a
// migration asks for a repair by inserting its name into `data_repairs`, and each start, after the
// migrations, runs every repair asked for and not yet done. A repair must be safe to run twice, and
// at once on two nodes starting together (each takes the locks its writes need), since a start that
// stops half-way, or races another, runs it again before it is marked done.

/** A repair of stored data: runs its own transactions, and says what it did in counts. */
export type DataRepair = (db: Db) => Promise<Record<string, number>>;

/**
 * Runs the repairs migrations asked for and no start has completed yet, in the order asked, and
 * marks each done with its report. A repair this version does not know (asked for by a newer
 * migration) is left for a version that does.
 */
export async function runDataRepairs(db: Db, clock: Clock, logger: Logger, repairs: Readonly<Record<string, DataRepair>>): Promise<void> {
  const asked = await withSystem(db, (tx) =>
    tx.selectFrom('data_repairs').select('name').where('done_at', 'is', null).orderBy('requested_at').orderBy('name').execute(),
  );
  for (const { name } of asked) {
    const repair = repairs[name];
    if (!repair) {
      logger.warn({ repair: name }, 'a data repair asked for by a migration is not known to this version; left for one that knows it');
      continue;
    }
    const report = await repair(db);
    await withSystem(db, (tx) =>
      tx.updateTable('data_repairs').set({ done_at: clock.now(), report: JSON.stringify(report) }).where('name', '=', name).where('done_at', 'is', null).execute(),
    );
    logger.info({ repair: name, ...report }, 'data repair done');
  }
}
