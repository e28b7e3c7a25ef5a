import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import pino from 'pino';
import { openDatabase, type Database } from './database.ts';
import { analyzeChangedTables, startVacuuming } from './vacuum.ts';
import { ENGINE } from '../../../test/helpers.ts';
import { pgliteTemplateSnapshot } from '../../../test/pglite-snapshot.ts';

// Embedded PGlite runs no autovacuum: without the product's own vacuum, the space of updated and
// deleted rows is never reused and the planner never learns a table's size.
describe.runIf(ENGINE === 'pglite')('PGlite vacuum', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://', loadDataDir: pgliteTemplateSnapshot() });
  });
  afterAll(async () => database.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const size = async (table: string) => (await sql<{ n: number }>`select pg_relation_size(${table})::int as n`.execute(database.db)).rows[0]?.n ?? 0;
  const reltuples = async (table: string) =>
    (await sql<{ n: number }>`select reltuples::int as n from pg_class where relname = ${table}`.execute(database.db)).rows[0]?.n;
  const makeTable = async (table: string) => {
    await sql`create table ${sql.table(table)} (id int primary key, body text)`.execute(database.db);
    await sql`insert into ${sql.table(table)} select g, repeat('x', 200) from generate_series(1, 2000) g`.execute(database.db);
  };
  /** The table's row count as the planner knows it, once the schedule's timers have moved on `ms` and its run ended. */
  const knownRowsAfter = async (vacuuming: ReturnType<typeof startVacuuming>, ms: number, table: string) => {
    vi.advanceTimersByTime(ms);
    await vacuuming.idle();
    return reltuples(table);
  };
  const churn = async (table: string) => sql`update ${sql.table(table)} set body = md5(random()::text) || repeat('y', 168)`.execute(database.db);

  it('vacuums every table: updated rows’ space is reused and the planner knows each table’s size', async () => {
    await makeTable('churn');
    await churn('churn');
    const once = await size('churn');
    await churn('churn');
    const twice = await size('churn');
    // Never vacuumed, every update takes new space, and the table's size is unknown (-1).
    expect(twice).toBeGreaterThan(once);
    expect(await reltuples('churn')).toBe(-1);

    expect(await database.vacuum()).toBeGreaterThanOrEqual(1);
    await churn('churn');
    expect(await size('churn')).toBe(twice);
    expect(await reltuples('churn')).toBe(2000);
  });

  it('runs on its interval once started, and not after it is stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await makeTable('timed');
    const vacuuming = startVacuuming(database, 60_000, pino({ level: 'silent' }), { analyzeCheckMs: 0 });
    expect(await knownRowsAfter(vacuuming, 59_999, 'timed')).toBe(-1);
    expect(await knownRowsAfter(vacuuming, 1, 'timed')).toBe(2000);
    await vacuuming.stop();

    await sql`insert into timed select g, 'more' from generate_series(2001, 3000) g`.execute(database.db);
    vi.advanceTimersByTime(600_000);
    expect(await reltuples('timed')).toBe(2000);
  });

  it('analyses, between vacuums, the tables changed by more than 50 rows and a tenth, as autovacuum would', async () => {
    await makeTable('grown');
    await sql`create table small_change (id int primary key)`.execute(database.db);
    await sql`insert into small_change select g from generate_series(1, 40) g`.execute(database.db);
    expect(await reltuples('grown')).toBe(-1);

    const analysed = await analyzeChangedTables(database.db);
    expect(analysed).toContain('grown');
    expect(analysed).not.toContain('small_change');
    expect(await reltuples('grown')).toBe(2000);

    // Nothing changed since: nothing analysed. A tenth more and 50 rows: analysed again.
    expect(await analyzeChangedTables(database.db)).not.toContain('grown');
    await sql`insert into grown select g, 'more' from generate_series(2001, 2100) g`.execute(database.db);
    expect(await analyzeChangedTables(database.db)).not.toContain('grown');
    await sql`insert into grown select g, 'more' from generate_series(2101, 2300) g`.execute(database.db);
    expect(await analyzeChangedTables(database.db)).toContain('grown');
    expect(await reltuples('grown')).toBe(2300);
  });

  it('looks for changed tables on its own, shorter interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await makeTable('checked');
    const vacuuming = startVacuuming(database, 600_000, pino({ level: 'silent' }), { analyzeCheckMs: 30_000 });
    expect(await knownRowsAfter(vacuuming, 29_999, 'checked')).toBe(-1);
    expect(await knownRowsAfter(vacuuming, 1, 'checked')).toBe(2000);
    await vacuuming.stop();
  });
});
