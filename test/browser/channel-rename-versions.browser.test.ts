/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { addTestStaff, createTestApp, signIn } from '../helpers.ts';

// An admin renaming a channel account while another admin renames it too: the form says so as soon
// as the live feed hears it, naming who; saving is refused rather than silently replacing the other
// name; the form shows the account as it is now, keeps the name typed, and saves it when saved again.

type Account = { id: string; label: string; channel: string; version: number };

describe('renaming a channel account someone else renamed meanwhile, in a real browser', () => {
  const suite = startBrowserSuite({
    app: async () => {
      const app = await createTestApp();
      await addTestStaff(app, app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
      return app;
    },
  });

  it('refuses-the-stale-rename-shows-the-account-as-it-is-now-keeps-the-typed-name-and-saves-it-again-with-no-axe-violations', async () => {
    const other = await signIn(suite.app, 'second.admin@demo.police.uk', 'second-password');
    const listed = (await suite.app.inject({ method: 'GET', url: '/api/channels', headers: other.headers })).json<{ accounts: Account[] }>().accounts;
    const api = listed.find((account) => account.channel === 'api');
    if (!api) throw new Error('no API account');

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/channels`);
    await page.getByTestId('channel-row').first().waitFor();
    await page.getByRole('button', { name: `Rename ${api.label}` }).click();
    const form = page.getByTestId('channel-rename');
    await form.getByLabel(`New name for ${api.label}`).fill('Partner agency (Ada)');

    const meanwhile = await suite.app.inject({ method: 'POST', url: `/api/channels/${api.id}`, headers: other.headers, payload: { label: 'Partner agency (Bea)', version: api.version } });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);
    await expect
      .poll(() => form.getByTestId('changed-elsewhere-region').textContent(), { timeout: 20_000 })
      .toMatch(/^This channel account has changed since you opened it\. Bea Second changed it at /);

    await form.getByTestId('channel-rename-save').click();
    const now = form.getByTestId('channel-now');
    await now.waitFor();
    await expect(now.textContent()).resolves.toContain('Partner agency (Bea)');
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('This channel account was changed by someone else after you opened it: Bea Second changed it');
    // Nothing typed is lost, and the clash is named by the field.
    await expect(form.getByRole('textbox').inputValue()).resolves.toBe('Partner agency (Ada)');
    await expect(form.locator('#channel-label-error').textContent()).resolves.toContain('The name is now “Partner agency (Bea)”');
    await expectNoAxeViolations(page);

    await form.getByRole('button', { name: 'Save my change again' }).click();
    await page.getByText('Renamed to Partner agency (Ada).').waitFor();
    const after = (await suite.app.inject({ method: 'GET', url: '/api/channels', headers: other.headers })).json<{ accounts: Account[] }>().accounts.find((account) => account.id === api.id);
    expect(after).toMatchObject({ label: 'Partner agency (Ada)', version: api.version + 2 });
  });
});
