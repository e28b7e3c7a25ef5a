import pg from 'pg';
import { SYSTEM_READ_MARK } from './begin-with-settings.ts';

// Connections to PostgreSQL that notice when the other end has gone quiet. A connection that
// ends (a reset, pg_terminate_backend, a restart) fails its query at once; one that goes silent
// (a host that died, a network partition, a proxy or failover that stops forwarding without a
// reset) would otherwise wait for ever: the operating system's keepalive gives up after about
// two hours. Two guards: TCP keepalive probes from 10 s of idleness (Node probes every second,
// ten times, so a dead peer is found in about 20 s), and a deadline on each statement's answer
// for a peer whose machine still acknowledges the probes but whose database never answers.

/** How long a statement may go unanswered before its connection is given up for dead. */
export const NO_ANSWER_MS = 60_000;
/** How long a new connection may take to open, or a request wait for a free one. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Idle time before TCP keepalive probes start. */
export const KEEPALIVE_IDLE_MS = 10_000;

/**
 * Marks a statement that may rightly run for longer than NO_ANSWER_MS without a word (a
 * migration, waiting for another node's migration lock): its connection is not cut off.
 */
export const LONG_WORK_MARK = '/* long work */ ';

/** The connection error a statement fails with when its deadline passes (a lost connection, see connection-errors.ts). */
export function noAnswerError(ms: number): Error {
  return Object.assign(new Error(`no answer from the database within ${ms / 1000} s; the connection is given up for dead`), { code: 'ETIMEDOUT' });
}

/** How often an idle LISTEN connection is asked for a sign of life (`select 1`, under the same deadline). */
export const HEARTBEAT_MS = 15_000;

/** The deadlines above, as a database is opened with them (tests make them short). */
export type Liveness = { noAnswerMs: number; heartbeatMs: number };
export const DEFAULT_LIVENESS: Liveness = { noAnswerMs: NO_ANSWER_MS, heartbeatMs: HEARTBEAT_MS };
type Deadline = Pick<Liveness, 'noAnswerMs'>;

/**
 * Puts a deadline on every statement a client sends, except long work: if no answer has come
 * when it passes, the connection's socket is destroyed, so the statement fails as on a lost
 * connection (its transaction never committed), and the pool drops the client when it is released.
 */
export function guardClient(client: pg.Client | pg.PoolClient, { noAnswerMs }: Deadline): void {
  // Looked up at each call, so whatever wraps the class's method later (a statement tally) still sees every statement.
  const prototype = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown };
  const send = (...args: unknown[]) => prototype.query.apply(client, args);
  const cutOff = () => cutConnection(client, noAnswerError(noAnswerMs));
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const result = send(...args);
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof first === 'object' && first !== null ? (first as { text?: unknown }).text : undefined;
    if (!(result instanceof Promise) || (typeof text === 'string' && text.startsWith(LONG_WORK_MARK))) return result;
    const timer = setTimeout(cutOff, noAnswerMs);
    timer.unref();
    const settle = () => clearTimeout(timer);
    result.then(settle, settle);
    // pg answers several statements with a list of results; a system read's answer is its last (the read).
    if (typeof text === 'string' && text.startsWith(SYSTEM_READ_MARK)) return result.then(lastResult);
    return result;
  };
}

function lastResult(answer: unknown): unknown {
  return Array.isArray(answer) ? answer.at(-1) : answer;
}

/** How long closing waits for a connection to say goodbye before cutting it. */
export const CLOSE_WAIT_MS = 2_000;

/** Destroys a client's socket at once: for a connection that went silent, whose polite end would wait for ever. */
export function cutConnection(client: pg.Client | pg.PoolClient, error?: Error): void {
  (client as unknown as { connection?: { stream?: { destroy(error?: Error): void } } }).connection?.stream?.destroy(error);
}

/**
 * Waits for something to end politely (a client's goodbye, a pool's end), for at most
 * CLOSE_WAIT_MS; then `cut` destroys what is left, and it returns: a silent connection would
 * have kept it waiting for ever.
 */
export async function endOrCut(ending: Promise<unknown>, cut: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      cut();
      resolve();
    }, CLOSE_WAIT_MS);
  });
  await Promise.race([ending.catch(() => {}), waited]);
  clearTimeout(timer);
}

/** Ends a client politely, or cuts it (`endOrCut`). */
export function endClient(client: pg.Client): Promise<void> {
  return endOrCut(client.end(), () => cutConnection(client));
}

/** The pool every request and job uses, its clients guarded as above. */
export function createPool(url: string, max: number, types: pg.CustomTypesConfig, deadline: Deadline = DEFAULT_LIVENESS): { pool: pg.Pool; cutAll: () => void } {
  const clients = new Set<pg.PoolClient>();
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  pool.on('connect', (client) => {
    // A client that is checked out (in a transaction, between two queries) has no pool listener:
    // without this one, its connection ending would be an unhandled 'error' event that kills the
    // process. The query in flight fails on its own, the transaction is rolled back by
    // PostgreSQL, and the pool drops the client when it is released.
    client.on('error', () => {});
    guardClient(client, deadline);
    clients.add(client);
  });
  pool.on('remove', (client) => clients.delete(client));
  // For closing: what has not ended politely in time is cut (`endOrCut`).
  return { pool, cutAll: () => clients.forEach((client) => cutConnection(client)) };
}
