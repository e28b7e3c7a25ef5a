import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Script } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { ChatVisitors, type ChatSession } from '../../../../test/channels/chat-kit.ts';
import { withForce } from '../../../platform/db/database.ts';
import { SecretBox } from '../../../platform/secrets.ts';
import type { AnyChannelAdapter } from '../channel.ts';
import { connectChannelAccount } from '../channel-accounts.service.ts';
import { SESSION_HEADER, chatChannel } from './chat.channel.ts';
import { AUTH_TIMEOUT_MS, ChatConnection, ContactSessions } from './chat.connection.ts';
import { ChatSockets } from './chat.limits.ts';
import { findChatAccount } from './chat.service.ts';

const FORCE_SITE = 'https://www.demo.police.uk';
const STRANGER_SITE = 'https://evil.example';

describe('live chat channel', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let base = '';
  const visitors = new ChatVisitors('demo-chat');

  beforeAll(async () => {
    app = await createTestApp();
    // The force's own website may embed the chat (the demo account allows no other site).
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, chatChannel as AnyChannelAdapter, {
      label: 'Demo website chat',
      config: { widgetKey: 'demo-chat', allowedOrigins: [`${FORCE_SITE}/`], welcomeMessage: 'Hello from the demo force.' },
      actor: { type: 'system', id: null },
    });
    if (!app.http) throw new Error('test app has no HTTP server');
    server = app.http;
    await server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    visitors.listenOn(port);
  });
  afterAll(async () => {
    visitors.terminateAll();
    await app.close();
  });

  const openSession = (headers: Record<string, string> = {}) => visitors.openSession(headers);
  const connect = (options: { origin?: string; widgetKey?: string } = {}) => visitors.connect(options);
  const signedInVisitor = (session?: ChatSession) => visitors.signedIn(session);

  const contactIdOf = async (reference: string) =>
    (
      await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('contacts').select(['id']).where('reference', '=', reference).executeTakeFirstOrThrow(),
      )
    ).id;

  it('opens a session: a random token, of which only the hash is stored', async () => {
    const session = await openSession();
    expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.visitorToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('chat_sessions').selectAll().where('id', '=', session.sessionId).executeTakeFirstOrThrow(),
    );
    expect(row.token_hash).toBe(createHash('sha256').update(session.visitorToken).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(session.visitorToken);

    const unknown = await fetch(`${base}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"widgetKey":"no-such-chat"}' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const extra = await fetch(`${base}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"widgetKey":"demo-chat","admin":true}' });
    expect(extra.status).toBe(400);
    expect(extra.headers.get('content-type')).toMatch(/^application\/json/);
    const broken = await fetch(`${base}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"widgetKey":' });
    expect(broken.status).toBe(400);
    const form = await fetch(`${base}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'widgetKey=demo-chat' });
    expect(form.status).toBe(415);
  });

  it('answers CORS only for the sites the chat allows', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/chat/sessions`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight(FORCE_SITE);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(FORCE_SITE);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type');
    const stranger = await preflight(STRANGER_SITE);
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();

    const fromSite = await fetch(`${base}/chat/sessions`, {
      method: 'POST',
      headers: { origin: FORCE_SITE, 'content-type': 'application/json' },
      body: JSON.stringify({ widgetKey: 'demo-chat' }),
    });
    expect(fromSite.status).toBe(201);
    expect(fromSite.headers.get('access-control-allow-origin')).toBe(FORCE_SITE);
    const fromStranger = await fetch(`${base}/chat/sessions`, {
      method: 'POST',
      headers: { origin: STRANGER_SITE, 'content-type': 'application/json' },
      body: JSON.stringify({ widgetKey: 'demo-chat' }),
    });
    expect(fromStranger.status).toBe(403);
    expect(fromStranger.headers.get('access-control-allow-origin')).toBeNull();
    // The portal's own pages need no CORS at all.
    const own = await fetch(`${base}/chat/sessions`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ widgetKey: 'demo-chat' }),
    });
    expect(own.status).toBe(201);
  });

  it('refuses a socket opened from a site the chat does not allow, or for no chat', async () => {
    expect(await connect({ origin: STRANGER_SITE }).refused).toBe(403);
    expect(await connect({ widgetKey: 'no-such-chat' }).refused).toBe(404);
    expect(await connect({ origin: FORCE_SITE }).opened).toBe(true);
    expect(await connect({ origin: base }).opened).toBe(true);
  });

  it('requires the session token in the first frame (4401 otherwise)', async () => {
    const session = await openSession();
    const noAuth = connect();
    await noAuth.opened;
    noAuth.send({ type: 'message', clientId: 'c-1', text: 'Hello?' });
    expect((await noAuth.closed).code).toBe(4401);

    const wrongToken = connect();
    await wrongToken.opened;
    wrongToken.send({ type: 'auth', sessionId: session.sessionId, token: 'A'.repeat(43) });
    expect((await wrongToken.closed).code).toBe(4401);

    const unknownSession = connect();
    await unknownSession.opened;
    unknownSession.send({ type: 'auth', sessionId: '00000000-0000-4000-8000-000000000000', token: session.visitorToken });
    expect((await unknownSession.closed).code).toBe(4401);

    const garbage = connect();
    await garbage.opened;
    garbage.send('not json at all');
    expect((await garbage.closed).code).toBe(4401);

    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('id').where('channel', '=', 'chat').where('provider_message_id', '=', `${session.sessionId}:c-1`).execute(),
    );
    expect(rows).toHaveLength(0);
  });

  it('turns a message into a contact on channel chat, acknowledged after it is stored', async () => {
    const { visitor, session, history } = await signedInVisitor();
    expect(history).toMatchObject({ welcomeMessage: 'Hello from the demo force.', messages: [] });
    visitor.send({ type: 'message', clientId: 'first', text: 'Someone keeps trying car doors on my street', name: 'Alex', email: 'alex@example.org' });
    const ack = await visitor.next('ack');
    expect(ack).toMatchObject({ clientId: 'first', reference: expect.stringMatching(/^DEMO-\d{4}-\d{6}$/) });

    const handler = await signIn(app, 'handler@demo.police.uk');
    const queue = await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers });
    const contact = queue.json<{ contacts: { id: string; reference: string; channel: string; summary: string }[] }>().contacts.find((c) => c.reference === ack.reference);
    expect(contact).toMatchObject({ channel: 'chat', summary: 'Someone keeps trying car doors on my street' });

    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .innerJoin('identities as i', 'i.person_id', 'c.person_id')
        .select(['m.body', 'm.meta', 'm.provider_message_id', 'c.thread_key', 'i.kind', 'i.value'])
        .where('m.provider_message_id', '=', `${session.sessionId}:first`)
        .executeTakeFirstOrThrow(),
    );
    expect(stored).toMatchObject({
      body: 'Someone keeps trying car doors on my street',
      thread_key: `chat:${session.sessionId}`,
      kind: 'social',
      value: `chat:${session.sessionId}`,
      meta: { chatSessionId: session.sessionId, visitorEmail: 'alex@example.org' },
    });

    const raw = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['method', 'url', 'headers', 'raw_body', 'status']).where('channel', '=', 'chat').orderBy('received_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
    );
    expect(raw).toMatchObject({ method: 'WS', status: 'processed', url: expect.stringMatching(/^ws:\/\/.+\/chat\/socket\?widgetKey=demo-chat$/) });
    expect(JSON.parse(Buffer.from(raw.raw_body).toString('utf8'))).toMatchObject({ clientId: 'first', text: 'Someone keeps trying car doors on my street' });
    expect(raw.headers).toMatchObject({ 'x-bluelamp-chat-session': session.sessionId });
    // The token was in the auth frame only: it is in no stored request.
    expect(JSON.stringify(raw.headers)).not.toContain(session.visitorToken);

    // A later message of the same session joins the same contact.
    visitor.send({ type: 'message', clientId: 'second', text: 'They have gone now' });
    expect(await visitor.next('ack')).toMatchObject({ clientId: 'second', reference: ack.reference });
  });

  it('turns a chatter asking to be called back into a callback with its own clock', async () => {
    const { visitor } = await signedInVisitor();
    visitor.send({ type: 'message', clientId: 'cb-bad', text: 'Please ring me', callbackNumber: 'not a number' });
    expect(await visitor.next('error')).toMatchObject({ clientId: 'cb-bad', reason: expect.stringContaining('callbackNumber') });
    visitor.send({ type: 'message', clientId: 'cb', text: 'Can someone ring me back please', callbackNumber: '07700 900123' });
    const ack = await visitor.next('ack');
    const callback = await withForce(app.database.db, app.demoForceId, async (tx) => {
      const chat = await tx.selectFrom('contacts').select('id').where('reference', '=', String(ack.reference)).executeTakeFirstOrThrow();
      const rows = await tx.selectFrom('contacts').select(['id', 'channel', 'meta']).where('channel', '=', 'callback').execute();
      return rows.find((row) => row.meta.callbackFor === chat.id);
    });
    expect(callback?.meta).toMatchObject({ callbackNumber: '+447700900123' });
    const clocks = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('sla_clocks').select('kind').where('contact_id', '=', callback?.id ?? '').where('stopped_at', 'is', null).execute(),
    );
    expect(clocks.map((k) => k.kind)).toContain('first_response');
  });

  it('stores one message when the same clientId is sent ten times (a resend after reconnect)', async () => {
    const { visitor, session } = await signedInVisitor();
    for (let i = 0; i < 10; i += 1) visitor.send({ type: 'message', clientId: 'resent', text: 'Did you get this?' });
    const acks = [];
    for (let i = 0; i < 10; i += 1) acks.push(await visitor.next('ack'));
    expect(new Set(acks.map((a) => a.reference)).size).toBe(1);
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('id').where('channel', '=', 'chat').where('provider_message_id', '=', `${session.sessionId}:resent`).execute(),
    );
    expect(rows).toHaveLength(1);
  });

  it("pushes the operator's reply to the visitor's socket, and gives the whole thread on reconnect", async () => {
    const { visitor, session } = await signedInVisitor();
    visitor.send({ type: 'message', clientId: 'q-1', text: 'Can someone call me about my stolen bike?' });
    const ack = await visitor.next('ack');
    const contactId = await contactIdOf(String(ack.reference));

    const handler = await signIn(app, 'handler@demo.police.uk');
    const reply = await app.inject({
      method: 'POST',
      url: `/api/contacts/${contactId}/replies`,
      headers: handler.headers,
      payload: { body: 'Yes. What is the frame number?\nIt is under the pedals.' },
    });
    expect(reply.statusCode).toBe(201);
    await app.runner?.runDue();
    const pushed = await visitor.next('reply');
    expect(pushed).toMatchObject({ body: 'Yes. What is the frame number?\nIt is under the pedals.', id: expect.any(String), at: expect.any(String) });

    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const messages = detail.json<{ messages: { direction: string; deliveryStatus: string | null }[] }>().messages;
    expect(messages.find((m) => m.direction === 'outbound')?.deliveryStatus).toBe('sent');

    // The visitor's connection drops; the next one gets everything, in order.
    visitor.ws.close();
    await visitor.closed;
    const again = await signedInVisitor(session);
    expect(again.messages).toEqual([
      { from: 'visitor', clientId: 'q-1', body: 'Can someone call me about my stolen bike?', at: expect.any(String) },
      { from: 'force', id: pushed.id, body: 'Yes. What is the frame number?\nIt is under the pedals.', at: expect.any(String) },
    ]);

    // The same history over HTTP, with the token in a header (never in the URL).
    const overHttp = await fetch(`${base}/chat/sessions/${session.sessionId}/messages`, { headers: { authorization: `Bearer ${session.visitorToken}` } });
    expect(overHttp.status).toBe(200);
    expect(((await overHttp.json()) as { messages: unknown[] }).messages).toEqual(again.messages);
    const wrong = await fetch(`${base}/chat/sessions/${session.sessionId}/messages`, { headers: { authorization: 'Bearer wrong' } });
    expect(wrong.status).toBe(401);

    // A reply while the visitor is away arrives with the history when they come back.
    again.visitor.ws.close();
    await again.visitor.closed;
    await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'Are you still there?' } });
    await app.runner?.runDue();
    const third = await signedInVisitor(session);
    expect(third.messages.at(-1)).toMatchObject({ from: 'force', body: 'Are you still there?' });
  });

  it('keeps hostile text verbatim, as JSON text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const { visitor, session } = await signedInVisitor();
    visitor.send({ type: 'message', clientId: 'xss', text: hostile, name: '<b>Eve</b>' });
    const ack = await visitor.next('ack');
    const contactId = await contactIdOf(String(ack.reference));
    const handler = await signIn(app, 'handler@demo.police.uk');
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    expect(detail.headers['content-type']).toMatch(/^application\/json/);
    expect(detail.json<{ messages: { body: string }[] }>().messages[0]?.body).toBe(hostile);
    const again = await signedInVisitor(session);
    expect(again.messages).toMatchObject([{ from: 'visitor', body: hostile }]);
  });

  it('closes a socket that does not authenticate within 10 seconds (4401)', async () => {
    /** The parts of a ws socket the connection uses. */
    class FakeSocket extends EventEmitter {
      readonly OPEN = 1;
      readyState = 1;
      closedWith: { code: number; reason: string } | null = null;
      ping() {}
      send() {}
      close(code: number, reason: string) {
        this.closedWith = { code, reason };
        this.readyState = 3;
      }
    }
    const deps = { ...app.deps, secrets: new SecretBox(app.config.secretsKey), hub: app.hub };
    const account = await findChatAccount(deps, 'demo-chat');
    if (!account) throw new Error('no demo chat account');
    const socket = new FakeSocket();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      // Only on/send/close/ping/readyState are used, which the fake has.
      const connection = new ChatConnection(socket as unknown as WebSocket, { ...deps, contacts: new ContactSessions(deps), sockets: new ChatSockets(), isChatOpen: async () => true }, account, { url: 'ws://test/chat/socket', query: {}, headers: {} }, app.deps.logger);
      connection.start();
      vi.advanceTimersByTime(AUTH_TIMEOUT_MS - 1);
      expect(socket.closedWith).toBeNull();
      vi.advanceTimersByTime(1);
      expect(socket.closedWith).toEqual({ code: 4401, reason: 'authentication required' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers malformed frames with an error and keeps the socket open', async () => {
    const { visitor, session } = await signedInVisitor();
    visitor.send('{"type":');
    expect(await visitor.next('error')).toMatchObject({ reason: expect.stringContaining('JSON') });
    visitor.send({ type: 'message', clientId: 'no-text' });
    expect(await visitor.next('error')).toMatchObject({ clientId: 'no-text', reason: expect.stringContaining('text') });
    visitor.send({ type: 'message', clientId: 'nul', text: 'a\u0000b' });
    expect(await visitor.next('error')).toMatchObject({ clientId: 'nul' });
    // Nothing a person could read: spaces, zero-width and direction marks, a byte-order mark.
    visitor.send({ type: 'message', clientId: 'invisible', text: '\u200b \u200d\u200e\ufeff\u2060' });
    expect(await visitor.next('error')).toMatchObject({ clientId: 'invisible', reason: expect.stringContaining('text') });
    visitor.send({ type: 'message', clientId: 'long', text: 'x'.repeat(5001) });
    expect(await visitor.next('error')).toMatchObject({ clientId: 'long' });
    visitor.send({ type: 'message', clientId: 'bad-email', text: 'hi', email: 'not an email' });
    expect(await visitor.next('error')).toMatchObject({ clientId: 'bad-email' });
    visitor.send({ type: 'subscribe', channel: 'everything' });
    expect(await visitor.next('error')).toMatchObject({ reason: 'unknown frame type' });
    visitor.send({ type: 'auth', sessionId: session.sessionId, token: session.visitorToken });
    expect(await visitor.next('error')).toMatchObject({ reason: 'already authenticated' });
    visitor.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(await visitor.next('error')).toMatchObject({ reason: 'frames must be JSON text' });
    visitor.send([1, 2, 3]);
    expect(await visitor.next('error')).toMatchObject({ reason: 'the frame is not a JSON object' });
    // Still open and working.
    visitor.send({ type: 'message', clientId: 'fine', text: 'Sorry, my app is playing up' });
    expect(await visitor.next('ack')).toMatchObject({ clientId: 'fine' });
    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('provider_message_id').where('provider_message_id', 'like', `${session.sessionId}:%`).execute(),
    );
    expect(stored.map((row) => row.provider_message_id)).toEqual([`${session.sessionId}:fine`]);
  });

  it('closes on an oversized frame (1009) and on flooding (4429)', async () => {
    const big = await signedInVisitor();
    big.visitor.send({ type: 'message', clientId: 'big', text: 'x'.repeat(17 * 1024) });
    expect((await big.visitor.closed).code).toBe(1009);

    const flood = await signedInVisitor();
    for (let i = 0; i < 25; i += 1) flood.visitor.send({ type: 'ping' });
    expect((await flood.visitor.closed).code).toBe(4429);
  });

  it('keeps each stored frame replayable from the request log', async () => {
    const { visitor, session } = await signedInVisitor();
    visitor.send({ type: 'message', clientId: 'replayed', text: 'Replay me' });
    await visitor.next('ack');
    const requests = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['id', 'headers']).where('channel', '=', 'chat').execute(),
    );
    const id = requests.find((row) => row.headers[SESSION_HEADER] === session.sessionId)?.id;
    const admin = await signIn(app, 'admin@demo.police.uk');
    const replay = await app.inject({ method: 'POST', url: `/api/channels/inbound/${id}/replay`, headers: admin.headers, payload: {} });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ stored: 0, duplicates: 1 });
  });

  it('serves the widget script with its strings and styles filled in, and nothing that writes HTML', async () => {
    const script = await fetch(`${base}/chat/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
    const source = await script.text();
    expect(source).not.toContain('__BLUELAMP_CHAT_MESSAGES__');
    expect(source).toContain('Sgwrsio â ni');
    expect(source).not.toContain('__BLUELAMP_CHAT_STYLES__');
    expect(source).toContain('.launcher');
    expect(source).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(() => new Script(source)).not.toThrow();
  });

  it('limits how many sessions one address can open', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      const response = await fetch(`${base}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"widgetKey":"demo-chat"}' });
      statuses.push(response.status);
      if (response.status === 429) break;
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
