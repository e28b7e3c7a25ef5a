/// <reference lib="dom" />
import { auditWithoutJavaScript, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { createTestApp, mailText, startSmtpServer, startStandIn } from '../helpers.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { twilioSmsChannel } from '../../src/capabilities/channels/twilio/twilio.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';

describe('the walking skeleton in a real browser', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  const suite = startBrowserSuite({
    app: async (onClose) => {
      smtp = await startSmtpServer();
      onClose(() => smtp.close());
      return createTestApp({ env: { SMTP_URL: smtp.url, WORKER_POLL_MS: '200' }, overrides: { startWorker: true } });
    },
  });

  it('stops the form and shows 999 advice when someone is in danger', async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.base}/report/danger`);
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: /continue/i }).click();
    await expect.poll(() => page.url()).toContain('/report/emergency');
    await expect.poll(async () => (await page.textContent('main')) ?? '').toContain('999');
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('shows the not-found page, accessible in English and Welsh, for an address the router cannot take', async () => {
    const page = await suite.browser.newPage();
    for (const [query, lang] of [['', 'en'], ['?lang=cy', 'cy']] as const) {
      const response = await page.goto(`${suite.base}/help/%E0%A4%A${query}`);
      expect(response?.status()).toBe(404);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await expect.poll(async () => (await page.textContent('h1')) ?? '').not.toBe('');
      await expectNoAxeViolations(page);
    }
    await page.close();
  });

  it('gives the console its own icon, so opening it asks the server for no favicon that is not there', async () => {
    const page = await suite.browser.newPage();
    const notFound: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('404')) notFound.push(message.text());
    });
    await page.goto(`${suite.base}/console/`);
    await page.getByLabel(/email/i).waitFor();
    // Drawn in the page (the console's Content-Security-Policy allows data: images), so the tab
    // shows it without a request, and the browser does not go looking for /favicon.ico.
    expect(await page.locator('link[rel="icon"]').getAttribute('href', { timeout: 1_000 })).toMatch(/^data:image\/svg\+xml,/);
    expect(notFound).toEqual([]);
    await page.close();
  });

  it('carries a public report live into the console, and the reply and case back to the citizen', async () => {
    // The operator signs in first and watches the queue.
    const operator = await suite.openConsole('call_handler', { timeoutMs: 15_000 });

    // A member of the public reports, with a hostile-looking description.
    const citizenContext = await suite.browser.newContext({ javaScriptEnabled: false });
    const citizen = await citizenContext.newPage();
    citizen.setDefaultTimeout(15_000);
    await citizen.goto(`${suite.base}/`);
    await auditWithoutJavaScript(suite.browser, citizen);
    await citizen.getByRole('button', { name: /start now/i }).click();
    await citizen.getByLabel('No').check();
    await auditWithoutJavaScript(suite.browser, citizen);
    await citizen.getByRole('button', { name: /continue/i }).click();
    await citizen.waitForURL(/\/report\/details/);
    const description = 'A man outside with a knife shouted <script>alert("x")</script> at us';
    await citizen.getByLabel(/what happened/i).fill(description);
    await citizen.getByLabel(/where/i).fill('The Parade, Demoton');
    await citizen.getByLabel(/when/i).fill('Five minutes ago');
    await citizen.getByLabel(/email/i).fill('browser-victim@example.org');
    await auditWithoutJavaScript(suite.browser, citizen);
    await citizen.getByRole('button', { name: /send|submit/i }).click();
    // The form's answer is the confirmation itself (one request); /report/done shows it again.
    await citizen.getByTestId('reference').waitFor();
    await auditWithoutJavaScript(suite.browser, citizen, citizen.url().replace(/\/report\/details.*$/, '/report/done'));
    const reference = ((await citizen.getByTestId('reference').textContent()) ?? '').trim();
    expect(reference).toMatch(/^DEMO-\d{4}-\d{6}$/);

    // It appears in the console without a reload, and the operator works it.
    const row = operator.locator(`[data-testid="queue-row"][data-reference="${reference}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('link').first().click();
    await operator.getByText(description).first().waitFor();
    expect(await operator.locator('script', { hasText: 'alert("x")' }).count()).toBe(0);
    await operator.getByTestId('reply-body').fill('Officers are on their way. Stay indoors.');
    await operator.getByTestId('reply-send').click();
    await operator.getByText('Officers are on their way. Stay indoors.').first().waitFor();
    // A portal report is drafted into a case for online-report processing within moments; if the
    // draft is not there yet, the operator creates the case (the draft then adopts it).
    const caseShown = operator.getByTestId('case-reference');
    await caseShown.or(operator.getByTestId('create-case')).first().waitFor();
    if (!(await caseShown.isVisible())) await operator.getByTestId('create-case').click();
    await caseShown.waitFor();
    const caseReference = ((await operator.getByTestId('case-reference').textContent()) ?? '').match(/DEMO-C-\d{4}-\d{6}/)?.[0];
    expect(caseReference).toBeTruthy();

    // The citizen checks the report with the code sent by email.
    await citizen.goto(`${suite.base}/check`);
    await auditWithoutJavaScript(suite.browser, citizen);
    await citizen.getByLabel(/reference/i).fill(reference);
    await citizen.getByRole('button', { name: /continue|send/i }).click();
    await citizen.waitForURL(/\/check\/code/);
    await auditWithoutJavaScript(suite.browser, citizen);
    const findCode = () => {
      const mail = smtp.received.find((m) => m.to.includes('browser-victim@example.org') && /is \d{6}\b/.test(mailText(m.raw)));
      return mail ? (/is (\d{6})\b/.exec(mailText(mail.raw))?.[1] ?? '') : '';
    };
    await expect.poll(findCode, { timeout: 15_000 }).toMatch(/^\d{6}$/);
    const code = findCode();
    await citizen.getByLabel(/code/i).fill(code);
    await citizen.getByRole('button', { name: /continue|check|view/i }).click();
    await citizen.waitForURL(/\/check\/report/);
    await auditWithoutJavaScript(suite.browser, citizen);
    const timeline = (await citizen.getByTestId('timeline-item').allTextContents()).join('\n');
    expect(timeline).toContain('Officers are on their way. Stay indoors.');
    expect(timeline).toContain(caseReference ?? 'missing');
    await citizenContext.close();
    await operator.close();
  });

  it('shows a text message live with its channel, and the reply goes back as a text through the provider', async () => {
    const twilio = await startStandIn();
    try {
      twilio.respondWith(201, { sid: 'SM00000000000000000000000000000099', status: 'queued' });
      await connectChannelAccount({ ...suite.app.deps, secrets: new SecretBox(suite.app.config.secretsKey) }, suite.app.demoForceId, twilioSmsChannel as AnyChannelAdapter, {
        label: 'Demo Twilio number',
        config: { accountSid: 'AC00000000000000000000000000000001', authToken: 'demo-twilio-auth-token', phoneNumber: '+447700900001', statusCallbackUrl: null, apiBaseUrl: twilio.url },
        actor: { type: 'system', id: null },
      });
      const operator = await suite.openConsole('digital_desk_operator', { timeoutMs: 15_000 });

      // A text arrives, signed as Twilio signs it (HMAC-SHA1 over the URL and sorted parameters).
      const params: Record<string, string> = {
        AccountSid: 'AC00000000000000000000000000000001',
        Body: 'My neighbour is shouting that he will hurt his kids',
        From: '+447700900444',
        MessageSid: 'SM0000000000000000000000000000b001',
        NumMedia: '0',
        To: '+447700900001',
      };
      const url = `${suite.base}/webhooks/twilio/sms`;
      const signature = createHmac('sha1', 'demo-twilio-auth-token')
        .update(url + Object.keys(params).sort().map((key) => key + params[key]).join(''))
        .digest('base64');
      const inbound = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      expect(inbound.status).toBe(200);

      const row = operator.locator('[data-testid="queue-row"]', { hasText: 'hurt his kids' });
      await row.waitFor();
      expect(await row.getByTestId('queue-channel').textContent()).toBe('SMS (Twilio)');
      await row.getByRole('link').first().click();
      await operator.getByTestId('reply-body').fill('Police are on the way. Are you safe?');
      await operator.getByTestId('reply-send').click();
      // The texter's acknowledgement (their reference) goes through Twilio too: find the reply by its text.
      const replies = () => twilio.requests.filter((request) => new URLSearchParams(request.body).get('Body') === 'Police are on the way. Are you safe?');
      await expect.poll(() => replies().length, { timeout: 15_000 }).toBe(1);
      const sent = new URLSearchParams(replies()[0]?.body ?? '');
      expect(replies()[0]?.url).toBe('/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json');
      expect(Object.fromEntries(sent)).toMatchObject({ To: '+447700900444', From: '+447700900001', Body: 'Police are on the way. Are you safe?' });

      // Closed by mistake, then opened again from the console: it is back to work on.
      await operator.getByTestId('close-outcome').selectOption({ index: 1 });
      await operator.getByTestId('close-contact').click();
      await operator.getByTestId('reopen-contact').waitFor();
      await operator.getByTestId('reopen-reason').fill('Closed by mistake');
      await operator.getByTestId('reopen-contact').click();
      await operator.getByTestId('close-contact').waitFor();
      expect(await operator.getByTestId('reopen-contact').count()).toBe(0);
      await operator.close();
    } finally {
      await twilio.close();
    }
  });
});
