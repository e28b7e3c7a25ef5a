import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { registerAuthRoutes } from '../../src/platform/auth/auth.routes.ts';
import { createServer } from '../../src/platform/http/server.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';

/**
 * Sign-in limits that stop guessing without locking the owner out: device cookies (OWASP), failures
 * (never successes) counted per address, counters in the database, and the client address taken
 * from X-Forwarded-For only behind a trusted proxy.
 */
describe('sign-in limits', () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });

  type Login = { email: string; password: string; address: string; cookie?: string; headers?: Record<string, string> };
  const login = (target: { inject: TestApp['inject'] }, { email, password, address, cookie, headers }: Login) =>
    target.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password },
      remoteAddress: address,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
  const deviceCookieOf = (response: Awaited<ReturnType<typeof login>>) => {
    const device = response.cookies.find((c) => c.name.startsWith('bl_device_'));
    if (!device) throw new Error(`no device cookie in ${JSON.stringify(response.cookies.map((c) => c.name))}`);
    return device;
  };

  /** Another HTTP server with the sign-in routes, in this process, on the test app's database. */
  const authServer = async (options: { trustProxy: boolean }) => {
    const server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: options.trustProxy, cookieSecret: app.config.sessionSecret });
    registerAuthRoutes(server, { ...app.deps, cookieSecure: false, sessionSecret: app.config.sessionSecret });
    await server.ready();
    return server;
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, logger: pino({ level: 'info' }, logStream) } });
  });
  afterAll(() => app.close());

  it('lets-the-owner-with-a-device-cookie-sign-in-after-50-wrong-passwords-from-another-address', async () => {
    const email = 'handler@demo.police.uk';
    const owner = await login(app, { email, password: 'demo-password', address: '10.1.0.5' });
    expect(owner.statusCode).toBe(200);
    const device = deviceCookieOf(owner);
    expect(device.httpOnly).toBe(true);
    expect(device.sameSite?.toLowerCase()).toBe('strict');
    expect(device.path).toBe('/api/auth/login');
    // The cookie neither names the account nor holds the session.
    expect(`${device.name}=${device.value}`).not.toContain('handler');

    const answers: number[] = [];
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      answers.push((await login(app, { email, password: `guess-${attempt}`, address: '198.51.100.7' })).statusCode);
    }
    expect(answers.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(answers.slice(10).every((status) => status === 429)).toBe(true);
    // Even the right password from a browser the account has never used is refused now.
    expect((await login(app, { email, password: 'demo-password', address: '198.51.100.7' })).statusCode).toBe(429);
    expect((await login(app, { email, password: 'demo-password', address: '10.1.0.5' })).statusCode).toBe(429);

    const again = await login(app, { email, password: 'demo-password', address: '10.1.0.5', cookie: `${device.name}=${device.value}` });
    expect(again.statusCode).toBe(200);
    expect(again.cookies.find((c) => c.name === 'bl_session')).toBeDefined();
    // From another address too (the owner moved to another station): the cookie is what counts.
    const elsewhere = await login(app, { email, password: 'demo-password', address: '10.9.9.9', cookie: `${device.name}=${device.value}` });
    expect(elsewhere.statusCode).toBe(200);

    // The lock ends with its window.
    clock.advance(15 * 60 * 1000);
    expect((await login(app, { email, password: 'demo-password', address: '198.51.100.7' })).statusCode).toBe(200);
  });

  it('refuses-a-device-cookie-of-one-account-renamed-for-another', async () => {
    const mine = await login(app, { email: 'desk@demo.police.uk', password: 'demo-password', address: '10.1.0.6' });
    const myDevice = deviceCookieOf(mine);
    const victim = 'supervisor@demo.police.uk';
    const victimOwn = deviceCookieOf(await login(app, { email: victim, password: 'demo-password', address: '10.1.0.7' }));
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expect((await login(app, { email: victim, password: `guess-${attempt}`, address: '198.51.100.8' })).statusCode).toBe(401);
    }
    // My signed value under the victim's cookie name: not a device of theirs, so the account lock applies.
    const forged = await login(app, { email: victim, password: `guess-x`, address: '198.51.100.8', cookie: `${victimOwn.name}=${myDevice.value}` });
    expect(forged.statusCode).toBe(429);
    const tampered = await login(app, { email: victim, password: 'guess-y', address: '198.51.100.8', cookie: `${victimOwn.name}=${victimOwn.value}x` });
    expect(tampered.statusCode).toBe(429);
  });

  it('locks-a-trusted-device-after-10-failures-of-its-own', async () => {
    const email = 'investigator@demo.police.uk';
    const device = deviceCookieOf(await login(app, { email, password: 'demo-password', address: '10.1.0.8' }));
    const cookie = `${device.name}=${device.value}`;
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expect((await login(app, { email, password: `guess-${attempt}`, address: '10.1.0.8', cookie })).statusCode).toBe(401);
    }
    // The device's allowance is spent; it falls back to the account's, which is untouched.
    expect((await login(app, { email, password: 'demo-password', address: '10.1.0.8', cookie })).statusCode).toBe(200);
  });

  it('never-refuses-100-correct-sign-ins-from-one-address', async () => {
    for (let attempt = 1; attempt <= 100; attempt += 1) {
      const response = await login(app, { email: 'admin@demo.police.uk', password: 'demo-password', address: '192.0.2.44' });
      expect(response.statusCode, `sign-in ${attempt}`).toBe(200);
    }
  });

  it('limits-an-address-by-failures-only-and-lets-trusted-devices-behind-it-through', async () => {
    const office = '192.0.2.80';
    const colleague = deviceCookieOf(await login(app, { email: 'dispatch@demo.police.uk', password: 'demo-password', address: office }));
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      // Thirty accounts that do not exist, so no account limit is reached.
      const response = await login(app, { email: `nobody-${attempt}@demo.police.uk`, password: 'wrong', address: office });
      expect(response.statusCode, `failure ${attempt}`).toBe(401);
    }
    expect((await login(app, { email: 'admin@demo.police.uk', password: 'demo-password', address: office })).statusCode).toBe(429);
    const trusted = await login(app, {
      email: 'dispatch@demo.police.uk',
      password: 'demo-password',
      address: office,
      cookie: `${colleague.name}=${colleague.value}`,
    });
    expect(trusted.statusCode).toBe(200);
    // Another address is not affected.
    expect((await login(app, { email: 'admin@demo.police.uk', password: 'demo-password', address: '192.0.2.81' })).statusCode).toBe(200);
  });

  it('logs-each-lockout-without-the-email-address-or-the-client-address', async () => {
    const lockouts = logLines.filter((line) => line.includes('attempt limit reached'));
    expect(lockouts.length).toBeGreaterThan(0);
    expect(lockouts.some((line) => line.includes('"scope":"login.account"'))).toBe(true);
    expect(lockouts.some((line) => line.includes('"scope":"login.address"'))).toBe(true);
    for (const line of lockouts) {
      expect(line).not.toMatch(/@demo\.police\.uk|198\.51\.100|192\.0\.2|guess-|demo-password/);
    }
  });

  it('ignores-x-forwarded-for-unless-trust-proxy-is-set', async () => {
    // Without TRUST_PROXY, the header is the client's to write: it buys no fresh allowance.
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      const response = await login(app, {
        email: `spoof-${attempt}@demo.police.uk`,
        password: 'wrong',
        address: '203.0.113.50',
        headers: { 'x-forwarded-for': `203.0.113.${attempt}` },
      });
      expect(response.statusCode).toBe(401);
    }
    const spoofed = await login(app, {
      email: 'spoof-x@demo.police.uk',
      password: 'wrong',
      address: '203.0.113.50',
      headers: { 'x-forwarded-for': '203.0.113.200' },
    });
    expect(spoofed.statusCode).toBe(429);

    // Behind a trusted proxy, the proxy's address is shared by everyone: X-Forwarded-For tells them apart.
    const proxied = await authServer({ trustProxy: true });
    try {
      const proxy = '10.0.0.1';
      for (let attempt = 1; attempt <= 30; attempt += 1) {
        // The client writes its own X-Forwarded-For and the proxy appends the real address: only
        // the entry the proxy added counts.
        const response = await login(proxied, {
          email: `proxied-${attempt}@demo.police.uk`,
          password: 'wrong',
          address: proxy,
          headers: { 'x-forwarded-for': `198.18.0.${attempt}, 203.0.113.66` },
        });
        expect(response.statusCode).toBe(401);
      }
      const sameClient = { address: proxy, headers: { 'x-forwarded-for': '203.0.113.66' } };
      expect((await login(proxied, { email: 'admin@demo.police.uk', password: 'demo-password', ...sameClient })).statusCode).toBe(429);
      const otherClient = { address: proxy, headers: { 'x-forwarded-for': '203.0.113.67' } };
      expect((await login(proxied, { email: 'admin@demo.police.uk', password: 'demo-password', ...otherClient })).statusCode).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('shares-sign-in-limits-between-app-instances-on-one-database', async () => {
    const email = 'handler@demo.police.uk';
    const guess = (target: { inject: TestApp['inject'] }, attempt: number) =>
      login(target, { email, password: `shared-${attempt}`, address: `203.0.113.${100 + attempt}` });
    if (ENGINE === 'postgres') {
      // Two more apps, as two processes would be, on the test app's PostgreSQL database: five guesses on each.
      const open = async () => {
        const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: app.config.databaseUrl ?? '', DATABASE_POOL_SIZE: '2' });
        const other = await buildApp(config, { startWorker: false });
        if (!other.http) throw new Error('no HTTP server');
        return Object.assign(other, { inject: other.http.inject.bind(other.http) });
      };
      const first = await open();
      const second = await open();
      try {
        for (let attempt = 1; attempt <= 5; attempt += 1) expect((await guess(first, attempt)).statusCode).toBe(401);
        for (let attempt = 6; attempt <= 10; attempt += 1) expect((await guess(second, attempt)).statusCode).toBe(401);
        expect((await guess(first, 11)).statusCode).toBe(429);
        expect((await guess(second, 12)).statusCode).toBe(429);
      } finally {
        await first.close();
        await second.close();
      }
    } else {
      // Embedded PGlite serves one process: a second HTTP server in it, on the same database, sees the same counters.
      const second = await authServer({ trustProxy: false });
      try {
        for (let attempt = 1; attempt <= 5; attempt += 1) expect((await guess(app, attempt)).statusCode).toBe(401);
        for (let attempt = 6; attempt <= 10; attempt += 1) expect((await guess(second, attempt)).statusCode).toBe(401);
        expect((await guess(app, 11)).statusCode).toBe(429);
        expect((await guess(second, 12)).statusCode).toBe(429);
      } finally {
        await second.close();
      }
    }
  });
});

describe('a password reset and the sign-in lock', () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const login = (email: string, password: string, address: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: address });

  it('lets-the-one-time-password-of-a-reset-in-from-a-browser-never-used-after-someone-guessed-the-account-locked', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk', 'demo-password', '10.77.0.1');
    const email = 'locked.out@demo.police.uk';
    const created = await app.inject({ method: 'POST', url: '/api/staff', headers: admin.headers, payload: { email, name: 'Lou Lockedout', role: 'call_handler' } });
    expect(created.statusCode).toBe(201);
    const { staff: member, oneTimePassword } = created.json<{ staff: { id: string }; oneTimePassword: string }>();
    // Someone guesses ten times, each from an address of its own: the account is locked to new browsers.
    for (let attempt = 1; attempt <= 10; attempt += 1) expect((await login(email, `guess-${attempt}`, `198.51.100.${attempt}`)).statusCode).toBe(401);
    expect((await login(email, oneTimePassword, '10.77.0.2')).statusCode).toBe(429);

    const reset = await app.inject({ method: 'POST', url: `/api/staff/${member.id}/reset-password`, headers: admin.headers });
    expect(reset.statusCode).toBe(200);
    const fresh = reset.json<{ oneTimePassword: string }>().oneTimePassword;
    const signedIn = await login(email, fresh, '10.77.0.3');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);
    // Guessing the new password starts a fresh allowance, not none.
    for (let attempt = 1; attempt <= 10; attempt += 1) expect((await login(email, `again-${attempt}`, `198.51.101.${attempt}`)).statusCode).toBe(401);
    expect((await login(email, 'again-11', '198.51.101.11')).statusCode).toBe(429);
  });
});
