/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';

// A routing admin sees which queue takes the contacts no rule matches and makes another queue the
// default, after a confirmation naming both; cancelling changes nothing, the control room's queue
// offers no such button, and a queue another admin made the default meanwhile is refused with the
// page showing the default as it is now. The queue rules page names the new default (decision 0091).

type Queue = { id: string; key: string; name: string; isDefault: boolean };

describe('the default queue chosen in a real browser', () => {
  const suite = startBrowserSuite();

  const defaultsOf = async (headers: Record<string, string>) =>
    (await suite.app.inject({ method: 'GET', url: '/api/queues', headers })).json<{ queues: Queue[] }>().queues.filter((q) => q.isDefault).map((q) => q.key);

  it('makes-online-reports-the-default-after-a-confirmation-naming-both-and-is-told-when-another-admin-got-there-first-with-no-axe-violations', async () => {
    const other = await signIn(suite.app, 'supervisor@demo.police.uk');
    const page = await suite.openConsole('force_admin');
    const asked: string[] = [];
    let answer = false;
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void (answer ? dialog.accept() : dialog.dismiss());
    });
    await page.goto(`${suite.base}/console/#/admin/queues`);
    const row = (key: string) => page.locator(`[data-testid="queue-admin-row"][data-queue-key="${key}"]`);
    await row('general').getByTestId('queue-default').waitFor();
    await expect(page.getByTestId('queue-default').count()).resolves.toBe(1);
    // Not on the default itself, nor on the control room's queue.
    await expect(row('general').getByTestId('queue-make-default').count()).resolves.toBe(0);
    await expect(row('control_room').getByTestId('queue-make-default').count()).resolves.toBe(0);
    await expectNoAxeViolations(page);

    // Cancelled: nothing changes.
    await row('online_report').getByRole('button', { name: /^Make this the default queue\W+Online reports$/ }).click();
    expect(asked).toEqual([
      'Make Online reports the default queue instead of General enquiries? New contacts that match no queue rule will go to Online reports. Contacts already queued stay where they are.',
    ]);
    await expect(defaultsOf(other.headers)).resolves.toEqual(['general']);

    answer = true;
    await row('online_report').getByTestId('queue-make-default').click();
    const notice = page.locator('#queues-notice');
    await expect.poll(() => notice.textContent()).toBe('Online reports is now the default queue. New contacts that match no queue rule go there.');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('queues-notice');
    await row('online_report').getByTestId('queue-default').waitFor();
    await expect.poll(() => page.getByTestId('queue-default').count()).toBe(1);
    await expect(defaultsOf(other.headers)).resolves.toEqual(['online_report']);

    // Another admin makes Domestic abuse the default while this page still shows Online reports.
    const domestic = (await suite.app.inject({ method: 'GET', url: '/api/queues', headers: other.headers })).json<{ queues: Queue[] }>().queues.find((q) => q.key === 'domestic');
    const meanwhile = await suite.app.inject({ method: 'POST', url: `/api/queues/${domestic?.id ?? ''}/default`, headers: other.headers, payload: {} });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);
    await row('domestic').getByTestId('queue-make-default').click();
    expect(asked.at(-1)).toContain('Make Domestic abuse the default queue instead of Online reports?');
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('Domestic abuse is already the default queue');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('alert');
    // The page reads the queues again: the default as it is now.
    await row('domestic').getByTestId('queue-default').waitFor();
    await expect.poll(() => page.getByTestId('queue-default').count()).toBe(1);
    await expectNoAxeViolations(page);

    // The queue rules page names the default as it now is.
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Queue rules' }).click();
    await expect.poll(() => page.getByTestId('queue-rules-default').textContent()).toBe('Contacts that match no rule go to the default queue, Domestic abuse.');
    await page.close();
  });
});
