import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';

/**
 * Malformed, oversized, mistyped and hostile requests get a 4xx in the error shape, never a 5xx,
 * and text comes back as JSON text, never as markup.
 */

type Session = Awaited<ReturnType<typeof signIn>>;
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
type InjectResponse = Awaited<ReturnType<TestApp['inject']>>;

function expectError(response: InjectResponse, status: number, code: string): ErrorBody {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json<ErrorBody>();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body;
}

const fieldPaths = (body: ErrorBody) => (body.error.fields ?? []).map((f) => f.path);

describe('hostile input', () => {
  let app: TestApp;
  let handler: Session;
  let contactId: string;
  let loginAddress = 0;

  /** Each login from its own address, so the per-address login limiter never decides the outcome. */
  const rawLogin = (headers: Record<string, string>, payload: string) => {
    loginAddress += 1;
    return app.inject({ method: 'POST', url: '/api/auth/login', headers, payload, remoteAddress: `10.30.0.${loginAddress}` });
  };
  const rawReply = (headers: Record<string, string>, payload: string, id = contactId) =>
    app.inject({ method: 'POST', url: `/api/contacts/${id}/replies`, headers: { ...handler.headers, ...headers }, payload });
  const outboundCount = async () => {
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    return detail.json<{ messages: { direction: string }[] }>().messages.filter((m) => m.direction === 'outbound').length;
  };

  beforeAll(async () => {
    app = await createTestApp();
    handler = await signIn(app, 'handler@demo.police.uk');
    contactId = (
      await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: 'hostile-1',
        whatHappened: 'Someone scratched my car',
        where: 'Station Road',
        when: 'Tuesday',
        name: 'Chris Example',
        email: 'chris@example.org',
      })
    ).contactId;
  });
  afterAll(() => app.close());

  describe('POST /api/auth/login', () => {
    const json = { 'content-type': 'application/json' };

    it('rejects-malformed-json-with-400-validation_failed', async () => {
      for (const payload of ['{"email":', '{email: "a@b.cd"}', '{"email":"handler@demo.police.uk","password":"demo-password"', "'x'", '\u0000']) {
        expectError(await rawLogin(json, payload), 400, 'validation_failed');
      }
    });

    it('rejects-an-empty-json-body-with-400', async () => {
      expectError(await rawLogin(json, ''), 400, 'validation_failed');
    });

    it('rejects-json-that-is-not-an-object-with-400', async () => {
      for (const payload of ['null', '[]', '"handler@demo.police.uk"', '42', '[{"email":"handler@demo.police.uk","password":"demo-password"}]']) {
        expectError(await rawLogin(json, payload), 400, 'validation_failed');
      }
    });

    it('rejects-application-xml-with-415', async () => {
      const response = await rawLogin({ 'content-type': 'application/xml' }, '<login><email>handler@demo.police.uk</email></login>');
      expectError(response, 415, 'unsupported_media_type');
    });

    it('rejects-unknown-content-types-with-415', async () => {
      for (const type of ['application/octet-stream', 'multipart/form-data; boundary=x', 'image/png']) {
        expectError(await rawLogin({ 'content-type': type }, 'email=handler%40demo.police.uk'), 415, 'unsupported_media_type');
      }
    });

    // KNOWN BUG: Fastify's built-in text/plain parser is still registered, so a text/plain body is
    // parsed as a string and fails schema validation with 400 instead of being refused with 415.
    it('rejects-text-plain-with-415', async () => {
      const response = await rawLogin({ 'content-type': 'text/plain' }, '{"email":"handler@demo.police.uk","password":"demo-password"}');
      expect(response.statusCode).toBe(415);
    });

    it('never-signs-in-from-a-text-plain-body', async () => {
      const response = await rawLogin({ 'content-type': 'text/plain' }, '{"email":"handler@demo.police.uk","password":"demo-password"}');
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.cookies.find((c) => c.name === 'bl_session')).toBeUndefined();
    });

    // KNOWN BUG: @fastify/formbody is registered globally for the portal, so the JSON login API
    // accepts application/x-www-form-urlencoded and signs in (200 + session cookie). A plain HTML
    // form on another site can therefore sign a victim's browser into an attacker's account (login CSRF).
    it('rejects-a-form-encoded-login-with-415', async () => {
      const response = await rawLogin(
        { 'content-type': 'application/x-www-form-urlencoded' },
        'email=handler%40demo.police.uk&password=demo-password',
      );
      expect(response.statusCode).toBe(415);
    });

    it('rejects-a-body-over-8-kib-with-413', async () => {
      const payload = JSON.stringify({ email: 'handler@demo.police.uk', password: 'x'.repeat(8 * 1024) });
      expectError(await rawLogin(json, payload), 413, 'payload_too_large');
      // Just under the limit is parsed (and refused by validation, as the password is too long).
      const under = JSON.stringify({ email: 'handler@demo.police.uk', password: 'x'.repeat(7 * 1024) });
      const body = expectError(await rawLogin(json, under), 400, 'validation_failed');
      expect(fieldPaths(body)).toContain('body.password');
    });

    it('rejects-a-body-over-8-kib-even-if-content-length-lies-small', async () => {
      const payload = JSON.stringify({ email: 'handler@demo.police.uk', password: 'x'.repeat(20 * 1024) });
      const response = await rawLogin({ ...json, 'content-length': '10' }, payload);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    });

    it('rejects-unknown-extra-fields-with-400', async () => {
      const body = expectError(
        await rawLogin(json, JSON.stringify({ email: 'handler@demo.police.uk', password: 'demo-password', role: 'force_admin' })),
        400,
        'validation_failed',
      );
      expect(JSON.stringify(body.error.fields)).toContain('role');
    });

    it('rejects-wrongly-typed-fields-with-400-naming-them', async () => {
      const body = expectError(
        await rawLogin(json, JSON.stringify({ email: ['handler@demo.police.uk'], password: { $ne: '' } })),
        400,
        'validation_failed',
      );
      expect(fieldPaths(body)).toEqual(expect.arrayContaining(['body.email', 'body.password']));
    });

    it('rejects-prototype-pollution-keys-without-5xx', async () => {
      const response = await rawLogin(json, '{"email":"handler@demo.police.uk","password":"x","__proto__":{"isAdmin":true}}');
      expect(response.statusCode).toBe(400);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });
  });

  describe('POST /api/contacts/:id/replies (signed in)', () => {
    const json = { 'content-type': 'application/json' };

    it('rejects-malformed-json-with-400-validation_failed', async () => {
      const before = await outboundCount();
      for (const payload of ['{"body":', '{"body": "unterminated}', '{,}', 'undefined']) {
        expectError(await rawReply(json, payload), 400, 'validation_failed');
      }
      expect(await outboundCount()).toBe(before);
    });

    it('rejects-application-xml-with-415', async () => {
      expectError(await rawReply({ 'content-type': 'application/xml' }, '<body>hello</body>'), 415, 'unsupported_media_type');
    });

    it('rejects-text-plain-with-415', async () => {
      const response = await rawReply({ 'content-type': 'text/plain' }, 'hello');
      expect(response.statusCode).toBe(415);
    });

    it('stores-nothing-from-a-text-plain-reply', async () => {
      const before = await outboundCount();
      const response = await rawReply({ 'content-type': 'text/plain' }, '{"body":"sent as text/plain"}');
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(await outboundCount()).toBe(before);
    });

    it('rejects-a-body-over-64-kib-with-413', async () => {
      const before = await outboundCount();
      expectError(await rawReply(json, JSON.stringify({ body: 'a'.repeat(65 * 1024) })), 413, 'payload_too_large');
      expect(await outboundCount()).toBe(before);
    });

    it('rejects-a-5001-character-reply-with-400-naming-body.body', async () => {
      const body = expectError(await rawReply(json, JSON.stringify({ body: 'a'.repeat(5001) })), 400, 'validation_failed');
      expect(fieldPaths(body)).toEqual(['body.body']);
      // 5,000 is the limit, not 4,999.
      const atLimit = await rawReply(json, JSON.stringify({ body: 'b'.repeat(5000) }));
      expect(atLimit.statusCode).toBe(201);
    });

    it('rejects-an-empty-or-blank-reply-with-400-naming-body.body', async () => {
      for (const text of ['', '   ', '\n\t']) {
        const body = expectError(await rawReply(json, JSON.stringify({ body: text })), 400, 'validation_failed');
        expect(fieldPaths(body)).toContain('body.body');
      }
      const missing = expectError(await rawReply(json, '{}'), 400, 'validation_failed');
      expect(fieldPaths(missing)).toContain('body.body');
    });

    it('rejects-unknown-extra-fields-with-400', async () => {
      const before = await outboundCount();
      const body = expectError(
        await rawReply(json, JSON.stringify({ body: 'hello', authorStaffId: '00000000-0000-4000-8000-000000000001' })),
        400,
        'validation_failed',
      );
      expect(JSON.stringify(body.error.fields)).toContain('authorStaffId');
      expect(await outboundCount()).toBe(before);
    });

    it('names-a-refused-field-called-like-an-object-built-in-in-words-never-a-5xx', async () => {
      // Field names come from a table of labels: a key every object inherits ("constructor",
      // "toString") must be named from its key, not from what the table inherits.
      const labels = { constructor: 'Constructor', toString: 'To string', hasOwnProperty: 'Has own property' };
      for (const [key, label] of Object.entries(labels)) {
        const body = expectError(await rawReply(json, `{"body":"hello","${key}":"a\\u0000b"}`), 400, 'validation_failed');
        expect(body.error.fields).toEqual([expect.objectContaining({ path: `body.${key}`, label, message: 'must not contain NUL characters' })]);
        expect(body.error.message).toBe(`${label} must not contain NUL characters.`);
      }
    });

    it('rejects-a-non-uuid-contact-id-with-400-naming-params.id', async () => {
      for (const id of ['123', 'not-a-uuid', "1'%20or%20'1'='1", '00000000-0000-0000-0000-00000000000g', 'x'.repeat(150)]) {
        const response = await rawReply(json, JSON.stringify({ body: 'hello' }), id);
        const body = expectError(response, 400, 'validation_failed');
        expect(fieldPaths(body), id).toContain('params.id');
      }
    });

    it('returns-a-script-reply-verbatim-as-json-text-never-as-html', async () => {
      const hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> & "quotes" \'single\' </textarea>';
      const created = await rawReply(json, JSON.stringify({ body: hostile }));
      expect(created.statusCode).toBe(201);
      expect(created.headers['content-type']).toMatch(/^application\/json/);
      expect(created.json<{ message: { body: string } }>().message.body).toBe(hostile);

      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      expect(detail.statusCode).toBe(200);
      expect(detail.headers['content-type']).toMatch(/^application\/json/);
      expect(detail.headers['content-type']).not.toMatch(/html/);
      const messages = detail.json<{ messages: { body: string; direction: string }[] }>().messages;
      const stored = messages.filter((m) => m.direction === 'outbound' && m.body.includes('<script>'));
      expect(stored.map((m) => m.body)).toEqual([hostile]);
      // Not escaped into entities either: it is data, and escaping is the renderer's job.
      expect(detail.body).not.toContain('&lt;script&gt;');
    });

    it('treats-sql-looking-text-as-text', async () => {
      const text = "'); delete from messages; -- and $1 $$ \\x00";
      const created = await rawReply(json, JSON.stringify({ body: text }));
      expect(created.statusCode).toBe(201);
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      const bodies = detail.json<{ messages: { body: string }[] }>().messages.map((m) => m.body);
      expect(bodies).toContain(text);
      expect(bodies.length).toBeGreaterThan(1);
    });

    it('accepts-emoji-and-bidi-control-characters-as-text', async () => {
      for (const text of ['emoji 🚓 and RTL \u202e txt', 'Zalgo z̷̢a̶l̸g̵o and Welsh ŵ ŷ', 'tab\tand\nnewline']) {
        const response = await rawReply(json, JSON.stringify({ body: text }));
        expect(response.statusCode, `${JSON.stringify(text)} → ${response.body}`).toBe(201);
        expect(response.json<{ message: { body: string } }>().message.body).toBe(text.trim());
      }
    });

    // KNOWN BUG: PostgreSQL text cannot hold U+0000. The schema lets it through, the insert throws,
    // and the API answers 500 "internal" (on PGlite and PostgreSQL alike) instead of a 400.
    it('refuses-a-nul-byte-in-a-reply-without-5xx', async () => {
      const response = await rawReply(json, '{"body":"before\\u0000after"}');
      expect(response.statusCode).toBeLessThan(500);
    });

    it('refuses-a-nul-byte-in-a-close-note-without-5xx', async () => {
      // Its own contact, so that once the bug is fixed a successful close affects no other test.
      const { contactId: ownContact } = await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: 'hostile-close-nul',
        whatHappened: 'Lost wallet',
        where: 'Market',
        when: 'today',
        name: null,
        email: 'wallet@example.org',
      });
      const response = await app.inject({
        method: 'POST',
        url: `/api/contacts/${ownContact}/close`,
        headers: handler.headers,
        payload: { outcome: 'advice_given', note: 'before\u0000after' },
      });
      expect(response.statusCode).toBeLessThan(500);
    });
  });

  describe('other routes', () => {
    it('rejects-an-unknown-contact-status-filter-with-400', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/contacts?status=bogus', headers: handler.headers });
      const body = expectError(response, 400, 'validation_failed');
      expect(fieldPaths(body)).toContain('query.status');
    });

    it('rejects-an-out-of-range-limit-with-400', async () => {
      for (const limit of ['0', '501', '-1', 'abc', '1.5']) {
        const response = await app.inject({ method: 'GET', url: `/api/contacts?limit=${limit}`, headers: handler.headers });
        const body = expectError(response, 400, 'validation_failed');
        expect(fieldPaths(body), limit).toContain('query.limit');
      }
    });

    it('rejects-an-unknown-close-outcome-with-400-naming-body.outcome', async () => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/contacts/${contactId}/close`,
        headers: handler.headers,
        payload: { outcome: 'made_up' },
      });
      expect(fieldPaths(expectError(response, 400, 'validation_failed'))).toContain('body.outcome');
    });

    // KNOWN BUG: the case route declares its body optional (`z.strictObject({}).optional()`), but a
    // POST without a body reaches the validator as null and is refused with 400
    // "expected object, received null". The console always sends `{}`, so it is not affected.
    it('accepts-a-bodiless-case-creation', async () => {
      const response = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/case`, headers: handler.headers });
      expect(response.statusCode).toBe(201);
    });

    it('answers-healthz-200', async () => {
      const response = await app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'alive' });
    });

    it('answers-readyz-200-with-the-engine-under-test', async () => {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ready', engine: ENGINE });
    });

    it('answers-unknown-api-routes-with-404-json', async () => {
      for (const [method, url] of [
        ['GET', '/api/does-not-exist'],
        ['POST', '/api/contacts/00000000-0000-4000-8000-000000000001/delete'],
        ['DELETE', `/api/contacts/${'00000000-0000-4000-8000-000000000001'}`],
        ['PATCH', '/api/auth/me'],
      ] as const) {
        const response = await app.inject({ method, url, headers: handler.headers });
        expectError(response, 404, 'not_found');
        expect(response.body).not.toMatch(/<html/i);
      }
    });
  });
});
