import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SESSION_TTL_MS } from '../../src/platform/auth/sessions.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';

// Moving the app's clock past a session's end signs its member of staff out, as in production; the
// 401 says only "You need to sign in", so the test kit says why beside the test that got it.
describe('a test whose clock moved past its staff session', () => {
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());
  afterEach(() => vi.restoreAllMocks());

  it('is-told-the-session-expired-and-to-sign-in-again', async () => {
    const session = await signIn(app, 'handler@demo.police.uk');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    clock.advance(24 * 60 * 60 * 1000);
    const answer = await app.inject({ method: 'GET', url: '/api/auth/me', headers: session.headers });
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).toEqual({ error: { code: 'unauthenticated', message: 'You need to sign in' } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/GET \/api\/auth\/me → 401: its staff session expired at .* \(sessions last 12 h\)\. .* signs in again/);
    const again = await signIn(app, 'handler@demo.police.uk');
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: again.headers })).statusCode).toBe(200);
  });

  it('is-told-nothing-for-a-401-without-a-session-or-with-one-still-running', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect((await app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'bl_session=not-a-session-of-anyone-at-all' } })).statusCode).toBe(401);
    const session = await signIn(app, 'handler@demo.police.uk');
    clock.advance(SESSION_TTL_MS - 1);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: session.headers })).statusCode).toBe(200);
    expect(warn).not.toHaveBeenCalled();
  });
});
