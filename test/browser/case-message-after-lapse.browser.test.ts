/// <reference lib="dom" />
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditWithoutJavaScript, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, submitPublicReport } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';

// A victim, JavaScript off, writes to their officer after the 30-minute sign-in has lapsed: the
// reference form comes back saying the message is not sent yet (the words nowhere on the page),
// they sign in again with the emailed code, and the message is sent and the case page says so
// (decision 0142). Each page is audited with axe as the browser shows it.

describe('a case message written after the sign-in lapsed, in a real browser without JavaScript', () => {
  let context: BrowserContext;
  let page: Page;
  const clock = fixedClock(new Date());

  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock } }) });
  beforeAll(async () => {
    context = await suite.browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });
  /**
   * axe needs JavaScript, and a page that answered a post cannot be loaded again by its address:
   * its markup, as the browser shows it, is audited in a second context that has JavaScript on.
   */
  async function auditAnswerToPost(): Promise<void> {
    const auditing = await suite.browser.newContext();
    try {
      const auditor = await auditing.newPage();
      await auditor.goto(`${suite.base}/check`);
      await auditor.setContent(await page.content());
      await expectNoAxeViolations(auditor);
    } finally {
      await auditing.close();
    }
  }

  afterAll(async () => {
    await context?.close();
  });

  /**
   * A case made from a public report, and its victim signed in to its page with the emailed code;
   * `signInWithCode` enters the newest code again when asked for one.
   */
  async function signedInToNewCase(submissionId: string, whatHappened: string, name: string, email: string) {
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const report = await submitPublicReport(suite.app.deps, suite.app.demoForceId, { submissionId, whatHappened, where: 'Home', when: 'Every night', name, email });
    const created = await suite.app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
    const theCase = created.json<{ case: { id: string; reference: string } }>().case;
    const signInWithCode = async () => {
      const mail = await withSystem(suite.app.database.db, (tx) =>
        tx.selectFrom('outbox').select('body').where('case_id', '=', theCase.id).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
      );
      await page.getByLabel('Code').fill(/is (\d{6})\./.exec(mail.body)?.[1] ?? '');
      await page.getByRole('button', { name: 'Continue' }).click();
    };
    await page.goto(`${suite.base}/check?lang=en`);
    await page.getByLabel('Reference number').fill(theCase.reference);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${suite.base}/check/code`);
    await signInWithCode();
    await page.waitForURL(`${suite.base}/check/case`);
    return { theCase, signInWithCode };
  }

  it('keeps-the-message-through-signing-in-again-and-sends-it-passing-axe', async () => {
    const { theCase, signInWithCode } = await signedInToNewCase('lapsed-browser-1', 'He keeps coming to the house', 'Sam Victim', 'sam.lapsed@example.org');

    const words = 'He was outside again at 2am & tried the <b>back door</b>.';
    await page.getByLabel('Your message').fill(words);
    clock.advance(31 * 60 * 1000);
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByTestId('held-notice').waitFor();
    expect(await page.textContent('[data-testid="held-notice"]')).toContain('your message has not been sent yet');
    expect(await page.content()).not.toContain('back door');
    await auditAnswerToPost();

    await page.getByLabel('Reference number').fill(theCase.reference);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByText('When you enter the code, we will send the message you wrote.').waitFor();
    expect(await page.content()).not.toContain('back door');
    await auditAnswerToPost();

    await signInWithCode();
    await page.waitForURL(/\/check\/case\?sent=held/);
    expect(await page.textContent('[data-testid="held-notice"]')).toContain('You signed in again and your message has been sent.');
    expect(await page.textContent('body')).toContain(words);
    await auditWithoutJavaScript(suite.browser, page);
  });

  it('tells-a-victim-who-signs-in-again-with-the-report-reference-the-message-was-not-sent-passing-axe', async () => {
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const report = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: 'lapsed-browser-2',
      whatHappened: 'Someone scratched my car',
      where: 'Street',
      when: 'Last night',
      name: 'Ray Victim',
      email: 'ray.lapsed@example.org',
    });
    const created = await suite.app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
    const theCase = created.json<{ case: { id: string; reference: string } }>().case;
    const lastCode = async (where: { case_id: string } | { contact_id: string }) => {
      const [column, id] = Object.entries(where)[0] ?? ['', ''];
      const mail = await withSystem(suite.app.database.db, (tx) =>
        tx
          .selectFrom('outbox')
          .select('body')
          .where(column === 'case_id' ? 'case_id' : 'contact_id', '=', id)
          .where('purpose', '=', 'portal.access_code')
          .orderBy('created_at', 'desc')
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow(),
      );
      return /is (\d{6})\./.exec(mail.body)?.[1] ?? '';
    };

    await page.goto(`${suite.base}/check?lang=en`);
    await page.getByLabel('Reference number').fill(theCase.reference);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${suite.base}/check/code`);
    await page.getByLabel('Code').fill(await lastCode({ case_id: theCase.id }));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${suite.base}/check/case`);
    await page.getByLabel('Your message').fill('The car was scratched again');
    clock.advance(31 * 60 * 1000);
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByTestId('held-notice').waitFor();

    // The reference they reported with, not the case's: the report opens, and they are told the message did not go.
    await page.getByLabel('Reference number').fill(report.reference);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('Code').fill(await lastCode({ contact_id: report.contactId }));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/check\/report\?sent=held-report/);
    expect(await page.textContent('[data-testid="held-notice"]')).toContain('Your message to your officer was not sent.');
    await auditWithoutJavaScript(suite.browser, page);

    // Another browser holding a copy of this sign-in: signing out here ends it there too, and it is
    // sent to the reference form saying why; both pages pass axe (decision 0167).
    const elsewhere = await suite.browser.newContext({ javaScriptEnabled: false });
    try {
      await elsewhere.addCookies(await context.cookies());
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/check\?signedOut=yes$/);
      expect(await page.textContent('[data-testid="signed-out"]')).toContain('You have signed out of your report.');
      await auditWithoutJavaScript(suite.browser, page);
      const copy = await elsewhere.newPage();
      await copy.goto(`${suite.base}/check/report`);
      await copy.waitForURL(/\/check\?signedOut=ended$/);
      expect(await copy.textContent('[data-testid="signed-out"]')).toContain('You were signed out of your report because someone asked for a new code or entered one for it');
      expect(await copy.content()).not.toContain(report.reference);
      await auditWithoutJavaScript(suite.browser, copy);
    } finally {
      await elsewhere.close();
    }
  });
  it('keeps-the-words-of-a-page-that-ran-out-to-check-and-send-passing-axe', async () => {
    // The page stayed open past its sign-in and the half hour after it (decision 0146).
    const { theCase, signInWithCode } = await signedInToNewCase('lapsed-browser-3', 'Someone keeps ringing the bell at night', 'Ali Victim', 'ali.ran-out@example.org');

    const words = 'The bell rang at 3am again & nobody was there.';
    await page.getByLabel('Your message').fill(words);
    clock.advance(61 * 60 * 1000);
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByTestId('held-notice').waitFor();
    expect(await page.textContent('[data-testid="held-notice"]')).toContain('This page was open for too long, so your message has not been sent.');
    expect(await page.content()).not.toContain('3am');
    await auditAnswerToPost();

    await page.getByLabel('Reference number').fill(theCase.reference);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByText('When you enter the code, your message will be on your case page for you to check and send.').waitFor();
    await auditAnswerToPost();

    clock.advance(60 * 1000);
    await signInWithCode();
    await page.getByText('You signed in again. Your message has not been sent yet: check it and send it.').waitFor();
    expect(await page.getByLabel('Your message').inputValue()).toBe(words);
    await auditAnswerToPost();
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.waitForURL(/\/check\/case\?sent=message/);
    expect(await page.textContent('body')).toContain(words);
  });
});
