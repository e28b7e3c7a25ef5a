import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers.ts';
import { MAILBOX, emailKit, fixture, movableClock } from '../../../../test/channels/email-kit.ts';
import { canRunDovecot, dovecotMissing, freePort, startDovecot, type Dovecot } from '../../../../test/channels/dovecot-kit.ts';
import { loadOnFirstUse } from '../../../platform/load-on-first-use.ts';
import { createLogger } from '../../../platform/logging/logger.ts';
import { findEmailAccount } from './email.ingest.ts';
import { startImapPoller, type ImapPollerOptions } from './imap.poller.ts';
import { sample } from '../../../../test/prometheus-text.ts';

const TOKEN = 'metrics-token-for-the-imap-health-test';
const PASSWORD = 'imap-pass-0153';
const WRONG_PASSWORD = 'not-the-password-0153';
/** Long enough that no poll falls due on its own while a test reads the health outputs. */
const POLL_SECONDS = 600;

it.runIf(process.env.CI === 'true' && !canRunDovecot)('has-dovecot-to-test-imap-health-in-ci', () => {
  expect.fail(`CI=true but ${dovecotMissing}`);
});

describe.skipIf(!canRunDovecot)('IMAP pollers on /readyz and /metrics', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  let dovecot: Dovecot;
  let accountId: string;
  const time = movableClock();

  beforeAll(async () => {
    app = await createTestApp({ env: { METRICS_TOKEN: TOKEN }, overrides: { clock: time.clock } });
    kit = emailKit(app);
    dovecot = await startDovecot(MAILBOX, PASSWORD);
    await connect({ password: WRONG_PASSWORD });
    const found = await findEmailAccount(kit.deps, MAILBOX);
    if (!found) throw new Error('no demo mailbox');
    accountId = found.id;
  }, 60_000);
  afterAll(async () => {
    await dovecot?.stop();
    await app?.close();
  });

  const connect = (imap: { password?: string; port?: number }) =>
    kit.connectMailbox({
      imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: MAILBOX, password: PASSWORD, mailbox: 'INBOX', pollSeconds: POLL_SECONDS, ...imap },
    });
  /** `/readyz` as the metrics token reads it: an anonymous probe gets no mail pollers (decision 0158). */
  const readyz = async (isAnonymous = false) => {
    const response = await app.inject({ method: 'GET', url: '/readyz', ...(isAnonymous ? {} : { headers: { authorization: `Bearer ${TOKEN}` } }) });
    expect(response.statusCode).toBe(200);
    return { body: response.body, json: response.json<{ status: string; mailPollers?: Record<string, unknown> }>() };
  };
  const scrape = async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(200);
    return response.body;
  };
  const mailbox = () => ({ channel_account_id: accountId });

  /** A poller on the app's health board, its log kept, and a wait for a line of it (its polls run on its own timer). */
  const startPoller = (options: ImapPollerOptions = {}) => {
    const lines: string[] = [];
    const waiters: { text: string; resolve: (line: Record<string, unknown>) => void }[] = [];
    const write = (chunk: Buffer, _encoding: unknown, done: () => void) => {
      const line = chunk.toString();
      lines.push(line);
      for (const waiter of waiters.filter((w) => line.includes(w.text))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    };
    const logger = createLogger('info', new Writable({ write }));
    const poller = startImapPoller({ ...kit.deps, logger, clock: time.clock }, { tickMs: 50, health: app.mailPollers, ...options });
    const logged = (text: string) => new Promise<Record<string, unknown>>((resolve) => waiters.push({ text, resolve }));
    return { poller, logged, lines };
  };

  /** Nothing that names a force, a mailbox, a host or a credential, nor the server's own words. */
  const expectNothingIdentifying = (text: string) => {
    for (const secret of [PASSWORD, WRONG_PASSWORD, MAILBOX, '127.0.0.1', 'demo', 'AUTHENTICATIONFAILED', 'Authentication failed', 'ECONNREFUSED']) {
      expect(text).not.toContain(secret);
    }
  };

  it('counts-a-refused-login-on-readyz-and-metrics-without-secrets-and-clears-it-after-a-good-poll', async () => {
    // No poller runs in this process yet: readiness says nothing of mailboxes.
    expect((await readyz()).json).not.toHaveProperty('mailPollers');
    const { poller, logged } = startPoller();
    try {
      const failed = await logged('polling a mailbox failed');
      expect(failed).toMatchObject({ account: accountId, reason: 'auth', restartNeeded: false });

      const ready = await readyz();
      expect(ready.json).toEqual({
        status: 'ready',
        engine: app.database.engine,
        mailPollers: { mailboxes: 1, failing: 1, restartNeeded: false, failingSince: expect.any(String) },
      });
      expect(ready.body).not.toContain(accountId);
      expectNothingIdentifying(ready.body);
      // A load balancer's probe, with no token, hears only that the process is ready.
      expect((await readyz(true)).json).toEqual({ status: 'ready', engine: app.database.engine });

      time.advance(120_000);
      const metrics = await scrape();
      expect(sample(metrics, 'bluelamp_imap_poll_failures_total', { reason: 'auth' })).toBe(1);
      expect(sample(metrics, 'bluelamp_imap_consecutive_failures', mailbox())).toBe(1);
      expect(sample(metrics, 'bluelamp_imap_failing', { ...mailbox(), reason: 'auth' })).toBe(1);
      expect(sample(metrics, 'bluelamp_imap_last_success_age_seconds', mailbox())).toBeGreaterThanOrEqual(120);
      expect(sample(metrics, 'bluelamp_imap_restart_needed')).toBe(0);
      expectNothingIdentifying(metrics.split('\n').filter((line) => line.includes('imap')).join('\n'));

      // The password is put right; the next poll works and the failure is gone from both.
      await connect({ password: PASSWORD });
      const recovered = logged('polling a mailbox works again');
      time.advance(POLL_SECONDS * 1000);
      expect(await recovered).toMatchObject({ account: accountId, failures: 1 });
      expect((await readyz()).json.mailPollers).toEqual({ mailboxes: 1, failing: 0, restartNeeded: false });
      const after = await scrape();
      expect(sample(after, 'bluelamp_imap_consecutive_failures', mailbox())).toBe(0);
      expect(sample(after, 'bluelamp_imap_failing', mailbox())).toBeNull();
      expect(sample(after, 'bluelamp_imap_last_success_age_seconds', mailbox())).toBeLessThan(60);
      expect(sample(after, 'bluelamp_imap_poll_failures_total', { reason: 'auth' })).toBe(1);
    } finally {
      await poller.close();
    }
    expect((await readyz()).json).not.toHaveProperty('mailPollers');
  });

  it('counts-a-server-that-is-down-as-a-connect-failure-and-clears-it-when-it-answers', async () => {
    await connect({ port: await freePort() });
    const { poller, logged } = startPoller();
    try {
      expect(await logged('polling a mailbox failed')).toMatchObject({ account: accountId, reason: 'connect' });
      expect((await readyz()).json.mailPollers).toMatchObject({ mailboxes: 1, failing: 1, restartNeeded: false });
      const metrics = await scrape();
      expect(sample(metrics, 'bluelamp_imap_poll_failures_total', { reason: 'connect' })).toBe(1);
      expect(sample(metrics, 'bluelamp_imap_failing', { ...mailbox(), reason: 'connect' })).toBe(1);
      expectNothingIdentifying(metrics.split('\n').filter((line) => line.includes('imap')).join('\n'));

      await connect({});
      const recovered = logged('polling a mailbox works again');
      time.advance(POLL_SECONDS * 1000);
      await recovered;
      expect((await readyz()).json.mailPollers).toEqual({ mailboxes: 1, failing: 0, restartNeeded: false });
      expect(sample(await scrape(), 'bluelamp_imap_consecutive_failures', mailbox())).toBe(0);
    } finally {
      await poller.close();
    }
  });

  it('says-restart-needed-when-the-mail-parser-failed-as-it-loaded-and-node-keeps-that-failure', async () => {
    await connect({});
    await dovecot.append([Buffer.from(fixture('rfc8601-comprehensive.eml').toString('latin1').replace('12345.abc', 'health.restart.1'), 'latin1')]);
    // What Node does with a library that was found and threw as it loaded: every import() after
    // rejects with the very same error, until the process restarts.
    const kept = new Error('mailparser threw while loading');
    const broken = startPoller({ loadMailParser: loadOnFirstUse('the mail parser (mailparser)', () => Promise.reject(kept)) });
    try {
      // The first failure cannot tell a kept one from one that the next poll may not meet.
      expect(await broken.logged('polling a mailbox failed')).toMatchObject({ reason: 'module_not_loaded', restartNeeded: false });
      const second = broken.logged('polling a mailbox failed');
      time.advance(POLL_SECONDS * 1000);
      expect(await second).toMatchObject({ reason: 'module_not_loaded', restartNeeded: true, msg: expect.stringContaining('must be restarted') });
      expect((await readyz()).json.mailPollers).toMatchObject({ mailboxes: 1, failing: 1, restartNeeded: true });
      const metrics = await scrape();
      expect(sample(metrics, 'bluelamp_imap_restart_needed')).toBe(1);
      expect(sample(metrics, 'bluelamp_imap_poll_failures_total', { reason: 'module_not_loaded' })).toBe(2);
      expect(await dovecot.unseen()).toHaveLength(1);
    } finally {
      await broken.poller.close();
    }
    // A restarted process loads the library afresh: its poller stores the mail, and the mark goes.
    const restarted = startPoller();
    try {
      expect(await restarted.logged('mailbox polled')).toMatchObject({ account: accountId, processed: 1 });
      expect((await readyz()).json.mailPollers).toEqual({ mailboxes: 1, failing: 0, restartNeeded: false });
      expect(sample(await scrape(), 'bluelamp_imap_restart_needed')).toBe(0);
      expect(await kit.messagesWithId('health.restart.1@newyork.example.com')).toHaveLength(1);
    } finally {
      await restarted.poller.close();
    }
  });
});
