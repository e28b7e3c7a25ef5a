import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { publishLive } from '../../src/platform/realtime/live.ts';
import { LIVE_SESSION_CHECK_MS } from '../../src/platform/realtime/live.routes.ts';
import { SESSION_TTL_MS } from '../../src/platform/auth/sessions.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

/**
 * A console's live stream lasts no longer than the session that opened it: signing out closes
 * that session's streams (and not the person's other sessions'), and so does the session's expiry,
 * read from the app's clock. Each check races the close against something the socket would get
 * if it stayed open (a live message, the answer to a ping), so none waits on a timer.
 */
describe('the live stream ends with its session', () => {
  let app: TestApp;
  let port = 0;
  let address = 0;
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
  const from = () => `10.50.0.${(address += 1)}`;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    await app.http?.listen({ port: 0, host: '127.0.0.1' });
    port = (app.http?.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Opens the live stream; resolves once the server has said hello. */
  async function openLive(session: Session) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { cookie: session.cookie } });
    const closed = new Promise<string>((resolve) => socket.on('close', (code) => resolve(`closed ${code}`)));
    await new Promise<void>((resolve, reject) => {
      socket.once('message', () => resolve());
      socket.once('error', reject);
    });
    const nextMessage = () =>
      new Promise<string>((resolve) => socket.once('message', (data: Buffer) => resolve(`heard ${(JSON.parse(data.toString()) as { type: string }).type}`)));
    return { socket, closed, nextMessage };
  }
  /** Something every open stream of the demo force hears. */
  const publishRoutingChange = () => withForce(app.database.db, app.demoForceId, (tx) => publishLive(tx, app.demoForceId, { type: 'routing.changed' }));

  it('closes-the-signed-out-sessions-stream-at-once and leaves the persons other session open', async () => {
    const leaving = await signIn(app, 'handler@demo.police.uk', 'demo-password', from());
    const staying = await signIn(app, 'handler@demo.police.uk', 'demo-password', from());
    const left = await openLive(leaving);
    const stayed = await openLive(staying);

    const signedOut = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: leaving.headers });
    expect(signedOut.statusCode).toBe(204);
    const leftHeard = left.nextMessage();
    const stayedHeard = stayed.nextMessage();
    await publishRoutingChange();
    expect(await Promise.race([left.closed, leftHeard])).toBe('closed 4401');
    expect(await Promise.race([stayed.closed, stayedHeard])).toBe('heard routing.changed');
    stayed.socket.close();
  });

  it('closes-a-stream-whose-session-ended-while-its-notice-was-missed when the listener comes back', { timeout: 15_000 }, async () => {
    const session = await signIn(app, 'dispatch@demo.police.uk', 'demo-password', from());
    const live = await openLive(session);
    // Ended in the database with no notice reaching this process (its listener was down).
    await withSystem(app.database.db, async (tx) => {
      const staff = await tx.selectFrom('staff').select('id').where('email', '=', 'dispatch@demo.police.uk').executeTakeFirstOrThrow();
      await tx.deleteFrom('staff_sessions').where('staff_id', '=', staff.id).execute();
    });
    const heard = live.nextMessage();
    await publishRoutingChange();
    // Not told: the stream still hears the force until it reads its session again.
    expect(await Promise.race([live.closed, heard])).toBe('heard routing.changed');
    app.hub.resync();
    expect(await live.closed).toBe('closed 4401');
  });

  it('closes-a-stream-whose-session-has-expired before it hears another message', async () => {
    const session = await signIn(app, 'supervisor@demo.police.uk', 'demo-password', from());
    const live = await openLive(session);
    clock.advance(SESSION_TTL_MS);
    const heard = live.nextMessage();
    await publishRoutingChange();
    expect(await Promise.race([live.closed, heard])).toBe('closed 4401');
  });

  it('closes-a-quiet-stream-whose-session-has-expired at its next check', async () => {
    // Only the stream's own check is faked (it is started when the stream opens); the clock says when the session ends.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const session = await signIn(app, 'investigator@demo.police.uk', 'demo-password', from());
    const live = await openLive(session);
    clock.advance(SESSION_TTL_MS - 1000);
    vi.advanceTimersByTime(LIVE_SESSION_CHECK_MS);
    const stillOpen = new Promise<string>((resolve) => live.socket.once('pong', () => resolve('answered a ping')));
    live.socket.ping();
    expect(await Promise.race([live.closed, stillOpen])).toBe('answered a ping');

    clock.advance(1000);
    vi.advanceTimersByTime(LIVE_SESSION_CHECK_MS);
    const answered = new Promise<string>((resolve) => live.socket.once('pong', () => resolve('answered a ping')));
    live.socket.ping();
    expect(await Promise.race([live.closed, answered])).toBe('closed 4401');
  });
});
