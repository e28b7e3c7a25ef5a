/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { auditWithoutJavaScript, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, mailText, startSmtpServer } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';

// A victim's journey from end to end, as the people in it use it: the victim reports online
// (JavaScript off); the online-report desk processes and classifies it; the investigator allocated
// the case records an arrest; the journey's email goes out (jobs driven by the test, mail to a
// local SMTP stand-in); the victim signs in to the case with a one-time code, reads the arrest in
// plain words and replies by secure message; the officer reads it on the case screen and answers,
// and the desk sees it in the queue as a contact of the case. Every page is audited with axe.

describe("a victim's journey, from the online report to the officer's answer", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  const suite = startBrowserSuite({
    app: async (onClose) => {
      smtp = await startSmtpServer();
      onClose(() => smtp.close());
      return createTestApp({ env: { SMTP_URL: smtp.url } });
    },
  });


  const mailsTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address)).map((mail) => mailText(mail.raw));

  it('carries the report, the arrest, the update, the reply and the answer between the victim and the officer', async () => {
    const victimEmail = 'journey.victim@example.org';
    const hostile = 'Thank you. Will I need to go to court? <b>soon</b> <img src=x onerror=alert(1)>';

    // 1. The victim reports online, without JavaScript.
    const victimContext = await suite.browser.newContext({ javaScriptEnabled: false });
    const victim = await victimContext.newPage();
    victim.setDefaultTimeout(20_000);
    await victim.goto(`${suite.base}/`);
    await auditWithoutJavaScript(suite.browser, victim);
    await victim.getByRole('button', { name: /start now/i }).click();
    await victim.getByLabel('No').check();
    await auditWithoutJavaScript(suite.browser, victim);
    await victim.getByRole('button', { name: /continue/i }).click();
    await victim.waitForURL(/\/report\/details/);
    await victim.getByLabel(/what happened/i).fill('Someone broke into my shed overnight and took my bicycle and tools');
    await victim.getByLabel(/where/i).fill('12 Orchard Lane, Demoton');
    await victim.getByLabel(/when/i).fill('Last night');
    await victim.getByLabel(/email/i).fill(victimEmail);
    await auditWithoutJavaScript(suite.browser, victim);
    await victim.getByRole('button', { name: /send|submit/i }).click();
    await victim.getByTestId('reference').waitFor();
    const reportReference = ((await victim.getByTestId('reference').textContent()) ?? '').trim();
    await auditWithoutJavaScript(suite.browser, victim, victim.url().replace(/\/report\/details.*$/, '/report/done'));

    // The report becomes a contact in the background, and the job that follows drafts its case.
    const contactOf = () =>
      withSystem(suite.app.database.db, (tx) => tx.selectFrom('contacts').select('id').where('reference', '=', reportReference).executeTakeFirst());
    await expect.poll(async () => (await contactOf())?.id ?? null, { timeout: 20_000 }).not.toBeNull();
    await suite.app.runner?.runDue();
    const reportContactId = (await contactOf())?.id ?? '';
    const drafted = await withSystem(suite.app.database.db, (tx) => tx.selectFrom('cases').select(['id', 'reference']).where('contact_id', '=', reportContactId).executeTakeFirstOrThrow());

    // 2. The online-report desk processes and classifies it.
    const desk = await suite.openConsole('supervisor');
    await desk.getByRole('link', { name: 'Online reports' }).click();
    await desk.getByRole('heading', { name: 'Online reports' }).waitFor();
    const row = desk.locator('[data-testid="online-report-row"]', { hasText: reportReference });
    await row.waitFor();
    await expectNoAxeViolations(desk);
    await row.getByRole('button', { name: `Process ${reportReference}` }).click();
    await expect.poll(() => row.getAttribute('data-stage')).toBe('processed');
    await row.getByLabel(`Crime type for ${reportReference}`).selectOption('THF-BRE');
    await expectNoAxeViolations(desk);
    await row.getByRole('button', { name: 'Classify' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await suite.app.runner?.runDue();

    // 3. The investigator takes the case and records an arrest on the case screen.
    const officer = await suite.openConsole('investigator');
    await officer.goto(`${suite.base}/console/#/cases/${drafted.id}`);
    await officer.getByRole('heading', { level: 1, name: `Case ${drafted.reference}` }).waitFor();
    await expectNoAxeViolations(officer);
    await officer.getByLabel('What happened').selectOption({ label: 'Allocate to an officer or team' });
    await officer.getByTestId('record-milestone').click();
    await officer.getByRole('status').filter({ hasText: `Recorded on ${drafted.reference}` }).waitFor();
    await expect(officer.getByTestId('case-summary').textContent()).resolves.toContain('Ian Investigator (you)');
    await officer.getByLabel('What happened').selectOption({ label: 'Suspect arrested' });
    await officer.getByLabel('Note for the timeline').fill('STAFF-ONLY: arrested at his home address');
    await officer.getByTestId('record-milestone').click();
    await officer.locator('[data-testid="timeline-entry"][data-type="case.suspect_arrested"]').waitFor();
    await expectNoAxeViolations(officer);

    // 4. The journey's message about the arrest goes out by email.
    await suite.app.runner?.runDue();
    await expect.poll(() => mailsTo(victimEmail).some((text) => /arrested/i.test(text)), { timeout: 20_000 }).toBe(true);
    expect(mailsTo(victimEmail).join('\n')).not.toContain('STAFF-ONLY');

    // 5. The victim signs in to the case with its reference and a one-time code.
    await victim.goto(`${suite.base}/check`);
    await auditWithoutJavaScript(suite.browser, victim);
    await victim.getByLabel('Reference number').fill(drafted.reference);
    await victim.getByRole('button', { name: 'Send code' }).click();
    await victim.waitForURL(`${suite.base}/check/code`);
    await auditWithoutJavaScript(suite.browser, victim);
    await suite.app.runner?.runDue();
    const codeMail = () => mailsTo(victimEmail).find((text) => text.includes(`check report ${drafted.reference} is`));
    await expect.poll(() => codeMail() ?? null, { timeout: 20_000 }).not.toBeNull();
    await victim.getByLabel('Code').fill(/is (\d{6})\./.exec(codeMail() ?? '')?.[1] ?? '');
    await victim.getByRole('button', { name: 'Continue' }).click();
    await victim.waitForURL(`${suite.base}/check/case`);
    const casePage = (await victim.textContent('main')) ?? '';
    expect(casePage).toContain('A suspect has been arrested');
    expect(casePage).not.toContain('STAFF-ONLY');
    await auditWithoutJavaScript(suite.browser, victim);

    // 6. The victim replies by secure message.
    await victim.getByLabel('Your message').fill(hostile);
    await victim.getByRole('button', { name: 'Send message' }).click();
    await victim.waitForURL(/\/check\/case\?sent=message/);
    expect(await victim.textContent('body')).toContain('Your message has been sent');
    await auditWithoutJavaScript(suite.browser, victim);

    // 7. The officer reads it on the case screen, as text, and answers from there.
    await officer.reload();
    const thread = officer.getByTestId('case-thread');
    const fromVictim = thread.locator('[data-testid="conversation-message"][data-from="victim"]');
    await fromVictim.waitFor();
    await expect(fromVictim.textContent()).resolves.toContain(hostile);
    expect(await officer.locator('.case-thread img, .case-thread b').count()).toBe(0);
    await expectNoAxeViolations(officer);
    const contactLink = thread.getByRole('link');
    const threadReference = ((await contactLink.textContent()) ?? '').trim();
    await thread.getByRole('button', { name: 'Send reply' }).click();
    await officer.getByRole('alert').filter({ hasText: 'Enter your reply' }).waitFor();
    await expectNoAxeViolations(officer);
    await thread.getByLabel(/^Reply to/).fill('No court date yet. I will tell you as soon as there is one.');
    await thread.getByRole('button', { name: 'Send reply' }).click();
    await officer.getByRole('status').filter({ hasText: 'Reply sent' }).waitFor();
    await thread.locator('[data-testid="conversation-message"][data-from="staff"]', { hasText: 'No court date yet.' }).waitFor();
    await expectNoAxeViolations(officer);

    // 8. The desk finds the message in the queue, a contact linked to the case.
    await desk.goto(`${suite.base}/console/`);
    const queued = desk.locator(`[data-testid="queue-row"][data-reference="${threadReference}"]`);
    await queued.waitFor();
    await expectNoAxeViolations(desk);
    await queued.getByRole('link').first().click();
    await desk.getByText(hostile).first().waitFor();
    await expect(desk.getByTestId('case-reference').textContent()).resolves.toBe(drafted.reference);
    await expectNoAxeViolations(desk);

    // 9. The answer is on the victim's case page; they were told by email, without its words.
    await suite.app.runner?.runDue();
    await victim.goto(`${suite.base}/check/case`);
    expect(await victim.textContent('main')).toContain('No court date yet. I will tell you as soon as there is one.');
    await auditWithoutJavaScript(suite.browser, victim);
    await expect.poll(() => mailsTo(victimEmail).some((text) => text.includes('You have a new message about your case')), { timeout: 20_000 }).toBe(true);
    expect(mailsTo(victimEmail).join('\n')).not.toContain('No court date yet');

    await victimContext.close();
    await desk.close();
    await officer.close();
  });
});
