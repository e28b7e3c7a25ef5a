import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { ChatVisitors } from '../../../../test/channels/chat-kit.ts';
import { fixedClock } from '../../../platform/clock.ts';
import { withForce } from '../../../platform/db/database.ts';
import { SecretBox } from '../../../platform/secrets.ts';
import type { AnyChannelAdapter } from '../channel.ts';
import { connectChannelAccount } from '../channel-accounts.service.ts';
import { chatChannel } from './chat.channel.ts';
import { FRAMES_PER_ADDRESS, FRAMES_PER_SESSION, SOCKETS_PER_ADDRESS, SOCKETS_PER_SESSION } from './chat.limits.ts';
import { CHAT_RECHECK_MS } from './chat.routes.ts';
import { HISTORY_LIMIT, findChatAccount } from './chat.service.ts';

// What a visitor's socket keeps and refuses: frames stored after a close, and the limits that keep
// one visitor from wearing down the server.

/** Stands still unless moved, but ticks a millisecond each reading, so stored messages keep their order. */
function steppingClock() {
  const clock = fixedClock(new Date());
  return {
    now: () => {
      clock.advance(1);
      return clock.now();
    },
    advance: (ms: number) => clock.advance(ms),
  };
}

describe('chat socket', () => {
  let app: TestApp;
  const clock = steppingClock();
  const visitors = new ChatVisitors('demo-chat');
  const logged: { level: number; code?: string; msg: string }[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
  let isClosed = false;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, logger } });
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, chatChannel as AnyChannelAdapter, {
      label: 'Demo website chat',
      config: { widgetKey: 'demo-chat', allowedOrigins: [], welcomeMessage: 'Hello from the demo force.' },
      actor: { type: 'system', id: null },
    });
    if (!app.http) throw new Error('test app has no HTTP server');
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    visitors.listenOn((app.http.server.address() as AddressInfo).port);
  });
  afterAll(async () => {
    visitors.terminateAll();
    if (!isClosed) await app.close();
  });
  // Every test starts with fresh frame budgets (all visitors share one address).
  beforeEach(() => clock.advance(60_000));
  afterEach(() => visitors.terminateAll());

  const storedOf = async (sessionId: string) =>
    (
      await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('messages').select('provider_message_id').where('provider_message_id', 'like', `${sessionId}:%`).execute(),
      )
    ).map((row) => row.provider_message_id);

  it('stores every message received before the visitor closed the socket (the quick exit)', async () => {
    const { visitor, session } = await visitors.signedIn();
    for (let i = 0; i < 5; i += 1) visitor.send({ type: 'message', clientId: `last-${i}`, text: `Last words ${i}` });
    visitor.ws.close();
    await visitor.closed;
    await vi.waitFor(async () => expect(await storedOf(session.sessionId)).toHaveLength(5), { timeout: 20_000, interval: 100 });
  });

  it('stores the frames under the limit when it closes a flooding socket (4429)', async () => {
    const { visitor, session } = await visitors.signedIn();
    // The auth frame was the first of 20.
    for (let i = 0; i < 25; i += 1) visitor.send({ type: 'message', clientId: `flood-${i}`, text: `Message ${i}` });
    expect((await visitor.closed).code).toBe(4429);
    await vi.waitFor(async () => expect(await storedOf(session.sessionId)).toHaveLength(19), { timeout: 20_000, interval: 100 });
  });

  it("counts a session's frames over all its sockets", async () => {
    const first = await visitors.signedIn();
    const second = await visitors.signedIn(first.session);
    const half = FRAMES_PER_SESSION / 2 + 2;
    for (let i = 0; i < half; i += 1) first.visitor.send({ type: 'ping' });
    for (let i = 0; i < half; i += 1) await first.visitor.next('error');
    for (let i = 0; i < half; i += 1) second.visitor.send({ type: 'ping' });
    expect((await second.visitor.closed).code).toBe(4429);
  });

  it("counts an address's frames over all its sessions", async () => {
    // Each session stays under its own budget; together they pass the address's.
    const each = FRAMES_PER_SESSION - 2;
    const sessions = await Promise.all(Array.from({ length: Math.ceil(FRAMES_PER_ADDRESS / each) + 1 }, () => visitors.signedIn()));
    for (const { visitor } of sessions) for (let i = 0; i < each; i += 1) visitor.send({ type: 'ping' });
    const codes = await Promise.race([
      Promise.any(sessions.map(async ({ visitor }) => (await visitor.closed).code)),
      Promise.all(sessions.map(async ({ visitor }) => { for (let i = 0; i < each; i += 1) await visitor.next('error'); return 'all answered'; })),
    ]);
    expect(codes).toBe(4429);
  });

  it('keeps a few sockets per session open, closing the oldest for a new one (4409)', async () => {
    const first = await visitors.signedIn();
    const others = [];
    for (let i = 0; i < SOCKETS_PER_SESSION; i += 1) others.push(await visitors.signedIn(first.session));
    expect((await first.visitor.closed).code).toBe(4409);
    for (const { visitor } of others) expect(visitor.ws.readyState).toBe(visitor.ws.OPEN);
  });

  it('closes sockets from an address beyond its share at once (4429)', async () => {
    const many = Array.from({ length: SOCKETS_PER_ADDRESS + 5 }, () => visitors.connect());
    const codes: number[] = [];
    for (const visitor of many) void visitor.closed.then(({ code }) => codes.push(code));
    await Promise.all(many.map((visitor) => visitor.opened));
    await vi.waitFor(() => expect(codes.filter((code) => code === 4429).length).toBeGreaterThanOrEqual(5), { timeout: 20_000, interval: 100 });
  });

  it('sends the latest messages only, on connecting and over HTTP, and still pushes replies', async () => {
    const { visitor, session } = await visitors.signedIn();
    const count = HISTORY_LIMIT + 5;
    for (let i = 0; i < count; i += 1) {
      // A fresh budget before each socket's frame limit is reached.
      if (i % (FRAMES_PER_SESSION - 2) === 0) clock.advance(60_000);
      visitor.send({ type: 'message', clientId: `m-${i}`, text: `Message ${i}` });
      await visitor.next('ack');
    }
    const again = await visitors.signedIn(session);
    expect(again.messages).toHaveLength(HISTORY_LIMIT);
    expect(again.messages[0]).toMatchObject({ clientId: 'm-5' });
    expect(again.messages.at(-1)).toMatchObject({ clientId: `m-${count - 1}` });
    const overHttp = await fetch(`http://127.0.0.1:${(app.http?.server.address() as AddressInfo).port}/chat/sessions/${session.sessionId}/messages`, {
      headers: { authorization: `Bearer ${session.visitorToken}` },
    });
    expect(((await overHttp.json()) as { messages: unknown[] }).messages).toEqual(again.messages);

    const contact = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', `${session.sessionId}:m-0`).executeTakeFirstOrThrow(),
    );
    const handler = await signIn(app, 'handler@demo.police.uk');
    for (const body of ['First reply', 'Second reply']) {
      await app.inject({ method: 'POST', url: `/api/contacts/${contact.contact_id}/replies`, headers: handler.headers, payload: { body } });
      await app.runner?.runDue();
      expect(await again.visitor.next('reply')).toMatchObject({ body });
    }
    expect(again.visitor.frames.filter((frame) => frame.type === 'reply')).toHaveLength(2);
  });

  it('stops storing messages from open sockets once the chat is disabled (4403)', async () => {
    const { visitor, session } = await visitors.signedIn();
    const account = await findChatAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, 'demo-chat');
    const admin = await signIn(app, 'admin@demo.police.uk');
    const setEnabled = (isEnabled: boolean) =>
      app.inject({ method: 'POST', url: `/api/channels/${account?.id ?? ''}`, headers: admin.headers, payload: { isEnabled } });
    visitor.send({ type: 'message', clientId: 'before', text: 'Before it closed' });
    await visitor.next('ack');
    expect((await setEnabled(false)).statusCode).toBe(200);
    try {
      clock.advance(CHAT_RECHECK_MS);
      visitor.send({ type: 'message', clientId: 'after', text: 'After it closed' });
      expect(await visitor.next('error')).toMatchObject({ clientId: 'after', reason: expect.stringContaining('closed') });
      expect((await visitor.closed).code).toBe(4403);
      expect(await storedOf(session.sessionId)).toEqual([`${session.sessionId}:before`]);
    } finally {
      expect((await setEnabled(true)).statusCode).toBe(200);
    }
  });

  it('refuses a clientId already used for a different text, so the visitor never has a message they cannot see', async () => {
    const { visitor, session } = await visitors.signedIn();
    visitor.send({ type: 'message', clientId: 'same', text: 'First text' });
    await visitor.next('ack');
    visitor.send({ type: 'message', clientId: 'same', text: 'Second text' });
    expect(await visitor.next('error')).toMatchObject({ clientId: 'same', reason: expect.stringContaining('new clientId') });
    visitor.send({ type: 'message', clientId: 'same', text: 'First text' });
    await visitor.next('ack');
    expect(await storedOf(session.sessionId)).toEqual([`${session.sessionId}:same`]);
  });

  it('logs frames any visitor can send that ws refuses (too large, not UTF-8) as warnings, not errors', async () => {
    const large = await visitors.signedIn();
    large.visitor.send('x'.repeat(65 * 1024));
    expect((await large.visitor.closed).code).toBe(1009);
    const garbled = await visitors.signedIn();
    garbled.visitor.ws.send(Buffer.from([0x22, 0xff, 0xfe, 0x22]), { binary: false });
    expect((await garbled.visitor.closed).code).toBe(1007);
    await vi.waitFor(() => expect(logged.filter((entry) => entry.code?.startsWith('WS_ERR_')).map((entry) => [entry.level, entry.code])).toEqual([
      [40, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'],
      [40, 'WS_ERR_INVALID_UTF8'],
    ]));
    expect(logged.filter((entry) => entry.level >= 50)).toEqual([]);
  });

  // Last: it shuts the server down.
  it('closes chat sockets as going away (1001) when the server shuts down', async () => {
    const { visitor } = await visitors.signedIn();
    isClosed = true;
    await app.close();
    expect((await visitor.closed).code).toBe(1001);
  });
});
