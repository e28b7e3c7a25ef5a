import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES_OUTSIDE_THE_HELPERS } from '../../src/http-api.ts';
import { PERMISSIONS } from '../../src/platform/auth/permissions.ts';
import { registeredRoutes, type RegisteredRoute } from '../../src/platform/http/routes.ts';
import { createServer } from '../../src/platform/http/server.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

const STAFF_PERMISSIONS = new Set<string>(['signed-in', ...PERMISSIONS]);
const label = (route: RegisteredRoute) => `${route.method} ${route.url}`;
const isExempt = (route: RegisteredRoute) => ROUTES_OUTSIDE_THE_HELPERS.some((exempt) => exempt.method === route.method && exempt.url === route.url);

describe('the one route helper', () => {
  let app: TestApp;
  let routes: readonly RegisteredRoute[];

  beforeAll(async () => {
    // With a metrics token, so /metrics is registered too.
    app = await createTestApp({ env: { METRICS_TOKEN: 'a-metrics-token-for-the-route-test' } });
    if (!app.http) throw new Error('no HTTP server');
    routes = registeredRoutes(app.http);
  });
  afterAll(() => app.close());

  it('declares-every-route-and-socket-through-a-helper-with-a-permission (exemptions: ROUTES_OUTSIDE_THE_HELPERS)', () => {
    expect(routes.length).toBeGreaterThan(100);
    const skipped = routes.filter((route) => route.kind === null && !isExempt(route)).map(label);
    expect(skipped, 'routes registered without staffRoute, publicRoute or a socket helper').toEqual([]);
    for (const route of routes.filter((r) => r.kind !== null)) {
      expect(route.audit, `${label(route)} has no audit name`).toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
      if (route.kind === 'staff' || route.kind === 'staff-socket' || route.kind === 'staff-or-integration') {
        expect(STAFF_PERMISSIONS.has(route.permission ?? ''), `${label(route)} has no staff permission`).toBe(true);
      } else {
        expect(route.permission, label(route)).toBe('public');
      }
    }
  });

  it('covers-webhooks-portal-sockets-health-and-metrics', () => {
    const kindOf = (method: string, url: string) => routes.find((route) => route.method === method && route.url === url)?.kind;
    expect(kindOf('GET', '/api/live')).toBe('staff-socket');
    expect(kindOf('GET', '/chat/socket')).toBe('public-socket');
    expect(kindOf('POST', '/webhooks/meta')).toBe('public');
    expect(kindOf('POST', '/report/details')).toBe('public');
    expect(kindOf('GET', '/healthz')).toBe('public');
    expect(kindOf('GET', '/readyz')).toBe('public');
    expect(kindOf('GET', '/metrics')).toBe('public');
    expect(kindOf('GET', '/api/openapi.json')).toBe('public');
    expect(kindOf('GET', '/api/contacts')).toBe('staff');
    // The routes an integration calls with its bearer token say so (decision 0203).
    expect(kindOf('POST', '/api/units/positions')).toBe('staff-or-integration');
    expect(kindOf('POST', '/api/integrations/records/cases')).toBe('integration');
    // fastify's HEAD twin of a GET route carries its GET route's mark.
    expect(kindOf('HEAD', '/api/contacts')).toBe('staff');
  });

  it('notices-a-route-registered-around-the-helper', async () => {
    const server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: false, cookieSecret: 'x'.repeat(32) });
    try {
      server.get('/api/around-the-helper', { config: { permission: 'public', audit: 'test.around' } }, async () => ({ ok: true }));
      await server.ready();
      const found = registeredRoutes(server).find((route) => route.url === '/api/around-the-helper' && route.method === 'GET');
      expect(found?.kind).toBeNull();
    } finally {
      await server.close();
    }
  });
});
