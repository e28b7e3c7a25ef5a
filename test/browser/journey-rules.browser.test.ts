/// <reference lib="dom" />
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, serveToBrowser, signInToConsole } from './browser-kit.ts';
import { createTestApp, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A force admin fits the victims' journey to the force's policy on the journey rules page: adds a
// rule, switches one off, and is told when a change touches a Victims' Code update.

describe('journey rules in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp();
    ({ browser, base } = await serveToBrowser(app));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const ruleRows = (milestone: string, template: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('journey_rules').select(['active', 'delay_minutes', 'victim_category']).where('milestone', '=', milestone).where('template_key', '=', template).execute(),
    );

  it('adds-a-rule-and-switches-one-off-from-the-admin-pages-with-no-axe-violations', async () => {
    const page = await signInToConsole(browser, base, 'admin@demo.police.uk');
    await page.goto(`${base}/console/#/admin/templates`);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Journey rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Journey rules' }).waitFor();
    await page.getByTestId('journey-rule-row').first().waitFor();
    await expectNoAxeViolations(page);

    // A courtesy message an hour after property is returned, for victims with enhanced rights.
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('When this happens').selectOption({ label: 'Property returned' });
    await page.getByLabel('Send this message').selectOption('victim_support.offer');
    await page.getByLabel('To these victims').selectOption({ label: 'Victims with enhanced rights' });
    await page.getByLabel('Delay in minutes').fill('-60');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Add the rule' }).click();
    // A delay before a milestone that names no time is refused, by its field.
    await page.getByRole('alert').filter({ hasText: 'cannot be before the milestone' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Delay in minutes').fill('60');
    await page.getByRole('button', { name: 'Add the rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Rule added.' }).waitFor();
    const added = page.locator('[data-testid="journey-rule-row"][data-milestone="case.property_returned"][data-template="victim_support.offer"]');
    await expect(added.textContent()).resolves.toContain('1 hour after the milestone');
    await expect(added.textContent()).resolves.toContain('Victims with enhanced rights');
    await expect(ruleRows('case.property_returned', 'victim_support.offer')).resolves.toEqual([{ active: true, delay_minutes: 60, victim_category: 'enhanced' }]);

    // Switching off a courtesy update: listed still, marked off; what it had waiting is withdrawn unless the admin unticks that (decision 0074).
    await expect(page.getByLabel(/withdraw the messages it has queued/).isChecked()).resolves.toBe(true);
    const identified = page.locator('[data-testid="journey-rule-row"][data-milestone="case.suspect_identified"]');
    await identified.getByRole('button', { name: /^Switch off/ }).click();
    await page.getByRole('status').filter({ hasText: 'Rule switched off. It had no messages waiting to be sent.' }).waitFor();
    await identified.getByTestId('journey-rule-status').filter({ hasText: 'Off' }).waitFor();
    await expect(ruleRows('case.suspect_identified', 'case.suspect_identified')).resolves.toEqual([{ active: false, delay_minutes: 0, victim_category: 'all' }]);

    // The last Victims' Code update of a milestone is not taken away; the page says why.
    const arrested = page.locator('[data-testid="journey-rule-row"][data-milestone="case.suspect_arrested"]');
    await arrested.getByRole('button', { name: /^Switch off/ }).click();
    await page.getByRole('alert').filter({ hasText: "only Victims' Code update left" }).waitFor();
    await expect(arrested.getByTestId('journey-rule-status').textContent()).resolves.toBe('On');
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('shows-the-page-only-to-those-who-may-change-the-rules', async () => {
    const page = await signInToConsole(browser, base, 'supervisor@demo.police.uk');
    await page.goto(`${base}/console/#/admin/sms-opt-outs`);
    await page.getByRole('heading', { level: 1, name: 'Texts opted out' }).waitFor();
    await expect(page.getByRole('navigation', { name: 'Administration' }).getByRole('link').allTextContents()).resolves.not.toContain('Journey rules');
    await page.goto(`${base}/console/#/admin/journey-rules`);
    await page.getByText('Your role does not include permission to view this page.').waitFor();
    await page.close();
  });
});
