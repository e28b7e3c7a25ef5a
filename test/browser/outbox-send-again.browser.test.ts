/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, startStandIn } from '../helpers.ts';
import { connectNotify, notifyFixture, outboxRow, queueWithDelivery } from '../outbox/outbox-kit.ts';

// "Send again" on the console's Outbox (decision 0058): a supervisor presses it on a text that
// Notify refused for good, once Notify takes texts again; the result is announced, the row is
// refreshed, and a message that has not failed has no button.

describe('sending a failed message again from the outbox, in a real browser', () => {
  let notify: Awaited<ReturnType<typeof startStandIn>>;

  const suite = startBrowserSuite({
    app: async (onClose) => {
      notify = await startStandIn();
      onClose(() => notify.close());
      notify.respondWith(201, (n: number) => ({ ...notifyFixture('notification-created.json'), id: `6e0a1c2e-0000-4000-8000-${String(n).padStart(12, '0')}` }));
      const app = await createTestApp();
      await connectNotify(app, app.demoForceId, notify.url, 'outbox-browser-callback-token');
      return app;
    },
  });

  it('sends-a-failed-text-again-announces-it-and-refreshes-the-row', async () => {
    notify.respondWith(400, notifyFixture('error-400.json'));
    const failed = await queueWithDelivery(suite.app, suite.app.demoForceId, [{ channel: 'sms', recipient: '+447700900471', subject: 'Case update', body: 'A suspect has been arrested.' }]);
    await suite.app.runner?.runDue();
    expect((await outboxRow(suite.app, suite.app.demoForceId, failed)).status).toBe('failed');
    notify.respondWith(201, (n: number) => ({ ...notifyFixture('notification-created.json'), id: `6e0a1c2e-0000-4000-8000-1${String(n).padStart(11, '0')}` }));

    const page = await suite.openConsole('supervisor');
    await page.getByRole('link', { name: 'Outbox' }).click();
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    const row = page.locator(`[data-testid="outbox-row"][data-id="${failed}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('failed');
    // Only a failed message has the button.
    const buttons = page.getByTestId('outbox-send-again');
    const failedRows = page.locator('[data-testid="outbox-row"][data-status="failed"]');
    expect(await buttons.count()).toBe(await failedRows.count());
    await expectNoAxeViolations(page);

    await row.getByRole('button', { name: 'Send again the message to +447700900471' }).click();
    const notice = page.locator('#outbox-notice');
    await expect.poll(() => notice.textContent()).toContain('is sent again: by text message to +447700900471. It is waiting to be sent.');
    await expect.poll(() => row.getAttribute('data-status')).toBe('pending');
    await expect.poll(() => row.getByTestId('outbox-send-again').count()).toBe(0);
    await expectNoAxeViolations(page);

    await suite.app.runner?.runDue();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('sent');
    expect(notify.requests.filter((r) => r.body.includes(failed))).toHaveLength(2);

    // Someone else sent one again while this page showed it failed: the refusal says why, and the row catches up.
    notify.respondWith(400, notifyFixture('error-400.json'));
    const other = await queueWithDelivery(suite.app, suite.app.demoForceId, [{ channel: 'sms', recipient: '+447700900472', subject: 'Case update', body: 'Your case is closed.' }]);
    await suite.app.runner?.runDue();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const otherRow = page.locator(`[data-testid="outbox-row"][data-id="${other}"]`);
    await expect.poll(() => otherRow.getAttribute('data-status')).toBe('failed');
    const admin = await signIn(suite.app, 'admin@demo.police.uk');
    expect((await suite.app.inject({ method: 'POST', url: `/api/outbox/${other}/send-again`, headers: admin.headers })).statusCode).toBe(200);
    await otherRow.getByRole('button', { name: /^Send again/ }).click();
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('waiting to be sent');
    await expect.poll(() => otherRow.getAttribute('data-status')).toBe('pending');
    await expectNoAxeViolations(page);
    await page.close();
  });
});
