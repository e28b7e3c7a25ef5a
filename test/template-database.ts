import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { DEMO_PASSWORD } from '../src/capabilities/admin/forces.service.ts';
import { makeScratchFolder } from './scratch-folder.ts';
import { testPasswordHash } from './test-passwords.ts';

// Every test app used to start from an empty database and run every migration and the demo seed
// (with its password hashes) itself: most of the suite's time. Instead, one template is migrated and
// seeded once per run, and each test app starts from a copy of it. Test apps still migrate and seed
// (both find nothing to do), so they behave as before. The template is rebuilt on every run, so a
// changed migration or seed is never hidden by a stale copy.

/** What the run's global setup hands to every test file: where the template is, per engine. */
export type TemplateDatabase =
  | {
      engine: 'pglite';
      snapshotFile: string;
      /**
       * The same data folder after a clean shut-down, which test apps load into memory
       * (test/template-image.ts): no untarring, and no crash recovery at every start.
       */
      imageFolder: string;
      /**
       * Data folders (each holding `pglite/`) for tests that run the product in a child process
       * on a folder of their own: migrated only, and migrated and seeded. They copy one instead of
       * creating and migrating a database at every start (see test/cli-kit.ts).
       */
      folders: { migrated: string; seeded: string };
    }
  | { engine: 'postgres'; databaseName: string };

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's migrated and seeded template database. */
    bluelampTemplate: TemplateDatabase;
  }
}

/**
 * The moment the template's demo data is recorded at: no later than the earliest fixed clock a test
 * starts from, so no seeded row is in a test's future.
 */
export const TEMPLATE_SEEDED_AT = new Date('2026-01-01T00:00:00Z');

/** The environment every test app starts from before its own settings. */
export function baseTestEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: 'memory://',
    // A busy test machine must not shed the suite's own bursts; load-shedding tests set their own.
    SHED_MAX_WAIT_MS: '60000',
    SHED_EVENT_LOOP_DELAY_MS: '0',
    SHED_MAX_UTILISATION: '0',
    // Each report is processed at once, so no test waits on a real timer; the gathering window has its own test.
    REPORT_GATHER_MS: '0',
    // Provider stand-ins listen on 127.0.0.1, which the outbound guard refuses unless allow-listed.
    OUTBOUND_ALLOW_LIST: '127.0.0.1',
  };
}

/**
 * The URL of database `name` on the test server, for a test app or a test's product process: its
 * sessions commit without waiting for the server to flush the commit to disk
 * (`synchronous_commit = off`). On a test server each commit otherwise waits for an fsync, several
 * milliseconds on a shared machine, and the suite commits at nearly every request. What a commit
 * makes visible, and when, is the same either way; only a crash of the server itself could lose
 * the last commits, which no test does (decision 0208).
 */
export function testDatabaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // A run whose URL says how to commit (`?options=-c synchronous_commit=on`) keeps it.
  const options = url.searchParams.get('options') ?? '';
  if (!options.includes('synchronous_commit')) url.searchParams.set('options', `${options} ${NO_COMMIT_FLUSH}`.trim());
  return url.toString();
}

const NO_COMMIT_FLUSH = '-c synchronous_commit=off';

/** Migrates and seeds one database the way `buildApp` does for a test app, then closes it. */
async function migrateAndSeed(env: Record<string, string>): Promise<void> {
  const app = await buildApp(loadConfig({ ...baseTestEnv(), ...env }), { startWorker: false, clock: fixedClock(TEMPLATE_SEEDED_AT) });
  await app.close();
}

/**
 * The demo accounts' password, stored at argon2's least cost (test/test-passwords.ts) rather than
 * the product's, so each of the suite's sign-ins as a demo account checks it in microseconds.
 */
const DEMO_HASHES_AT_LEAST_COST = 'update staff set password_hash = $1';

/** Builds the run's template on the engine under test; returns it and a function that removes it. */
export async function buildTemplateDatabase(): Promise<{ template: TemplateDatabase; remove: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const databaseName = `bluelamp_template_${randomBytes(6).toString('hex')}`;
    await runAdmin(adminUrl, `create database ${databaseName}`);
    const url = testDatabaseUrl(adminUrl, databaseName);
    await migrateAndSeed({ DATABASE_URL: url, DATABASE_POOL_SIZE: '2' });
    await runAdmin(url, DEMO_HASHES_AT_LEAST_COST, [await testPasswordHash(DEMO_PASSWORD)]);
    return {
      template: { engine: 'postgres', databaseName },
      remove: async () => {
        // The copies test files took (test/helpers.ts names them after the template), some made
        // ahead and never used, some whose drop had not finished when their process ended.
        const copies = await readAdmin(adminUrl, `select datname from pg_database where datname like $1`, [
          `bluelamp_test_${databaseName.replace(/^bluelamp_template_/, '')}_%`,
        ]);
        for (const { datname } of copies) await runAdmin(adminUrl, `drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
        await runAdmin(adminUrl, `drop database if exists ${databaseName} with (force)`);
      },
    };
  }
  // PGlite: migrate a folder, copy it and seed the copy, then keep a snapshot of the seeded folder
  // that each test app loads into memory.
  const root = makeScratchFolder('bluelamp-template-');
  const folders = { migrated: path.join(root, 'migrated'), seeded: path.join(root, 'seeded') };
  cpSync(await emptyCluster(), path.join(folders.migrated, 'pglite'), { recursive: true });
  await migrateAndSeed({ DATA_DIR: folders.migrated, SEED_DEMO: 'false' });
  cpSync(path.join(folders.migrated, 'pglite'), path.join(folders.seeded, 'pglite'), { recursive: true });
  await migrateAndSeed({ DATA_DIR: folders.seeded });
  const seeded = await PGlite.create(path.join(folders.seeded, 'pglite'));
  await seeded.query(DEMO_HASHES_AT_LEAST_COST, [await testPasswordHash(DEMO_PASSWORD)]);
  const copy = await PGlite.create({ loadDataDir: await seeded.dumpDataDir('none') });
  await seeded.close();
  // The snapshot leaves out the template0 and template1 databases, which only CREATE DATABASE reads
  // (the product never runs it; on PostgreSQL tests copy a template database the server keeps): a
  // third fewer files and bytes to unpack, so each test app opens in about 0.65 s of CPU instead of
  // 0.8 s. The folders above keep them, as the product's own first start leaves them.
  await copy.query(`update pg_database set datistemplate = false where datname in ('template0', 'template1')`);
  for (const name of ['template0', 'template1']) await copy.query(`drop database ${name}`);
  await copy.query('checkpoint');
  // Uncompressed: a test app loads it in half the time of a gzipped one (about 0.5 s against 1 s
  // here), and every test file loads it at least once; 30 MB on disk for the run is no cost.
  const snapshot = await copy.dumpDataDir('none');
  await copy.close();
  const snapshotFile = path.join(root, 'template.tar');
  writeFileSync(snapshotFile, Buffer.from(await snapshot.arrayBuffer()));
  // A snapshot of a running database starts with crash recovery and a checkpoint; the same folder
  // written out and shut down cleanly starts without them.
  const imageFolder = path.join(root, 'image');
  const image = await PGlite.create({ dataDir: imageFolder, loadDataDir: snapshot });
  await image.close();
  return {
    template: { engine: 'pglite', snapshotFile, imageFolder, folders },
    remove: async () => rmSync(root, { recursive: true, force: true }),
  };
}

// Made small for a test database, where each app opens a copy: 1 MB WAL segments instead of 16
// (the snapshot carries one whole segment) and 16 MB of shared buffers instead of 128 (which a
// start touches). About half the bytes and page faults of every open; nothing a test relies on.
const INITDB_PARAMS = ['--wal-segsize=1'];
const CLUSTER_SETTINGS = [`shared_buffers = '16MB'`, `min_wal_size = '2MB'`, `max_wal_size = '8MB'`];

/**
 * A new, empty PGlite cluster made with the template's settings (above), kept between runs under
 * node_modules/.cache: initdb takes about 5 s, half of the template's build, and what it makes
 * depends only on PGlite's version and these settings, which name the folder (never on our
 * migrations or seed, which every run applies afresh). Returns the folder, to be copied, not used.
 */
export async function emptyCluster(): Promise<string> {
  const version = (JSON.parse(readFileSync(path.resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify([version, INITDB_PARAMS, CLUSTER_SETTINGS])).digest('hex').slice(0, 16);
  const cache = path.resolve('node_modules/.cache/bluelamp-test');
  const folder = path.join(cache, `pglite-cluster-${key}`);
  if (existsSync(path.join(folder, 'PG_VERSION'))) return folder;
  mkdirSync(cache, { recursive: true });
  // What a run stopped half way through making (older than any run takes) goes first.
  for (const entry of readdirSync(cache)) {
    const stale = path.join(cache, entry);
    if (entry.startsWith('making-') && Date.now() - statSync(stale).mtimeMs > 10 * 60_000) rmSync(stale, { recursive: true, force: true });
  }
  // Made aside and renamed into place, so a run that stops half way, or two runs at once, never
  // leave a half-made cluster where the next run would take it.
  const making = mkdtempSync(path.join(cache, 'making-'));
  const initial = await PGlite.create({ dataDir: making, initDbStartParams: INITDB_PARAMS });
  for (const setting of CLUSTER_SETTINGS) await initial.query(`alter system set ${setting}`);
  await initial.close();
  try {
    renameSync(making, folder);
  } catch (error) {
    // Another run put its own there first: the same cluster; use that one.
    rmSync(making, { recursive: true, force: true });
    if (!existsSync(path.join(folder, 'PG_VERSION'))) throw error;
  }
  return folder;
}

/**
 * The snapshot as PGlite reads it (it asks a Blob for all its bytes): Node's `Blob.arrayBuffer()`
 * reads them in small chunks and joins them, about 80 ms of every test app's start for 19 MB;
 * this hands over one copy of bytes already in memory.
 */
class SnapshotBlob extends Blob {
  constructor(private readonly content: ArrayBuffer) {
    super([]);
  }

  override get size(): number {
    return this.content.byteLength;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.content.slice(0));
  }
}

let snapshot: { file: string; blob: Blob } | undefined;

/** The PGlite template snapshot, read once per test process. */
export function readTemplateSnapshot(file: string): Blob {
  if (snapshot?.file !== file) {
    const bytes = readFileSync(file);
    snapshot = { file, blob: new SnapshotBlob(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
  }
  return snapshot.blob;
}

async function readAdmin(adminUrl: string, statement: string, values: unknown[] = []): Promise<{ datname: string }[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>(statement, values)).rows;
  } finally {
    await client.end();
  }
}

async function runAdmin(adminUrl: string, statement: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement, values);
  } finally {
    await client.end();
  }
}
