/// <reference lib="dom" />
import { fileURLToPath } from 'node:url';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { addTestStaff, signIn } from '../helpers.ts';

// A force admin imports a real boundary file from the console: chooses the file and the property
// that names its areas, sees the outline and what will be drawn, confirms; then sets an area rural
// and removes one, from the keyboard (decision 0098). A file mixing urban and rural areas is set
// row by row; a colleague's change reaches the open page without taking focus (decision 0100),
// naming the colleague (decision 0105).

const SAMPLE = fileURLToPath(new URL('../areas/samples/ons-pfa-dec-2023-buc-metropolitan.geojson', import.meta.url));

describe('the areas page in a real browser', () => {
  const suite = startBrowserSuite();

  it('previews-and-imports-a-boundary-file-then-sets-an-area-rural-and-removes-one', async () => {
    const page = await suite.openConsole('force_admin');
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
    // The list is read again after the change (and again when the live stream tells of it).
    await expect.poll(() => norwich.getByTestId('area-setting').textContent()).toBe('Rural');

    const south = page.locator('[data-testid="area-row"][data-name="South Norfolk"]');
    await south.getByTestId('area-remove').click();
    await south.getByTestId('area-remove-confirm').click();
    await page.getByRole('status').filter({ hasText: 'South Norfolk removed.' }).waitFor();
    await expect.poll(() => page.locator('[data-testid="area-row"][data-name="South Norfolk"]').count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  const openAreas = async (page: Page) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Areas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Areas' }).waitFor();
  };

  it('sets-each-areas-kind-and-setting-on-its-own-row-or-applies-the-file-wide-ones-to-all', async () => {
    const square = (west: number) => [[[west, 52.7], [west + 0.05, 52.7], [west + 0.05, 52.75], [west, 52.75], [west, 52.7]]];
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: ['Market Town', 'Fen Villages', 'Old Harbour'].map((name, i) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: square(1 + i * 0.05) } })),
    });
    const page = await suite.openConsole('force_admin');
    await openAreas(page);
    await page.getByRole('heading', { level: 1, name: 'Areas' }).waitFor();
    await page.getByLabel('Boundary file', { exact: true }).setInputFiles({ name: 'mixed.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(text) });
    await page.getByTestId('area-preview').click();
    await page.getByRole('group', { name: 'Each area’s kind and setting' }).waitFor();
    const setting = (name: string) => page.getByLabel(`Setting of ${name}`, { exact: true });
    const kind = (name: string) => page.getByLabel(`Kind of ${name}`, { exact: true });
    await expect(setting('Fen Villages').inputValue()).resolves.toBe('urban');

    // The file-wide choice on every row, then one row of its own.
    await page.getByLabel('Setting, where the file does not say').selectOption('rural');
    await page.getByTestId('area-apply-to-all').click();
    await expect.poll(() => setting('Market Town').inputValue()).toBe('rural');
    await setting('Market Town').selectOption('urban');
    await kind('Old Harbour').selectOption('beat');
    await expect.poll(() => kind('Old Harbour').inputValue()).toBe('beat');
    await expect.poll(() => setting('Market Town').inputValue()).toBe('urban');
    await expect(setting('Fen Villages').inputValue()).resolves.toBe('rural');
    await expectNoAxeViolations(page);

    await page.getByTestId('area-confirm').click();
    await page.getByRole('status').filter({ hasText: 'Imported: 3 new, 0 replaced.' }).waitFor();
    const row = (name: string) => page.locator(`[data-testid="area-row"][data-name="${name}"]`);
    await expect(row('Market Town').getByTestId('area-setting').textContent()).resolves.toBe('Urban');
    await expect(row('Fen Villages').getByTestId('area-setting').textContent()).resolves.toBe('Rural');
    await expect(row('Old Harbour').textContent()).resolves.toContain('Beat');
    await page.close();
  });

  it('shows-a-colleagues-change-on-the-open-page-politely-without-moving-focus', async () => {
    await addTestStaff(suite.app, suite.app.demoForceId, { email: 'second-admin@demo.police.uk', name: 'Second Admin', role: 'force_admin', password: 'second-password' });
    const colleague = await signIn(suite.app, 'second-admin@demo.police.uk', 'second-password');
    const page = await suite.openConsole('force_admin');
    await openAreas(page);
    const norwich = page.locator('[data-testid="area-row"][data-name="Norwich City"]');
    await norwich.waitFor();
    const areas = (await suite.app.inject({ method: 'GET', url: '/api/areas', headers: colleague.headers })).json<{ areas: { id: string; name: string }[] }>().areas;
    const broadland = areas.find((a) => a.name === 'Broadland');
    await norwich.getByTestId('area-set-setting').focus();

    const renamed = await suite.app.inject({ method: 'POST', url: `/api/areas/${broadland?.id}`, headers: colleague.headers, payload: { name: 'Broadland North' } });
    expect(renamed.statusCode).toBe(200);
    await page.locator('[data-testid="area-row"][data-name="Broadland North"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="area-row"][data-name="Broadland"]').count()).toBe(0);
    // Named, as a form's notice names who changed its record (decision 0105).
    await expect.poll(() => page.getByTestId('areas-changed-elsewhere').textContent()).toBe('Second Admin changed the areas. The list shows them as they are now.');
    await expect(page.getByTestId('areas-changed-elsewhere').getAttribute('role')).resolves.toBe('status');
    // Focus stayed where the admin left it.
    await expect(page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-name'))).resolves.toBe('Norwich City');

    const removed = await suite.app.inject({ method: 'POST', url: `/api/areas/${broadland?.id}/remove`, headers: colleague.headers, payload: {} });
    expect(removed.statusCode).toBe(200);
    await expect.poll(() => page.locator('[data-testid="area-row"][data-name="Broadland North"]').count()).toBe(0);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
