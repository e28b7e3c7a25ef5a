import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';

/**
 * Sign-in, sessions and CSRF through the HTTP API. Every login here comes from its own remote
 * address, so the per-address limiter (30 attempts per 15 minutes) never interferes with the
 * per-account limiter these tests are about.
 */
describe('staff authentication', () => {
  let app: TestApp;
  let contactId: string;
  let addressCounter = 0;
  const nextAddress = () => {
    addressCounter += 1;
    return `10.20.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
  };

  const login = (payload: unknown, remoteAddress = nextAddress()) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: payload as object, remoteAddress });

  type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

  beforeAll(async () => {
    app = await createTestApp();
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: 'auth-test-1',
      whatHappened: 'Someone keeps ringing my doorbell at night',
      where: 'Mill Lane',
      when: 'last night',
      name: 'Pat Example',
      email: 'pat@example.org',
    });
    contactId = report.contactId;
  });
  afterAll(() => app.close());

  it('sets-an-httponly-samesite-lax-bl_session-cookie-on-login', async () => {
    const response = await login({ email: 'handler@demo.police.uk', password: 'demo-password' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ user: { email: string; role: string; forceId: string }; csrfToken: string }>();
    expect(body.user.email).toBe('handler@demo.police.uk');
    expect(body.user.role).toBe('call_handler');
    expect(body.user.forceId).toBe(app.demoForceId);
    expect(typeof body.csrfToken).toBe('string');
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(20);

    const raw = response.headers['set-cookie'];
    const setCookies = (Array.isArray(raw) ? raw : [raw]).filter((c): c is string => typeof c === 'string');
    const session = setCookies.find((c) => c.startsWith('bl_session='));
    expect(session, `Set-Cookie was ${JSON.stringify(setCookies)}`).toBeDefined();
    const attributes = (session as string).split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes.some((a) => a.startsWith('max-age='))).toBe(true);
    // The token is opaque and long enough not to be guessable, and it is not the CSRF token.
    const token = (session as string).split(';')[0]!.slice('bl_session='.length);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(token).not.toBe(body.csrfToken);
    expect(JSON.stringify(body)).not.toContain(token);
  });

  it('rejects-wrong-password-and-unknown-email-with-the-same-401', async () => {
    const wrongPassword = await login({ email: 'desk@demo.police.uk', password: 'not-the-password' });
    const unknownEmail = await login({ email: 'nobody@demo.police.uk', password: 'demo-password' });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    const a = wrongPassword.json<ErrorBody>();
    const b = unknownEmail.json<ErrorBody>();
    expect(a.error.code).toBe('unauthenticated');
    expect(b.error.code).toBe('unauthenticated');
    expect(a.error.message).toBe(b.error.message);
    expect(a).toEqual(b);
    expect(wrongPassword.cookies.find((c) => c.name === 'bl_session')).toBeUndefined();
    expect(unknownEmail.cookies.find((c) => c.name === 'bl_session')).toBeUndefined();
  });

  it('rejects-login-without-an-email-naming-the-field', async () => {
    const response = await login({ password: 'demo-password' });
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields?.map((f) => f.path)).toContain('body.email');
  });

  it('rejects-login-with-a-non-email-naming-the-field', async () => {
    const response = await login({ email: 'not-an-email', password: 'demo-password' });
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    const field = body.error.fields?.find((f) => f.path === 'body.email');
    expect(field, JSON.stringify(body)).toBeDefined();
    expect(field?.message).toMatch(/email/i);
  });

  it('rejects-login-with-an-unknown-extra-field-naming-it', async () => {
    const response = await login({ email: 'handler@demo.police.uk', password: 'demo-password', isAdmin: true });
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields?.length).toBeGreaterThan(0);
    // zod reports an unrecognised key on the object itself; the key's name is in the message.
    expect(JSON.stringify(body.error.fields)).toContain('isAdmin');
    expect(response.cookies.find((c) => c.name === 'bl_session')).toBeUndefined();
  });

  it('refuses-the-11th-login-for-an-account-after-10-failures-even-with-the-right-password', async () => {
    const email = 'investigator@demo.police.uk';
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      // A different address each time: this is the per-account limit, not the per-address one.
      const response = await login({ email, password: `wrong-${attempt}` });
      expect(response.statusCode, `attempt ${attempt}`).toBe(401);
    }
    const eleventh = await login({ email, password: 'demo-password' });
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json<ErrorBody>().error.code).toBe('rate_limited');
    expect(eleventh.cookies.find((c) => c.name === 'bl_session')).toBeUndefined();
    // The account key is case-insensitive: changing the case does not buy more attempts.
    const shouted = await login({ email: email.toUpperCase(), password: 'demo-password' });
    expect(shouted.statusCode).toBe(429);
    // Other accounts are unaffected.
    const other = await login({ email: 'supervisor@demo.police.uk', password: 'demo-password' });
    expect(other.statusCode).toBe(200);
  });

  it('refuses-me-without-a-session', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(response.statusCode).toBe(401);
    expect(response.json<ErrorBody>().error.code).toBe('unauthenticated');
  });

  it('returns-me-with-a-session', async () => {
    const session = await signIn(app, 'desk@demo.police.uk');
    const response = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookie } });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ user: { email: string; role: string; forceId: string; permissions: string[] }; csrfToken: string }>();
    expect(body.user.email).toBe('desk@demo.police.uk');
    expect(body.user.role).toBe('digital_desk_operator');
    expect(body.user.forceId).toBe(app.demoForceId);
    expect(body.user.permissions).toContain('contacts:reply');
    expect(body.csrfToken).toBe(session.csrfToken);
  });

  it('ends-the-session-on-logout', async () => {
    const session = await signIn(app, 'dispatch@demo.police.uk');
    const before = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookie } });
    expect(before.statusCode).toBe(200);
    const logout = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers });
    expect(logout.statusCode).toBe(204);
    const cleared = logout.cookies.find((c) => c.name === 'bl_session');
    expect(cleared?.value ?? '').toBe('');
    // Replaying the old cookie must not work: the session is gone on the server, not just in the browser.
    const after = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookie } });
    expect(after.statusCode).toBe(401);
    const again = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers });
    expect(again.statusCode).toBe(401);
  });

  it('rejects-forged-or-garbage-session-cookies', async () => {
    const forged = [
      'garbage',
      'x'.repeat(43),
      'A'.repeat(500),
      '',
      "'; drop table staff_sessions; --aaaaaaaaaaaaaaaa",
      '%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00',
    ];
    for (const value of forged) {
      const response = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `bl_session=${value}` } });
      expect(response.statusCode, `cookie ${JSON.stringify(value)}`).toBe(401);
      expect(response.json<ErrorBody>().error.code).toBe('unauthenticated');
    }
    // A real session's token with one character changed is also refused.
    const session = await signIn(app, 'handler@demo.police.uk');
    const token = session.cookie.slice('bl_session='.length);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const tampered = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `bl_session=${flipped}` } });
    expect(tampered.statusCode).toBe(401);
  });

  describe('CSRF on state-changing staff routes', () => {
    const threadLength = async (cookie: string) => {
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: { cookie } });
      expect(detail.statusCode).toBe(200);
      return detail.json<{ messages: unknown[] }>().messages.length;
    };

    it('rejects-a-reply-without-x-csrf-token', async () => {
      const session = await signIn(app, 'handler@demo.police.uk');
      const before = await threadLength(session.cookie);
      const response = await app.inject({
        method: 'POST',
        url: `/api/contacts/${contactId}/replies`,
        headers: { cookie: session.cookie },
        payload: { body: 'Forged reply without a token' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json<ErrorBody>().error.code).toBe('csrf_failed');
      expect(await threadLength(session.cookie)).toBe(before);
    });

    it('rejects-a-reply-with-a-wrong-x-csrf-token', async () => {
      const session = await signIn(app, 'handler@demo.police.uk');
      const other = await signIn(app, 'desk@demo.police.uk');
      const before = await threadLength(session.cookie);
      for (const token of ['wrong', `${session.csrfToken}x`, session.csrfToken.slice(1), other.csrfToken, '']) {
        const response = await app.inject({
          method: 'POST',
          url: `/api/contacts/${contactId}/replies`,
          headers: { cookie: session.cookie, 'x-csrf-token': token },
          payload: { body: 'Forged reply with a wrong token' },
        });
        expect(response.statusCode, `token ${JSON.stringify(token)}`).toBe(403);
        expect(response.json<ErrorBody>().error.code).toBe('csrf_failed');
      }
      expect(await threadLength(session.cookie)).toBe(before);
      // The right token on the same session succeeds, so the refusals above were about the token.
      const ok = await app.inject({
        method: 'POST',
        url: `/api/contacts/${contactId}/replies`,
        headers: session.headers,
        payload: { body: 'A genuine reply' },
      });
      expect(ok.statusCode).toBe(201);
      expect(await threadLength(session.cookie)).toBe(before + 1);
    });
  });
});
