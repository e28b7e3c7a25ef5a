/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { MAP_ARGS, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A dispatcher books a unit unavailable from the unit board, with a reason the board then shows,
// and books it available again; a move the server refuses (the unit booked off duty by someone
// else meanwhile) is told in the error summary. A call handler and a force admin, who read the
// board but do not hold dispatch:act, are given no controls.

describe("a unit's availability booked from the unit board in a real browser", () => {
  let unitId = '';

  const suite = startBrowserSuite({
    args: MAP_ARGS,
    app: async () => {
      const app = await createTestApp();
      const supervisor = await signIn(app, 'supervisor@demo.police.uk');
      const added = await app.inject({ method: 'POST', url: '/api/units', headers: supervisor.headers, payload: { callSign: 'ZZ41', type: 'response' } });
      expect(added.statusCode, added.body).toBe(201);
      unitId = added.json<{ unit: { id: string } }>().unit.id;
      return app;
    },
  });

  const stored = () =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('units').select(['status', 'status_reason']).where('id', '=', unitId).executeTakeFirstOrThrow());
  const eventTypes = () =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('events').select('type').where('subject_id', '=', unitId).orderBy('seq').execute()).then((rows) => rows.map((r) => r.type));

  it('books-a-unit-unavailable-with-a-reason-shows-it-books-it-available-and-tells-a-refused-move', async () => {
    const page = await suite.openConsole('dispatcher');
    await page.goto(`${suite.base}/console/#/dispatch/units`);
    await page.getByRole('heading', { level: 1, name: 'Unit board' }).waitFor();
    const unit = page.locator('[data-testid="unit"][data-call-sign="ZZ41"]');
    await unit.waitFor();
    // Available: it may be booked unavailable or off duty, not available again.
    await expect(unit.getByRole('button').allTextContents()).resolves.toEqual(['Book unavailable for ZZ41', 'Book off duty for ZZ41']);
    await expectNoAxeViolations(page);

    // The reason is asked for by the unit; sent blank, it is refused by its field.
    await unit.getByRole('button', { name: 'Book unavailable for ZZ41' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('unit-reason');
    await page.getByRole('button', { name: 'Book ZZ41 unavailable' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: 'Enter why the unit is unavailable' }).waitFor();
    await expect(page.getByLabel('Why is ZZ41 unavailable?').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectNoAxeViolations(page);
    await summary.getByRole('link', { name: 'Enter why the unit is unavailable' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('unit-reason');
    expect(await eventTypes()).toEqual(['unit.created']);

    await page.getByLabel('Why is ZZ41 unavailable?').fill('  Vehicle defect: flat tyre  ');
    await page.getByRole('button', { name: 'Book ZZ41 unavailable' }).click();
    await page.getByRole('status').filter({ hasText: 'ZZ41 is unavailable: Vehicle defect: flat tyre.' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('unit-board-done');
    // On the board, under Unavailable, with its reason.
    const group = page.locator('[data-testid="unit-area"][data-area="No home area"]');
    await expect.poll(() => group.textContent()).toMatch(/Unavailable \(1\)\s*ZZ41 response \(Vehicle defect: flat tyre\)/);
    await expect(unit.getByTestId('unit-reason').textContent()).resolves.toBe(' (Vehicle defect: flat tyre)');
    await expect(stored()).resolves.toEqual({ status: 'unavailable', status_reason: 'Vehicle defect: flat tyre' });
    await expectNoAxeViolations(page);

    // Back to available: the reason goes.
    await unit.getByRole('button', { name: 'Book available for ZZ41' }).click();
    await page.getByRole('status').filter({ hasText: 'ZZ41 is available.' }).waitFor();
    await expect.poll(() => unit.getByTestId('unit-reason').count()).toBe(0);
    await expect(stored()).resolves.toEqual({ status: 'available', status_reason: null });

    // Booked off duty by someone else while the reason form is open: the server refuses, and says why.
    await unit.getByRole('button', { name: 'Book unavailable for ZZ41' }).click();
    await page.getByLabel('Why is ZZ41 unavailable?').fill('Refreshments');
    const elsewhere = await signIn(suite.app, 'supervisor@demo.police.uk');
    const offDuty = await suite.app.inject({ method: 'POST', url: `/api/units/${unitId}/status`, headers: elsewhere.headers, payload: { status: 'off_duty' } });
    expect(offDuty.statusCode, offDuty.body).toBe(200);
    await page.getByRole('button', { name: 'Book ZZ41 unavailable' }).click();
    await summary.filter({ hasText: 'ZZ41 is off duty; book it on first' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await unit.getByRole('button', { name: 'Book on for ZZ41' }).click();
    await page.getByRole('status').filter({ hasText: 'ZZ41 is available.' }).waitFor();
    await expect(stored()).resolves.toEqual({ status: 'available', status_reason: null });
    expect(await eventTypes()).toEqual(['unit.created', 'unit.unavailable', 'unit.available', 'unit.off_duty', 'unit.available']);
    await page.close();
  });

  for (const [who, role] of [
    ['a call handler', 'call_handler'],
    ['a force admin', 'force_admin'],
  ] as const) {
    it(`shows ${who}, who does not hold dispatch:act, the board with no controls`, async () => {
      const page = await suite.openConsole(role);
      await page.goto(`${suite.base}/console/#/dispatch/units`);
      await page.getByRole('heading', { level: 1, name: 'Unit board' }).waitFor();
      await page.locator('[data-testid="unit"][data-call-sign="ZZ41"]').waitFor();
      await expect(page.getByTestId('unit-board').getByRole('button').count()).resolves.toBe(0);
      await expect(page.getByTestId('unit-moves').count()).resolves.toBe(0);
      await expectNoAxeViolations(page);
      await page.close();
    });
  }
});
