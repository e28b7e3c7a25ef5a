/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, startStandIn } from '../helpers.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { reportedCase } from '../journeys/journey-kit.ts';

// What staff see of the numbers that replied STOP (decision 0059): a supervisor's list with a
// search by number, and the investigator's victim marked as getting no texts until they text START;
// and an opt-out recorded and lifted by hand through the page (decision 0071).

describe('numbers that opted out of texts, in a real browser', () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let texts = 0;

  const suite = startBrowserSuite({
    app: async (onClose) => {
      standIn = await startStandIn();
      onClose(() => standIn.close());
      const app = await createTestApp({ env: { PUBLIC_URL } });
      await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
      return app;
    },
  });

  const textUs = async (from: string, body: string) => {
    texts += 1;
    const sid = `SMoptbrowser${texts}`;
    const form = withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, From: from, Body: body });
    const response = await suite.app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(response.statusCode).toBe(200);
  };

  it('lists-the-opted-out-numbers-for-a-supervisor-and-finds-one-written-nationally', async () => {
    await textUs('+447700900601', 'STOP');
    await textUs('+447700900602', 'STOP');

    const page = await suite.openConsole('supervisor');
    await page.goto(`${suite.base}/console/#/admin/sms-opt-outs`);
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
      'Queue rules',
      'Journey rules',
      'Texts opted out',
      'Units',
    ]);
    await expectNoAxeViolations(page);

    await page.getByRole('search').getByLabel('Phone number').fill('07700 900601');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('opt-out-count').filter({ hasText: '+447700900601 has opted out of texts.' }).waitFor();
    await expect(page.getByTestId('opt-out-row').count()).resolves.toBe(1);

    await page.getByRole('search').getByLabel('Phone number').fill('07700 900699');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('opt-out-count').filter({ hasText: '+447700900699 has not opted out of texts.' }).waitFor();

    await page.getByRole('search').getByLabel('Phone number').fill('not a number');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('alert').filter({ hasText: 'must be a phone number' }).waitFor();
    await expect(page.getByTestId('opt-out-count').textContent()).resolves.toBe('');
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('records-an-opt-out-by-hand-and-lifts-it-through-the-page-showing-what-the-server-refuses', async () => {
    await textUs('+447700900621', 'STOP');
    const page = await suite.openConsole('supervisor');
    await page.goto(`${suite.base}/console/#/admin/sms-opt-outs`);
    const recordForm = page.getByTestId('opt-out-record-form');
    const liftForm = page.getByTestId('opt-out-lift-form');
    await recordForm.waitFor();

    // No number and no reason: each said by its field.
    await recordForm.getByRole('button', { name: 'Record opt-out' }).click();
    await recordForm.locator('#opt-out-record-reason-error').waitFor();
    await recordForm.locator('#opt-out-record-number-error').filter({ hasText: 'must be a phone number' }).waitFor();
    await expectNoAxeViolations(page);
    // A reason, but something that is not a phone number.
    await recordForm.getByLabel('Phone number').fill('not a number');
    await recordForm.getByLabel('Reason').fill('Asked by phone');
    await recordForm.getByRole('button', { name: 'Record opt-out' }).click();
    await recordForm.locator('#opt-out-record-reason-error').waitFor({ state: 'detached' });
    await recordForm.locator('#opt-out-record-number-error').filter({ hasText: 'must be a phone number' }).waitFor();

    await recordForm.getByLabel('Phone number').fill('07700 900622');
    await recordForm.getByLabel('Reason').fill('Asked by phone');
    await recordForm.getByRole('button', { name: 'Record opt-out' }).click();
    await page.getByTestId('opt-out-record-done').filter({ hasText: 'Recorded: +447700900622 will not be texted.' }).waitFor();
    const row = page.getByTestId('opt-out-row').filter({ hasText: '+447700900622' });
    await row.waitFor();
    await expect(row.getByTestId('opt-out-how').textContent()).resolves.toBe('Recorded by Sue Supervisor: Asked by phone');

    // Recorded twice: the server's refusal, at the top of the form.
    await recordForm.getByLabel('Phone number').fill('+44 7700 900622');
    await recordForm.getByLabel('Reason').fill('Asked again');
    await recordForm.getByRole('button', { name: 'Record opt-out' }).click();
    await recordForm.getByRole('alert').filter({ hasText: 'already opted out of texts (staff recorded it)' }).waitFor();

    // A STOP the person texted cannot be lifted by staff: no Lift on its row, and the form says why.
    const stopped = page.getByTestId('opt-out-row').filter({ hasText: '+447700900621' });
    await expect(stopped.getByRole('button').count()).resolves.toBe(0);
    await liftForm.getByLabel('Phone number').fill('07700900621');
    await liftForm.getByLabel('Reason').fill('Asked for texts again');
    await liftForm.getByRole('button', { name: 'Lift opt-out' }).click();
    await liftForm.getByRole('alert').filter({ hasText: 'only their own START lifts it' }).waitFor();
    await expectNoAxeViolations(page);

    // Lift from the row: its number goes into the form, and the reason is where the person is taken.
    await row.getByRole('button', { name: 'Lift the opt-out of +447700900622' }).click();
    await expect(liftForm.getByLabel('Phone number').inputValue()).resolves.toBe('+447700900622');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('opt-out-lift-reason');
    await page.keyboard.type('Recorded against the wrong number');
    await liftForm.getByRole('button', { name: 'Lift opt-out' }).click();
    await page.getByTestId('opt-out-lift-done').filter({ hasText: 'Lifted: +447700900622 may be texted again.' }).waitFor();
    await row.waitFor({ state: 'detached' });
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('marks-the-victim-on-the-case-screen-and-their-contact-as-getting-no-texts-until-they-text-start', async () => {
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const victim = await reportedCase(suite.app, handler);
    await textUs(victim.phone, 'STOP');

    const page = await suite.openConsole('investigator');
    await page.goto(`${suite.base}/console/#/cases/${victim.caseId}`);
    const note = page.getByTestId('case-person').getByTestId('sms-opted-out');
    await note.waitFor();
    await expect(note.textContent()).resolves.toMatch(/Opted out of texts\..*replied STOP.*until they text START/);
    await page.getByText('Contact preferences', { exact: true }).click();
    // Their channels (the defaults) list texts first after email: the preferences say texts are skipped.
    await page.getByTestId('preferences-sms-opted-out').waitFor();
    await expectNoAxeViolations(page);
    await page.close();

    // The operator who opens their contact sees it too, before trying to reply by text.
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk');
    const found = await suite.app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}`, headers: investigator.headers });
    expect(found.statusCode).toBe(200);
    const { contactId } = found.json<{ case: { contactId: string } }>().case;
    const operator = await suite.openConsole('call_handler');
    await operator.goto(`${suite.base}/console/#/contacts/${contactId}`);
    const onContact = operator.getByTestId('sms-opted-out');
    await onContact.waitFor();
    await expect(onContact.textContent()).resolves.toContain(victim.phone);
    await expectNoAxeViolations(operator);
    await operator.close();
  });
});
