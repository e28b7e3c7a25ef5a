/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';

// An investigator keeps a victim's postal address on the case's people panel (decision 0136): adds
// it, sees what the server refuses against each field, changes it and clears it.

describe("a victim's postal address on the case screen, in a real browser", () => {
  const suite = startBrowserSuite();

  it('adds-changes-and-clears-an-address-showing-the-servers-reasons-by-their-fields', async () => {
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk');
    const created = await suite.app.inject({ method: 'POST', url: '/api/cases', headers: investigator.headers, payload: { crimeType: 'THF-BRE', summary: 'Shed broken into', victims: [{ name: 'Iris Post' }] } });
    expect(created.statusCode, created.body).toBe(201);
    const caseId = created.json<{ case: { id: string } }>().case.id;

    const page = await suite.openConsole('investigator');
    await page.goto(`${suite.base}/console/#/cases/${caseId}`);
    const panel = page.getByTestId('victim-postal-address');
    await panel.getByText('No postal address: they cannot be sent letters.').waitFor();
    await panel.getByText('Add a postal address for letters').click();

    // Nothing typed, then a postcode that is not one: each reason by its field, and in the summary.
    await panel.getByRole('button', { name: 'Save postal address' }).click();
    await panel.getByRole('alert').waitFor();
    await panel.locator('.field-error').first().waitFor();
    await expectNoAxeViolations(page);
    await panel.getByLabel('Address line 1').fill('Flat 3, 12 Mill Lane');
    await panel.getByLabel('Town or city').fill('Demoton');
    await panel.getByLabel('Postcode').fill('DM1');
    await panel.getByRole('button', { name: 'Save postal address' }).click();
    // The empty form's summary said the same of the postcode, so the second answer is known by line 1
    // no longer being in error (while the request is in flight, neither field is).
    const invalid = () => Promise.all([panel.getByLabel('Postcode').getAttribute('aria-invalid'), panel.getByLabel('Address line 1').getAttribute('aria-invalid')]);
    await expect.poll(invalid, { timeout: 15_000 }).toEqual(['true', null]);
    await panel.getByRole('alert').filter({ hasText: 'must be a UK postcode' }).waitFor();
    // The summary's link takes the person to the field.
    await panel.getByRole('alert').getByRole('link').first().click();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).resolves.toBe('postal-code');
    await expectNoAxeViolations(page);

    await panel.getByLabel('Postcode').fill('dm1 1aa');
    await panel.getByRole('button', { name: 'Save postal address' }).click();
    await panel.getByText('Postal address: Flat 3, 12 Mill Lane, Demoton, DM1 1AA').waitFor();
    await page.getByText('Postal address saved: letters to Iris Post go there.').waitFor();

    await panel.getByLabel('Address line 2 (optional)').fill('Upper Demoton');
    await panel.getByRole('button', { name: 'Save postal address' }).click();
    await panel.getByText('Postal address: Flat 3, 12 Mill Lane, Upper Demoton, Demoton, DM1 1AA').waitFor();

    // Where letters come in their order: first, for a victim who prefers post.
    await page.getByText('Contact preferences').first().click();
    const preferences = page.getByTestId('victim-preferences');
    await preferences.getByText(/^Channels, in order: Email, Text message, Case page \(portal\), Letter/).waitFor();
    await expect(preferences.getByRole('radio', { name: 'Only when nothing else can reach them' }).isChecked()).resolves.toBe(true);
    await preferences.getByRole('radio', { name: 'They prefer letters: post first' }).click();
    await preferences.getByText(/^Channels, in order: Letter, Email, Text message, Case page \(portal\)/).waitFor();
    await preferences.getByRole('radio', { name: 'Never by letter' }).click();
    await preferences.getByText(/^Channels, in order: Email, Text message, Case page \(portal\) ·/).waitFor();
    await expectNoAxeViolations(page);

    await panel.getByRole('button', { name: 'Clear postal address' }).click();
    await panel.getByText('No postal address: they cannot be sent letters.').waitFor();
    await expectNoAxeViolations(page);
    await page.close();
  });
});
