import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { BeginWithSettingsDriver, isSystemRead } from './begin-with-settings.ts';
import { runStatement } from './pglite-statement.ts';

/**
 * A Kysely dialect for embedded PGlite. PGlite is one connection, so the driver hands it to one
 * Kysely connection at a time: a transaction holds it from BEGIN to COMMIT and nothing interleaves.
 */
export class PgliteDialect implements Dialect {
  private driver: PgliteDriver | undefined;
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    this.driver = new PgliteDriver(this.pglite);
    // BEGIN goes with the transaction's settings statement, one call into the engine (decision 0047).
    return new BeginWithSettingsDriver(this.driver, (connection, settingsSql) => (connection as PgliteConnection).execute(`begin; ${settingsSql}`));
  }
  /** Whether the one connection is held, and how many wait for it (for metrics). */
  stats(): { busy: number; waiting: number } {
    return { busy: this.driver?.holders ? 1 : 0, waiting: Math.max(0, (this.driver?.holders ?? 0) - 1) };
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PgliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  /** The one holding the connection plus those queued for it. */
  holders = 0;
  private readonly connection: PgliteConnection;

  constructor(private readonly pglite: PGlite) {
    this.connection = new PgliteConnection(pglite);
  }
  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release: () => void = () => {};
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    this.holders += 1;
    await previous;
    this.connection.release = release;
    return this.connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    const release = this.connection.release;
    this.connection.release = () => {};
    this.holders -= 1;
    release();
  }
  async destroy(): Promise<void> {
    await this.queue;
  }
}

class PgliteConnection implements DatabaseConnection {
  release: () => void = () => {};
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (isSystemRead(compiledQuery)) {
      // Several statements in one call (the simple protocol, one implicit transaction): the read is the last.
      const results = await this.pglite.exec(compiledQuery.sql);
      await giveTheLoopATurn();
      return { rows: (results.at(-1)?.rows ?? []) as R[] };
    }
    const result = await runStatement<R>(this.pglite, compiledQuery.sql, compiledQuery.parameters);
    await giveTheLoopATurn();
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }
  /** Several statements without parameters, in one call (the simple protocol); their rows are not returned. */
  async execute(statements: string): Promise<void> {
    await this.pglite.exec(statements);
    await giveTheLoopATurn();
  }

  // eslint-disable-next-line require-yield -- Kysely's connection must offer a stream; PGlite has none, so iterating it fails at once
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite');
  }
}

/**
 * PGlite runs a statement synchronously under its promise, so a transaction's statements would
 * follow one another without the event loop getting a turn: every request arriving meanwhile (a
 * health check, a static file, the portal's quick exit) would wait for the whole transaction.
 */
function giveTheLoopATurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
