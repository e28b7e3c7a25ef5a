import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { MAILBOX, emailKit } from './email-kit.ts';
import { sample } from '../prometheus-text.ts';
import { watchEngineCalls } from '../engine-calls.ts';
import { fixedClock, type Clock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { startImapPoller } from '../../src/capabilities/channels/email/imap.poller.ts';
import type { EmailChannelConfig } from '../../src/capabilities/channels/email/email.channel.ts';
import { MailPollerHealth } from '../../src/platform/observability/mail-poller-health.ts';

// Two workers (two processes against one database) poll the same mailboxes. Each poll of a mailbox
// holds a lease on it (decision 0190): while one worker polls, the other skips that mailbox; a
// worker that dies mid-poll (kill -9) gives nothing back, and its lease runs out after the poll's
// deadline and a minute, when the other takes it. Each poll here is a stage the test ends when it
// chooses, and the workers' clock moves only when the test moves it. A lease's time is the
// database's clock (decision 0197), which the test cannot stop: a lease is aged instead, its
// `expires_at` moved back by as long as the database's clock would have moved on.

type Imap = NonNullable<EmailChannelConfig['imap']>;
type Held = { host: string; succeed(): void };

const IMAP: Imap = { host: 'imap.lease.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-pass-0190', mailbox: 'INBOX', pollSeconds: 60 };
const DEADLINE_MS = 120_000;
/** The lease a poll holds: its deadline and a minute. */
const LEASE_MS = DEADLINE_MS + 60_000;
const TOKEN = 'metrics-token-for-the-mailbox-lease-test';

describe('one poll of a mailbox at a time, across workers', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  const clock = fixedClock(new Date('2026-03-02T09:00:00.000Z'));
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });

  beforeAll(async () => {
    app = await createTestApp({ env: { METRICS_TOKEN: TOKEN }, overrides: { clock } });
    kit = emailKit(app);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });
  // Each test starts with no lease held: a worker killed mid-poll in one leaves its lease behind.
  beforeEach(async () => {
    await withSystem(app.database.db, (tx) => tx.deleteFrom('mailbox_poll_leases').execute());
  });

  /** Every lease held, as it will be once the database's clock has moved on by `ms`. */
  const ageLeases = (ms: number) =>
    withSystem(app.database.db, (tx) => sql`update mailbox_poll_leases set expires_at = expires_at - ${ms}::float8 * interval '1 millisecond'`.execute(tx));
  const leaseRows = (accountId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('mailbox_poll_leases').select(['holder']).where('channel_account_id', '=', accountId).execute());

  /** A worker whose polls wait, each, until the test ends them; `worker` names it in the log, `own` gives it its own clock or health board. */
  const startWorker = (worker: string, own: { clock?: Clock; health?: MailPollerHealth } = {}) => {
    const held: Held[] = [];
    const poller = startImapPoller(
      { ...kit.deps, clock: own.clock ?? clock, logger: logger.child({ worker }) },
      {
        tickMs: 20,
        deadlineMs: DEADLINE_MS,
        ...(own.health ? { health: own.health } : {}),
        pollOne: (_deps, _account, imap, options) =>
          new Promise((resolve, reject) => {
            held.push({ host: imap.host, succeed: () => resolve({ processed: 0, quarantined: 0 }) });
            options?.signal?.addEventListener('abort', () => reject(new Error('the poller is closing')), { once: true });
          }),
      },
    );
    const skipped = () => logs.filter((line) => line.worker === worker && line.msg === 'another process is polling the mailbox; skipped').length;
    const outlasted = () => logs.find((line) => line.worker === worker && line.msg === 'a poll outlasted its lease on the mailbox; another process may have polled it at the same time');
    const gaveBack = () => logs.some((line) => line.worker === worker && line.msg === 'mailbox lease given back');
    return { poller, held, skipped, outlasted, gaveBack };
  };

  it('skips-a-mailbox-another-worker-polls-and-takes-it-once-a-dead-holder-s-lease-runs-out', async () => {
    const account = await kit.connectMailbox({ imap: IMAP });
    const first = startWorker('first');
    const second = startWorker('second');
    let third: ReturnType<typeof startWorker> | null = null;
    try {
      // Whichever worker's tick came first polls; the other skips the mailbox, and again when it is next due.
      await vi.waitFor(() => expect(first.held.length + second.held.length).toBe(1), { timeout: 10_000, interval: 10 });
      const [holder, other] = first.held.length === 1 ? [first, second] : [second, first];
      await vi.waitFor(() => expect(other.skipped()).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 10 });
      clock.advance(IMAP.pollSeconds * 1000);
      const before = other.skipped();
      await vi.waitFor(() => expect(other.skipped()).toBeGreaterThan(before), { timeout: 10_000, interval: 10 });
      expect(other.held).toEqual([]);
      // The skip names the account only: nothing of the mailbox or its address.
      const line = logs.find((each) => each.msg === 'another process is polling the mailbox; skipped');
      expect(line).toMatchObject({ level: 20, account: account.id });
      expect(JSON.stringify(line)).not.toContain(IMAP.host);
      expect(JSON.stringify(line)).not.toContain(MAILBOX);

      // The holder never ends its poll, as a process killed mid-poll never does: once its lease has
      // run out (the poll's deadline and a minute, by the database's clock), the other worker polls
      // the mailbox; not before (a minute short of it: the real time this test takes to get here, even on a
      // busy machine, must not run the lease out early).
      await ageLeases(LEASE_MS - 60_000);
      clock.advance(IMAP.pollSeconds * 1000);
      const beforeAged = other.skipped();
      await vi.waitFor(() => expect(other.skipped()).toBeGreaterThan(beforeAged), { timeout: 10_000, interval: 10 });
      expect(other.held).toEqual([]);
      await ageLeases(60_000);
      clock.advance(IMAP.pollSeconds * 1000);
      await vi.waitFor(() => expect(other.held.map((poll) => poll.host)).toEqual([IMAP.host]), { timeout: 10_000, interval: 10 });

      // The late holder's poll ends, and says it outlasted its lease; it gives back only its own
      // lease, none, so a third worker still skips. The holder then stops, as the dead process had.
      holder.held[0]?.succeed();
      await vi.waitFor(() => expect(holder.outlasted()).toBeDefined(), { timeout: 10_000, interval: 10 });
      expect(holder.outlasted()).toMatchObject({ level: 40, account: account.id });
      await holder.poller.close();
      third = startWorker('third');
      await vi.waitFor(() => expect(third?.skipped()).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 10 });
      expect(third.held).toEqual([]);

      // The poll that holds the lease ends and gives it back: at its next turn the third worker polls.
      other.held[0]?.succeed();
      await vi.waitFor(() => expect(other.gaveBack()).toBe(true), { timeout: 10_000, interval: 10 });
      await other.poller.close();
      clock.advance(IMAP.pollSeconds * 1000);
      await vi.waitFor(() => expect(third?.held.map((poll) => poll.host)).toEqual([IMAP.host]), { timeout: 10_000, interval: 10 });
    } finally {
      await first.poller.close();
      await second.poller.close();
      await third?.poller.close();
    }
  });

  it('keeps-a-lease-held-whatever-the-clocks-of-the-workers-say-as-the-database-s-clock-decides', async () => {
    await kit.connectMailbox({ imap: IMAP });
    const day = 24 * 3600_000;
    // A node whose clock runs a day ahead: by its own clock, every lease the others took has run out.
    const onTime = startWorker('on-time');
    let ahead: ReturnType<typeof startWorker> | null = null;
    try {
      await vi.waitFor(() => expect(onTime.held).toHaveLength(1), { timeout: 10_000, interval: 10 });
      ahead = startWorker('ahead', { clock: fixedClock(new Date(clock.now().getTime() + day)) });
      await vi.waitFor(() => expect(ahead?.skipped()).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 10 });
      expect(ahead.held).toEqual([]);
    } finally {
      await onTime.poller.close();
      await ahead?.poller.close();
    }
    // A node whose clock runs a day behind: its lease would have run out, by the others' clocks, before it was taken.
    const behind = startWorker('behind', { clock: fixedClock(new Date(clock.now().getTime() - day)) });
    let other: ReturnType<typeof startWorker> | null = null;
    try {
      await vi.waitFor(() => expect(behind.held).toHaveLength(1), { timeout: 10_000, interval: 10 });
      other = startWorker('other');
      await vi.waitFor(() => expect(other?.skipped()).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 10 });
      expect(other.held).toEqual([]);
      // Once the database's clock has run through the lease, the other worker takes it.
      await ageLeases(LEASE_MS);
      clock.advance(IMAP.pollSeconds * 1000);
      await vi.waitFor(() => expect(other?.held).toHaveLength(1), { timeout: 10_000, interval: 10 });
    } finally {
      await behind.poller.close();
      await other?.poller.close();
    }
  });

  it('serves-on-every-worker-s-metrics-the-last-poll-of-a-mailbox-by-any-worker', async () => {
    const account = await kit.connectMailbox({ imap: IMAP });
    const scrape = async () => {
      const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.statusCode).toBe(200);
      return sample(response.body, 'bluelamp_imap_last_success_age_seconds', { channel_account_id: account.id });
    };
    // The polling worker keeps its own board, as another process would; the app's /metrics is the skipping worker's.
    const polling = startWorker('polling', { health: new MailPollerHealth(clock) });
    let skipping: ReturnType<typeof startWorker> | null = null;
    try {
      await vi.waitFor(() => expect(polling.held).toHaveLength(1), { timeout: 10_000, interval: 10 });
      skipping = startWorker('skipping', { health: app.mailPollers });
      await vi.waitFor(() => expect(skipping?.skipped()).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 10 });
      // Twenty minutes on, the polling worker's poll ends well: the skipping worker's age of the mailbox counts from it.
      clock.advance(20 * 60_000);
      polling.held[0]?.succeed();
      await vi.waitFor(() => expect(polling.gaveBack()).toBe(true), { timeout: 10_000, interval: 10 });
      // The stored poll is stamped and aged on the database's clock (decision 0207), which the moved
      // clock does not move: just stored, it is a few moments old by it, not the twenty minutes the
      // skipping worker has been watching.
      expect(await scrape()).toBeLessThan(60);
      // Five minutes pass on the database's clock: the stored poll is moved back by them.
      await withSystem(app.database.db, (tx) =>
        sql`update mailbox_health set last_success_at = last_success_at - interval '5 minutes' where channel_account_id = ${account.id}`.execute(tx),
      );
      const aged = await scrape();
      expect(aged).toBeGreaterThanOrEqual(300);
      expect(aged).toBeLessThan(360);
    } finally {
      await polling.poller.close();
      await skipping?.poller.close();
    }
  });

  it('runs-no-poll-and-gives-the-lease-back-when-the-worker-closes-while-it-takes-the-lease', async () => {
    const account = await kit.connectMailbox({ imap: IMAP });
    // The statement that takes the lease runs, and its answer is held back until the test lets it
    // go: the lease is taken in the database (not yet committed) when the worker begins to close.
    let isTaking = false;
    let release: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const restore = watchEngineCalls((text, call) => {
      if (!text.includes('insert into "mailbox_poll_leases"') || isTaking) return call();
      isTaking = true;
      return Promise.resolve(call()).then(async (result) => {
        await answered;
        return result;
      });
    });
    const worker = startWorker('closing');
    try {
      await vi.waitFor(() => expect(isTaking).toBe(true), { timeout: 10_000, interval: 10 });
      let isClosed = false;
      const closed = worker.poller.close().then(() => {
        isClosed = true;
      });
      // close() waits for the lease being taken: it cannot leave it behind.
      await new Promise((resolve) => setImmediate(resolve));
      expect(isClosed).toBe(false);
      release();
      await closed;
      expect(worker.held).toEqual([]);
      expect(await leaseRows(account.id)).toEqual([]);
      expect(worker.gaveBack()).toBe(true);
      // Nothing polls after close, however long the worker's clock runs on: another worker takes
      // the free lease and polls, in as many ticks as the closed one would have had to poll in.
      restore();
      clock.advance(IMAP.pollSeconds * 1000 * 5);
      const next = startWorker('next');
      try {
        await vi.waitFor(() => expect(next.held).toHaveLength(1), { timeout: 10_000, interval: 10 });
        expect(worker.held).toEqual([]);
      } finally {
        await next.poller.close();
      }
    } finally {
      release();
      restore();
      await worker.poller.close();
    }
  });
});
