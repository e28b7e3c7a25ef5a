import { CompiledQuery, PostgresDialect, sql, type DatabaseConnection, type Driver, type QueryCompiler, type QueryResult, type RawBuilder, type TransactionSettings } from 'kysely';
import { isId } from '../ids.ts';

// Every transaction starts with its settings (the role and force, or "system"): BEGIN and that
// statement are sent in one call to the engine, not two (decision 0047).

/** Starts a transaction's settings statement; a driver sends it with the transaction's BEGIN. */
const SETTINGS_MARK = '/* transaction settings */ ';

/**
 * The statement that makes a transaction the force's: the application role, and the force whose
 * rows row-level security shows. Written with literals (so it can go with BEGIN) only for a force
 * id that is a UUID; anything else stays a parameter and goes alone, as before.
 */
export function forceSettings(role: string, forceId: string): RawBuilder<unknown> {
  if (!isId(forceId)) return sql`select set_config('role', ${role}, true), set_config('bluelamp.force_id', ${forceId}, true)`;
  return sql`${sql.raw(SETTINGS_MARK)}select set_config('role', ${sql.lit(role)}, true), set_config('bluelamp.force_id', ${sql.lit(forceId)}, true)`;
}

/** The statement that makes a transaction system work (across forces). */
export function systemSettings(): RawBuilder<unknown> {
  return sql`${sql.raw(SETTINGS_MARK)}select set_config('bluelamp.system', 'on', true)`;
}

/** Starts a system read: the system setting and one read, sent as one text (see `systemRead`). */
export const SYSTEM_READ_MARK = '/* system read */ ';

/**
 * One read as system work (across forces) in a single call, without BEGIN and COMMIT: the system
 * setting and the read go as one text by the simple protocol, which runs its statements as one
 * implicit transaction, so the setting holds for the read and ends with it. `readSql` must carry
 * its values as literals (the simple protocol takes no parameters); the answer is the read's rows
 * (each driver answers a system read with its last statement's result). Never inside a
 * transaction: there the setting would outlive the read.
 */
export function systemRead(readSql: string): CompiledQuery {
  return CompiledQuery.raw(`${SYSTEM_READ_MARK}select set_config('bluelamp.system', 'on', true); ${readSql}`);
}

/** Whether a statement is a system read, which runs outside a transaction only. */
export function isSystemRead(query: CompiledQuery): boolean {
  return query.parameters.length === 0 && query.sql.startsWith(SYSTEM_READ_MARK);
}

/** Whether a statement may go with BEGIN: a settings statement without parameters (its rows are not returned). */
function goesWithBegin(query: CompiledQuery): boolean {
  return query.parameters.length === 0 && query.sql.startsWith(SETTINGS_MARK);
}

/**
 * Wraps a driver so that BEGIN waits for the transaction's first statement: a settings statement
 * goes with it in one call (`sendWithBegin`, the engine's several-statement form); any other goes
 * after a BEGIN of its own. A transaction that runs nothing sends nothing.
 */
export class BeginWithSettingsDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, PendingBeginConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly sendWithBegin: (connection: DatabaseConnection, settingsSql: string) => Promise<void>,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let outer = this.wrapped.get(connection);
    if (!outer) {
      outer = new PendingBeginConnection(connection, this.inner, this.sendWithBegin);
      this.wrapped.set(connection, outer);
    }
    outer.pending = null;
    return outer;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const outer = connection as PendingBeginConnection;
    if (settings.isolationLevel || settings.accessMode) await this.inner.beginTransaction(outer.inner, settings);
    else outer.pending = settings;
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.end(connection, (inner) => this.inner.commitTransaction(inner));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.end(connection, (inner) => this.inner.rollbackTransaction(inner));
  }

  /** Ends a transaction: one that never reached the engine has nothing to end. */
  private async end(connection: DatabaseConnection, send: (inner: DatabaseConnection) => Promise<void>): Promise<void> {
    const outer = connection as PendingBeginConnection;
    if (outer.pending) {
      outer.pending = null;
      return;
    }
    await send(outer.inner);
  }

  // Savepoints go through the wrapping connection, so a pending BEGIN is sent before them.
  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.savepoint) throw noSavepoints();
    await this.inner.savepoint(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.rollbackToSavepoint) throw noSavepoints();
    await this.inner.rollbackToSavepoint(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.releaseSavepoint) throw noSavepoints();
    await this.inner.releaseSavepoint(connection, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const outer = connection as PendingBeginConnection;
    outer.pending = null;
    await this.inner.releaseConnection(outer.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function noSavepoints(): Error {
  return new Error('this database does not support savepoints');
}

class PendingBeginConnection implements DatabaseConnection {
  /** A transaction begun and not yet sent to the engine. */
  pending: TransactionSettings | null = null;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: Driver,
    private readonly sendWithBegin: (connection: DatabaseConnection, settingsSql: string) => Promise<void>,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const pending = this.pending;
    if (pending && isSystemRead(query)) throw new Error('a system read cannot run inside a transaction');
    if (pending) {
      this.pending = null;
      if (goesWithBegin(query)) {
        await this.sendWithBegin(this.inner, query.sql);
        return { rows: [] };
      }
      await this.driver.beginTransaction(this.inner, pending);
    }
    return this.inner.executeQuery<R>(query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (this.pending) throw new Error('a stream cannot open a transaction');
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** Kysely's PostgreSQL dialect, with BEGIN sent together with the transaction's settings statement. */
export class BeginWithSettingsDialect extends PostgresDialect {
  override createDriver(): Driver {
    // node-postgres sends text without parameters by the simple protocol, which takes several statements.
    return new BeginWithSettingsDriver(super.createDriver(), async (connection, settingsSql) => {
      await connection.executeQuery(CompiledQuery.raw(`begin; ${settingsSql}`));
    });
  }
}
