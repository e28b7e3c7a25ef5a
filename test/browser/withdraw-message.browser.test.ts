/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';
import { outboxEvents, outboxRow, queueWithDelivery } from '../outbox/outbox-kit.ts';

// "Withdraw" on a case's messages to victims (decision 0074): an investigator who hears that the
// victim's number is no longer safe withdraws the text waiting to go, with the reason; the
// message then shows as withdrawn with it, and nothing is sent.

describe('withdrawing a waiting message from the case screen, in a real browser', () => {
  const suite = startBrowserSuite();

  it('withdraws-a-waiting-text-with-the-reason-and-shows-it-withdrawn', async () => {
    const api = await signIn(suite.app, 'investigator@demo.police.uk');
    const made = await suite.app.inject({ method: 'POST', url: '/api/cases', headers: api.headers, payload: { summary: 'Threats by text message', victims: [{ name: 'Alex Victim' }] } });
    expect(made.statusCode, made.body).toBe(201);
    const caseId = made.json<{ case: { id: string } }>().case.id;
    // Due tomorrow: it waits, as a journey's delayed update does.
    const tomorrow = new Date(suite.app.deps.clock.now().getTime() + 86_400_000);
    const waiting = await queueWithDelivery(suite.app, suite.app.demoForceId, [{ channel: 'sms', recipient: '+447700900481', subject: '', body: 'Your case has an update.' }], {
      caseId,
      notBefore: tomorrow,
      runAt: tomorrow,
    });

    const page = await suite.openConsole('investigator');
    await page.goto(`${suite.base}/console/#/cases/${caseId}`);
    const row = page.locator(`[data-testid="case-message"][data-id="${waiting}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('pending');
    await expectNoAxeViolations(page);

    await row.getByRole('button', { name: /^Withdraw the/ }).click();
    const reason = row.getByLabel('Why withdraw it?');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(await reason.getAttribute('id'));
    // No reason: the server says why, by the field, and nothing is withdrawn.
    await row.getByTestId('withdraw-submit').click();
    await expect.poll(() => row.locator('.field--error').count()).toBe(1);
    expect((await outboxRow(suite.app, suite.app.demoForceId, waiting)).status).toBe('pending');
    await expectNoAxeViolations(page);

    await reason.fill('The victim says this number is no longer safe');
    await row.getByTestId('withdraw-submit').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('suppressed');
    await expect.poll(() => row.textContent()).toContain('Withdrawn');
    expect(await row.textContent()).toContain('Why: The victim says this number is no longer safe');
    await expect.poll(() => row.getByRole('button', { name: /^Withdraw/ }).count()).toBe(0);
    await expectNoAxeViolations(page);

    expect(await outboxRow(suite.app, suite.app.demoForceId, waiting)).toMatchObject({ status: 'suppressed' });
    expect((await outboxEvents(suite.app, suite.app.demoForceId, waiting)).map((e) => e.type)).toEqual(['outbox.withdrawn']);
    await page.close();
  });
});
