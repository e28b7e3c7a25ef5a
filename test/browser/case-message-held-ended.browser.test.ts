/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { auditWithoutJavaScript, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn, submitPublicReport } from '../helpers.ts';
import { casePageReads } from '../portal-visitor.ts';

// A victim writes to their officer on one device while their case is signed in to again on another:
// that newer sign-in ended this one (decision 0158), so the message is held, and the reference form
// says why, in English or Welsh; signing in again sends it, and the case page shows the victim's
// words as they typed them, markup and all, as text. With JavaScript off and on, each page audited
// with axe as the browser shows it.

type Locale = 'en' | 'cy';
const messages = (locale: Locale) =>
  JSON.parse(readFileSync(new URL(`../../src/portal/locales/${locale}.json`, import.meta.url), 'utf8')) as {
    check: { referenceLabel: string; submit: string; heldEnded: string; heldNotice: string };
    checkCode: { codeLabel: string; submit: string; heldNotice: string };
    casePage: { messageLabel: string; messageSubmit: string; heldSent: string };
  };

/** Words from the public, written to run if they were ever put on the page as markup. */
const HOSTILE = 'He was at the door again <script>window.__ran = "script"</script> and <img src="x" onerror="window.__ran = \'img\'"> & left at 2am.';

describe('a case message held because the case was signed in to again, in a real browser', () => {
  const suite = startBrowserSuite();
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  async function newPage(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  /** A case a call handler made from a public report: its id and reference. */
  async function caseFromReport(submissionId: string, name: string, email: string) {
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const submitted = await submitPublicReport(suite.app.deps, suite.app.demoForceId, { submissionId, whatHappened: 'Someone keeps coming to the house', where: 'Home', when: 'Every night', name, email });
    const created = await suite.app.inject({ method: 'POST', url: `/api/contacts/${submitted.contactId}/case`, headers: handler.headers, payload: {} });
    return created.json<{ case: { id: string; reference: string } }>().case;
  }

  /** Asks for a code for the case on the reference form now shown, in `locale`, and enters it; the code page says `saying` first when given. */
  async function enterReferenceAndCode(page: Page, theCase: { id: string; reference: string }, locale: Locale, saying?: string) {
    const t = messages(locale);
    await page.getByLabel(t.check.referenceLabel, { exact: true }).fill(theCase.reference);
    await page.getByRole('button', { name: t.check.submit }).click();
    // Carrying a held message, the code page is the answer to the post, at its address.
    if (saying) await page.getByText(saying, { exact: true }).waitFor();
    await page.getByLabel(t.checkCode.codeLabel, { exact: true }).fill(await casePageReads(() => suite.app).latestCode(theCase.id));
    await page.getByRole('button', { name: t.checkCode.submit }).click();
  }

  /** Signs a new page in to the case's page in `locale`, on a device of its own. */
  async function signedInPage(theCase: { id: string; reference: string }, locale: Locale, javaScriptEnabled: boolean): Promise<Page> {
    const page = await newPage(suite.browser, javaScriptEnabled);
    await page.goto(`${suite.base}/check?lang=${locale}`);
    await enterReferenceAndCode(page, theCase, locale);
    await page.waitForURL(`${suite.base}/check/case`);
    return page;
  }

  /**
   * axe needs JavaScript, and a page that answered a post cannot be loaded again by its address:
   * its markup, as the browser shows it, is audited in a second context that has JavaScript on.
   */
  async function auditAnswerToPost(page: Page): Promise<void> {
    const auditor = await newPage(suite.browser, true);
    await auditor.goto(`${suite.base}/check`);
    await auditor.setContent(await page.content());
    await expectNoAxeViolations(auditor);
    await auditor.context().close();
  }

  /** Nothing of the victim's words became markup: no script, no image with a handler. */
  async function expectNoMarkupFromWords(page: Page) {
    expect(await page.locator('img[onerror]').count()).toBe(0);
    expect(await page.locator('script').evaluateAll((scripts) => scripts.filter((s) => s.textContent?.includes('__ran')).length)).toBe(0);
  }

  for (const { locale, javaScriptEnabled } of [
    { locale: 'en', javaScriptEnabled: false },
    { locale: 'cy', javaScriptEnabled: true },
  ] as const) {
    it(`holds the message, says why in ${locale === 'en' ? 'English' : 'Welsh'} with JavaScript ${javaScriptEnabled ? 'on' : 'off'}, and shows the words as text once sent`, async () => {
      const t = messages(locale);
      const theCase = await caseFromReport(`held-ended-${locale}`, 'Sam Victim', `sam.held-ended.${locale}@example.org`);
      const page = await signedInPage(theCase, locale, javaScriptEnabled);
      await page.getByLabel(t.casePage.messageLabel, { exact: true }).fill(HOSTILE);

      // The same victim signs in to the case on another device: this page's sign-in has ended.
      await signedInPage(theCase, 'en', false);
      await page.getByRole('button', { name: t.casePage.messageSubmit }).click();
      const notice = page.getByTestId('held-notice');
      await notice.waitFor();
      expect(await notice.textContent()).toContain(t.check.heldEnded);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      // The words go sealed with the form, nowhere on the page to read.
      expect(await page.content()).not.toContain('2am');
      await expectNoMarkupFromWords(page);
      if (javaScriptEnabled) {
        expect(await page.evaluate(() => (window as { __ran?: string }).__ran)).toBeUndefined();
        await expectNoAxeViolations(page);
      } else {
        await auditAnswerToPost(page);
      }

      // Signing in again sends the message, and the case page shows it, markup as text.
      await enterReferenceAndCode(page, theCase, locale, t.checkCode.heldNotice);
      await page.waitForURL(/\/check\/case\?sent=held/);
      expect(await page.getByTestId('held-notice').textContent()).toContain(t.casePage.heldSent);
      await page.getByText(HOSTILE, { exact: true }).waitFor();
      await expectNoMarkupFromWords(page);
      if (javaScriptEnabled) {
        expect(await page.evaluate(() => (window as { __ran?: string }).__ran)).toBeUndefined();
        await expectNoAxeViolations(page);
      } else {
        await auditWithoutJavaScript(suite.browser, page);
      }
    });
  }
});
