/// <reference lib="dom" />
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { addTestStaff, createTestApp, signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// An admin with a form open is told, as soon as the live feed hears it, that someone else (or they,
// in another tab) changed the record the form edits: politely, without losing focus, naming who
// and when. They can see it as it is now, keeping what they typed; saving then behaves as after a
// refused save (decision 0096). Their own save from the form says nothing.

type Queue = { id: string; key: string; warnAtPercent: number; version: number };

describe('a form told that its record changed while it is open, in a real browser', () => {
  const suite = startBrowserSuite({
    app: async () => {
      const app = await createTestApp();
      await addTestStaff(app, app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
      return app;
    },
  });

  const template = (locale: 'cy' | 'en') =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx
        .selectFrom('message_templates')
        .select(['subject', 'body', 'version'])
        .where('key', '=', 'case.allocated')
        .where('channel', '=', 'email')
        .where('locale', '=', locale)
        .executeTakeFirstOrThrow(),
    );
  const general = async (headers: Record<string, string>) => {
    const queue = (await suite.app.inject({ method: 'GET', url: '/api/queues', headers })).json<{ queues: Queue[] }>().queues.find((q) => q.key === 'general');
    if (!queue) throw new Error('no general queue');
    return queue;
  };
  /** The id of the element that has focus. */
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id);

  it('tells-an-admin-typing-in-a-template-who-saved-it-meanwhile-keeps-their-text-and-saves-as-before-with-no-axe-violations', async () => {
    const other = await signIn(suite.app, 'second.admin@demo.police.uk', 'second-password');
    const opened = await template('cy');
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/templates`);
    const form = page.locator('[data-key="case.allocated"] [data-locale="cy"]');
    const message = form.getByLabel('Message');
    await message.waitFor();
    // The polite live region is on the page before anything is said in it, so what appears in it is announced.
    const region = form.getByTestId('changed-elsewhere-region');
    await expect(region.getAttribute('role')).resolves.toBe('status');
    await expect(region.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(region.textContent()).resolves.toBe('');

    const mine = 'Testun Ada. Cyfeirnod {{caseReference}}';
    await message.fill(mine);
    const meanwhile = await suite.app.inject({
      method: 'POST',
      url: '/api/templates/case.allocated',
      headers: other.headers,
      payload: { locale: 'cy', subject: 'Pwnc newydd Bea', body: 'Testun Bea {{caseReference}}', version: opened.version },
    });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);

    const notice = region.getByTestId('changed-elsewhere');
    await expect
      .poll(() => region.textContent(), { timeout: 20_000 })
      .toMatch(/^The Welsh text has changed since you opened it\. Bea Second changed it at \d\d \w+ \d{4}, \d\d:\d\d\. What you have entered here is not saved yet/);
    // Focus stays where the admin was typing, and nothing they typed is touched.
    await expect(focused(page)).resolves.toBe('template-case-allocated-cy-body');
    await expect(message.inputValue()).resolves.toBe(mine);
    await expect(form.getByTestId('template-now').count()).resolves.toBe(0);
    // The English form of the same message heard of no change to its own text.
    await expect(page.locator('[data-key="case.allocated"] [data-locale="en"]').getByTestId('changed-elsewhere').count()).resolves.toBe(0);
    await expectNoAxeViolations(page);

    // Seen as it is now: the subject the admin left alone takes Bea's; the text keeps the admin's.
    await notice.getByRole('button', { name: 'See it as it is now, keeping your changes' }).click();
    await expect(form.getByTestId('template-now').textContent()).resolves.toContain('Pwnc newydd Bea');
    await expect(form.getByLabel('Subject').inputValue()).resolves.toBe('Pwnc newydd Bea');
    await expect(message.inputValue()).resolves.toBe(mine);
    await expect.poll(() => form.getByTestId('changed-elsewhere').count()).toBe(0);
    await expectNoAxeViolations(page);

    // Saving again saves from the version now, as after a refused save.
    await form.getByTestId('template-save').click();
    await page.getByText(/Welsh.*saved\./).first().waitFor();
    await expect(template('cy')).resolves.toEqual({ subject: 'Pwnc newydd Bea', body: mine, version: opened.version + 2 });

    // The admin's own save says nothing. Bea then changes the English text: its form is told,
    // and by then the Welsh form has heard its own save (the feed keeps their order) and read it.
    const english = await template('en');
    const englishMeanwhile = await suite.app.inject({
      method: 'POST',
      url: '/api/templates/case.allocated',
      headers: other.headers,
      payload: { locale: 'en', subject: english.subject, body: `${english.body} `, version: english.version },
    });
    expect(englishMeanwhile.statusCode, englishMeanwhile.body).toBe(200);
    await page.locator('[data-key="case.allocated"] [data-locale="en"]').getByTestId('changed-elsewhere').waitFor();
    await expect(form.getByTestId('changed-elsewhere').count()).resolves.toBe(0);
    await page.close();
  });

  it('tells-an-admin-whose-other-tab-saved-the-queue-and-saving-without-looking-is-still-refused', async () => {
    const page = await suite.openConsole('force_admin');
    const opened = await general((await signIn(suite.app, 'admin@demo.police.uk')).headers);
    await page.goto(`${suite.base}/console/#/admin/queues`);
    await page.locator('[data-testid="queue-admin-row"][data-queue-key="general"]').getByTestId('queue-edit').click();
    const form = page.getByTestId('queue-form');
    const warn = form.getByLabel('Warn at (percentage of the target used)');
    await warn.waitFor();

    // The same admin, in another tab, changes the queue's warning point.
    const tab = await suite.openConsole('force_admin');
    await tab.goto(`${suite.base}/console/#/admin/queues`);
    await tab.locator('[data-testid="queue-admin-row"][data-queue-key="general"]').getByTestId('queue-edit').click();
    const tabForm = tab.getByTestId('queue-form');
    await tabForm.getByLabel('Warn at (percentage of the target used)').fill(String(opened.warnAtPercent === 65 ? 66 : 65));
    await tabForm.getByTestId('queue-save').click();
    await tab.getByText('Targets of General enquiries saved. New clocks use them.').waitFor();
    // The tab that saved says nothing of its own save.
    await expect(tabForm.getByTestId('changed-elsewhere').count()).resolves.toBe(0);

    const notice = form.getByTestId('changed-elsewhere');
    await notice.filter({ hasText: /This queue has changed since you opened it\. You changed it in another window or tab at / }).waitFor();
    await expect(form.getByTestId('changed-elsewhere-region').getAttribute('aria-live')).resolves.toBe('polite');
    await expectNoAxeViolations(page);

    // Saving without looking is refused as before, naming who changed it; nothing is saved.
    await form.getByLabel('First response for priority 1, in minutes').fill('7');
    await form.getByTestId('queue-save').click();
    await form.getByRole('alert').filter({ hasText: /The queue “General enquiries” was changed after you opened it: you changed it in another window or tab/ }).waitFor();
    await expect(general((await signIn(suite.app, 'admin@demo.police.uk')).headers)).resolves.toMatchObject({ version: opened.version + 1 });
    await expect(notice.count()).resolves.toBe(0);
    await tab.close();
    await page.close();
  });

  it('tells-an-admin-choosing-a-role-that-another-admin-changed-it-by-name', async () => {
    const other = await signIn(suite.app, 'second.admin@demo.police.uk', 'second-password');
    const page = await suite.openConsole('force_admin');
    const staff = (await suite.app.inject({ method: 'GET', url: '/api/staff', headers: other.headers })).json<{ staff: { id: string; email: string; roleVersion: number }[] }>().staff;
    const sam = staff.find((s) => s.email === 'handler@demo.police.uk');
    if (!sam) throw new Error('no call handler');
    await page.goto(`${suite.base}/console/#/admin/staff`);
    await page.locator(`[data-testid="staff-row"][data-staff-id="${sam.id}"]`).getByTestId('staff-edit').click();
    const roleForm = page.getByRole('form', { name: 'Role of Sam Handler' });
    await roleForm.getByLabel('Role').selectOption({ label: 'Supervisor' });
    await roleForm.getByLabel('Role').focus();

    const meanwhile = await suite.app.inject({ method: 'POST', url: `/api/staff/${sam.id}/role`, headers: other.headers, payload: { role: 'digital_desk_operator', version: sam.roleVersion } });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);
    await roleForm.getByTestId('changed-elsewhere').filter({ hasText: /^Their role has changed since you opened it\. Bea Second changed it at / }).waitFor();
    await expect(focused(page)).resolves.toBe('staff-edit-role');
    // Only the role was changed: the skills and capacity form beside it says nothing.
    await expect(page.getByRole('form', { name: 'Skills and capacity of Sam Handler' }).getByTestId('changed-elsewhere').count()).resolves.toBe(0);
    await expectNoAxeViolations(page);

    await roleForm.getByRole('button', { name: 'See it as it is now, keeping your changes' }).click();
    await expect(roleForm.getByTestId('staff-role-now').textContent()).resolves.toMatch(/digital desk/i);
    await expect(roleForm.locator('#staff-edit-role').inputValue()).resolves.toBe('supervisor');
    await roleForm.getByRole('button', { name: 'Save my change again' }).click();
    await expect
      .poll(async () => (await suite.app.inject({ method: 'GET', url: '/api/staff', headers: other.headers })).json<{ staff: { id: string; role: string }[] }>().staff.find((s) => s.id === sam.id)?.role)
      .toBe('supervisor');
    await page.close();
  });
});
