import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { MAILBOX, emailKit } from './email-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { mailboxHealthWriter } from '../../src/capabilities/channels/mailbox-health.service.ts';
import type { EmailChannelConfig } from '../../src/capabilities/channels/email/email.channel.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A mailbox's stored health follows the account's settings (decision 0181): once a force admin
// removes the IMAP settings, switches the account off or points it at another mailbox, the console
// is not shown the last read, or the failure, of a mailbox no longer polled or no longer the same.
// The poller's own writer stores what a poll would, so no mail server is needed.

type Imap = NonNullable<EmailChannelConfig['imap']>;
type Reading = {
  mailbox: { lastSuccessAt: string | null; failingSince: string | null; failure: string | null; isRestartNeeded: boolean; updatedAt: string; isFromBeforeUpgrade?: boolean } | null;
  notPolled?: string | null;
};

const FIRST: Imap = { host: 'imap.first.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-pass-0181', mailbox: 'INBOX', pollSeconds: 60 };
const OTHER: Imap = { ...FIRST, host: 'imap.other.example.net', user: 'reports@demo.police.uk' };

describe('a mailbox’s health follows its account’s settings', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  let admin: Awaited<ReturnType<typeof signIn>>;
  // A clock that stands still until moved: it spaces the writer's writes and stamps the settings; the health's times are the database's (decision 0207).
  const clock = fixedClock(new Date('2026-03-02T09:00:00.000Z'));

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
  /** The force admin connects the account again with these IMAP settings (null: none). */
  const reconnect = async (accountId: string, imap: Imap | null) => {
    const payload = { label: 'Demo mailbox', config: { address: MAILBOX, displayName: 'Demo Constabulary', imap } };
    const response = await app.inject({ method: 'POST', url: `/api/channels/${accountId}/reconnect`, headers: admin.headers, payload });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ account: { version: number } }>().account;
  };
  const switchTo = async (accountId: string, isEnabled: boolean, version: number) => {
    const response = await app.inject({ method: 'POST', url: `/api/channels/${accountId}`, headers: admin.headers, payload: { isEnabled, version } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ account: { version: number } }>().account;
  };
  const polled = (id: string, imap: Imap) => ({ id, forceId: app.demoForceId, imap });

  it('says-no-mailbox-is-polled-once-its-imap-settings-are-removed', async () => {
    const account = await kit.connectMailbox({ imap: FIRST });
    const stored = mailboxHealthWriter(kit.deps);
    await stored.recordFailure(polled(account.id, FIRST), 'auth', false);
    expect((await read(account.id)).mailbox).toMatchObject({ failure: 'auth', lastSuccessAt: null });

    // A new password is the same mailbox: its failure stays until the next poll says otherwise.
    await reconnect(account.id, { ...FIRST, password: 'put-right-0181' });
    expect(await read(account.id)).toMatchObject({ mailbox: { failure: 'auth' }, notPolled: null });

    await reconnect(account.id, null);
    expect(await read(account.id)).toEqual({ mailbox: null, notPolled: 'no_mailbox_settings' });
  });

  it('shows-none-of-the-old-mailbox-s-health-once-the-settings-name-another-and-starts-the-new-one-s-afresh', async () => {
    const account = await kit.connectMailbox({ imap: FIRST });
    const stored = mailboxHealthWriter(kit.deps);
    await stored.recordSuccess(polled(account.id, FIRST));
    clock.advance(120_000);
    await stored.recordFailure(polled(account.id, FIRST), 'auth', false);
    const old = (await read(account.id)).mailbox;
    expect(old).toMatchObject({ failure: 'auth', lastSuccessAt: expect.any(String), failingSince: expect.any(String) });

    await reconnect(account.id, OTHER);
    expect(await read(account.id)).toEqual({ mailbox: null, notPolled: null });

    // The other mailbox refuses the sign-in too: its run of failures starts now (the database's clock, decision 0207), and it was never read.
    clock.advance(60_000);
    await stored.recordFailure(polled(account.id, OTHER), 'auth', false);
    const other = (await read(account.id)).mailbox;
    expect(other).toMatchObject({ failure: 'auth', failingSince: other?.updatedAt, lastSuccessAt: null });
    expect(Date.parse(other?.failingSince ?? '')).toBeGreaterThan(Date.parse(old?.failingSince ?? ''));
  });

  it('says-a-switched-off-account-s-mailbox-is-not-polled-and-shows-its-health-again-once-switched-on', async () => {
    const account = await kit.connectMailbox({ imap: FIRST });
    const stored = mailboxHealthWriter(kit.deps);
    clock.advance(120_000);
    await stored.recordSuccess(polled(account.id, FIRST));
    const healthy = await read(account.id);
    expect(healthy).toMatchObject({ mailbox: { failure: null, lastSuccessAt: healthy.mailbox?.updatedAt }, notPolled: null });
    expect(healthy.mailbox?.lastSuccessAt).toEqual(expect.any(String));

    const off = await switchTo(account.id, false, account.version);
    expect(await read(account.id)).toEqual({ mailbox: null, notPolled: 'account_disabled' });
    await switchTo(account.id, true, off.version);
    expect(await read(account.id)).toEqual(healthy);
  });

  /** A row as the poller stored it before migration 0095: it names no mailbox. */
  const storeUnnamedHealth = (accountId: string, at: Date, failure: 'auth' | null) => {
    const row = { last_success_at: failure ? null : at, failing_since: failure ? at : null, failure, is_restart_needed: false, updated_at: at, mailbox_key: null };
    return withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .insertInto('mailbox_health')
        .values({ channel_account_id: accountId, force_id: app.demoForceId, ...row })
        .onConflict((conflict) => conflict.column('channel_account_id').doUpdateSet(row))
        .execute(),
    );
  };

  /** Now on the database's clock, which stamps the account's settings (decision 0210). */
  const databaseNow = async () => {
    const { rows } = await sql<{ now: Date }>`select statement_timestamp() as now`.execute(app.database.db);
    const now = rows[0]?.now;
    if (!now) throw new Error('the database gave no time');
    return now;
  };

  it('shows-a-health-stored-before-the-upgrade-as-such-while-the-settings-are-those-it-was-stored-under', async () => {
    const account = await kit.connectMailbox({ imap: FIRST });
    clock.advance(60_000);
    const storedAt = await databaseNow();
    const readAt = storedAt.toISOString();
    await storeUnnamedHealth(account.id, storedAt, null);
    expect(await read(account.id)).toEqual({
      mailbox: { lastSuccessAt: readAt, failingSince: null, failure: null, isRestartNeeded: false, updatedAt: readAt, isFromBeforeUpgrade: true },
      notPolled: null,
    });

    // The next poll names its mailbox and says how it is now; the last read stored before is that mailbox's.
    clock.advance(60_000);
    await mailboxHealthWriter(kit.deps).recordFailure(polled(account.id, FIRST), 'auth', false);
    const next = (await read(account.id)).mailbox;
    expect(next).toMatchObject({ failure: 'auth', failingSince: next?.updatedAt, lastSuccessAt: readAt, isFromBeforeUpgrade: false });
    expect(next?.failingSince).toEqual(expect.any(String));
  });

  it('shows-none-of-a-health-stored-before-the-upgrade-once-the-settings-changed-after-it', async () => {
    const account = await kit.connectMailbox({ imap: FIRST });
    clock.advance(60_000);
    await storeUnnamedHealth(account.id, await databaseNow(), 'auth');
    expect((await read(account.id)).mailbox).toMatchObject({ failure: 'auth', isFromBeforeUpgrade: true });

    // Which mailbox the row was of is not known: the settings changed since, so it may not be theirs.
    clock.advance(60_000);
    await reconnect(account.id, OTHER);
    expect(await read(account.id)).toEqual({ mailbox: null, notPolled: null });
  });
});
