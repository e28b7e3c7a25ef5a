/// <reference lib="dom" />
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, serveToBrowser, signInToConsole } from './browser-kit.ts';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { reportedCase } from '../journeys/journey-kit.ts';

// What staff see of the numbers that replied STOP (decision 0059): a supervisor's list with a
// search by number, and the investigator's victim marked as getting no texts until they text START.

describe('numbers that opted out of texts, in a real browser', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let browser: Browser;
  let base: string;
  let texts = 0;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL } });
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
    ({ browser, base } = await serveToBrowser(app));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await standIn?.close();
  });

  const textUs = async (from: string, body: string) => {
    texts += 1;
    const sid = `SMoptbrowser${texts}`;
    const form = withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, From: from, Body: body });
    const response = await app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(response.statusCode).toBe(200);
  };

  it('lists-the-opted-out-numbers-for-a-supervisor-and-finds-one-written-nationally', async () => {
    await textUs('+447700900601', 'STOP');
    await textUs('+447700900602', 'STOP');

    const page = await signInToConsole(browser, base, 'supervisor@demo.police.uk');
    await page.goto(`${base}/console/#/admin/sms-opt-outs`);
    await page.getByRole('heading', { level: 1, name: 'Texts opted out' }).waitFor();
    await page.getByTestId('opt-out-row').first().waitFor();
    await expect(page.getByTestId('opt-out-row').allTextContents()).resolves.toEqual([
      expect.stringContaining('+447700900602'),
      expect.stringContaining('+447700900601'),
    ]);
    await expect(page.getByTestId('opt-out-table').textContent()).resolves.toContain('Demo Twilio number');
    // The administration links are the pages a supervisor may open: not the force admin's.
    await expect(page.getByRole('navigation', { name: 'Administration' }).getByRole('link').allTextContents()).resolves.toEqual([
      'Queues and SLA targets',
      'Texts opted out',
    ]);
    await expectNoAxeViolations(page);

    await page.getByLabel('Phone number').fill('07700 900601');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('opt-out-count').filter({ hasText: '+447700900601 has opted out of texts.' }).waitFor();
    await expect(page.getByTestId('opt-out-row').count()).resolves.toBe(1);

    await page.getByLabel('Phone number').fill('07700 900699');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('opt-out-count').filter({ hasText: '+447700900699 has not opted out of texts.' }).waitFor();

    await page.getByLabel('Phone number').fill('not a number');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('alert').filter({ hasText: 'must be a phone number' }).waitFor();
    await expect(page.getByTestId('opt-out-count').textContent()).resolves.toBe('');
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('marks-the-victim-on-the-case-screen-and-their-contact-as-getting-no-texts-until-they-text-start', async () => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const victim = await reportedCase(app, handler);
    await textUs(victim.phone, 'STOP');

    const page = await signInToConsole(browser, base, 'investigator@demo.police.uk');
    await page.goto(`${base}/console/#/cases/${victim.caseId}`);
    const note = page.getByTestId('case-person').getByTestId('sms-opted-out');
    await note.waitFor();
    await expect(note.textContent()).resolves.toMatch(/Opted out of texts\..*replied STOP.*until they text START/);
    await page.getByText('Contact preferences', { exact: true }).click();
    // Their channels (the defaults) list texts first after email: the preferences say texts are skipped.
    await page.getByTestId('preferences-sms-opted-out').waitFor();
    await expectNoAxeViolations(page);
    await page.close();

    // The operator who opens their contact sees it too, before trying to reply by text.
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const found = await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}`, headers: investigator.headers });
    expect(found.statusCode).toBe(200);
    const { contactId } = found.json<{ case: { contactId: string } }>().case;
    const operator = await signInToConsole(browser, base, 'handler@demo.police.uk');
    await operator.goto(`${base}/console/#/contacts/${contactId}`);
    const onContact = operator.getByTestId('sms-opted-out');
    await onContact.waitFor();
    await expect(onContact.textContent()).resolves.toContain(victim.phone);
    await expectNoAxeViolations(operator);
    await operator.close();
  });
});
