import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import type { OutgoingMail } from '../../src/platform/mail/mailer.ts';
import { seededEnv } from '../cli-kit.ts';
import { createTestApp, startStandIn } from '../helpers.ts';
import { API_KEY, SMS_TEMPLATE_ID, createForceWithCase, notifyFixture, outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { notifySmsChannel } from '../../src/capabilities/channels/notify/notify.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { SecretBox } from '../../src/platform/secrets.ts';

// Email queued while no mail server was set is held; once the server starts with one, it goes.
// A text held while the force had no text provider goes once one is connected.

describe('email held for want of a mail server', () => {
  it('is-sent-when-the-server-next-starts-with-a-mail-server, once', async () => {
    const { env, cleanup } = await seededEnv('held');
    const config = loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    try {
      const before = await buildApp(config, { mailer: null, startWorker: false });
      const forceId = (await withSystem(before.database.db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow())).id as ForceId;
      const outboxId = await queueWithDelivery(before, forceId, [{ channel: 'email', recipient: 'waiting@example.org', subject: 'About your report', body: 'An officer will call you.' }]);
      await before.runner?.runDue();
      expect(await outboxRow(before, forceId, outboxId)).toMatchObject({ status: 'held', last_error: 'no outbound mail server is configured (SMTP_URL)' });
      await before.close();

      const sent: OutgoingMail[] = [];
      const after = await buildApp(config, { mailer: { send: async (mail) => void sent.push(mail), close: () => undefined }, startWorker: false });
      try {
        await after.runner?.runDue();
        expect(sent.map((mail) => [mail.to, mail.subject])).toEqual([['waiting@example.org', 'About your report']]);
        expect((await outboxRow(after, forceId, outboxId)).status).toBe('sent');
        expect((await outboxEvents(after, forceId, outboxId)).map((e) => e.type)).toEqual(['outbox.held', 'outbox.released', 'outbox.sent']);
      } finally {
        await after.close();
      }
      // A third start finds nothing held and sends nothing again.
      const again = await buildApp(config, { mailer: { send: async (mail) => void sent.push(mail), close: () => undefined }, startWorker: false });
      await again.runner?.runDue();
      await again.close();
      expect(sent).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });
});

describe('texts held for want of a text provider', () => {
  it('are-sent-once-a-provider-is-connected', async () => {
    const notify = await startStandIn();
    // No text provider at first, and no mail server: the text has nowhere to go.
    const app = await createTestApp({ overrides: { mailer: null } });
    try {
      const { forceId, staffId } = await createForceWithCase(app);
      await app.runner?.runDue();
      const outboxId = await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient: '+447700900555', subject: '', body: 'Your case has an update.' }]);
      await app.runner?.runDue();
      expect(await outboxRow(app, forceId, outboxId)).toMatchObject({ status: 'held', last_error: 'no text message provider is connected (GOV.UK Notify or Twilio)' });

      notify.respondWith(201, () => notifyFixture('notification-created.json'));
      // A force admin connects the force's GOV.UK Notify service.
      await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, notifySmsChannel as AnyChannelAdapter, {
        label: 'Notify, connected at last',
        config: { callbackToken: 'held-texts-callback-token', apiKey: API_KEY, replyTemplateId: SMS_TEMPLATE_ID, apiBaseUrl: notify.url },
        actor: { type: 'staff', id: staffId },
      });
      await app.runner?.runDue();
      expect((await outboxRow(app, forceId, outboxId)).status).toBe('sent');
      expect(notify.requests.filter((r) => r.url === '/v2/notifications/sms')).toHaveLength(1);
      expect((await outboxEvents(app, forceId, outboxId)).map((e) => e.type)).toEqual(['outbox.held', 'outbox.released', 'outbox.sent']);
    } finally {
      await app.close();
      await notify.close();
    }
  });
});
