/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { MAP_ARGS, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';

// The dispatcher's map, open on the incident board, draws the areas a force admin imports or
// renames as the live stream tells of them (`areas.changed`, decision 0100), without a reload.

describe("the dispatcher's map following the force's areas, in a real browser", () => {
  const suite = startBrowserSuite({ args: MAP_ARGS });

  it('draws-an-area-another-admin-imports-and-the-new-name-of-one-renamed-on-the-open-map-with-no-axe-violations', async () => {
    const admin = await signIn(suite.app, 'admin@demo.police.uk');
    const page = await suite.openConsole('dispatcher');
    await page.getByRole('link', { name: 'Dispatch', exact: true }).click();
    const map = page.locator('[data-testid="dispatch-map"][data-ready="true"]');
    await map.locator('canvas').waitFor();
    const drawn = async () => (await map.getAttribute('data-areas-drawn'))?.split('|') ?? [];
    await expect.poll(drawn, { timeout: 20_000 }).toEqual(['Broadland', 'Norwich City', 'South Norfolk']);
    await page.evaluate(() => document.documentElement.setAttribute('data-not-reloaded', 'yes'));

    // Another admin, elsewhere, imports a district inside the map's view and renames Broadland.
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { name: 'Riverside' }, geometry: { type: 'Polygon', coordinates: [[[1.28, 52.6], [1.34, 52.6], [1.34, 52.64], [1.28, 52.64], [1.28, 52.6]]] } }],
    });
    const imported = await suite.app.inject({ method: 'POST', url: '/api/areas/import', headers: admin.headers, payload: { format: 'geojson', text, kind: 'district', setting: 'urban' } });
    expect(imported.statusCode, imported.body).toBe(200);
    await expect.poll(drawn, { timeout: 20_000 }).toEqual(['Broadland', 'Norwich City', 'Riverside', 'South Norfolk']);
    const areas = (await suite.app.inject({ method: 'GET', url: '/api/areas', headers: admin.headers })).json<{ areas: { id: string; name: string }[] }>().areas;
    const broadland = areas.find((area) => area.name === 'Broadland');
    const renamed = await suite.app.inject({ method: 'POST', url: `/api/areas/${broadland?.id}`, headers: admin.headers, payload: { name: 'Broadland North' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await expect.poll(drawn, { timeout: 20_000 }).toEqual(['Broadland North', 'Norwich City', 'Riverside', 'South Norfolk']);

    await expect(page.evaluate(() => document.documentElement.getAttribute('data-not-reloaded'))).resolves.toBe('yes');
    await expectNoAxeViolations(page);
    await page.close();
  });
});
