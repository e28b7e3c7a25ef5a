/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { submitPublicReport } from '../helpers.ts';

describe('the online-report queue in a real browser', () => {
  const suite = startBrowserSuite();

  it('processes and classifies an online report, the suggestion first, with no axe violations', async () => {
    const stored = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: 'browser-online-report',
      whatHappened: 'My bike was stolen from outside the library',
      where: 'Library Square, Demoton',
      when: 'This morning',
      name: 'Bea Cyclist',
      email: 'bea@example.org',
    });
    await suite.app.runner?.runDue();

    const page = await suite.browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${suite.base}/console/`);
    await page.getByLabel(/email/i).fill('supervisor@demo.police.uk');
    await page.getByLabel(/password/i).fill('demo-password');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Online reports' }).click();
    await page.getByRole('heading', { name: 'Online reports' }).waitFor();
    const row = page.locator('[data-testid="online-report-row"]', { hasText: stored.reference });
    await row.waitFor();
    expect(await row.textContent()).toContain('THF-BIC');
    await page.getByTestId('online-dashboard').waitFor();
    // The report and its draft case are each a link: the person processing it reads them first.
    expect(await row.getByRole('link', { name: stored.reference, exact: true }).getAttribute('href', { timeout: 1_000 })).toBe(`#/contacts/${stored.contactId}`);
    expect(await row.getByRole('link', { name: /^Case / }).getAttribute('href', { timeout: 1_000 })).toMatch(/^#\/cases\/[0-9a-f-]{36}$/);
    await expectNoAxeViolations(page);

    await row.getByRole('button', { name: `Process ${stored.reference}` }).click();
    await expect.poll(() => row.getAttribute('data-stage')).toBe('processed');
    const select = row.getByLabel(`Crime type for ${stored.reference}`);
    expect(await select.inputValue()).toBe('THF-BIC');
    await expectNoAxeViolations(page);
    await row.getByRole('button', { name: 'Classify' }).click();
    // Classified reports leave the open queue.
    await expect.poll(() => row.count()).toBe(0);
    const queue = await suite.app.inject({ method: 'GET', url: '/api/online-reports/queue?which=all', headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(queue.json<{ reports: { contactId: string; stage: string; crimeType: string | null }[] }>().reports.find((r) => r.contactId === stored.contactId)).toMatchObject({ stage: 'classified', crimeType: 'THF-BIC' });
  });
});
