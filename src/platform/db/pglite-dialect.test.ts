import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, withSystem, type Database } from './database.ts';
import { ENGINE } from '../../../test/helpers.ts';
import { pgliteTemplateSnapshot } from '../../../test/pglite-snapshot.ts';

// PGlite runs each statement synchronously under its promise. Without a turn for the event loop
// between statements, a transaction of fifty statements held every other request (a health check,
// a static file, the portal's quick exit) until its commit: 30–60 ms per report on an idle server.
describe.runIf(ENGINE === 'pglite')('PGlite dialect', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://', loadDataDir: pgliteTemplateSnapshot() });
  });
  afterAll(async () => database.close());

  it('gives the event loop a turn between the statements of a transaction', async () => {
    const turns: number[] = [];
    let statement = 0;
    await withSystem(database.db, async (tx) => {
      for (; statement < 5; statement += 1) {
        setImmediate(() => turns.push(statement));
        await sql`select ${statement}::int as n`.execute(tx);
      }
    });
    // Each callback ran before the next statement started, inside the transaction.
    expect(turns).toEqual([0, 1, 2, 3, 4]);
  });

  it('still returns each statement’s rows and counts', async () => {
    await sql`create table yielded (id int primary key)`.execute(database.db);
    const inserted = await sql`insert into yielded select generate_series(1, 3)`.execute(database.db);
    expect(inserted.numAffectedRows).toBe(3n);
    expect((await sql<{ n: number }>`select count(*)::int as n from yielded`.execute(database.db)).rows).toEqual([{ n: 3 }]);
  });
});
