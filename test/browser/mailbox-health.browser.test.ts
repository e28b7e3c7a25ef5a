/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp } from '../helpers.ts';
import { MAILBOX, emailKit, movableClock } from '../channels/email-kit.ts';
import { mailboxHealthWriter } from '../../src/capabilities/channels/mailbox-health.service.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A force admin sees on the channel accounts page that their mailbox is not being read, since when
// and why in plain words (decision 0175), that it is read again once the poller succeeds, and that
// none is polled once its IMAP settings are removed (decision 0181), and that a health stored before
// the upgrade that named each mailbox is of then (decision 0188).

describe('a mailbox’s health on the channel accounts page, in a real browser', () => {
  const time = movableClock();
  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock: time.clock } }) });

  it('shows-failing-since-and-sign-in-refused-then-last-read-after-a-good-poll-with-no-axe-violations', async () => {
    const kit = emailKit(suite.app);
    const imap = { host: 'imap.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-pass-0175', mailbox: 'INBOX', pollSeconds: 60 };
    const account = await kit.connectMailbox({ imap });
    // What the poller stores for it, through the poller's own writer.
    const stored = mailboxHealthWriter(kit.deps);
    const mailbox = { id: account.id, forceId: suite.app.demoForceId, imap };
    await stored.recordFailure(mailbox, 'auth', false);

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/channels`);
    const row = page.getByTestId('channel-row').filter({ hasText: account.label });
    const health = row.getByTestId('mailbox-health');
    await health.waitFor();
    await expect(health.getAttribute('data-failing')).resolves.toBe('true');
    const failing = await health.textContent();
    expect(failing).toContain('Mailbox not read');
    expect(failing).toMatch(/Failing since .+: the mail server refused the sign-in: check the user name and password/);
    expect(failing).toContain('has not been read yet');
    expect(failing).not.toContain(MAILBOX);
    await expectNoAxeViolations(page);

    time.advance(120_000);
    await stored.recordSuccess(mailbox);
    await page.reload();
    await expect.poll(() => row.getByTestId('mailbox-health').getAttribute('data-failing'), { timeout: 20_000 }).toBe('false');
    await expect(row.getByTestId('mailbox-health').textContent()).resolves.toMatch(/^Mailbox last read .+\.$/);
    await expectNoAxeViolations(page);

    // Its IMAP settings removed, the mailbox it read is no longer polled: no "last read" for it (decision 0181).
    await kit.connectMailbox({ imap: null });
    await page.reload();
    await expect.poll(() => row.getByTestId('mailbox-health').textContent(), { timeout: 20_000 }).toContain('No mailbox is polled');
    await expect(row.getByTestId('mailbox-health').textContent()).resolves.not.toContain('last read');
  });

  it('says-a-last-read-stored-before-the-upgrade-is-of-then-with-no-axe-violations', async () => {
    const kit = emailKit(suite.app);
    const imap = { host: 'imap.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-pass-0188', mailbox: 'INBOX', pollSeconds: 60 };
    const account = await kit.connectMailbox({ imap });
    // The row as the poller stored it before migration 0095, after the settings were last changed: it names no mailbox.
    time.advance(60_000);
    const row = { last_success_at: time.clock.now(), failing_since: null, failure: null, is_restart_needed: false, updated_at: time.clock.now(), mailbox_key: null };
    await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx
        .insertInto('mailbox_health')
        .values({ channel_account_id: account.id, force_id: suite.app.demoForceId, ...row })
        .onConflict((conflict) => conflict.column('channel_account_id').doUpdateSet(row))
        .execute(),
    );

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/channels`);
    const health = page.getByTestId('channel-row').filter({ hasText: account.label }).getByTestId('mailbox-health');
    await health.waitFor();
    await expect(health.getAttribute('data-failing')).resolves.toBe('false');
    await expect(health.textContent()).resolves.toMatch(/^Mailbox last read .+\. As stored before Bluelamp was upgraded: the next poll says how it is now\.$/);
    await expectNoAxeViolations(page);
  });
});
