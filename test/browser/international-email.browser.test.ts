/// <reference lib="dom" />
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { withSystem } from '../../src/platform/db/database.ts';

// A person whose email address is at a domain in their own script reports online, in a real
// browser: an address needing SMTPUTF8 is refused with the reason beside the field, what they typed
// still in it; an IDN domain is accepted, the report sent and the address kept in punycode
// (decision 0146). Each page is audited with axe.

describe('an email address with an international domain on the report form, in a real browser', () => {
  const suite = startBrowserSuite();

  async function reportForm(page: Page, lang: 'en' | 'cy') {
    await page.goto(`${suite.base}/report/danger?lang=${lang}`);
    await page.locator('input[name="danger"][value="no"]').check();
    await page.locator('form button').click();
    await page.waitForURL(`${suite.base}/report/details`);
    await page.locator('#whatHappened').fill('Someone took my bike from the station');
    await page.locator('#where').fill('The station');
    await page.locator('#when').fill('This morning');
  }

  it('refuses-an-address-needing-smtputf8-then-sends-an-idn-one-passing-axe', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await reportForm(page, 'en');
    await page.locator('#email').fill('测试1@ua-test.link');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('We cannot send email to an address with letters other than a to z before the @.');
    expect(await page.locator('#email').inputValue()).toContain('测试1@');
    await expectNoAxeViolations(page);

    await page.locator('#email').fill('name@bücher.example');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByTestId('reference').waitFor();
    const reference = (await page.getByTestId('reference').textContent()) ?? '';
    await expectNoAxeViolations(page);
    await suite.app.reports.settled();
    const identities = await withSystem(suite.app.database.db, async (tx) => {
      const contact = await tx.selectFrom('contacts').select('person_id').where('reference', '=', reference).executeTakeFirstOrThrow();
      return (await tx.selectFrom('identities').select('value').where('person_id', '=', contact.person_id ?? '').where('kind', '=', 'email').execute()).map((row) => row.value);
    });
    expect(identities).toEqual(['name@xn--bcher-kva.example']);
    await context.close();
  });

  it('gives-the-reason-in-welsh-passing-axe', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await reportForm(page, 'cy');
    await page.locator('#email').fill('siân@post.cymru');
    await page.locator('form button.govuk-button').last().click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Ni allwn anfon e-bost i gyfeiriad sydd â llythrennau heblaw a i z cyn yr @.');
    await expectNoAxeViolations(page);
    await context.close();
  });
});
