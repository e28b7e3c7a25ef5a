import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/platform/http/server.ts';
import { registerSecurityHeaders } from '../../src/platform/http/security-headers.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

type Headers = Record<string, string | string[] | number | undefined>;

/** The CSP as a map of directive to its sources. */
function policyOf(headers: Headers): Map<string, string[]> {
  const header = String(headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

function expectCommonHeaders(headers: Headers) {
  expect(policyOf(headers).get('frame-ancestors')).toEqual(["'none'"]);
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  // Outside production a developer's plain-http localhost must not be pinned to https.
  expect(headers['strict-transport-security']).toBeUndefined();
}

describe('security headers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('sends-the-console-a-csp-that-forbids-framing-and-inline-script-and-allows-its-websocket', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/', headers: { host: 'bluelamp.example:3000' } });
    expectCommonHeaders(response.headers);
    const policy = policyOf(response.headers);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(["'self'", 'wss://bluelamp.example:3000', 'ws://bluelamp.example:3000']);
    // The map's worker starts from a blob: URL; with no tile source, nothing outside is reachable.
    expect(policy.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(String(response.headers['content-security-policy'])).not.toContain('unsafe-');
    if (response.statusCode === 200) {
      // The built page must need nothing inline, or this policy would break it.
      expect(response.body).toContain('<div id="root">');
      expect(response.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(response.body).not.toMatch(/<style|\sstyle="/);
    }
  });

  it.each(['/api/auth/me', '/api/openapi.json', '/healthz', '/api/no-such-route', '/webhooks/nothing'])(
    'sends-the-api-response-%s-a-policy-that-loads-nothing',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      expectCommonHeaders(response.headers);
      expect(policyOf(response.headers).get('default-src')).toEqual(["'none'"]);
    },
  );

  it('sends-portal-pages-a-csp-with-the-hash-of-govuk-frontends-inline-script-only', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expectCommonHeaders(response.headers);
    const policy = policyOf(response.headers);
    const inline = [...response.body.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
    expect(inline.length).toBeGreaterThan(0);
    const hashes = inline.map((script) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`);
    expect(policy.get('script-src')).toEqual(["'self'", ...new Set(hashes)]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
    // A page that is not found is still a portal page.
    const missing = await app.inject({ method: 'GET', url: '/no-such-page' });
    expect(missing.statusCode).toBe(404);
    expect(policyOf(missing.headers).get('script-src')).toEqual(policy.get('script-src'));
  });

  // The router refuses these before any hook runs; they used to be answered in Fastify's own
  // shape ({"error":"Bad Request","code":"FST_ERR_BAD_URL",…}) with no security header at all.
  it.each(['/api/contacts/%E0%A4%A', `/api/contacts/${'a'.repeat(250)}`, '/api/contacts/%E0%A4%A/replies'])(
    'answers-the-unroutable-api-path-%s-in-the-error-shape-with-the-headers',
    async (url) => {
      const response = await app.inject({ method: 'POST', url, payload: { body: 'hello' } });
      expect(response.statusCode).toBe(404);
      expectCommonHeaders(response.headers);
      expect(policyOf(response.headers).get('default-src')).toEqual(["'none'"]);
      expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      expect(response.body).not.toContain('%E0');
    },
  );

  it('answers-an-unroutable-portal-path-with-the-not-found-page-in-the-visitors-language', async () => {
    const response = await app.inject({ method: 'GET', url: '/help/%E0%A4%A', headers: { cookie: 'bl_lang=cy' } });
    expect(response.statusCode).toBe(404);
    expectCommonHeaders(response.headers);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<html lang="cy"');
    const english = await app.inject({ method: 'GET', url: `/check/${'x'.repeat(300)}` });
    expect(english.statusCode).toBe(404);
    expect(english.body).toContain('<html lang="en"');
    expectCommonHeaders(english.headers);
  });

  // The console's policy names the Host: a ';' or ',' in it made helmet throw (a 500), a space added a source.
  it.each(['evil.example;x', 'a b', 'evil.example,x', "a'self'", 'bluelamp.example:99999', 'bluelamp.example:3000/x'])(
    'refuses-the-malformed-host-%s-with-a-400-and-names-no-such-source',
    async (host) => {
      for (const url of ['/console/', '/api/auth/me', '/']) {
        const response = await app.inject({ method: 'GET', url, headers: { host } });
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
        expectCommonHeaders(response.headers);
        expect(String(response.headers['content-security-policy'])).not.toMatch(/evil|wss?:\/\/a\b|a'self'|99999/);
        if (url.startsWith('/api/')) expect(response.json()).toMatchObject({ error: { code: 'validation_failed', message: expect.stringContaining('Host header') } });
        // A page says what happened and what to do, and never echoes the header it refused.
        else expect(response.body).toContain('Sorry, there is a problem with your request');
        if (!url.startsWith('/api/')) expect(response.body).not.toMatch(/evil\.example|99999|3000\/x/);
      }
    },
  );

  it.each(['bluelamp.example', 'BlueLamp.Example.:8443', '10.0.0.5:3000', '[::1]:3000', 'bluelamp_api:3000', 'localhost'])(
    'accepts-the-host-%s-and-names-it-for-the-consoles-socket',
    async (host) => {
      const response = await app.inject({ method: 'GET', url: '/console/', headers: { host } });
      expect(response.statusCode).not.toBe(400);
      expect(policyOf(response.headers).get('connect-src')).toEqual(["'self'", `wss://${host}`, `ws://${host}`]);
    },
  );

  it('lets-other-sites-load-the-chat-widget-script-and-nothing-else', async () => {
    const widget = await app.inject({ method: 'GET', url: '/chat/widget.js' });
    expect(widget.statusCode).toBe(200);
    expect(widget.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(widget.headers['x-content-type-options']).toBe('nosniff');
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});

describe('security headers with a base map tile source', () => {
  it('lets-the-console-fetch-and-draw-tiles-from-that-origin-only', async () => {
    const server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: false, cookieSecret: 'x'.repeat(32) });
    await registerSecurityHeaders(server, { isProduction: false, portalInlineScriptHashes: [], mapTileOrigin: 'https://tiles.force.example' });
    server.get('/console/', async () => 'console');
    server.get('/', async () => 'portal');
    const consolePolicy = policyOf((await server.inject({ method: 'GET', url: '/console/', headers: { host: 'bluelamp.example' } })).headers);
    const portalPolicy = policyOf((await server.inject({ method: 'GET', url: '/' })).headers);
    await server.close();
    expect(consolePolicy.get('connect-src')).toContain('https://tiles.force.example');
    expect(consolePolicy.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://tiles.force.example']);
    expect(consolePolicy.get('script-src')).toEqual(["'self'"]);
    expect(portalPolicy.get('connect-src')).toEqual(["'self'"]);
  });
});

describe('security headers in production', () => {
  it('adds-hsts-in-production-only', async () => {
    const headersOf = async (isProduction: boolean) => {
      const server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: false, cookieSecret: 'x'.repeat(32) });
      await registerSecurityHeaders(server, { isProduction, portalInlineScriptHashes: [] });
      server.get('/api/ping', async () => ({ ok: true }));
      const response = await server.inject({ method: 'GET', url: '/api/ping' });
      await server.close();
      return response.headers;
    };
    expect(String((await headersOf(true))['strict-transport-security'])).toMatch(/^max-age=31536000; includeSubDomains$/);
    expect((await headersOf(false))['strict-transport-security']).toBeUndefined();
  });
});
