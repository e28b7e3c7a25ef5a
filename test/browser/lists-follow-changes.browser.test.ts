/// <reference lib="dom" />
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { addTestStaff, createTestApp, signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// Two admins in two sessions: what one saves appears at once in the lists the other has open (the
// queues, the queue rules, the staff), without a reload, a moved focus or a loading state, and a
// polite status says so. A form open on the changed record keeps what was typed in it and gives
// its own notice (decisions 0096 and 0102).

type Queue = { id: string; key: string; name: string; warnAtPercent: number; version: number };
type Rule = { queueId: string; channels: string[] | null; categories: string[] | null; priorities: number[] | null };
type Queues = { queues: Queue[]; rules: Rule[]; rulesVersion: number };

describe('list pages following changes made in another session, in a real browser', () => {
  const suite = startBrowserSuite({
    app: async () => {
      const app = await createTestApp();
      await addTestStaff(app, app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'demo-password' });
      return app;
    },
  });

  const read = async (headers: Record<string, string>) => (await suite.app.inject({ method: 'GET', url: '/api/queues', headers })).json<Queues>();
  /** Marks the document, so a reload (which would clear the mark) is seen. */
  const markDocument = (page: Page) => page.evaluate(() => document.documentElement.setAttribute('data-not-reloaded', 'yes'));
  const isSameDocument = (page: Page) => page.evaluate(() => document.documentElement.getAttribute('data-not-reloaded') === 'yes');
  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

  it('shows-another-admin-s-queue-change-in-the-open-list-keeps-focus-and-an-open-form-s-typing-with-no-axe-violations', async () => {
    const other = await signIn(suite.app, 'second.admin@demo.police.uk');
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/queues`);
    const general = page.locator('[data-testid="queue-admin-row"][data-queue-key="general"]');
    const warnCell = general.locator('td').nth(4);
    await expect.poll(() => warnCell.textContent()).toMatch(/^\d+%$/);
    await markDocument(page);
    await general.getByRole('button', { name: /^Change targets of / }).focus();

    // The other admin, in their own browser session, changes the general queue's warning point.
    const second = await suite.openConsole('second.admin@demo.police.uk');
    await second.goto(`${suite.base}/console/#/admin/queues`);
    await second.locator('[data-testid="queue-admin-row"][data-queue-key="general"]').getByTestId('queue-edit').click();
    await second.getByLabel('Warn at (percentage of the target used)').fill('61');
    await second.getByTestId('queue-save').click();
    await second.locator('#queues-notice').filter({ hasText: 'saved' }).waitFor();

    await expect.poll(() => warnCell.textContent(), { timeout: 20_000 }).toBe('61%');
    // Said in a polite status region, which never takes focus.
    const region = page.getByTestId('queues-refreshed');
    await expect(region.getAttribute('role')).resolves.toBe('status');
    await expect(region.getAttribute('aria-live')).resolves.toBe('polite');
    await expect.poll(() => region.textContent()).toBe('The queues changed elsewhere. This page now shows them as they are.');
    await expect(isSameDocument(page)).resolves.toBe(true);
    await expect(focusedText(page)).resolves.toMatch(/^Change targets of General/);
    await expectNoAxeViolations(page);

    // With this admin typing in the general queue's form, another change shows in the list; the form keeps the typing and says why.
    await general.getByTestId('queue-edit').click();
    const warnBox = page.getByLabel('Warn at (percentage of the target used)');
    await expect(warnBox.inputValue()).resolves.toBe('61');
    await warnBox.fill('55');
    const now = (await read(other.headers)).queues.find((q) => q.key === 'general');
    if (!now) throw new Error('no general queue');
    const meanwhile = await suite.app.inject({ method: 'POST', url: `/api/queues/${now.id}`, headers: other.headers, payload: { warnAtPercent: 72, version: now.version } });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);
    await expect.poll(() => warnCell.textContent(), { timeout: 20_000 }).toBe('72%');
    await page.getByTestId('queue-form').getByTestId('changed-elsewhere').waitFor();
    await expect(warnBox.inputValue()).resolves.toBe('55');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('queue-warnAtPercent');
    await expect(isSameDocument(page)).resolves.toBe(true);
    await second.close();
    await page.close();
  });

  it('shows-the-rules-another-admin-saved-on-an-open-queue-rules-page-with-nothing-unsaved', async () => {
    const other = await signIn(suite.app, 'second.admin@demo.police.uk');
    const before = await read(other.headers);
    const general = before.queues.find((q) => q.key === 'general');
    if (!general) throw new Error('no general queue');
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/queue-rules`);
    const rows = page.getByTestId('queue-rule-row');
    await expect.poll(() => rows.count()).toBe(before.rules.length);
    await markDocument(page);

    const rules = [
      { queueId: general.id, channels: ['chat'] },
      ...before.rules.map((r) => ({ queueId: r.queueId, ...(r.channels ? { channels: r.channels } : {}), ...(r.categories ? { categories: r.categories } : {}), ...(r.priorities ? { priorities: r.priorities } : {}) })),
    ];
    const replaced = await suite.app.inject({ method: 'POST', url: '/api/queues/rules', headers: other.headers, payload: { rules, version: before.rulesVersion } });
    expect(replaced.statusCode, replaced.body).toBe(200);

    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(before.rules.length + 1);
    await expect(rows.first().locator('td').allTextContents()).resolves.toEqual(['Live chat', 'Any category', 'Any priority', 'General enquiries', expect.any(String)]);
    await expect.poll(() => page.getByTestId('queue-rules-refreshed').textContent()).toBe('The queue rules changed elsewhere. This page now shows them as they are.');
    // The page holds the rules it now shows: nothing unsaved, and a save from it is made from the new version.
    await expect(page.getByTestId('queue-rules-unsaved').count()).resolves.toBe(0);
    await expect(isSameDocument(page)).resolves.toBe(true);
    await page.close();
  });

  it('shows-a-dispatcher-who-may-only-read-the-queue-rules-the-rules-a-supervisor-saved-with-no-axe-violations', async () => {
    const supervisor = await signIn(suite.app, 'supervisor@demo.police.uk');
    const before = await read(supervisor.headers);
    const general = before.queues.find((q) => q.key === 'general');
    if (!general) throw new Error('no general queue');
    const page = await suite.openConsole('dispatcher');
    await page.goto(`${suite.base}/console/#/admin/queue-rules`);
    await page.getByTestId('queue-rules-read-only').waitFor();
    const rows = page.getByTestId('queue-rule-row');
    await expect.poll(() => rows.count()).toBe(before.rules.length);
    await markDocument(page);

    const rules = [
      { queueId: general.id, channels: ['email'] },
      ...before.rules.map((r) => ({ queueId: r.queueId, ...(r.channels ? { channels: r.channels } : {}), ...(r.categories ? { categories: r.categories } : {}), ...(r.priorities ? { priorities: r.priorities } : {}) })),
    ];
    const replaced = await suite.app.inject({ method: 'POST', url: '/api/queues/rules', headers: supervisor.headers, payload: { rules, version: before.rulesVersion } });
    expect(replaced.statusCode, replaced.body).toBe(200);

    // Read again and said politely (decision 0105); a reader has nothing to save, so no form's notice.
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(before.rules.length + 1);
    await expect(rows.first().locator('td').allTextContents()).resolves.toEqual(['Email', 'Any category', 'Any priority', 'General enquiries']);
    await expect.poll(() => page.getByTestId('queue-rules-refreshed').textContent()).toBe('The queue rules changed elsewhere. This page now shows them as they are.');
    await expect(page.getByTestId('changed-elsewhere').count()).resolves.toBe(0);
    await expect(isSameDocument(page)).resolves.toBe(true);
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('shows-another-admin-s-role-change-in-the-open-staff-list', async () => {
    const other = await signIn(suite.app, 'second.admin@demo.police.uk');
    const handler = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('staff').select(['id', 'role_version']).where('email', '=', 'handler@demo.police.uk').executeTakeFirstOrThrow(),
    );
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/staff`);
    const row = page.locator(`[data-testid="staff-row"][data-staff-id="${handler.id}"]`);
    const roleCell = row.locator('td').nth(2);
    await expect.poll(() => roleCell.textContent()).toBe('Call handler');
    await markDocument(page);

    const changed = await suite.app.inject({ method: 'POST', url: `/api/staff/${handler.id}/role`, headers: other.headers, payload: { role: 'digital_desk_operator', version: handler.role_version } });
    expect(changed.statusCode, changed.body).toBe(200);

    await expect.poll(() => roleCell.textContent(), { timeout: 20_000 }).toBe('Digital desk operator');
    await expect.poll(() => page.getByTestId('staff-refreshed').textContent()).toBe('Staff details changed elsewhere. This page now shows them as they are.');
    await expect(isSameDocument(page)).resolves.toBe(true);
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('shows-an-account-another-admin-renamed-in-the-open-channels-list', async () => {
    const other = await signIn(suite.app, 'second.admin@demo.police.uk');
    type Account = { id: string; label: string; isEnabled: boolean; version: number };
    const accounts = (await suite.app.inject({ method: 'GET', url: '/api/channels', headers: other.headers })).json<{ accounts: Account[] }>().accounts;
    const account = accounts.find((a) => a.isEnabled);
    if (!account) throw new Error('no enabled channel account');
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/channels`);
    await expect.poll(() => page.getByText(account.label, { exact: true }).count()).toBeGreaterThan(0);
    await markDocument(page);

    const renamed = await suite.app.inject({ method: 'POST', url: `/api/channels/${account.id}`, headers: other.headers, payload: { label: 'Renamed elsewhere', version: account.version } });
    expect(renamed.statusCode, renamed.body).toBe(200);

    await expect.poll(() => page.getByText('Renamed elsewhere', { exact: true }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('channels-refreshed').textContent()).toBe('The channel accounts changed elsewhere. This page now shows them as they are.');
    await expect(isSameDocument(page)).resolves.toBe(true);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
