/// <reference lib="dom" />
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { auditWithoutJavaScript, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';
import { Visitor, reportedCase } from '../portal-visitor.ts';

// What a person at risk relies on: after "Exit this page", Back never shows what they typed; on a
// phone the open chat never hides the exit; and they can report without giving an email address.

const TYPED = 'My husband hits me when he has been drinking';
const NEUTRAL = 'https://www.bbc.co.uk/weather';
const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Everything the page shows or holds in a field, read once it has settled wherever it went. */
async function whatThePageShows(page: Page): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await page.waitForLoadState('load');
      return await page.evaluate(() => {
        const values = Array.from(document.querySelectorAll('input, textarea')).map((field) => (field as HTMLInputElement).value);
        return `${document.body?.innerText ?? ''}\n${values.join('\n')}`;
      });
    } catch (error) {
      // A page that leaves again at once (the exit after Back) destroys the context mid-read.
      if (attempt >= 5) throw error;
      await page.waitForTimeout(50);
    }
  }
}

describe('safeguarding on the public portal, in a real browser', () => {
  const suite = startBrowserSuite({ app: () => createTestApp({ env: { WORKER_POLL_MS: '100' }, overrides: { startWorker: true } }) });

  /** A context whose neutral site is a local stand-in (the test never leaves the machine). */
  async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
    const context = await suite.browser.newContext(options);
    await context.route('https://www.bbc.co.uk/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html lang="en"><title>Weather</title><h1>Weather</h1></html>' }),
    );
    return context;
  }

  /** From the start page to the report form, as a person gets there, and types what happened. */
  async function typeAReport(page: Page): Promise<void> {
    await page.goto(`${suite.base}/`);
    await page.goto(`${suite.base}/report/danger`);
    await page.getByLabel('No').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${suite.base}/report/details`);
    await page.getByLabel('What happened?').fill(TYPED);
    await page.getByLabel('Where did it happen?').fill('At home');
  }

  it('shows-nothing-typed-on-back-after-exit-with-javascript', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await typeAReport(page);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: /Exit this page/ }).click();
    await page.waitForURL(NEUTRAL);
    await page.goBack().catch(() => null);
    expect(await whatThePageShows(page)).not.toContain(TYPED);

    // The same after a form that came back with a mistake, holding the text in its fields.
    await typeAReport(page);
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByText('There is a problem').waitFor();
    expect(await page.getByLabel('What happened?').inputValue()).toBe(TYPED);
    // The shortcut listens once the page's scripts have run: on a busy machine that is after the text shows.
    await page.waitForLoadState('load');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.waitForURL(NEUTRAL);
    await page.goBack().catch(() => null);
    expect(await whatThePageShows(page)).not.toContain(TYPED);
    await page.goBack().catch(() => null);
    expect(await whatThePageShows(page)).not.toContain(TYPED);
    await context.close();
  });

  it('shows-nothing-typed-on-back-after-exit-without-javascript', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await typeAReport(page);
    await auditWithoutJavaScript(suite.browser, page);
    await page.getByRole('button', { name: /Exit this page/ }).click();
    await page.waitForURL(NEUTRAL);
    await page.goBack();
    expect(page.url()).toBe(`${suite.base}/report/details`);
    expect(await whatThePageShows(page)).not.toContain(TYPED);
    expect(await page.getByLabel('What happened?').inputValue()).toBe('');
    await context.close();
  });

  it('denies-the-case-page-after-exit-with-javascript', async () => {
    // The victim signs in to their case (as the no-JavaScript tests of it do), in this browser.
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const victim = new Visitor(suite.app, '198.51.100.72');
    expect((await victim.signInToCase(await reportedCase(suite.app, handler, 'exit-with-script@example.org'))).headers.location).toBe('/check/case');
    const context = await newContext();
    await context.addCookies([...victim.cookies].map(([name, value]) => ({ name, value, url: suite.base })));
    const page = await context.newPage();
    await page.goto(`${suite.base}/check/case`);
    await page.getByRole('heading', { name: 'Your case', exact: true }).waitFor();
    await page.getByRole('button', { name: /Exit this page/ }).click();
    await page.waitForURL(NEUTRAL);
    // The exit leaves without waiting for the server, which forgets the sign-in all the same:
    // anyone opening the case page on this device afterwards is asked for a reference.
    await expect.poll(async () => (await context.cookies()).map((cookie) => cookie.name), { timeout: 10_000 }).not.toContain('bl_case');
    const later = await context.newPage();
    await later.goto(`${suite.base}/check/case`);
    expect(later.url()).toBe(`${suite.base}/check`);
    await context.close();
  });

  it('sends-a-report-with-only-a-phone-number-on-a-phone', async () => {
    const context = await newContext(PHONE);
    const page = await context.newPage();
    await typeAReport(page);
    await page.getByLabel('When did it happen?').fill('Last night');
    await page.getByLabel('Phone number').fill('07911 123456');
    await page.getByText('How we use your information').click();
    await page.getByText('we use it only to contact you about this report').waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByTestId('reference').waitFor();
    expect(await page.getByTestId('reference').textContent()).toMatch(/^DEMO-\d{4}-\d{6}$/);
    await expectNoAxeViolations(page);
    await context.close();
  });

  it('keeps-the-exit-visible-and-clickable-over-the-open-chat-on-a-phone', async () => {
    const context = await newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.base}/chat`);
    await page.getByRole('button', { name: 'Start a chat' }).click();
    await page.getByLabel('Your message').waitFor();
    const exit = page.getByRole('button', { name: /Exit this page/ });
    // At the top of the page, and scrolled (where the exit sticks to the top of the screen).
    for (const scrollY of [0, 400]) {
      await page.evaluate((y) => window.scrollTo(0, y), scrollY);
      await expect.poll(() => exit.isVisible()).toBe(true);
      // Playwright refuses a click on anything another element would receive instead.
      await exit.click({ trial: true, timeout: 5_000 });
    }
    expect(await page.getByLabel('Your message').isVisible()).toBe(true);
    await expectNoAxeViolations(page);
    await exit.click();
    await page.waitForURL(NEUTRAL);
    await context.close();
  });
});
