/// <reference lib="dom" />
import { fileURLToPath } from 'node:url';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, serveToBrowser, signInToConsole } from './browser-kit.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

// A force admin imports a real boundary file from the console: chooses the file and the property
// that names its areas, sees the outline and what will be drawn, confirms; then sets an area rural
// and removes one, from the keyboard (decision 0098).

const SAMPLE = fileURLToPath(new URL('../areas/samples/ons-pfa-dec-2023-buc-metropolitan.geojson', import.meta.url));

describe('the areas page in a real browser', () => {
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

  it('previews-and-imports-a-boundary-file-then-sets-an-area-rural-and-removes-one', async () => {
    const page = await signInToConsole(browser, base, 'admin@demo.police.uk');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Areas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Areas' }).waitFor();
    await page.getByTestId('area-row').first().waitFor();
    await expectNoAxeViolations(page);

    await page.getByLabel('Boundary file', { exact: true }).setInputFiles(SAMPLE);
    await page.getByTestId('area-preview').click();
    await page.getByTestId('area-preview-result').waitFor();
    await page.getByLabel('Name each area from').selectOption({ label: 'The property PFA23NM' });
    await page.getByTestId('area-preview').click();
    await page.getByTestId('area-preview-row').filter({ hasText: 'Metropolitan Police' }).waitFor();
    await expect(page.getByTestId('area-preview-row').textContent()).resolves.toContain('New area');
    await expect(page.getByTestId('area-outline').count()).resolves.toBe(1);
    await expectNoAxeViolations(page);
    await page.getByTestId('area-confirm').click();
    await page.getByRole('status').filter({ hasText: 'Imported: 1 new, 0 replaced.' }).waitFor();
    await page.locator('[data-testid="area-row"][data-name="Metropolitan Police"]').waitFor();

    // From the keyboard: set Norwich City rural.
    const norwich = page.locator('[data-testid="area-row"][data-name="Norwich City"]');
    await norwich.getByTestId('area-set-setting').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Norwich City is now rural.' }).waitFor();
    await expect(norwich.getByTestId('area-setting').textContent()).resolves.toBe('Rural');

    const south = page.locator('[data-testid="area-row"][data-name="South Norfolk"]');
    await south.getByTestId('area-remove').click();
    await south.getByTestId('area-remove-confirm').click();
    await page.getByRole('status').filter({ hasText: 'South Norfolk removed.' }).waitFor();
    await expect(page.locator('[data-testid="area-row"][data-name="South Norfolk"]').count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
  });
});
