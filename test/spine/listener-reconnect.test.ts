// LISTEN/NOTIFY across processes when the listening connection is lost: it reconnects, /readyz
// says it is down meanwhile, and whatever changed while it was down reaches consoles, chat sockets,
// the routing distributor and the job worker once it is back. And within one process, a committed
// change reaches that process's subscribers straight after the commit, exactly once.
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ENGINE, createScratchDatabase, createTestApp, submitPublicReport, type TestApp } from '../helpers.ts';
import { frameText } from '../channels/chat-kit.ts';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { enqueueJob } from '../../src/platform/jobs/enqueue.ts';
import { payloadText, type JobHandler } from '../../src/platform/jobs/jobs.ts';
import type { ForceId, StaffId } from '../../src/platform/ids.ts';
import { LIVE_CHANNEL, type LiveMessage } from '../../src/platform/realtime/live.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { chatChannel } from '../../src/capabilities/channels/chat/chat.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { replyToContact } from '../../src/capabilities/contacts/contact-replies.service.ts';
import { recordHeartbeat, setPresence } from '../../src/capabilities/staff/presence.service.ts';
import { parseLiveEvent } from '../../web/console/src/live.ts';

/** A reconnection backoff the test releases by hand: the listener stays down until `open()`. */
function gatedBackoff() {
  let isOpen = true;
  let waiters: (() => void)[] = [];
  return {
    backoff: () => (isOpen ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close() {
      isOpen = false;
    },
    open() {
      isOpen = true;
      for (const wake of waiters) wake();
      waiters = [];
    },
  };
}

describe("the console's live client", () => {
  it('takes the server resync as the same refetch it does after its own reconnection', () => {
    expect(parseLiveEvent(JSON.stringify({ type: 'resync' }))).toEqual({ type: 'resync' });
  });
});

describe('live messages within one process', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('reach-local-subscribers-straight-after-commit-and-only-once', async () => {
    const heard: LiveMessage[] = [];
    const unsubscribe = app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    try {
      const created = await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: crypto.randomUUID(),
        whatHappened: 'A window was smashed on my car',
        where: 'Car park',
        when: 'Last night',
        name: null,
        email: 'local@example.org',
      });
      // No wait: delivered in this process as the commit returned, not via the database.
      const mine = () => heard.filter((m) => m.type === 'queue.changed' && m.contactId === created.contactId);
      expect(mine()).toHaveLength(1);

      // A notification sent past the local path arrives through LISTEN, after the echo of the
      // report's own (notifications arrive in commit order): by then the echo has been dropped.
      await withSystem(app.database.db, (tx) =>
        sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ forceId: app.demoForceId, type: 'alert.acknowledged', alertId: 'marker' })})`.execute(tx),
      );
      await expect.poll(() => heard.some((m) => m.type === 'alert.acknowledged' && m.alertId === 'marker'), { timeout: 5000 }).toBe(true);
      expect(mine()).toHaveLength(1);
    } finally {
      unsubscribe();
    }
  });

  it('are-not-delivered-when-the-transaction-rolls-back', async () => {
    const heard: LiveMessage[] = [];
    const unsubscribe = app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    try {
      const submissionId = crypto.randomUUID();
      await expect(
        withForce(app.database.db, app.demoForceId, async (tx) => {
          const { publishLive } = await import('../../src/platform/realtime/live.ts');
          await publishLive(tx, app.demoForceId, { type: 'queue.changed', contactId: submissionId });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await withSystem(app.database.db, (tx) =>
        sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ forceId: app.demoForceId, type: 'alert.acknowledged', alertId: 'after-rollback' })})`.execute(tx),
      );
      await expect.poll(() => heard.some((m) => m.type === 'alert.acknowledged' && m.alertId === 'after-rollback'), { timeout: 5000 }).toBe(true);
      expect(heard.filter((m) => m.type === 'queue.changed' && m.contactId === submissionId)).toEqual([]);
    } finally {
      unsubscribe();
    }
  });
});

describe.runIf(ENGINE === 'postgres')('a lost LISTEN connection', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let admin: pg.Client;
  let api: App;
  let worker: App;
  /** Another node: changes made here reach the others only through NOTIFY. */
  let other: App;
  const gate = gatedBackoff();
  const ran: string[] = [];
  let forceId: ForceId;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const env = { DATABASE_URL: scratch.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', DATABASE_POOL_SIZE: '3' };
    other = await buildApp(loadConfig(env, ['--role=worker']), { startWorker: false });
    api = await buildApp(loadConfig({ ...env, SEED_DEMO: 'false' }, ['--role=api']), { listenerBackoff: gate.backoff });
    const wakeHandler: JobHandler = async ({ job }) => {
      ran.push(payloadText(job, 'name'));
    };
    // Polls that rarely: only a wake-up (NOTIFY, or the catch-up after reconnecting) runs a job soon.
    worker = await buildApp(loadConfig({ ...env, SEED_DEMO: 'false', WORKER_POLL_MS: '60000', ROUTING_SWEEP_MS: '600000' }, ['--role=worker']), {
      listenerBackoff: gate.backoff,
      jobHandlers: new Map([['test.wake', wakeHandler]]),
    });
    forceId = (await withSystem(other.database.db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow())).id as ForceId;
  });
  afterAll(async () => {
    gate.open();
    await api?.close();
    await worker?.close();
    await other?.close();
    await admin?.end();
    await scratch?.drop();
  });

  /**
   * Terminates the LISTEN backends of this database: the api's, the worker's and the other node's
   * (every worker-role process listens for force changes, which empty its cached force lookups).
   */
  async function dropListeners(): Promise<number> {
    const result = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'listen %'`,
      [new URL(scratch.url).pathname.slice(1)],
    );
    return result.rowCount ?? 0;
  }

  const report = (whatHappened: string) =>
    submitPublicReport(other.deps, forceId, { submissionId: crypto.randomUUID(), whatHappened, where: 'Park', when: 'Today', name: null, email: 'r@example.org' });

  it('reconnects, reports its state on /readyz, and delivers what changed while it was down', async () => {
    const http = api.http;
    if (!http) throw new Error('no HTTP server');
    await http.listen({ port: 0, host: '127.0.0.1' });
    const { port } = http.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;

    // A console's feed and a chat visitor on the api node.
    const feed: LiveMessage[] = [];
    api.hub.subscribe(forceId, (message) => feed.push(message));
    await connectChannelAccount({ ...other.deps, secrets: new SecretBox(other.config.secretsKey) }, forceId, chatChannel as AnyChannelAdapter, {
      label: 'Website chat',
      config: { widgetKey: 'outage-chat', allowedOrigins: ['https://www.demo.police.uk/'], welcomeMessage: 'Hello.' },
      actor: { type: 'system', id: null },
    });
    const session = (await (
      await fetch(`${base}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ widgetKey: 'outage-chat' }) })
    ).json()) as { sessionId: string; visitorToken: string };
    const socket = new WebSocket(`ws://127.0.0.1:${port}/chat/socket?widgetKey=outage-chat`);
    const frames: { type: string; [key: string]: unknown }[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(frameText(data)) as { type: string }));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, token: session.visitorToken }));
    await expect.poll(() => frames.some((f) => f.type === 'history'), { timeout: 10_000 }).toBe(true);
    socket.send(JSON.stringify({ type: 'message', clientId: 'c1', text: 'Is anyone there?' }));
    await expect.poll(() => frames.filter((f) => f.type !== 'history'), { timeout: 10_000 }).toEqual([expect.objectContaining({ type: 'ack' })]);
    const chatContact = await withSystem(other.database.db, (tx) =>
      tx.selectFrom('contacts').select('id').where('reference', '=', String(frames.find((f) => f.type === 'ack')?.reference)).executeTakeFirstOrThrow(),
    );

    // Before: a change on the other node reaches the api node's feed.
    const first = await report('Before the drop');
    await expect.poll(() => feed.some((m) => m.type === 'queue.changed' && m.contactId === first.contactId), { timeout: 5000 }).toBe(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // The listeners are dropped and stay down until the gate opens.
    gate.close();
    expect(await dropListeners()).toBe(3);
    await expect.poll(() => api.database.listenerState().status, { timeout: 5000 }).toBe('down');
    await expect.poll(() => worker.database.listenerState().status, { timeout: 5000 }).toBe('down');
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'not ready', parts: { database: 'ok', migrations: 'applied', listener: 'down' }, reason: expect.stringContaining('listener') });

    // While down, on the other node: a report, an operator reply to the chat, a person becoming
    // available (routing), and a job. None of it can reach the api or worker node now.
    const handlerId = (
      await withSystem(other.database.db, (tx) => tx.selectFrom('staff').select('id').where('email', '=', 'handler@demo.police.uk').executeTakeFirstOrThrow())
    ).id as StaffId;
    const missed = await report('While the listener was down');
    await replyToContact(other.deps, forceId, chatContact.id, handlerId, 'We are here. How can we help?');
    // The reply is sent (to the chat thread) on the other node too: only a re-read after
    // reconnecting can bring it to the api node's socket.
    await other.runner?.runDue();
    await setPresence(other.deps, forceId, { staffId: handlerId, presence: 'available', actorStaffId: handlerId });
    await recordHeartbeat(other.deps, forceId, handlerId);
    await withForce(other.database.db, forceId, (tx) =>
      enqueueJob(tx, forceId, other.deps.clock, { type: 'test.wake', payload: { name: 'missed-job' }, idempotencyKey: 'missed-job' }),
    );
    expect(feed.some((m) => m.type === 'queue.changed' && m.contactId === missed.contactId)).toBe(false);
    expect(ran).toEqual([]);

    // Back: the feed is told to resync, the chat reply reaches the socket, the distributor and
    // the worker catch up, and /readyz is 200 again.
    gate.open();
    await expect.poll(() => api.database.listenerState().status, { timeout: 10_000 }).toBe('listening');
    await expect.poll(() => feed.some((m) => m.type === 'resync'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => ran, { timeout: 10_000 }).toContain('missed-job');
    await expect
      .poll(() => frames.find((f) => f.type === 'reply'), { timeout: 15_000 })
      .toMatchObject({ body: 'We are here. How can we help?' });
    // The person who became available is given work by the worker node's distributor.
    await expect
      .poll(
        async () =>
          (await withSystem(other.database.db, (tx) => tx.selectFrom('contacts').select('id').where('assigned_staff_id', '=', handlerId).execute())).length,
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // And the feed works again for new changes.
    const after = await report('After the reconnection');
    await expect.poll(() => feed.some((m) => m.type === 'queue.changed' && m.contactId === after.contactId), { timeout: 5000 }).toBe(true);
    expect(frames.filter((f) => f.type === 'reply')).toHaveLength(1);
    socket.terminate();
  }, 120_000);
});
