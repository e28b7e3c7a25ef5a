/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';

// What units must have for an incident (decision 0094): the dispatcher ticks what the force's
// units have, or types others as a person writes them; the server puts each in its one form, the
// incident shows what it stored, and one no unit has is refused by the field. The correction form
// starts with the incident's ticked.

describe('what units must have, chosen in a real browser', () => {
  const suite = startBrowserSuite({
    app: async () => {
      const app = await createTestApp();
      const supervisor = await signIn(app, 'supervisor@demo.police.uk');
      const added = await app.inject({ method: 'POST', url: '/api/units', headers: supervisor.headers, payload: { callSign: 'ZN41', type: 'response', capabilities: ['Method-of entry'] } });
      expect(added.statusCode, added.body).toBe(201);
      return app;
    },
  });

  it('offers-the-forces-capabilities-sends-what-was-typed-and-shows-what-the-server-stored', async () => {
    const page = await suite.openConsole('dispatcher');
    await page.goto(`${suite.base}/console/#/incidents/new`);
    const form = page.getByTestId('new-incident');
    await form.waitFor();
    const needs = form.getByRole('group', { name: 'Units must have' });
    // The demo fleet's capabilities and the new unit's, as the server stored them.
    await needs.getByRole('checkbox', { name: 'method of entry' }).waitFor();
    await expect(needs.getByRole('checkbox', { name: 'firearms' }).isChecked()).resolves.toBe(false);
    await expectNoAxeViolations(page);

    await form.getByLabel('What is happening').fill('Man with a knife in a flat');
    // One no unit has is refused by the field, saying what the units have.
    await needs.getByLabel('Others').fill('Lance');
    await page.getByTestId('create-incident').click();
    await needs.getByText(/no unit of this force has lance; the force's units have: .*method_of_entry/).waitFor();
    await expect(needs.getByLabel('Others').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectNoAxeViolations(page);

    await needs.getByRole('checkbox', { name: 'firearms' }).check();
    await needs.getByLabel('Others').fill('Method of Entry, FIREARMS');
    await page.getByTestId('create-incident').click();
    const details = page.getByTestId('incident-details');
    await details.waitFor();
    await expect(details.textContent()).resolves.toMatch(/Needs\s*firearms, method of entry/);
    const listed = await signIn(suite.app, 'dispatch@demo.police.uk');
    const incidents = (await suite.app.inject({ method: 'GET', url: '/api/incidents', headers: listed.headers })).json<{ incidents: { summary: string; requiredCapabilities?: string[]; id: string }[] }>().incidents;
    const made = incidents.find((incident) => incident.summary === 'Man with a knife in a flat');
    if (!made) throw new Error('the incident was not made');
    const stored = (await suite.app.inject({ method: 'GET', url: `/api/incidents/${made.id}`, headers: listed.headers })).json<{ incident: { requiredCapabilities: string[] } }>().incident;
    expect(stored.requiredCapabilities).toEqual(['firearms', 'method_of_entry']);

    // Correcting it starts from what it needs, ticked; unticking one saves without it.
    const correct = page.getByTestId('correct-incident');
    const correctNeeds = correct.getByRole('group', { name: 'Units must have' });
    await expect(correctNeeds.getByRole('checkbox', { name: 'firearms' }).isChecked()).resolves.toBe(true);
    await expect(correctNeeds.getByRole('checkbox', { name: 'method of entry' }).isChecked()).resolves.toBe(true);
    await expectNoAxeViolations(page);
    await correctNeeds.getByRole('checkbox', { name: 'firearms' }).uncheck();
    await page.getByTestId('save-correction').click();
    await page.getByRole('status').filter({ hasText: 'corrected.' }).waitFor();
    await expect.poll(() => details.textContent()).toMatch(/Needs\s*method of entry(?!,)/);
    await page.close();
  });
});
