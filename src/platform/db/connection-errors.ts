/**
 * Recognises the errors that mean "the database connection went away", as opposed to "the query
 * was wrong". A failover, a restart of PostgreSQL, `pg_terminate_backend`, an idle-in-transaction
 * timeout or a network reset all end a connection; what the caller was doing did not commit
 * (PostgreSQL rolls back an open transaction whose backend ends), and the same request can succeed
 * a moment later on a new connection.
 */

/** SQLSTATE codes that name a lost or refused connection rather than a bad statement. */
const CONNECTION_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, or in recovery
]);

/** Socket-level codes from Node when the server cannot be reached or the connection resets. */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Messages `pg` uses for a connection that ended under a query or cannot be used any more. */
const CONNECTION_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'terminating connection due to administrator command',
  // pg-pool: no connection could be opened, or none came free, within its connect timeout.
  'timeout exceeded when trying to connect',
  // postgres-pool.ts: a statement went unanswered past its deadline, and its connection was cut.
  'no answer from the database within',
];

/** True when `error`, or anything in its chain of causes (at most eight deep), satisfies `test`. */
function inCauseChain(error: unknown, test: (link: { code?: unknown; message?: unknown }) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth += 1) {
    const link = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (test(link)) return true;
    current = link.cause;
  }
  return false;
}

/** True when `error`, or anything in its chain of causes, says the database connection was lost. */
export function isConnectionLost(error: unknown): boolean {
  return inCauseChain(error, ({ code, message }) => {
    if (typeof code === 'string') {
      if (CONNECTION_SQLSTATES.has(code) || SOCKET_CODES.has(code)) return true;
      // Class 08: connection exception (08000, 08003, 08006, 08001, 08004, ...).
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    return typeof message === 'string' && CONNECTION_MESSAGES.some((text) => message.includes(text));
  });
}

/**
 * True when `error`, or anything in its chain of causes, says the database is out of a resource
 * (SQLSTATE class 53: a full disk, out of memory, too many connections). What failed did not
 * commit, and it may succeed once an operator has made room: the request is answered 503.
 */
export function isOutOfResources(error: unknown): boolean {
  return inCauseChain(error, ({ code }) => typeof code === 'string' && /^53[0-9A-Z]{3}$/.test(code));
}

/**
 * SQLSTATEs that say the database could not do it just now rather than that the statement is
 * wrong: a statement timeout (or a cancel), a lock not granted in time, a deadlock, a conflict
 * between serializable transactions. The transaction rolled back; the same work can succeed later.
 */
const BUSY_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout, pg_cancel_backend
  '55P03', // lock_not_available: lock_timeout, NOWAIT
  '40P01', // deadlock_detected
  '40001', // serialization_failure
]);

/** True when `error`, or anything in its chain of causes, says the database was too busy (see BUSY_SQLSTATES). */
export function isDatabaseBusy(error: unknown): boolean {
  return inCauseChain(error, ({ code }) => typeof code === 'string' && BUSY_SQLSTATES.has(code));
}

/**
 * Why the database cannot serve a request just now (its connection lost, out of a resource, or too
 * busy to finish in time), or null when the error is of another kind. Either way nothing of the
 * request committed, and the same request may succeed a moment later.
 */
export function databaseUnavailableReason(error: unknown): string | null {
  if (isConnectionLost(error)) return 'database connection lost';
  if (isOutOfResources(error)) return 'database out of resources';
  if (isDatabaseBusy(error)) return 'database busy';
  return null;
}
