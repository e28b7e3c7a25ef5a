import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { MAILBOX, emailKit } from './email-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { MailboxPollError, startImapPoller } from '../../src/capabilities/channels/email/imap.poller.ts';
import type { EmailChannelConfig } from '../../src/capabilities/channels/email/email.channel.ts';
import { LEASE_GRACE_MS } from '../../src/capabilities/channels/email/imap.lease.ts';
import { MailPollerHealth } from '../../src/platform/observability/mail-poller-health.ts';

// A poll still in flight when a force admin points the account at another mailbox ends after the
// new mailbox's first poll has been stored (decision 0188): its late result must not replace the
// new mailbox's health. Two workers poll here, as two nodes would, the first stalled past its lease
// on the account (decision 0190), which is the only way the second polls it meanwhile; each poll of
// a mailbox is a stage the test ends when it chooses, so the order is the test's and no mail server is needed.

type Imap = NonNullable<EmailChannelConfig['imap']>;
type Reading = { mailbox: { lastSuccessAt: string | null; failingSince: string | null; failure: string | null } | null; notPolled: string | null };
type Held = { host: string; succeed(): void; fail(error: Error): void };

const FIRST: Imap = { host: 'imap.first.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-pass-0188', mailbox: 'INBOX', pollSeconds: 60 };
const OTHER: Imap = { ...FIRST, host: 'imap.other.example.net', user: 'reports@demo.police.uk' };
/** Each worker's deadline for one poll: its lease on the account runs out a grace after it. */
const DEADLINE_MS = 300_000;

describe('a late poll of a mailbox the settings no longer name', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  let admin: Awaited<ReturnType<typeof signIn>>;
  // A clock that stands still until moved: it runs the workers' polls; the health's times are the database's (decision 0207).
  const clock = fixedClock(new Date('2026-03-02T09:00:00.000Z'));
  // What the workers log at info and above, as a deployment's log keeps it.
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    kit = emailKit(app);
    admin = await signIn(app, 'admin@demo.police.uk');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const read = async (accountId: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/channels/${accountId}/mailbox`, headers: admin.headers });
    expect(response.statusCode).toBe(200);
    return response.json<Reading>();
  };

  /** A worker whose polls wait, each, until the test ends them; its board says when an outcome has been stored. */
  const startWorker = () => {
    const held: Held[] = [];
    const board = new MailPollerHealth(clock);
    const poller = startImapPoller(
      { ...kit.deps, clock, logger },
      {
        tickMs: 20,
        deadlineMs: DEADLINE_MS,
        health: board,
        pollOne: (_deps, _account, imap, options) =>
          new Promise((resolve, reject) => {
            held.push({ host: imap.host, succeed: () => resolve({ processed: 0, quarantined: 0 }), fail: reject });
            // close() ends a poll in flight, as it ends a real one.
            options?.signal?.addEventListener('abort', () => reject(new Error('the poller is closing')), { once: true });
          }),
      },
    );
    const heldPoll = async (host: string) => {
      await vi.waitFor(() => expect(held.map((poll) => poll.host)).toContain(host), { timeout: 15_000, interval: 10 });
      const poll = held.find((each) => each.host === host);
      if (!poll) throw new Error(`no poll of ${host}`);
      return poll;
    };
    return { poller, board, heldPoll };
  };

  it('keeps-the-new-mailbox-s-failure-when-the-old-mailbox-s-poll-ends-after-it', async () => {
    const account = await kit.connectMailbox({ imap: FIRST });
    const slow = startWorker();
    let quick: ReturnType<typeof startWorker> | null = null;
    try {
      // The first worker's poll of the first mailbox is in flight when the admin points the account at another.
      const oldPoll = await slow.heldPoll(FIRST.host);
      const reconnected = await app.inject({
        method: 'POST',
        url: `/api/channels/${account.id}/reconnect`,
        headers: admin.headers,
        payload: { label: 'Demo mailbox', config: { address: MAILBOX, displayName: 'Demo Constabulary', imap: OTHER } },
      });
      expect(reconnected.statusCode, reconnected.body).toBe(200);

      // Another worker polls the other mailbox, which refuses the sign-in: stored. It may poll the
      // account only once the first worker's lease has run out (decision 0190): that worker stalled.
      // The lease's time is the database's clock (decision 0197): it is moved on by ageing the lease.
      await withSystem(app.database.db, (tx) =>
        sql`update mailbox_poll_leases set expires_at = expires_at - ${DEADLINE_MS + LEASE_GRACE_MS + 1_000}::float8 * interval '1 millisecond'`.execute(tx),
      );
      clock.advance(DEADLINE_MS + LEASE_GRACE_MS + 1_000);
      quick = startWorker();
      (await quick.heldPoll(OTHER.host)).fail(new MailboxPollError('auth', 'sign-in refused', { cause: null }));
      await vi.waitFor(() => expect(quick?.board.mailboxes()[0]?.consecutiveFailures).toBe(1), { timeout: 15_000, interval: 10 });
      // Its start is the database's clock (decision 0207): whatever it is, the late poll must leave it.
      const failingSince = (await read(account.id)).mailbox?.failingSince;
      expect((await read(account.id)).mailbox).toMatchObject({ failure: 'auth', failingSince: expect.any(String), lastSuccessAt: null });

      // Then the first worker's poll of the first mailbox ends, well: it is not the mailbox the settings name.
      clock.advance(1_000);
      oldPoll.succeed();
      await vi.waitFor(() => expect(slow.board.mailboxes()[0]?.lastSuccessAt).not.toBeNull(), { timeout: 15_000, interval: 10 });
      expect(await read(account.id)).toEqual({ mailbox: expect.objectContaining({ failure: 'auth', failingSince, lastSuccessAt: null }), notPolled: null });
      // The result thrown away is in the log at info, naming the account and nothing of either mailbox.
      const dropped = logs.filter((line) => line.msg === 'a poll of a mailbox the account’s settings no longer name is not stored');
      expect(dropped).toEqual([expect.objectContaining({ level: 30, account: account.id, outcome: 'success' })]);
      for (const secret of [FIRST.host, OTHER.host, FIRST.user, OTHER.user, FIRST.password]) expect(JSON.stringify(dropped)).not.toContain(secret);
    } finally {
      await slow.poller.close();
      await quick?.poller.close();
    }
  });
});
