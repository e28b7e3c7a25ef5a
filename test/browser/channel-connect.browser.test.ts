/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A force admin connects the force's own Twilio number from the Channel accounts page: the server
// refuses a mistyped Account SID, which the form shows in its summary and by the field; corrected,
// the account is listed. Then the demo's stand-in Twilio number is connected again with the
// force's credentials, from a form filled in with its settings but for its credentials, and is no
// longer a stand-in; and the API integration is connected again with a new token, which replaces
// the old one in the same account. No credential is ever shown back.

const SID = `AC${'5e'.repeat(16)}`;
const AUTH_TOKEN = 'force-twilio-auth-token-0001';
const DEMO_SID = 'AC00000000000000000000000000000001';
const NEW_API_TOKEN = 'force-api-token-rotated-0001';

describe('connecting a channel account in a real browser', () => {
  const suite = startBrowserSuite();

  const storedAccounts = () =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('channel_accounts').select(['id', 'label', 'account_key']).where('channel', '=', 'sms_twilio').execute());

  it('connects-a-twilio-number-refusing-a-bad-account-sid-by-its-field-then-connects-the-demo-stand-in-again', async () => {
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/channels`);
    await page.getByRole('heading', { level: 1, name: 'Channel accounts' }).waitFor();
    await page.getByTestId('channel-row').first().waitFor();

    await page.getByRole('button', { name: 'Connect a channel account' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('h-channel-connect');
    // Each channel's own settings: Meta's for the kind of account chosen only; a list, one a line.
    await page.getByRole('radio', { name: 'Facebook, Instagram and WhatsApp' }).check();
    await expect(page.getByLabel('Page ID').count()).resolves.toBe(0);
    await page.getByRole('radio', { name: 'The Meta app’s webhook' }).check();
    await expect(page.getByLabel('Verify token').getAttribute('type')).resolves.toBe('password');
    await expect(page.getByLabel('Page access token').count()).resolves.toBe(0);
    await page.getByRole('radio', { name: 'A Facebook Page' }).check();
    await expect(page.getByLabel('Verify token').count()).resolves.toBe(0);
    await expect(page.getByLabel('Page access token').getAttribute('type')).resolves.toBe('password');
    // A WhatsApp Business number: its own id, token and templates, no Page token.
    await page.getByRole('radio', { name: 'A WhatsApp Business number (Cloud API)' }).check();
    await expect(page.getByLabel('Page access token').count()).resolves.toBe(0);
    await expect(page.getByLabel('Access token', { exact: true }).getAttribute('type')).resolves.toBe('password');
    await page.getByLabel('Phone number ID').waitFor();
    await page.getByLabel('WhatsApp template name (optional)').waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('radio', { name: 'Live chat' }).check();
    await expect(page.getByLabel('Websites that may embed the chat (optional)').evaluate((el) => el.tagName)).resolves.toBe('TEXTAREA');
    await page.getByRole('radio', { name: 'SMS (Twilio)' }).check();
    await page.getByLabel('Name', { exact: true }).fill('Force text line');
    await page.getByLabel('Account SID').fill('AC-not-a-sid');
    const token = page.getByLabel('Auth token');
    await expect(token.getAttribute('type')).resolves.toBe('password');
    await expect(token.getAttribute('autocomplete')).resolves.toBe('off');
    await token.fill(AUTH_TOKEN);
    await page.getByLabel('Twilio phone number').fill('+447700900555');
    await page.getByTestId('connect-identifies').filter({ hasText: 'known by its Twilio phone number' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Connect the account' }).click();

    // Refused by the server, by its field: in the summary, which takes focus, and above the input.
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    const reason = 'Account SID must be a Twilio Account SID (AC followed by 32 hex digits)';
    await summary.getByRole('link', { name: reason }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expect(page.locator('#connect-accountSid-error').textContent()).resolves.toContain(reason);
    await expect(page.getByLabel('Account SID').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('.field--error').count()).resolves.toBe(1);
    await expectNoAxeViolations(page);
    await summary.getByRole('link', { name: reason }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('connect-accountSid');
    expect((await storedAccounts()).map((row) => row.account_key)).not.toContain('+447700900555');

    // Corrected: connected, listed, and the form is gone.
    await page.getByLabel('Account SID').fill(SID);
    await page.getByRole('button', { name: 'Connect the account' }).click();
    await page.getByRole('status').filter({ hasText: 'Force text line is connected.' }).waitFor();
    const row = page.getByTestId('channel-row').filter({ has: page.getByRole('rowheader', { name: 'Force text line' }) });
    await row.waitFor();
    await expect(row.getByTestId('demo-stand-in').count()).resolves.toBe(0);
    await expect.poll(() => page.getByTestId('channel-connect-form').count()).toBe(0);
    expect((await storedAccounts()).find((stored) => stored.label === 'Force text line')?.account_key).toBe('+447700900555');
    await expect(page.content()).resolves.not.toContain(AUTH_TOKEN);

    // The demo's stand-in number, connected again with the force's credentials and its own number.
    const demo = page.getByTestId('channel-row').filter({ has: page.getByRole('rowheader', { name: 'Demo Twilio number' }) });
    await demo.getByTestId('demo-stand-in').waitFor();
    const demoId = (await storedAccounts()).find((stored) => stored.label === 'Demo Twilio number')?.id;
    await demo.getByRole('button', { name: 'Connect again Demo Twilio number' }).click();
    await page.getByRole('heading', { name: 'Connect Demo Twilio number again' }).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Demo Twilio number');
    // The channel is not chosen again (the only choice left is a setting's, the WhatsApp templates' placeholder).
    await expect(page.getByRole('radio', { name: 'SMS (Twilio)' }).count()).resolves.toBe(0);
    await expect(page.getByRole('radio').count()).resolves.toBe(2);
    // Filled in as the account holds them, but for its credentials: only those are typed.
    await expect.poll(() => page.getByLabel('Account SID').inputValue()).toBe(DEMO_SID);
    await expect(page.getByLabel('Twilio phone number').inputValue()).resolves.toBe('+447700900001');
    await expect(page.getByLabel('Twilio phone number').getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.getByLabel('Twilio API address (optional)').inputValue()).resolves.toBe('https://api.twilio.com');
    await expect(page.getByLabel('Auth token').inputValue()).resolves.toBe('');
    await page.getByTestId('connect-identifies').filter({ hasText: 'The account is known by its Twilio phone number, which stays as it is' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Demo force text line');
    await page.getByLabel('Account SID').fill(SID);
    await page.getByLabel('Auth token').fill('another-force-auth-token');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Connect it again' }).click();
    await page.getByRole('status').filter({ hasText: 'Demo force text line is connected again with the settings you gave.' }).waitFor();
    const replaced = page.getByTestId('channel-row').filter({ has: page.getByRole('rowheader', { name: 'Demo force text line' }) });
    await replaced.waitFor();
    await expect(replaced.getByTestId('demo-stand-in').count()).resolves.toBe(0);
    const after = await storedAccounts();
    expect(after.find((stored) => stored.id === demoId)).toMatchObject({ label: 'Demo force text line', account_key: '+447700900001' });
    expect(after.map((stored) => stored.label)).not.toContain('Demo Twilio number');
    await expectNoAxeViolations(page);

    // The API integration is known by its token: a new token replaces the old one in the same account.
    const apiAccounts = () =>
      withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('channel_accounts').select(['id', 'label', 'account_key']).where('channel', '=', 'api').execute());
    const [integration, ...others] = await apiAccounts();
    expect(others).toEqual([]);
    const api = page.getByTestId('channel-row').filter({ has: page.getByRole('rowheader', { name: 'Demo API integration' }) });
    await api.getByRole('button', { name: 'Connect again Demo API integration' }).click();
    await page.getByRole('heading', { name: 'Connect Demo API integration again' }).waitFor();
    await page.getByTestId('connect-identifies').filter({ hasText: 'Type the new API token: it replaces the old one, which stops working at once' }).waitFor();
    await expect(page.getByLabel('API token').inputValue()).resolves.toBe('');
    await page.getByLabel('API token').fill(NEW_API_TOKEN);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Connect it again' }).click();
    await page.getByRole('status').filter({ hasText: 'Demo API integration is connected again with the settings you gave.' }).waitFor();
    const rotated = await apiAccounts();
    expect(rotated).toHaveLength(1);
    expect(rotated[0]?.id).toBe(integration?.id);
    expect(rotated[0]?.account_key).not.toBe(integration?.account_key);
    await expect(page.content()).resolves.not.toContain(NEW_API_TOKEN);
    await page.close();
  });
});
