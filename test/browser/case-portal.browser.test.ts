/// <reference lib="dom" />
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditWithoutJavaScript, expectNoAxeViolations, signInToCasePage, startBrowserSuite } from './browser-kit.ts';
import { signIn, submitPublicReport } from '../helpers.ts';
import { casePageReads } from '../portal-visitor.ts';

// The victim's side of a case, as a person uses it with JavaScript off: sign in with the case
// reference and the emailed code, read the case, send a message, answer the survey, find help.
// Each page is audited with axe (which needs JavaScript, so in a second context with the same cookies).

describe('the victim portal in a real browser, without JavaScript', () => {
  let context: BrowserContext;
  let page: Page;
  let caseId = '';
  let caseReference = '';
  // Six weeks ahead, as the UK writes the day, and as the page writes it in each language.
  const dayAlone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + 42 * 86_400_000));
  const dayIn = (locale: string) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(new Date(`${dayAlone}T12:00:00Z`));

  const suite = startBrowserSuite();
  beforeAll(async () => {
    context = await suite.browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk');
    ({ id: caseId, reference: caseReference } = await caseFromReport('case-portal-browser-1', {
      whatHappened: 'My car was broken into',
      where: 'Station car park',
      when: 'This morning',
      name: 'Ari Victim',
      email: 'ari.victim@example.org',
    }));
    const milestone = (payload: object) => suite.app.inject({ method: 'POST', url: `/api/cases/${caseId}/milestones`, headers: investigator.headers, payload });
    await milestone({ type: 'allocate', officerInCase: investigator.user.id });
    await milestone({ type: 'appointment_made', at: new Date(Date.now() + 30 * 86_400_000).toISOString(), place: 'Central police station' });
    // One whose time is not known yet: the date alone (decision 0080).
    await milestone({ type: 'appointment_made', at: dayAlone, place: 'Demoton front counter' });
    await milestone({ type: 'close', outcomeCode: '18', reason: 'Nobody could be identified from the CCTV' });
  });
  afterAll(async () => {
    await context?.close();
  });

  /** A case a call handler made from a public report: its id and reference. */
  async function caseFromReport(submissionId: string, report: { whatHappened: string; where: string; when: string; name: string; email: string }) {
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const submitted = await submitPublicReport(suite.app.deps, suite.app.demoForceId, { submissionId, ...report });
    const created = await suite.app.inject({ method: 'POST', url: `/api/contacts/${submitted.contactId}/case`, headers: handler.headers, payload: {} });
    return created.json<{ case: { id: string; reference: string } }>().case;
  }

  const latestCode = () => casePageReads(() => suite.app).latestCode(caseId);

  it('signs in with the case reference and a code, and every page passes axe', async () => {
    await page.goto(`${suite.base}/check`);
    await page.getByLabel('Reference number').fill(caseReference);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${suite.base}/check/code`);
    await auditWithoutJavaScript(suite.browser, page);
    await page.getByLabel('Code').fill(await latestCode());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${suite.base}/check/case`);
    expect(await page.textContent('h1')).toBe('Your case');
    expect(await page.textContent('body')).toContain('Your case has been closed');
    // The appointment known only by its day is titled with the day, and no time.
    await expect(page.locator('.govuk-summary-card__title').filter({ hasText: dayIn('en-GB') }).textContent()).resolves.toBe(dayIn('en-GB'));
    // The page's Sign out (decision 0170) is among what axe checks.
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await auditWithoutJavaScript(suite.browser, page);

    // A message with a mistake, then sent.
    await page.getByRole('button', { name: 'Send message' }).click();
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter your message');
    await auditWithoutJavaScript(suite.browser, page);
    await page.getByLabel('Your message').fill('Thank you for letting me know.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.waitForURL(/\/check\/case\?sent=message/);
    expect(await page.textContent('body')).toContain('Your message has been sent');
    await auditWithoutJavaScript(suite.browser, page);

    // The survey: unanswered is an error, then answered once.
    await page.getByRole('button', { name: 'Send answer' }).click();
    expect(await page.textContent('.govuk-error-summary')).toContain('Select how satisfied you are');
    await auditWithoutJavaScript(suite.browser, page);
    await page.getByLabel('Satisfied', { exact: true }).check();
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.waitForURL(/\/check\/case#survey$/);
    expect(await page.textContent('body')).toContain('Thank you. You have told us');

    await page.goto(`${suite.base}/check/case?lang=cy`);
    expect(await page.textContent('body')).toContain('Mae eich achos wedi’i gau');
    await expect(page.locator('.govuk-summary-card__title').filter({ hasText: dayIn('cy') }).textContent()).resolves.toBe(dayIn('cy'));
    await auditWithoutJavaScript(suite.browser, page);

    // How we contact them: the form in Welsh, a mistake shown, then saved (all without JavaScript).
    await page.getByTestId('preferences-link').click();
    await page.waitForURL(/\/check\/case\/preferences$/);
    await auditWithoutJavaScript(suite.browser, page);
    for (const box of await page.locator('input[name="channels"]').all()) await box.uncheck();
    await page.getByRole('button', { name: 'Cadw sut rydym yn cysylltu â chi' }).click();
    await page.getByText('Dewiswch sut gallwn ni anfon diweddariadau atoch').first().waitFor();
    await auditWithoutJavaScript(suite.browser, page, `${suite.base}/check/case/preferences`);
    await page.locator('input[name="channels"][value="portal"]').check();
    await page.getByRole('button', { name: 'Cadw sut rydym yn cysylltu â chi' }).click();
    await page.getByTestId('preferences-saved').waitFor();

    // Signing out, in Welsh and without JavaScript: the server ends the sign-in, so a copy of the
    // cookie kept elsewhere opens nothing and is told why; the reference form says they signed out.
    const kept = await context.cookies();
    await page.getByRole('button', { name: 'Allgofnodi' }).click();
    await page.waitForURL(`${suite.base}/check?signedOut=case`);
    await expect(page.getByTestId('signed-out').textContent()).resolves.toContain('Rydych chi wedi allgofnodi o’ch achos.');
    await auditWithoutJavaScript(suite.browser, page);
    await page.goto(`${suite.base}/check/case`);
    expect(page.url()).toBe(`${suite.base}/check`);
    const copy = await suite.browser.newContext({ javaScriptEnabled: false });
    try {
      await copy.addCookies(kept);
      const tab = await copy.newPage();
      await tab.goto(`${suite.base}/check/case`);
      expect(tab.url()).toBe(`${suite.base}/check?signedOut=case-ended`);
      await expect(tab.getByTestId('signed-out').textContent()).resolves.toContain('Cawsoch eich allgofnodi o’ch achos');
      await expect(tab.textContent('body')).resolves.not.toContain(caseReference);
    } finally {
      await copy.close();
    }
  });

  it('tells a victim taken off the case so, giving back the words they wrote, and the page passes axe', async () => {
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk');
    const removedCase = await caseFromReport('case-portal-browser-removed', {
      whatHappened: 'My bike was taken',
      where: 'Outside the library',
      when: 'Yesterday',
      name: 'Bea Victim',
      email: 'bea.victim@example.org',
    });
    // With JavaScript on, so axe runs on the page the post answers with (the sign-in ends with it).
    const own = await suite.browser.newContext();
    try {
      const tab = await own.newPage();
      await signInToCasePage(tab, suite, removedCase);
      await tab.getByLabel('Your message').fill('Is there any news about my bike?');
      const people = (await suite.app.inject({ method: 'GET', url: `/api/cases/${removedCase.id}`, headers: investigator.headers })).json<{ case: { people: { id: string; role: string }[] } }>().case.people;
      const victimId = people.find((person) => person.role === 'victim')?.id ?? '';
      expect((await suite.app.inject({ method: 'DELETE', url: `/api/cases/${removedCase.id}/people/${victimId}`, headers: investigator.headers })).statusCode).toBe(200);
      await tab.getByRole('button', { name: 'Send message' }).click();
      await tab.getByRole('heading', { name: 'You can no longer see this case' }).waitFor();
      await expect(tab.getByLabel('Your message (not sent)').inputValue()).resolves.toBe('Is there any news about my bike?');
      await expectNoAxeViolations(tab);
    } finally {
      await own.close();
    }
  });

  it('finds help articles, and each page passes axe', async () => {
    await page.goto(`${suite.base}/help?lang=en`);
    await auditWithoutJavaScript(suite.browser, page);
    await page.getByLabel('Search help articles').fill('court');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/help\?q=court/);
    await auditWithoutJavaScript(suite.browser, page);
    await page.getByRole('link', { name: 'What happens at court?' }).click();
    await page.waitForURL(`${suite.base}/help/what-happens-at-court`);
    expect(await page.textContent('h1')).toBe('What happens at court?');
    await auditWithoutJavaScript(suite.browser, page);
    await page.goto(`${suite.base}/help?q=nothing-matches-this`);
    await auditWithoutJavaScript(suite.browser, page);
  });
});
