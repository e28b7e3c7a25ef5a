import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { MAILBOX, emailKit } from './email-kit.ts';
import { sample } from '../prometheus-text.ts';
import { fixedClock, systemClock, type Clock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { mailboxHealthWriter, mailboxKeyOf } from '../../src/capabilities/channels/mailbox-health.service.ts';
import type { EmailChannelConfig } from '../../src/capabilities/channels/email/email.channel.ts';
import { MailPollerHealth, registerMailPollerMetrics } from '../../src/platform/observability/mail-poller-health.ts';
import { storedMailPollsReader } from '../../src/platform/observability/stored-mail-polls.ts';

// A mailbox's stored health is written, and its age read at scrape time, on the database's clock
// (decision 0207): a worker whose clock runs a day ahead or behind neither hides a mailbox nobody
// polls (every worker's age read "fresh" for a day) nor makes a healthy one look stale (the alarm).
// Each worker here is a clock, the writer a poll would call, and a board scraped as /metrics is;
// the database's clock moving on is the stored time moved back, as the lease tests age a lease.

type Imap = NonNullable<EmailChannelConfig['imap']>;

const IMAP: Imap = { host: 'imap.skew.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-pass-0207', mailbox: 'INBOX', pollSeconds: 60 };
const DAY_MS = 86_400_000;
const AGE = 'bluelamp_imap_last_success_age_seconds';

describe('a mailbox’s last success read across workers whose clocks disagree', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  let admin: Awaited<ReturnType<typeof signIn>>;
  const dayAhead = (): Clock => fixedClock(new Date(Date.now() + DAY_MS));
  const dayBehind = (): Clock => fixedClock(new Date(Date.now() - DAY_MS));

  beforeAll(async () => {
    app = await createTestApp();
    kit = emailKit(app);
    admin = await signIn(app, 'admin@demo.police.uk');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  /** A worker with this clock polls the mailbox well, and its poll is stored. */
  const pollWell = async (accountId: string, clock: Clock) => {
    await mailboxHealthWriter({ ...kit.deps, clock }).recordSuccess({ id: accountId, forceId: app.demoForceId, imap: IMAP });
  };
  /** What a worker with this clock, which watches the mailbox and has not polled it itself, reports at a scrape. */
  const scrapedAge = async (accountId: string, clock: Clock) => {
    const board = new MailPollerHealth(clock);
    const registry = new Registry();
    registerMailPollerMetrics(registry, board, storedMailPollsReader(app.database));
    board.watch([{ channelAccountId: accountId, mailboxKey: mailboxKeyOf(IMAP) }]);
    return sample(await registry.metrics(), AGE, { channel_account_id: accountId });
  };
  /** The database's clock moves on this long past the stored poll. */
  const databaseMovesOn = (accountId: string, ms: number) =>
    withSystem(app.database.db, (tx) =>
      sql`update mailbox_health set last_success_at = last_success_at - ${ms}::float8 * interval '1 millisecond' where channel_account_id = ${accountId}`.execute(tx),
    );

  it('reports-the-real-age-of-a-poll-stored-by-a-worker-a-day-ahead-so-a-mailbox-nobody-polls-alarms', async () => {
    const account = await kit.connectMailbox({ imap: IMAP });
    await pollWell(account.id, dayAhead());

    // Polling stops everywhere; twenty minutes pass. The 900 s alarm must fire, not wait a day.
    await databaseMovesOn(account.id, 1_200_000);
    const age = await scrapedAge(account.id, systemClock);
    expect(age).toBeGreaterThanOrEqual(1200);
    expect(age).toBeLessThan(1260);

    // The force admin is not told the mailbox was last read tomorrow.
    const response = await app.inject({ method: 'GET', url: `/api/channels/${account.id}/mailbox`, headers: admin.headers });
    expect(response.statusCode).toBe(200);
    const lastSuccessAt = Date.parse(response.json<{ mailbox: { lastSuccessAt: string } }>().mailbox.lastSuccessAt);
    expect(lastSuccessAt).toBeLessThanOrEqual(Date.now() - 1_200_000 + 60_000);
  });

  it('does-not-make-a-fresh-poll-look-stale-when-the-worker-that-stored-it-or-the-one-scraped-is-a-day-off', async () => {
    const account = await kit.connectMailbox({ imap: IMAP });
    await pollWell(account.id, dayBehind());

    for (const clock of [systemClock, dayAhead(), dayBehind()]) {
      const age = await scrapedAge(account.id, clock);
      expect(age).not.toBeNull();
      expect(age).toBeLessThan(60);
    }
  });
});
