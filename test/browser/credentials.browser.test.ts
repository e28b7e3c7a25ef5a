/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createStaff } from '../../src/capabilities/staff/staff.service.ts';

describe('staff credentials in a real browser', () => {
  const suite = startBrowserSuite();

  it('leads a sign-in with a one-time password to the change-password screen, then to the queue', async () => {
    await createStaff(suite.app.database.db, suite.app.deps.clock, suite.app.demoForceId, {
      email: 'new.starter@demo.police.uk',
      name: 'Nia Starter',
      role: 'call_handler',
      password: 'one-time-password-from-cli',
      mustChangePassword: true,
    });
    const page = await suite.browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${suite.base}/console/`);
    await page.getByLabel(/email/i).fill('new.starter@demo.police.uk');
    await page.getByLabel(/^password/i).fill('one-time-password-from-cli');
    await page.getByRole('button', { name: /sign in/i }).click();

    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    expect(await page.getByTestId('live-status').count()).toBe(0);
    await expectNoAxeViolations(page);

    // A weak choice is explained next to its field.
    await page.getByLabel('One-time password').fill('one-time-password-from-cli');
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your new password must be at least 12 characters long').first().waitFor();
    await expectNoAxeViolations(page);

    await page.getByLabel('New password', { exact: true }).fill('lantern tractor oboe');
    await page.getByLabel('Confirm new password').fill('lantern tractor oboe');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByTestId('live-status').waitFor();
    await page.getByRole('link', { name: 'Queue' }).waitFor();
    await page.close();
  });
});
