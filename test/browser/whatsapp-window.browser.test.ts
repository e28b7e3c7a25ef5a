/// <reference lib="dom" />
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, serveToBrowser, signInToConsole } from './browser-kit.ts';
import { createTestApp, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign } from '../channels/twilio-kit.ts';

// Staff replying to a WhatsApp contact are told, before they type, when WhatsApp's 24-hour window
// closes, and that it has closed (decision 0097).

const HOUR = 3_600_000;

describe('WhatsApp’s 24-hour window on the contact screen, in a real browser', () => {
  const clock = fixedClock(new Date());
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL }, overrides: { clock } });
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
    ({ browser, base } = await serveToBrowser(app));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await standIn?.close();
  });

  it('tells-the-handler-the-window-has-closed-above-the-reply-box', async () => {
    const form = fixture('inbound-whatsapp.form');
    const response = await app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(response.statusCode).toBe(200);
    const { contact_id: contactId } = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', 'SM1000000000000000000000000000003').executeTakeFirstOrThrow(),
    );
    clock.advance(25 * HOUR);

    const page = await signInToConsole(browser, base, 'handler@demo.police.uk');
    await page.goto(`${base}/console/#/contacts/${contactId}`);
    const notice = page.getByTestId('reply-window-closed');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('WhatsApp’s 24-hour window has closed');
    await expect(notice.textContent()).resolves.toContain('goes only as the force’s approved WhatsApp template');
    // It comes before the reply box, so it is read before anyone types.
    const isBefore = await page.evaluate(() => {
      const note = document.querySelector('[data-testid="reply-window-closed"]');
      const box = document.getElementById('reply-body');
      return note !== null && box !== null && (note.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    });
    expect(isBefore).toBe(true);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
