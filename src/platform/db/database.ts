import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Tables } from './tables.ts';
import { PgliteDialect } from './pglite-dialect.ts';
import type { ForceId } from '../ids.ts';

export type Db = Kysely<Tables>;
export type Tx = Transaction<Tables>;

/** The role tenant queries run as: it owns nothing, so row-level security applies to it. */
export const APP_ROLE = 'bluelamp_app';

/** Which engine is underneath, and how to listen for notifications on it. */
export type Database = {
  engine: 'pglite' | 'postgres';
  db: Db;
  /** Subscribes to a NOTIFY channel; returns a function that unsubscribes. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Runs a multi-statement SQL script in one transaction on a connection already held. */
  runScript(conn: Db, script: string): Promise<void>;
  close(): Promise<void>;
};

/** Opens PGlite in a folder (or in memory for `memory://`) or a pg pool for a server URL. */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number;
  /** For `memory://` only: starts from this data-folder snapshot (`PGlite.dumpDataDir()`) instead of an empty database. */
  loadDataDir?: Blob | undefined;
}): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? './data', options.loadDataDir);
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  let pglite: PGlite;
  if (dataDir === 'memory://') {
    pglite = await PGlite.create(loadDataDir ? { loadDataDir } : {});
  } else {
    const dir = path.resolve(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir);
  }
  const db = new Kysely<Tables>({ dialect: new PgliteDialect(pglite) });
  return {
    engine: 'pglite',
    db,
    async listen(channel, onPayload) {
      const unlisten = await pglite.listen(channel, onPayload);
      return async () => {
        await unlisten();
      };
    },
    async runScript(_conn, script) {
      // The caller holds the only Kysely connection, so nothing else can interleave here.
      await pglite.exec(`begin;\n${script}\ncommit;`).catch(async (error: unknown) => {
        await pglite.exec('rollback').catch(() => {});
        throw error;
      });
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      // int8 (counts, sequence numbers) as JS numbers, as PGlite returns them.
      if (oid === 20) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  const listeners: pg.Client[] = [];
  return {
    engine: 'postgres',
    db,
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
      });
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        await client.end().catch(() => {});
      };
    },
    async runScript(conn, script) {
      // Without parameters, pg uses the simple query protocol, which accepts several statements.
      await sql.raw(`begin;\n${script}\ncommit;`).execute(conn).catch(async (error: unknown) => {
        await sql.raw('rollback').execute(conn).catch(() => {});
        throw error;
      });
    },
    async close() {
      await Promise.all(listeners.map((client) => client.end().catch(() => {})));
      await db.destroy();
    },
  };
}

/**
 * Runs `work` in one transaction as the force: the application role, with row-level security
 * scoped to `forceId`. Every capability reaches its tables through this.
 */
export async function withForce<T>(db: Db, forceId: ForceId, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', ${APP_ROLE}, true), set_config('bluelamp.force_id', ${forceId}, true)`.execute(
      tx,
    );
    return work(tx);
  });
}

/**
 * Runs `work` in one transaction as the owning role, across forces. Only platform code that must
 * see every force (login, sessions, the job queue, migrations, seeding) uses this.
 */
export async function withSystem<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
