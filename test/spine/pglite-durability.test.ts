import { execFile } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, withSystem } from '../../src/platform/db/database.ts';
import { DISK_FAILED_EXIT_CODE, pgliteFlushes } from '../../src/platform/db/pglite-durable.ts';
import { pgliteFolder } from '../cli-kit.ts';
import { fillTheDisk } from '../fixtures/fill-the-disk.ts';
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

describe.skipIf(ENGINE === 'postgres')('embedded PGlite when the disk fails a flush', () => {
  it('stops-the-process-before-acknowledging-and-the-next-start-recovers-the-folder', async () => {
    const { dir, cleanup } = pgliteFolder('flush-fails', 'seeded');
    try {
      // Built by the run's global setup (test/build-server.ts), like the server itself.
      const script = path.resolve('dist/test/fixtures/flush-fails.js');
      // Killed after a minute if it neither exits nor acknowledges (a hang fails the test too).
      const outcome = await new Promise<{ code: unknown; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [script, dir], { timeout: 60_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
        });
      });
      expect(outcome.stdout).toContain('COMMITTED');
      expect(outcome.stdout).not.toContain('ACKNOWLEDGED_WITHOUT_A_FLUSH');
      expect(outcome.code).toBe(DISK_FAILED_EXIT_CODE);
      expect(outcome.stderr).toContain('Bluelamp stopped: the disk failed to flush');

      // The next start recovers the folder from its WAL: what was committed before the fault is there.
      const database = await openDatabase({ dataDir: dir });
      try {
        const rows = await withSystem(database.db, (tx) => sql<{ scope: string }>`select scope from reference_counters where scope = 'before-the-fault'`.execute(tx));
        expect(rows.rows).toEqual([{ scope: 'before-the-fault' }]);
      } finally {
        await database.close();
      }
    } finally {
      await cleanup();
    }
  });
});

describe.skipIf(ENGINE === 'postgres')('embedded PGlite when the disk is full', () => {
  /** Runs the disk-full fixture (built by the run's global setup) on a folder of its own; killed after a minute if it hangs. */
  const runFixture = (dir: string, mode: 'wal') =>
    new Promise<{ code: unknown; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.resolve('dist/test/fixtures/disk-full.js'), dir, mode], { timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
      });
    });
  const notes = async (dir: string) => {
    const database = await openDatabase({ dataDir: dir });
    try {
      const rows = await sql<{ note: string; n: number }>`select left(note, 30) as note, count(*)::int as n from disk_full_notes group by 1 order by 1`.execute(database.db);
      return rows.rows.map((row) => `${row.note.replace(/x+$/, '')} ${row.n}`);
    } finally {
      await database.close();
    }
  };

  it('stops-instead-of-hanging-when-the-write-ahead-log-cannot-grow-and-the-next-start-recovers', async () => {
    const { dir, cleanup } = pgliteFolder('disk-full-wal');
    try {
      const outcome = await runFixture(dir, 'wal');
      expect(outcome.stdout).toContain('COMMITTED');
      expect(outcome.stdout).not.toContain('ACKNOWLEDGED_WITHOUT_A_WRITE');
      expect(outcome.code).toBe(DISK_FAILED_EXIT_CODE);
      expect(outcome.stderr).toMatch(/^Bluelamp stopped: the disk is full: the disk failed to write .*pg_wal.* Free space on the disk of DATA_DIR/);
      expect(await notes(dir)).toEqual(['before-the-disk-filled 200']);
    } finally {
      await cleanup();
    }
  });

  it('refuses-what-cannot-be-stored-when-a-table-cannot-grow-and-goes-on-once-there-is-room', async () => {
    const { dir, cleanup } = pgliteFolder('disk-full-tables');
    try {
      // The process goes on here, so the disk fills up in this one.
      const printed: string[] = [];
      await fillTheDisk(dir, 'tables', (line) => printed.push(line));
      expect(printed).toEqual(['COMMITTED', 'REFUSED 53100', 'COMMITTED_AFTER_ROOM']);
      expect(await notes(dir)).toEqual(['after-room-was-made 200', 'before-the-disk-filled 200']);
    } finally {
      await cleanup();
    }
  });
});
