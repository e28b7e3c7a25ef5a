import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, errorFormatOf, type RegisteredRoute } from '../../src/platform/http/routes.ts';
import { startBanner } from '../../src/start-banner.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

// The banner `bluelamp start` prints is where a newcomer or an integrator finds the addresses to
// give GOV.UK Notify, Twilio, Meta, the telephony platform, a partner system, the force's website
// and its mail: every one it prints must be a route the server has, and every route a provider or
// partner calls must be printed. Held against the routes of a seeded app, as `npm start` serves them.

/** The routes of the server a provider or a partner's system calls, as `METHOD /path`. */
function integratorRoutes(routes: readonly RegisteredRoute[]): string[] {
  // Probes, the API document and the console's own sign-in are listed on lines of their own, or
  // are the console's business; OPTIONS and HEAD are the browser's and fastify's twins.
  const notIntegrators = new Set(['/healthz', '/readyz', '/metrics', '/api/openapi.json', '/api/auth/login']);
  return routes
    .filter((route) => (route.kind === 'public' || route.kind === 'public-socket' || route.kind === 'integration' || route.kind === 'staff-or-integration') && route.method !== 'OPTIONS' && route.method !== 'HEAD')
    .filter((route) => errorFormatOf(route.url) === 'json' && !notIntegrators.has(route.url))
    .map((route) => `${route.method} ${route.url}`);
}

const pathPattern = (url: string) => new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+').replace(/\\\*/g, '.*')}$`);

describe('the start banner', () => {
  let app: TestApp;
  let banner: string;
  let routes: readonly RegisteredRoute[];
  const base = 'http://localhost:3000';

  beforeAll(async () => {
    app = await createTestApp();
    if (!app.http) throw new Error('no HTTP server');
    routes = registeredRoutes(app.http);
    const config = { ...app.config, port: 3000, publicUrl: undefined };
    banner = startBanner({ config, engine: app.database.engine, servesHttp: true, isFeederRunning: false }).join('\n');
  });
  afterAll(() => app.close());

  it('prints-only-addresses-the-server-answers', () => {
    const paths = [...banner.matchAll(/https?:\/\/[^\s;,()"]+/g)].map((match) => new URL(match[0]).pathname);
    expect(paths.length).toBeGreaterThan(10);
    const unknown = paths.filter((path) => !routes.some((route) => pathPattern(route.url).test(path)));
    expect(unknown, 'printed but not registered').toEqual([]);
  });

  it('prints-every-address-a-provider-or-partner-calls-with-its-method', () => {
    const missing = integratorRoutes(routes).filter((label) => {
      const [method = '', url = ''] = label.split(' ');
      // A line names its methods as GET/POST before the address.
      return !banner.split('\n').some((line) => line.includes(`${base}${url}`) && new RegExp(`\\b${method}\\b[^ ]* ${base}`).test(line));
    });
    expect(missing, 'registered for providers or partners but not printed').toEqual([]);
  });

  it('prints-the-delivery-callbacks-web-chat-and-the-demo-mailbox', () => {
    expect(banner).toContain(`${base}/webhooks/notify/status`);
    expect(banner).toContain(`${base}/webhooks/twilio/status`);
    expect(banner).toContain(`${base}/chat/widget.js (data-widget-key="demo-chat")`);
    expect(banner).toMatch(/mail for contact@demo\.police\.uk: no listener; set EMAIL_SMTP_PORT/);
    const withListener = startBanner({
      config: { ...app.config, port: 3000, publicUrl: undefined, emailSmtp: { host: '0.0.0.0', port: 2525, tlsKeyFile: undefined, tlsCertFile: undefined } },
      engine: app.database.engine,
      servesHttp: true,
      isFeederRunning: false,
    }).join('\n');
    expect(withListener).toContain('mail for contact@demo.police.uk: the SMTP listener on 0.0.0.0:2525');
  });

  it('prints-the-vehicle-tracking-address-with-who-may-post-to-it', () => {
    // Not a public route (it takes a tracking token of the force, or a session with
    // positions:ingest), so the list of public routes above does not hold it.
    const line = banner.split('\n').find((text) => text.includes(`POST ${base}/api/units/positions`));
    expect(line, 'vehicle tracking not printed').toBeDefined();
    expect(line).toMatch(/Vehicle tracking/);
    expect(line).toContain('dispatcher or supervisor');
    expect(line).toContain(`Bearer tracking token from ${base}/api/integrations/tracking/tokens`);
  });
});
