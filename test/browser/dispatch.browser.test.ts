/// <reference lib="dom" />
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MAP_ARGS, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';
import { DemoFeeder } from '../../src/capabilities/dispatch/demo-feeder.ts';
import type { StaffRole } from '../../src/platform/auth/permissions.ts';


type Unit = { id: string; callSign: string; status: string; position: { lat: number; lon: number } | null };

describe("the dispatcher's screens in a real browser", () => {
  const suite = startBrowserSuite({ args: MAP_ARGS });

  /** A console page signed in as `role`, with every request it makes to an address outside Bluelamp, to prove the map reaches nothing outside. */
  async function openConsoleWatched(role: StaffRole): Promise<{ page: Page; outside: string[] }> {
    const outside: string[] = [];
    const page = await suite.openConsole(role, {
      beforeSignIn: (blank) =>
        blank.on('request', (request) => {
          const url = request.url();
          if (!url.startsWith(suite.base) && !url.startsWith('blob:') && !url.startsWith('data:')) outside.push(url);
        }),
    });
    return { page, outside };
  }

  it('opens the board, opens an incident, recommends, dispatches the nearest unit and moves it on scene, with the map drawn offline', async () => {
    // Fresh positions for every demo unit, through ingest, as the demo feeder sends them.
    await new DemoFeeder(suite.app.deps, suite.app.demoForceId).tick();
    const api = await signIn(suite.app, 'dispatch@demo.police.uk');
    const units = (await suite.app.inject({ method: 'GET', url: '/api/units', headers: api.headers })).json<{ units: Unit[] }>().units;
    const nearest = units.find((unit) => unit.callSign === 'NC01');
    if (!nearest?.position) throw new Error('NC01 has no position');
    const created = await suite.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: api.headers,
      payload: { type: 'crime', summary: 'Fight outside the bar', grade: 'immediate', locationText: 'Prince of Wales Road', lat: nearest.position.lat + 0.0005, lon: nearest.position.lon },
    });
    expect(created.statusCode).toBe(201);
    const incident = created.json<{ incident: { id: string; reference: string } }>().incident;

    const { page, outside } = await openConsoleWatched('dispatcher');
    await page.getByRole('link', { name: 'Dispatch', exact: true }).click();
    const row = page.locator(`[data-testid="incident-row"][data-reference="${incident.reference}"]`);
    await row.waitFor();
    // The incident's type in the force's own words, as on the incident screen.
    await expect(row.textContent()).resolves.toContain('Crime (not yet classified): Fight outside the bar');
    // The map beside the list draws areas, incidents and units with no tile source.
    await page.locator('[data-testid="dispatch-map"][data-ready="true"] canvas').waitFor();
    await expectNoAxeViolations(page);

    await row.getByRole('link', { name: incident.reference }).click();
    await page.getByTestId('incident-details').waitFor();
    await expect(page.getByTestId('incident-details').textContent()).resolves.toContain('Norwich City');
    await page.getByTestId('recommend').click();
    const first = page.getByTestId('candidate').first();
    await first.waitFor();
    await expect(first.getAttribute('data-call-sign')).resolves.toBe('NC01');
    await expect(first.textContent()).resolves.toMatch(/under 1 min|about \d+ min/);
    await expectNoAxeViolations(page);

    await first.getByRole('checkbox').check();
    await page.getByTestId('dispatch').click();
    await page.getByRole('status').filter({ hasText: `Dispatched NC01 to ${incident.reference}.` }).waitFor();
    const committed = page.locator('[data-testid="committed-unit"][data-call-sign="NC01"]');
    await committed.waitFor();
    await expect(committed.getAttribute('data-status')).resolves.toBe('dispatched');
    // The buttons by the unit are the moves the server lists for it, in its order: no more, no fewer.
    const serverMoves = async () =>
      (await suite.app.inject({ method: 'GET', url: `/api/incidents/${incident.id}`, headers: api.headers })).json<{ incident: { units: { callSign: string; moves: string[] }[] } }>().incident.units.find((u) => u.callSign === 'NC01')?.moves;
    const LABELS: Record<string, string> = { en_route: 'En route', on_scene: 'On scene', clear: 'Clear' };
    const buttons = () => committed.getByRole('button').allTextContents();
    await expect(serverMoves()).resolves.toEqual(['en_route', 'on_scene', 'clear']);
    await expect(buttons()).resolves.toEqual((await serverMoves())?.map((move) => `${LABELS[move]} for NC01`));

    await committed.getByRole('button', { name: 'On scene for NC01' }).click();
    await page.locator('[data-testid="committed-unit"][data-call-sign="NC01"][data-status="on_scene"]').waitFor();
    await expect(serverMoves()).resolves.toEqual(['clear']);
    await expect.poll(buttons).toEqual(['Clear for NC01']);
    await expect(page.getByTestId('incident-details').textContent()).resolves.toContain('Unit on scene');
    await expectNoAxeViolations(page);
    const after = await suite.app.inject({ method: 'GET', url: `/api/incidents/${incident.id}`, headers: api.headers });
    expect(after.json<{ incident: { status: string } }>().incident.status).toBe('on_scene');

    // Word from the scene: it is violence, and armed officers are needed. A misspelt capability
    // is refused with the ones the force's units have; corrected, the change shows and is logged.
    const correct = page.getByTestId('correct-incident');
    await correct.getByLabel('Type').selectOption({ label: 'Violence against the person' });
    await correct.getByLabel('What is happening').fill('Fight outside the bar; one man has a knife');
    await correct.getByLabel('Others').fill('firearm');
    await page.getByTestId('save-correction').click();
    await correct.getByText(/no unit of this force has firearm; the force's units have: .*firearms/).first().waitFor();
    await expectNoAxeViolations(page);
    // Typed as a person would: the one form the API keeps is firearms.
    await correct.getByLabel('Others').fill('Firearms');
    await page.getByTestId('save-correction').click();
    await page.getByRole('status').filter({ hasText: `${incident.reference} corrected.` }).waitFor();
    const details = page.getByTestId('incident-details');
    await details.filter({ hasText: 'Violence against the person' }).waitFor();
    await expect(details.textContent()).resolves.toMatch(/one man has a knife[\s\S]*Needs\s*firearms/);
    await page
      .locator('[data-testid="incident-history"] li[data-type="incident.updated"]')
      .filter({ hasText: 'Type changed from Crime (not yet classified) to Violence against the person; summary changed; needs changed from nothing to firearms' })
      .waitFor();
    await expectNoAxeViolations(page);
    const corrected = (await suite.app.inject({ method: 'GET', url: `/api/incidents/${incident.id}`, headers: api.headers })).json<{ incident: { type: string; requiredCapabilities: string[]; grade: { code: string } } }>().incident;
    expect(corrected).toMatchObject({ type: 'crime_violence', requiredCapabilities: ['firearms'], grade: { code: 'immediate' } });

    // The unit board groups by district and status; the unit is on scene in Norwich City.
    await page.getByRole('link', { name: 'Unit board' }).click();
    const norwich = page.locator('[data-testid="unit-area"][data-area="Norwich City"]');
    await norwich.waitFor();
    await expect(norwich.textContent()).resolves.toMatch(/On scene \(1\)[\s\S]*NC01/);
    await expectNoAxeViolations(page);

    // A new incident, with its form checked before it is sent.
    await page.getByRole('link', { name: 'New incident' }).click();
    await page.getByTestId('new-incident').waitFor();
    await page.getByLabel('Latitude').fill('52.6');
    await page.getByTestId('create-incident').click();
    await page.getByText('Give both latitude and longitude, or neither').first().waitFor();
    await expectNoAxeViolations(page);

    expect(outside).toEqual([]);
    await page.close();
  });

  it("shows a supervisor the response report with the dispatched incident's figures, and offers it as CSV", async () => {
    const { page } = await openConsoleWatched('supervisor');
    await page.getByRole('link', { name: 'Response report' }).click();
    const row = page.locator('[data-testid="response-row"]').filter({ hasText: 'Norwich City' }).filter({ hasText: 'Immediate' });
    await row.waitFor();
    // The incident of the first test: dispatched and on scene within seconds, so both targets met.
    await expect(row.textContent()).resolves.toMatch(/100%/);
    const csv = page.getByRole('link', { name: 'Download CSV' });
    await expect(csv.getAttribute('href')).resolves.toMatch(/^\/api\/reports\/response\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    const download = await page.request.get(`${suite.base}${await csv.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(await download.text()).toMatch(/^section,area,grade,incidents/);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
