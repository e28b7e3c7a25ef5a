/// <reference lib="dom" />
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, signInToCasePage, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, submitPublicReport } from '../helpers.ts';
import type { AdmissionTicket } from '../../src/platform/http/admission.ts';

// The pages a person sees when the portal is too busy to take what they sent: the report form and
// the case page's message come back with their words (503), in English and Welsh, pass axe, and
// sending them again from the page works. One public request at a time and none queued, so the
// test sheds a post by holding the turn.

describe('forms given back when the portal is busy, in a real browser', () => {
  let context: BrowserContext;
  let page: Page;
  let held: AdmissionTicket | null = null;

  const suite = startBrowserSuite({
    app: () => createTestApp({ env: { SHED_CONCURRENCY: '1', SHED_MAX_WAIT_MS: '0', SHED_EVENT_LOOP_DELAY_MS: '0' } }),
  });
  beforeAll(async () => {
    context = await suite.browser.newContext();
    page = await context.newPage();
  });
  afterAll(async () => {
    held?.release();
    await context?.close();
  });

  /** Takes the one public turn, so the next public request is shed; `free` gives it back. */
  async function occupy(): Promise<void> {
    held = (await suite.app.admission?.admit()) ?? null;
    if (!held) throw new Error('the public turn was already taken');
  }
  function free(): void {
    held?.release();
    held = null;
  }

  it('gives-the-report-form-back-with-its-text-in-welsh-passing-axe-and-sends-it-from-there', async () => {
    await page.goto(`${suite.base}/report/details?lang=cy`);
    await page.locator('#whatHappened').fill('Mae rhywun wedi torri ffenest y siop <b>heno</b>');
    await page.locator('#where').fill('Stryd Fawr, Demoton');
    await page.locator('#when').fill('Deg munud yn ôl');
    await page.locator('#email').fill('gwyn@example.org');
    await occupy();
    const [shed] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/report/details') && r.request().method() === 'POST'), page.locator('form[action="/report/details"] button[type="submit"]').click()]);
    free();
    expect(shed.status()).toBe(503);
    await page.locator('[data-testid="busy"]').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    expect(await page.locator('#whatHappened').inputValue()).toBe('Mae rhywun wedi torri ffenest y siop <b>heno</b>');
    expect(await page.locator('#where').inputValue()).toBe('Stryd Fawr, Demoton');
    await expectNoAxeViolations(page);

    await page.locator('form[action="/report/details"] button[type="submit"]').click();
    await page.locator('[data-testid="reference"]').waitFor();
    expect(await page.textContent('[data-testid="reference"]')).toMatch(/[A-Z]+-\d{4}-\d{6}/);
  });

  it('gives-the-case-page-message-back-with-its-text-passing-axe-and-sends-it-from-there', async () => {
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const report = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: 'kept-forms-browser-1',
      whatHappened: 'My shed was broken into',
      where: 'Mill Lane',
      when: 'Last night',
      name: 'Rhian Victim',
      email: 'rhian.victim@example.org',
    });
    const created = await suite.app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
    const theCase = created.json<{ case: { id: string; reference: string } }>().case;

    await signInToCasePage(page, suite, theCase);

    await page.getByLabel('Your message').fill('The side gate was open too & the <script> lock is broken.');
    await occupy();
    const [shed] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/check/case/message')), page.getByRole('button', { name: 'Send message' }).click()]);
    free();
    expect(shed.status()).toBe(503);
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.getByLabel('Your message').inputValue()).toBe('The side gate was open too & the <script> lock is broken.');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Send message' }).click();
    await page.waitForURL(/\/check\/case\?sent=message/);
    expect(await page.textContent('body')).toContain('Your message has been sent');
  });
});
