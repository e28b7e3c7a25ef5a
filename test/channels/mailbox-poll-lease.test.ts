import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { MAILBOX, emailKit } from './email-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { startImapPoller } from '../../src/capabilities/channels/email/imap.poller.ts';
import type { EmailChannelConfig } from '../../src/capabilities/channels/email/email.channel.ts';

// Two workers (two processes against one database) poll the same mailboxes. Each poll of a mailbox
// holds a lease on it (decision 0190): while one worker polls, the other skips that mailbox; a
// worker that dies mid-poll (kill -9) gives nothing back, and its lease runs out after the poll's
// deadline and a minute, when the other takes it. Each poll here is a stage the test ends when it
// chooses, and the clock moves only when the test moves it.

type Imap = NonNullable<EmailChannelConfig['imap']>;
type Held = { host: string; succeed(): void };

const IMAP: Imap = { host: 'imap.lease.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-pass-0190', mailbox: 'INBOX', pollSeconds: 60 };
const DEADLINE_MS = 120_000;

describe('one poll of a mailbox at a time, across workers', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  const clock = fixedClock(new Date('2026-03-02T09:00:00.000Z'));
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    kit = emailKit(app);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  /** A worker whose polls wait, each, until the test ends them; `worker` names it in the log. */
  const startWorker = (worker: string) => {
    const held: Held[] = [];
    const poller = startImapPoller(
      { ...kit.deps, clock, logger: logger.child({ worker }) },
      {
        tickMs: 20,
        deadlineMs: DEADLINE_MS,
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
      // run out (the poll's deadline and a minute), the other worker polls the mailbox.
      clock.advance(DEADLINE_MS + 60_000);
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
});
