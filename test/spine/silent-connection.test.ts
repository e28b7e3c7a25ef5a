// A connection to PostgreSQL that goes silent rather than ending: a host that died, a network
// partition, a proxy or failover that stops forwarding without a reset. Before, a statement sent
// on it waited for ever (the operating system gives up after about two hours), holding its
// request, its pool slot and the job lane behind it, and the LISTEN connection stayed "listening"
// while nothing arrived, with /readyz answering 200. A local proxy stands between the product and
// PostgreSQL here, and goes silent on every connection open through it at the chosen moment.
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createScratchDatabase } from '../helpers.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { isConnectionLost } from '../../src/platform/db/connection-errors.ts';

/** Forwards to PostgreSQL; `silence()` stops every connection open now, on both sides, without a word. New ones still work. */
async function silenceableProxy(target: URL) {
  const open = new Set<{ client: Socket; server: Socket }>();
  const everySocket = new Set<Socket>();
  const proxy = createServer((client) => {
    everySocket.add(client);
    const server = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    const pair = { client, server };
    open.add(pair);
    client.pipe(server);
    server.pipe(client);
    const forget = () => {
      open.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', forget);
    server.on('error', forget);
    client.on('close', forget);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    silence() {
      for (const pair of open) {
        // What a dead path does: what the product sends goes nowhere, and nothing comes back.
        pair.client.unpipe(pair.server);
        pair.server.unpipe(pair.client);
        pair.server.removeAllListeners('close');
        pair.server.destroy();
        pair.client.removeAllListeners('close');
        pair.client.on('data', () => {});
        open.delete(pair);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const socket of everySocket) socket.destroy();
      }),
  };
}

describe.runIf(ENGINE === 'postgres')('a database connection that goes silent', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: Awaited<ReturnType<typeof silenceableProxy>>;
  let database: Database;
  const states: string[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const target = new URL(scratch.url);
    proxy = await silenceableProxy(target);
    const through = new URL(scratch.url);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    database = await openDatabase({
      databaseUrl: through.toString(),
      // One pooled connection, so the statement after the silence is on a new one (each idle
      // connection on a dead path costs one statement its deadline).
      poolSize: 1,
      listenerBackoff: () => Promise.resolve(),
      onListenerState: (state) => states.push(state.status),
      liveness: { noAnswerMs: 400, heartbeatMs: 150 },
    });
  });
  afterAll(async () => {
    await database.close();
    await proxy.close();
    await scratch.drop();
  });

  it('fails a statement left unanswered as a lost connection, and the next one succeeds on a new connection', async () => {
    const failure = await database.db
      .transaction()
      .execute(async (tx) => {
        await sql`select 1`.execute(tx);
        proxy.silence();
        await sql`select 2`.execute(tx);
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    expect(isConnectionLost(failure)).toBe(true);

    const { rows } = await sql<{ n: number }>`select 3 as n`.execute(database.db);
    expect(rows).toEqual([{ n: 3 }]);
    // The dead client left the pool: nothing is held.
    expect(database.poolStats().waiting).toBe(0);
  });

  it('notices that the LISTEN connection went silent, says so, reconnects and hears again', async () => {
    const heard: string[] = [];
    const stop = await database.listen('silent_test', (payload) => heard.push(payload));
    // Another node's changes, on a path of its own.
    const other = new pg.Client({ connectionString: scratch.url });
    await other.connect();
    try {
      await other.query(`select pg_notify('silent_test', 'before')`);
      await expect.poll(() => heard, { timeout: 5000 }).toContain('before');

      states.length = 0;
      proxy.silence();
      // Its sign of life goes unanswered: it is down, and then listening again on a new connection.
      await expect.poll(() => states, { timeout: 5000 }).toContain('down');
      await expect.poll(() => database.listenerState().status, { timeout: 5000 }).toBe('listening');

      await other.query(`select pg_notify('silent_test', 'after')`);
      await expect.poll(() => heard, { timeout: 5000 }).toContain('after');
    } finally {
      await other.end();
      await stop().catch(() => {});
    }
  });
});
