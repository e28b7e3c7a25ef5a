import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, withSystem } from '../../src/platform/db/database.ts';
import { pgliteFlushes } from '../../src/platform/db/pglite-durable.ts';
import { pgliteFolder } from '../cli-kit.ts';
import { ENGINE } from '../helpers.ts';

// PGlite as shipped starts PostgreSQL with fsync off and has no fsync in its file system: a
// committed report lived in the page cache, lost if the machine lost power. A data folder on
// disk is opened as PostgreSQL runs on a server (decision 0051).
describe.skipIf(ENGINE === 'postgres')('embedded PGlite on disk', () => {
  it('flushes-the-wal-to-disk-before-a-commit-returns-and-not-for-a-read', async () => {
    const { dir, cleanup } = pgliteFolder('durable', 'seeded');
    const database = await openDatabase({ dataDir: dir });
    try {
      const settings = await sql<{ name: string; setting: string }>`
        select name, setting from pg_settings where name in ('fsync', 'wal_sync_method', 'synchronous_commit') order by name`.execute(database.db);
      expect(settings.rows).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'synchronous_commit', setting: 'on' },
        { name: 'wal_sync_method', setting: 'fsync' },
      ]);

      const before = pgliteFlushes.count;
      await withSystem(database.db, (tx) => sql`select count(*) from forces`.execute(tx));
      expect(pgliteFlushes.count, 'a read-only transaction writes no WAL to flush').toBe(before);

      const inserted = await withSystem(database.db, (tx) => sql`insert into reference_counters (force_id, scope, year, last_value)
        select id, 'durability-test', 2026, 1 from forces limit 1`.execute(tx));
      expect(inserted.numAffectedRows).toBe(1n);
      expect(pgliteFlushes.count).toBeGreaterThan(before);
      expect(path.relative(path.join(dir, 'pglite'), pgliteFlushes.lastPath)).toMatch(/^pg_wal[/\\][0-9A-F]{24}$/);
    } finally {
      await database.close();
      await cleanup();
    }
  });
});
