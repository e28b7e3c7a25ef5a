/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';

// A force admin sets how many acknowledgements of online reports one address is sent a day, and
// trusts a reporting centre's address with more, on the force settings page (decision 0166).

describe('acknowledgement allowances and trusted reporting addresses, in a real browser', () => {
  const suite = startBrowserSuite({ app: () => createTestApp() });

  it('sets-the-allowance-and-trusts-and-removes-an-address-from-the-settings-page', async () => {
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/settings`);
    const section = page.getByTestId('acknowledgements-section');
    await section.getByTestId('allowance-form').waitFor();
    await expectNoAxeViolations(page);

    // An allowance out of bounds is refused on the page; a good one is saved.
    await section.getByLabel('Acknowledgements to one address a day').fill('0');
    await section.getByTestId('allowance-save').click();
    await section.getByText('Acknowledgements to one address a day must be a whole number from 1 to 500').first().waitFor();
    await section.getByLabel('Acknowledgements to one address a day').fill('3');
    await section.getByTestId('allowance-save').click();
    await section.getByText('Allowances saved.').waitFor();

    // A phone number is refused with the server's reason, by the field.
    const add = section.getByTestId('trusted-add-form');
    await add.getByLabel('Email address').fill('07700 900123');
    await add.getByRole('button', { name: 'Trust address' }).click();
    await expect.poll(async () => add.getByRole('alert').first().textContent()).toContain('acknowledged by email only');
    await expectNoAxeViolations(page);
    await add.getByLabel('Email address').fill('Reports@Charity.Example.org');
    await add.getByRole('button', { name: 'Trust address' }).click();
    await add.getByTestId('trusted-add-done').filter({ hasText: 'Added: reports@charity.example.org' }).waitFor();
    await section.getByTestId('trusted-address').filter({ hasText: 'reports@charity.example.org' }).waitFor();

    const admin = await signIn(suite.app, 'admin@demo.police.uk');
    const listed = await suite.app.inject({ method: 'GET', url: '/api/force/trusted-addresses', headers: admin.headers });
    expect(listed.json()).toMatchObject({ total: 1, allowance: { perAddress: 3, trustedPerAddress: 200 } });

    await section.getByRole('button', { name: 'Remove reports@charity.example.org' }).click();
    await section.getByText('No address is trusted.').waitFor();
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('shows-and-saves-the-trusted-allowance-as-stored-not-as-raised-by-a-higher-standard-one', async () => {
    const admin = await signIn(suite.app, 'admin@demo.police.uk');
    const settings = async () => (await suite.app.inject({ method: 'GET', url: '/api/force/settings', headers: admin.headers })).json<{ settings: Record<string, unknown> }>().settings;
    const stored = await suite.app.inject({ method: 'POST', url: '/api/force/settings', headers: admin.headers, payload: { acknowledgementsPerAddress: 300, trustedAcknowledgementsPerAddress: 200 } });
    expect(stored.statusCode).toBe(200);
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/settings`);
    const section = page.getByTestId('acknowledgements-section');
    await section.getByTestId('allowance-form').waitFor();
    // 300 applies to trusted addresses too (never fewer than any other), but 200 is what was set.
    expect(await section.getByLabel('Acknowledgements to one address a day').inputValue()).toBe('300');
    expect(await section.getByLabel('Acknowledgements to a trusted address a day').inputValue()).toBe('200');
    await section.getByTestId('allowance-save').click();
    await section.getByText('Allowances saved.').waitFor();
    expect(await settings()).toMatchObject({ acknowledgementsPerAddress: 300, trustedAcknowledgementsPerAddress: 200 });
    await page.close();
  });

  it('goes-back-a-page-when-the-last-address-on-the-page-shown-is-removed', async () => {
    const admin = await signIn(suite.app, 'admin@demo.police.uk');
    for (let n = 1; n <= 21; n += 1) {
      const added = await suite.app.inject({ method: 'POST', url: '/api/force/trusted-addresses', headers: admin.headers, payload: { address: `centre${n}@reports.example.org` } });
      expect(added.statusCode).toBe(201);
    }
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/settings`);
    const section = page.getByTestId('acknowledgements-section');
    await section.getByTestId('trusted-summary').filter({ hasText: 'Showing 1–20 of 21' }).waitFor();
    await section.getByRole('button', { name: 'Next' }).click();
    await section.getByTestId('trusted-summary').filter({ hasText: 'Showing 21–21 of 21' }).waitFor();
    const last = (await section.getByTestId('trusted-address').first().locator('td').first().textContent()) ?? '';
    await section.getByRole('button', { name: `Remove ${last}` }).click();
    // Not an empty page with no pager ("Showing 21–20 of 20"): the page that still holds addresses.
    await section.getByTestId('trusted-summary').filter({ hasText: 'Showing 1–20 of 20' }).waitFor();
    expect(await section.getByTestId('trusted-address').count()).toBe(20);
    await page.close();
  });
});
