/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A force admin keeps the force's fleet from the console's Administration pages: adds a unit with
// its type, capabilities and home, sees it listed, corrects its capabilities, and is told by the
// call sign field when the call sign is another unit's. A dispatcher, who sees the control room but
// does not manage units, reads the same list with nothing to change it and no link to it. A unit
// off duty is retired, once the admin says why, and leaves the list shown, the unit board and the
// recommendation; shown again among the retired, it is reinstated, off duty (decision 0086).

describe('the units page in a real browser', () => {
  const suite = startBrowserSuite();

  const unitRows = (callSign: string) =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('units').select(['id', 'type', 'capabilities', 'home_station', 'home_area_id', 'status']).where('call_sign', '=', callSign).execute(),
    );
  const unitEvents = (unitId: string) =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', unitId).orderBy('seq').execute());

  it('adds-a-unit-lists-it-changes-its-capabilities-and-refuses-a-taken-call-sign-by-its-field', async () => {
    const page = await suite.openConsole('force_admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Units' }).click();
    await page.getByRole('heading', { level: 1, name: 'Units' }).waitFor();
    await page.getByTestId('unit-row').first().waitFor();
    await expectNoAxeViolations(page);

    // A dog unit, typed as a person would say its call sign, at home in a district of the force.
    await page.getByRole('button', { name: 'Add a unit' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('h-unit-form');
    await page.getByLabel('Call sign').fill('zz 77');
    await page.getByLabel('Type').fill('dog');
    await page.getByLabel('Capabilities').fill('dog, first_aid_2');
    await page.getByLabel('Home station (optional)').fill('Demoton Central');
    await page.getByLabel('Home district or beat (optional)').selectOption({ label: 'Norwich City (district)' });
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Add the unit' }).click();
    await page.getByRole('status').filter({ hasText: 'ZZ77 added. It is available.' }).waitFor();
    const row = page.locator('[data-testid="unit-row"][data-call-sign="ZZ77"]');
    await expect(row.getByTestId('unit-type').textContent()).resolves.toBe('Dog');
    await expect(row.getByTestId('unit-capabilities').textContent()).resolves.toBe('Dog, First aid 2');
    await expect(row.getByTestId('unit-home').textContent()).resolves.toBe('Demoton Central, Norwich City');
    await expect(row.getByTestId('unit-status').textContent()).resolves.toBe('Available');
    await expect(row.getByTestId('unit-position').textContent()).resolves.toBe('No position');
    const [stored] = await unitRows('ZZ77');
    expect(stored).toMatchObject({ type: 'dog', capabilities: ['dog', 'first_aid_2'], home_station: 'Demoton Central', status: 'available' });
    expect(stored?.home_area_id).not.toBeNull();
    await expectNoAxeViolations(page);

    // The same call sign however it is spaced: refused by the call sign field, nothing added.
    await page.getByRole('button', { name: 'Add a unit' }).click();
    await page.getByLabel('Call sign').fill('ZZ 77');
    await page.getByLabel('Type').fill('response');
    await page.getByRole('button', { name: 'Add the unit' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: 'Call sign is taken: another unit is already ZZ77' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expect(page.locator('.field--error').count()).resolves.toBe(1);
    await expect(page.getByLabel('Call sign').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectNoAxeViolations(page);
    // The summary's link takes the admin to the field.
    await summary.getByRole('link', { name: /Call sign is taken/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('unit-callSign');
    // A type that is not a code: refused by its field (400), with the server's reason.
    await page.getByLabel('Call sign').fill('ZZ78');
    await page.getByLabel('Type').fill('Armed Response');
    await page.getByRole('button', { name: 'Add the unit' }).click();
    await summary.getByRole('link', { name: 'Type must be lower-case letters, digits and underscores' }).waitFor();
    await expect(page.getByLabel('Type').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Call sign').getAttribute('aria-invalid')).resolves.toBeNull();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(unitRows('ZZ78')).resolves.toEqual([]);

    // Its capabilities corrected: only the capabilities are sent and recorded.
    await row.getByRole('button', { name: 'Change ZZ77' }).click();
    await page.getByRole('heading', { name: 'Change ZZ77' }).waitFor();
    await expect(page.getByLabel('Capabilities').inputValue()).resolves.toBe('dog, first_aid_2');
    await page.getByLabel('Capabilities').fill('dog, taser');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save the change' }).click();
    await page.getByRole('status').filter({ hasText: 'ZZ77 saved.' }).waitFor();
    await expect.poll(() => row.getByTestId('unit-capabilities').textContent()).toBe('Dog, Taser');
    const [changed] = await unitRows('ZZ77');
    expect(changed).toMatchObject({ type: 'dog', capabilities: ['dog', 'taser'], home_station: 'Demoton Central' });
    const events = await unitEvents(changed?.id ?? '');
    expect(events.map((e) => e.type)).toEqual(['unit.created', 'unit.details_changed']);
    expect(events[1]?.data).toMatchObject({ fields: ['capabilities'] });

    // Saved with nothing changed: nothing is sent.
    await row.getByRole('button', { name: 'Change ZZ77' }).click();
    await page.getByRole('button', { name: 'Save the change' }).click();
    await page.getByRole('status').filter({ hasText: 'Nothing changed.' }).waitFor();
    await expect(unitEvents(changed?.id ?? '').then((all) => all.length)).resolves.toBe(2);
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('retires-an-off-duty-unit-once-told-why-shows-it-among-the-retired-and-reinstates-it', async () => {
    const dispatcher = await signIn(suite.app, 'dispatch@demo.police.uk');
    const supervisor = await signIn(suite.app, 'supervisor@demo.police.uk');
    const call = async (headers: Record<string, string>, url: string, payload: object) => {
      const response = await suite.app.inject({ method: 'POST', url, headers, payload });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<{ unit: { id: string } }>().unit;
    };
    const unit = await call(supervisor.headers, '/api/units', { callSign: 'ZZ66', type: 'response' });
    await call(dispatcher.headers, `/api/units/${unit.id}/status`, { status: 'off_duty' });

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/units`);
    const row = page.locator('[data-testid="unit-row"][data-call-sign="ZZ66"]');
    await row.waitFor();
    // Retire is offered as the server offers it: for a unit off duty, not one available.
    await expect(page.locator('[data-testid="unit-row"][data-call-sign="ZZ77"]').getByTestId('unit-retire').count()).resolves.toBe(0);
    await expect(page.getByLabel(/Show retired units/).count()).resolves.toBe(0);
    await row.getByRole('button', { name: 'Retire ZZ66' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('unit-retire-reason');
    await expectNoAxeViolations(page);
    // Nothing is retired without the reason.
    await row.getByRole('button', { name: 'Retire ZZ66' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: 'Enter why ZZ66 is being retired' }).waitFor();
    await expect(page.getByLabel('Why is ZZ66 being retired?').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectNoAxeViolations(page);

    // Booked on meanwhile: the server refuses, saying what to do, and nothing is retired.
    await call(dispatcher.headers, `/api/units/${unit.id}/status`, { status: 'available' });
    await page.getByLabel('Why is ZZ66 being retired?').fill('Sold at auction');
    await row.getByRole('button', { name: 'Retire ZZ66' }).click();
    await summary.filter({ hasText: 'ZZ66 is available; book it off duty, then retire it' }).waitFor();
    await expectNoAxeViolations(page);
    await call(dispatcher.headers, `/api/units/${unit.id}/status`, { status: 'off_duty' });
    await row.getByRole('button', { name: 'Retire ZZ66' }).click();
    await page.getByRole('status').filter({ hasText: 'ZZ66 retired. It is off the unit board and is never recommended or sent.' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('unit-retire-done');
    await expect.poll(() => row.count()).toBe(0);
    const [retired] = await unitRows('ZZ66');
    expect(retired?.status).toBe('retired');
    expect((await unitEvents(unit.id)).map((e) => e.type)).toEqual(['unit.created', 'unit.off_duty', 'unit.available', 'unit.off_duty', 'unit.retired']);
    const board = await suite.app.inject({ method: 'GET', url: '/api/units', headers: dispatcher.headers });
    expect(board.json<{ units: { callSign: string }[] }>().units.map((u) => u.callSign)).not.toContain('ZZ66');
    await expectNoAxeViolations(page);

    // Shown among the retired, marked so, and reinstated: off duty, back in the list.
    await page.getByLabel('Show retired units (1)').check();
    await expect(row.getByTestId('unit-status').textContent()).resolves.toBe('Retired');
    await expectNoAxeViolations(page);
    await row.getByRole('button', { name: 'Reinstate ZZ66' }).click();
    await page.getByRole('status').filter({ hasText: 'ZZ66 reinstated. It is off duty until the control room books it on.' }).waitFor();
    await expect.poll(() => row.getByTestId('unit-status').textContent()).toBe('Off duty');
    await expect.poll(() => row.getByRole('button', { name: 'Retire ZZ66' }).count()).toBe(1);
    expect((await unitEvents(unit.id)).map((e) => e.type).slice(-2)).toEqual(['unit.retired', 'unit.reinstated']);
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('shows-a-dispatcher-the-units-with-no-add-or-change-control-and-no-link', async () => {
    const page = await suite.openConsole('dispatcher');
    // Nothing in a dispatcher's navigation leads to Administration.
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).count()).resolves.toBe(0);
    await page.goto(`${suite.base}/console/#/admin/units`);
    await page.getByRole('heading', { level: 1, name: 'Units' }).waitFor();
    await page.getByTestId('unit-row').first().waitFor();
    await page.getByTestId('units-read-only').waitFor();
    await expect(page.getByTestId('unit-add').count()).resolves.toBe(0);
    await expect(page.getByTestId('unit-edit').count()).resolves.toBe(0);
    await expect(page.getByTestId('units-table').getByRole('button').count()).resolves.toBe(0);
    await expect(page.getByTestId('unit-form').count()).resolves.toBe(0);
    // Its Administration navigation lists this page alone.
    await expect(page.getByRole('navigation', { name: 'Administration' }).getByRole('link').allTextContents()).resolves.toEqual(['Units']);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
