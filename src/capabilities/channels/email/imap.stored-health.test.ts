import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOtherForce, createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { MAILBOX, emailKit, movableClock } from '../../../../test/channels/email-kit.ts';
import { canRunDovecot, startDovecot, type Dovecot } from '../../../../test/channels/dovecot-kit.ts';
import { findEmailAccount } from './email.ingest.ts';
import { startImapPoller } from './imap.poller.ts';

// A force admin sees their mailbox's health in the console (decision 0175): the poller stores it
// where any process reads it, only when it changes, and the API shows it to that force alone.

const PASSWORD = 'imap-pass-0175';
const WRONG_PASSWORD = 'not-the-password-0175';
const POLL_SECONDS = 10;

type Health = { mailbox: { lastSuccessAt: string | null; failingSince: string | null; failure: string | null; isRestartNeeded: boolean; updatedAt: string } | null; notPolled: string | null };

describe.skipIf(!canRunDovecot)('a mailbox’s health stored for its force’s admin', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  let dovecot: Dovecot;
  let accountId: string;
  let admin: Awaited<ReturnType<typeof signIn>>;
  const time = movableClock();

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock: time.clock } });
    kit = emailKit(app);
    dovecot = await startDovecot(MAILBOX, PASSWORD);
    await connect(WRONG_PASSWORD);
    const found = await findEmailAccount(kit.deps, MAILBOX);
    if (!found) throw new Error('no demo mailbox');
    accountId = found.id;
    admin = await signIn(app, 'admin@demo.police.uk');
  }, 60_000);
  afterAll(async () => {
    await dovecot?.stop();
    await app?.close();
  });

  const connect = (password: string) =>
    kit.connectMailbox({ imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: MAILBOX, password, mailbox: 'INBOX', pollSeconds: POLL_SECONDS } });
  const read = async (headers = admin.headers) => {
    const response = await app.inject({ method: 'GET', url: `/api/channels/${accountId}/mailbox`, headers });
    return { status: response.statusCode, body: response.body, health: response.json<Health>() };
  };
  /** A poller in this process; its polls run on their own timer, and the board says when each has ended. */
  const startPoller = () => startImapPoller({ ...kit.deps, clock: time.clock }, { tickMs: 20, health: app.mailPollers });
  const board = () => app.mailPollers.mailboxes().find((state) => state.channelAccountId === accountId);
  /**
   * A stored time is the database's clock (decision 0207), which the moved clock does not move: a
   * poll just stored is no later than the database's now, and of the last minute by it.
   */
  const isJustNow = async (stored: string | null | undefined) => {
    if (!stored) return false;
    const { rows } = await sql<{ now: Date }>`select statement_timestamp() as now`.execute(app.database.db);
    const age = rows[0]!.now.getTime() - Date.parse(stored);
    return age >= 0 && age < 60_000;
  };
  /** Moves the clock to the next poll and waits for it to end (the store is written before the board). */
  const nextPoll = async (outcome: 'success' | 'failure') => {
    const before = board();
    const failures = before?.consecutiveFailures ?? 0;
    time.advance(POLL_SECONDS * 1000);
    const at = time.clock.now().getTime();
    await vi.waitFor(
      () => {
        const state = board();
        if (outcome === 'success') expect(state?.lastSuccessAt?.getTime() ?? 0).toBeGreaterThanOrEqual(at);
        else expect(state?.consecutiveFailures).toBe(failures + 1);
      },
      { timeout: 15_000, interval: 10 },
    );
  };

  it('records-failing-since-and-sign-in-refused-without-the-server-s-words-keeps-its-start-and-clears-it-after-a-good-poll', async () => {
    expect((await read()).health).toEqual({ mailbox: null, notPolled: null });
    const poller = startPoller();
    try {
      await vi.waitFor(() => expect(board()?.consecutiveFailures).toBe(1), { timeout: 15_000, interval: 10 });
      const failed = await read();
      expect(failed.status).toBe(200);
      const since = failed.health.mailbox?.failingSince;
      expect(failed.health.mailbox).toMatchObject({ lastSuccessAt: null, failure: 'auth', isRestartNeeded: false, failingSince: expect.any(String) });
      expect(await isJustNow(since)).toBe(true);
      for (const words of [MAILBOX, PASSWORD, WRONG_PASSWORD, 'AUTHENTICATIONFAILED', 'Authentication failed', '127.0.0.1']) expect(failed.body).not.toContain(words);

      // Failing on: the run keeps its start, and nothing is written again.
      await nextPoll('failure');
      expect((await read()).health.mailbox).toEqual(failed.health.mailbox);

      // The password is put right: the next poll clears the failure and records the success.
      await connect(PASSWORD);
      await nextPoll('success');
      const recovered = (await read()).health.mailbox;
      expect(recovered).toMatchObject({ failingSince: null, failure: null, isRestartNeeded: false });
      expect(await isJustNow(recovered?.lastSuccessAt)).toBe(true);
    } finally {
      await poller.close();
    }
  });

  it('writes-a-healthy-mailbox-s-last-success-at-most-once-a-minute', async () => {
    await connect(PASSWORD);
    const poller = startPoller();
    try {
      await nextPoll('success');
      const first = (await read()).health.mailbox;
      const firstAt = Date.parse(first?.lastSuccessAt ?? '');
      expect(await isJustNow(first?.lastSuccessAt)).toBe(true);
      // Polls every ten seconds for the next minute: the stored row is not written again.
      for (let poll = 1; poll < 6; poll += 1) {
        await nextPoll('success');
        expect((await read()).health.mailbox).toEqual(first);
      }
      // A minute after the success last written, the next good poll writes it again.
      await nextPoll('success');
      const later = (await read()).health.mailbox;
      expect(await isJustNow(later?.lastSuccessAt)).toBe(true);
      // Written again: the minute is this process's clock, the time stored the database's.
      expect(Date.parse(later?.lastSuccessAt ?? '')).toBeGreaterThan(firstAt);
    } finally {
      await poller.close();
    }
  });

  it('is-not-found-for-another-force-s-admin-and-needs-the-channel-permission', async () => {
    const other = await createOtherForce(app, ['force_admin', 'call_handler']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    const refused = await read(otherAdmin.headers);
    expect(refused.status).toBe(404);
    expect(refused.body).not.toContain('lastSuccessAt');
    const handler = await signIn(app, 'handler@demo.police.uk');
    expect((await read(handler.headers)).status).toBe(403);
  });
});
