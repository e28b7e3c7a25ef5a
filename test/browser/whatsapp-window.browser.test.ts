/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, startStandIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign } from '../channels/twilio-kit.ts';
import { APP_SECRET, IG_ID, PAGE_ID, fixture as metaFixture } from '../channels/meta-kit.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { metaChannel, metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';

// Staff replying to a WhatsApp, Messenger or Instagram contact are told, before they type, when
// the channel's window for a reply closes, and that it has closed (decisions 0097, 0103).

const HOUR = 3_600_000;

describe('WhatsApp’s 24-hour window on the contact screen, in a real browser', () => {
  const clock = fixedClock(new Date());
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  const suite = startBrowserSuite({
    app: async (onClose) => {
      standIn = await startStandIn();
      onClose(() => standIn.close());
      const app = await createTestApp({ env: { PUBLIC_URL }, overrides: { clock } });
      await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
      return app;
    },
  });

  it('tells-the-handler-the-window-has-closed-above-the-reply-box', async () => {
    const form = fixture('inbound-whatsapp.form');
    const response = await suite.app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(response.statusCode).toBe(200);
    const { contact_id: contactId } = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', 'SM1000000000000000000000000000003').executeTakeFirstOrThrow(),
    );
    clock.advance(25 * HOUR);

    const page = await suite.openConsole('call_handler');
    await page.goto(`${suite.base}/console/#/contacts/${contactId}`);
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

  it('tells-the-handler-meta-s-window-for-messenger-and-instagram', async () => {
    const connect = (config: Record<string, unknown>) =>
      connectChannelAccount({ ...suite.app.deps, secrets: new SecretBox(suite.app.config.secretsKey) }, suite.app.demoForceId, metaChannel as AnyChannelAdapter, {
        label: `Force ${String(config.platform)} account`,
        config: { appSecret: APP_SECRET, pageAccessToken: 'meta-window-page-token', apiBaseUrl: `${standIn.url}/v21.0`, ...config },
        actor: { type: 'system', id: null },
      });
    await connect({ platform: 'facebook', pageId: PAGE_ID });
    await connect({ platform: 'instagram', instagramAccountId: IG_ID, directReplies: 'human_agent' });
    const contactOf = async (name: string, providerId: string) => {
      const body = metaFixture(name);
      const response = await suite.app.inject({ method: 'POST', url: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body, APP_SECRET) }, payload: body });
      expect(response.statusCode).toBe(200);
      const row = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', providerId).executeTakeFirstOrThrow());
      return row.contact_id;
    };
    const messenger = await contactOf('facebook-message.json', 'mid.1457764197618:41d102a3e1ae206a38');
    const instagram = await contactOf('instagram-message.json', 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEwMDAwMDAwMDAwMDI6MQZDZD');
    clock.advance(25 * HOUR);

    const page = await suite.openConsole('call_handler');
    await page.goto(`${suite.base}/console/#/contacts/${messenger}`);
    const closed = page.getByTestId('reply-window-closed');
    await closed.waitFor();
    await expect(closed.textContent()).resolves.toContain('Meta’s messaging window has closed');
    await expect(closed.textContent()).resolves.toContain('not written to this account in the last 24 hours');
    await expect(closed.textContent()).resolves.toContain('A reply will not be sent');
    await expectNoAxeViolations(page);

    // Tagged as a person's reply, the Instagram account's replies go for 7 days.
    await page.goto(`${suite.base}/console/#/contacts/${instagram}`);
    const open = page.getByTestId('reply-window-open');
    await open.waitFor();
    await expect(open.textContent()).resolves.toMatch(/^Meta delivers a reply until .+, 7 days after the person last wrote\.$/);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
