import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type MemoryFS } from '@electric-sql/pglite';
import { Kysely, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Tables } from './tables.ts';
import { PgliteDialect } from './pglite-dialect.ts';
import { BeginWithSettingsDialect, forceSettings, systemRead, systemSettings } from './begin-with-settings.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { DURABLE_START_PARAMS, DurableNodeFS, flushTree } from './pglite-durable.ts';
import type { ForceId } from '../ids.ts';
import { isConnectionLost } from './connection-errors.ts';
import { DEFAULT_LIVENESS, LONG_WORK_MARK, createPool, endOrCut, type Liveness } from './postgres-pool.ts';
import { LocalBus, PostgresListener, defaultListenerBackoff, type Backoff, type ListenOptions, type ListenerState } from './notifications.ts';

export type Db = Kysely<Tables>;
export type Tx = Transaction<Tables>;

/** The role tenant queries run as: it owns nothing, so row-level security applies to it. */
export const APP_ROLE = 'bluelamp_app';

/** Which engine is underneath, and how to listen for notifications on it. */
export type Database = {
  engine: 'pglite' | 'postgres';
  db: Db;
  /**
   * Subscribes to a NOTIFY channel; returns a function that unsubscribes. Notifications sent with
   * `notifyOnCommit` from this process arrive straight after their commit, without the database
   * round trip; those from other processes arrive through LISTEN, which reconnects by itself.
   */
  listen(channel: string, onPayload: (payload: string) => void, options?: ListenOptions): Promise<() => Promise<void>>;
  /** Whether notifications from other processes are arriving. */
  listenerState(): ListenerState;
  /** Runs a multi-statement SQL script in one transaction on a connection already held. */
  runScript(conn: Db, script: string): Promise<void>;
  /** Connections in use and queued for (PGlite has one connection; a pg pool has many). */
  poolStats(): { total: number; idle: number; waiting: number };
  /**
   * Vacuums and analyses every table, one statement each so other work interleaves; returns how
   * many. PGlite runs no autovacuum, so without this its dead rows and statistics are never dealt
   * with; on PostgreSQL the server's autovacuum does it and this does nothing.
   */
  vacuum(): Promise<number>;
  close(): Promise<void>;
};

/** Opens PGlite in a folder (or in memory for `memory://`) or a pg pool for a server URL. */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number;
  /** The wait before each attempt to reconnect the LISTEN connection (tests make it short). */
  listenerBackoff?: Backoff;
  /** Told when the LISTEN connection goes down or comes back. */
  onListenerState?: (state: ListenerState) => void;
  /** For `memory://` only: starts from this data-folder snapshot (`PGlite.dumpDataDir()`) instead of an empty database. */
  loadDataDir?: Blob | undefined;
  /** For `memory://` only: an in-memory file system that already holds a data folder (tests start each app from a template this way). */
  memoryFs?: MemoryFS | undefined;
  /**
   * For `memory://` only: an open PGlite to use instead of opening one. Closing the database
   * unsubscribes what it listened to and calls `giveBack` instead of closing the engine (the
   * test suite hands one engine from test file to test file, reset between them).
   */
  lent?: { pglite: PGlite; giveBack: () => Promise<void> } | undefined;
  /** PostgreSQL: how long a statement may go unanswered before its connection is given up for dead, and how often the LISTEN connection is asked for a sign of life (tests make them short). */
  liveness?: Liveness;
  /**
   * PGlite in a folder: who holds it, recorded in its lock and named when another open is refused;
   * the `bluelamp` command (`bluelamp migrate`), which may run in a process started for something
   * else (a test runner). Without it, this process's own command line.
   */
  holder?: string;
}): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres(options.databaseUrl, options.poolSize ?? 10, {
      backoff: options.listenerBackoff ?? defaultListenerBackoff,
      onState: options.onListenerState ?? (() => {}),
      liveness: options.liveness ?? DEFAULT_LIVENESS,
    });
  }
  return openPglite(options.dataDir ?? './data', options.holder ?? processCommand(), options);
}

/** This process's command line, as a lock names its holder when no command was given. */
function processCommand(): string {
  return [path.basename(process.argv[1] ?? process.argv0), ...process.argv.slice(2)].join(' ');
}

/** Each Kysely instance's bus, so withForce and withSystem can deliver after their commit. */
const buses = new WeakMap<Db, LocalBus>();
/** One NOTIFY: a channel and its payload. */
export type QueuedNotification = { channel: string; payload: string };
/** The transactions opened by withForce or withSystem: their bus, and what they notified so far. */
const tracked = new WeakMap<Tx, { bus: LocalBus; queued: QueuedNotification[] }>();

/**
 * Queues a notification inside the caller's transaction: PostgreSQL sends NOTIFY only on commit,
 * so no process hears of a change that rolled back. When the transaction was opened by
 * `withForce` or `withSystem`, this process's own subscribers hear it straight after the commit,
 * without waiting for (or depending on) the LISTEN connection.
 */
export async function notifyOnCommit(tx: Tx, channel: string, payload: string): Promise<void> {
  await notifyManyOnCommit(tx, [{ channel, payload }]);
}

/**
 * Queues notifications on any channels with one statement (the recorder sends a transaction's
 * live messages and wake-ups together), delivered as `notifyOnCommit` delivers each, in order.
 */
export async function notifyManyOnCommit(tx: Tx, notes: readonly QueuedNotification[]): Promise<void> {
  const [first] = notes;
  if (!first) return;
  const entry = tracked.get(tx);
  // Marked as this process's, so its own listener skips what was already delivered locally.
  const mark = (payload: string) => (entry ? `bl1:${entry.bus.origin}:${payload}` : payload);
  if (entry) entry.queued.push(...notes);
  if (notes.length === 1) {
    await sql`select pg_notify(${first.channel}, ${mark(first.payload)})`.execute(tx);
    return;
  }
  const sent = notes.map((note) => mark(note.payload));
  const channels = notes.map((note) => note.channel);
  await sql`select pg_notify(c, p) from unnest(${channels}::text[], ${sent}::text[]) with ordinality as n(c, p, i) order by i`.execute(tx);
}

/**
 * Runs a transaction and, once it has committed, delivers what it notified to this process and
 * runs its after-commit callbacks.
 */
async function runTracked<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const bus = buses.get(db);
  const queued: QueuedNotification[] = [];
  let transaction: Tx | undefined;
  let result: T;
  try {
    result = await db.transaction().execute(async (tx) => {
      transaction = tx;
      opened.add(tx);
      if (bus) tracked.set(tx, { bus, queued });
      const value = await work(tx);
      await runBeforeCommit(tx);
      return value;
    });
  } catch (error) {
    if (transaction) {
      afterCommitWork.delete(transaction);
      beforeCommitWork.delete(transaction);
    }
    // A connection lost during COMMIT leaves the outcome unknown: it may have committed, and its
    // NOTIFY (marked as ours) would then be dropped here. The subscribers of what it notified catch up.
    if (bus && queued.length > 0 && isConnectionLost(error)) bus.catchUp(new Set(queued.map((note) => note.channel)));
    throw error;
  }
  if (bus) {
    // PostgreSQL folds identical notifications of one transaction into one; so does local delivery.
    const seen = new Set<string>();
    for (const { channel, payload } of queued) {
      const key = `${channel}\u0000${payload}`;
      if (seen.has(key)) continue;
      seen.add(key);
      bus.deliver(channel, payload);
    }
  }
  if (transaction) runAfterCommit(transaction);
  return result;
}

/** Transactions opened by `withForce` or `withSystem`: only they run before-commit work. */
const opened = new WeakSet<Tx>();
const beforeCommitWork = new WeakMap<Tx, (() => Promise<void>)[]>();

/**
 * Runs `work` inside the transaction once the caller's work has returned, just before commit, in
 * the order registered (work registered meanwhile runs too). If it throws, the transaction rolls
 * back. The recorder appends a transaction's events this way, last, as decision 0002 asks. Only
 * transactions opened by `withForce` or `withSystem` have this; any other is refused, so nothing
 * registered here can be silently dropped.
 */
export function beforeCommit(tx: Tx, work: () => Promise<void>): void {
  if (!opened.has(tx)) throw new Error('before-commit work needs a transaction opened by withForce or withSystem');
  const list = beforeCommitWork.get(tx);
  if (list) list.push(work);
  else beforeCommitWork.set(tx, [work]);
}

async function runBeforeCommit(tx: Tx): Promise<void> {
  const list = beforeCommitWork.get(tx);
  if (!list) return;
  // Read by index: work may register more work while it runs.
  for (let i = 0; i < list.length; i += 1) await list[i]?.();
  beforeCommitWork.delete(tx);
}

const afterCommitWork = new WeakMap<Tx, (() => void)[]>();

/**
 * Runs `callback` once the transaction commits, and never if it rolls back (metrics count only
 * what was stored). Callbacks must be quick and must not throw into the caller; errors are dropped.
 */
export function afterCommit(tx: Tx, callback: () => void): void {
  const list = afterCommitWork.get(tx);
  if (list) list.push(callback);
  else afterCommitWork.set(tx, [callback]);
}

function runAfterCommit(tx: Tx): void {
  const list = afterCommitWork.get(tx);
  if (!list) return;
  afterCommitWork.delete(tx);
  for (const callback of list) {
    try {
      callback();
    } catch {
      // An observer's fault must never turn a committed change into a failed request.
    }
  }
}

async function openPglite(
  dataDir: string,
  holder: string,
  { loadDataDir, memoryFs, lent }: { loadDataDir?: Blob | undefined; memoryFs?: MemoryFS | undefined; lent?: { pglite: PGlite; giveBack: () => Promise<void> } | undefined },
): Promise<Database> {
  let pglite: PGlite;
  let onClose = () => {};
  if (dataDir === 'memory://' && lent) {
    pglite = lent.pglite;
  } else if (dataDir === 'memory://') {
    pglite = await PGlite.create(memoryFs ? { fs: memoryFs } : loadDataDir ? { loadDataDir } : {});
  } else {
    const dir = path.resolve(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    // One process per data folder: a second one would lose its writes (see data-folder-lock.ts).
    const releaseLock = lockDataFolder(dataDir, holder);
    onClose = releaseLock;
    try {
      // As PostgreSQL on a server: fsync on, every commit flushed to disk (decision 0051).
      const isNew = !existsSync(path.join(dir, 'PG_VERSION'));
      pglite = await PGlite.create({ fs: new DurableNodeFS(dir), startParams: [...DURABLE_START_PARAMS] });
      if (isNew) flushTree(dir);
    } catch (error) {
      releaseLock();
      throw error;
    }
  }
  const dialect = new PgliteDialect(pglite);
  const db = new Kysely<Tables>({ dialect });
  const bus = new LocalBus();
  buses.set(db, bus);
  // PGlite is in this process: there is no separate connection to lose, so it is always listening.
  const since = new Date();
  const unlistens = new Map<string, () => Promise<void>>();
  return {
    engine: 'pglite',
    db,
    poolStats() {
      const { busy, waiting } = dialect.stats();
      return { total: 1, idle: 1 - busy, waiting };
    },
    async listen(channel, onPayload, options = {}) {
      const remove = bus.add(channel, { onPayload, options });
      if (!unlistens.has(channel)) unlistens.set(channel, await pglite.listen(channel, (raw) => bus.deliverRemote(channel, raw)));
      return async () => {
        if (!remove()) return;
        const unlisten = unlistens.get(channel);
        unlistens.delete(channel);
        await unlisten?.();
      };
    },
    listenerState: () => ({ status: 'listening', since }),
    async vacuum() {
      const tables = await sql<{ name: string }>`
        select quote_ident(c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind = 'r' order by c.relname`.execute(db);
      for (const table of tables.rows) await sql`vacuum (analyze) ${sql.raw(table.name)}`.execute(db);
      return tables.rows.length;
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
      if (lent) {
        for (const unlisten of unlistens.values()) await unlisten();
        unlistens.clear();
        await lent.giveBack();
        return;
      }
      await pglite.close();
      onClose();
    },
  };
}

async function openPostgres(
  url: string,
  poolSize: number,
  listenerOptions: { backoff: Backoff; onState: (state: ListenerState) => void; liveness: Liveness },
): Promise<Database> {
  const types: pg.CustomTypesConfig = {
    // pg-types declares this as returning `any`; `unknown` keeps that `any` from spreading (pg only calls the parser).
    getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
      // int8 (counts, sequence numbers) as JS numbers, as PGlite returns them.
      if (oid === 20) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const { pool, cutAll } = createPool(url, poolSize, types, listenerOptions.liveness);
  const db = new Kysely<Tables>({ dialect: new BeginWithSettingsDialect({ pool }) });
  await sql`select 1`.execute(db);
  const bus = new LocalBus();
  buses.set(db, bus);
  const listener = new PostgresListener(url, bus, listenerOptions.backoff, listenerOptions.onState, listenerOptions.liveness);
  return {
    engine: 'postgres',
    db,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async listen(channel, onPayload, options = {}) {
      const isNewChannel = !bus.channelNames.includes(channel);
      const remove = bus.add(channel, { onPayload, options });
      if (isNewChannel) await listener.listen(channel);
      return async () => {
        if (remove()) await listener.unlisten(channel);
      };
    },
    listenerState: () => listener.state,
    vacuum: async () => 0,
    async runScript(conn, script) {
      // Without parameters, pg uses the simple query protocol, which accepts several statements.
      // A migration may run for minutes without a word: no deadline on its answer (postgres-pool.ts).
      await sql.raw(`${LONG_WORK_MARK}begin;\n${script}\ncommit;`).execute(conn).catch(async (error: unknown) => {
        await sql.raw('rollback').execute(conn).catch(() => {});
        throw error;
      });
    },
    async close() {
      await listener.close();
      // A connection that went silent would hold the pool's end for ever: it is cut after a wait.
      await endOrCut(db.destroy(), cutAll);
    },
  };
}


/**
 * Runs `work` in one transaction as the force: the application role, with row-level security
 * scoped to `forceId`. Every capability reaches its tables through this.
 */
export async function withForce<T>(db: Db, forceId: ForceId, work: (tx: Tx) => Promise<T>): Promise<T> {
  return runTracked(db, async (tx) => {
    await forceSettings(APP_ROLE, forceId).execute(tx);
    return work(tx);
  });
}

/**
 * Runs `work` in one transaction as the owning role, across forces. Only platform code that must
 * see every force (login, sessions, the job queue, migrations, seeding) uses this.
 */
export async function withSystem<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return runTracked(db, async (tx) => {
    // Row-level security is forced on tenant tables (migration 0009): the owner sees across
    // forces only in a transaction that says it is system work.
    await systemSettings().execute(tx);
    return work(tx);
  });
}

/** What alone may be written into a system read's text: a hash in lower-case hex. */
const HEX_LITERAL = /^[0-9a-f]{1,128}$/;

/**
 * One read as system work, as `withSystem` would run it, in one call without BEGIN and COMMIT
 * (`systemRead`): for a read on every request (the session look-up). Such a call takes no
 * parameters, so its one value is written into the text: `readSql` ends where a quoted literal
 * goes, and the value must be lower-case hex (refused otherwise), so nothing can be injected.
 */
export async function readAsSystem<R>(db: Db, readSql: string, hexValue: string): Promise<R[]> {
  if (db.isTransaction) throw new Error('a system read cannot run inside a transaction');
  if (!HEX_LITERAL.test(hexValue)) throw new Error('a system read takes a lower-case hex value only');
  return (await db.executeQuery<R>(systemRead(`${readSql}'${hexValue}'`))).rows;
}

/**
 * Switches a transaction opened with `withSystem` to the force, as `withForce` does, for work that
 * must start as the owner (creating the force row itself) and finish as the force in the same
 * transaction. There is no way back to the owner within that transaction.
 */
export async function enterForce(tx: Tx, forceId: ForceId): Promise<void> {
  await forceSettings(APP_ROLE, forceId).execute(tx);
}
