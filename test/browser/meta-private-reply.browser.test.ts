/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, startStandIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { APP_SECRET, PAGE_ID, commentsMadeAt, fixture as metaFixture } from '../channels/meta-kit.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { metaChannel, metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';

// Staff answering a comment privately are told, before they type, that its one private reply has
// gone and Meta allows no other (decision 0109).

describe('a comment’s one private reply on the contact screen, in a real browser', () => {
  const clock = fixedClock(new Date());
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  const suite = startBrowserSuite({
    app: async (onClose) => {
      standIn = await startStandIn();
      onClose(() => standIn.close());
      const app = await createTestApp({ overrides: { clock } });
      await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, metaChannel as AnyChannelAdapter, {
        label: 'Force Facebook Page',
        config: { platform: 'facebook', pageId: PAGE_ID, appSecret: APP_SECRET, pageAccessToken: 'meta-private-page-token', commentReplyMode: 'private', apiBaseUrl: `${standIn.url}/v21.0` },
        actor: { type: 'system', id: null },
      });
      return app;
    },
  });

  it('tells-the-operator-the-comment-has-had-its-private-reply-above-the-reply-box', async () => {
    // Made as it is delivered: Meta's sample is from 2015, and the 7 days count from when it was made.
    const body = Buffer.from(commentsMadeAt(metaFixture('facebook-comment-add.json').toString('utf8'), clock.now()));
    const webhook = await suite.app.inject({ method: 'POST', url: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body, APP_SECRET) }, payload: body });
    expect(webhook.statusCode).toBe(200);
    const { contact_id: contactId } = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', '901097836652708_903438993085259').executeTakeFirstOrThrow(),
    );

    const page = await suite.openConsole('digital_desk_operator');
    await page.goto(`${suite.base}/console/#/contacts/${contactId}`);
    // Before any private reply: the days it may still go.
    await page.getByTestId('reply-window-open').waitFor();
    await expect(page.getByTestId('private-reply-refused').count()).resolves.toBe(0);

    // Another operator's private reply goes, and Meta takes it.
    standIn.respondWith(200, { recipient_id: '5550000000000123', message_id: 'm_private_browser_1' });
    const desk = await signIn(suite.app, 'supervisor@demo.police.uk');
    const sent = await suite.app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: desk.headers, payload: { body: 'We have sent you a message.' } });
    expect(sent.statusCode).toBe(201);
    await suite.app.runner?.runDue();

    await page.reload();
    const notice = page.getByTestId('private-reply-refused');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toMatch(/No private reply can go to this comment: A private reply was already sent to this comment on .+; Meta allows one\./);
    await expect(notice.getAttribute('role')).resolves.toBe('note');
    const isBefore = await page.evaluate(() => {
      const note = document.querySelector('[data-testid="private-reply-refused"]');
      const box = document.getElementById('reply-body');
      return note !== null && box !== null && (note.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    });
    expect(isBefore).toBe(true);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
