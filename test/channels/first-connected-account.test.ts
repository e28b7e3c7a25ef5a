import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount, updateChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { notifySmsChannel } from '../../src/capabilities/channels/notify/notify.channel.ts';
import { chatChannel } from '../../src/capabilities/channels/chat/chat.channel.ts';
import { portalChat } from '../../src/capabilities/channels/chat/chat.service.ts';
import { API_KEY, createForceWithCase, notifyFixture, outboxRow, queueWithDelivery } from './../outbox/outbox-kit.ts';

// Decision 0178. A force with several enabled accounts of one kind sends its victims' texts by one
// and shows the portal one chat. The outbox took the most recently changed account, so renaming
// an older one moved the force's texts to it; the chat page took the oldest by time alone, and
// accounts connected in one instant (a force set up by a script, a clock that stands still) had no
// order. Both now take the first connected, in the order the accounts were stored.

const MINUTE = 60_000;
const FIRST_TEMPLATE = '11111111-1111-4111-8111-111111111111';
const SECOND_TEMPLATE = '22222222-2222-4222-8222-222222222222';
const TEXT = { channel: 'sms' as const, recipient: '+447700900556', subject: '', body: 'Your case has an update.' };

describe(`the account a force's texts and chat page use, of several it connected (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2027-04-05T09:00:00Z'));
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let deps: TestApp['deps'] & { secrets: SecretBox };

  beforeAll(async () => {
    notify = await startStandIn();
    app = await createTestApp({ overrides: { clock, mailer: null } });
    deps = { ...app.deps, secrets: new SecretBox(app.config.secretsKey) };
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
  });

  const connect = (forceId: Parameters<typeof connectChannelAccount>[1], adapter: AnyChannelAdapter, label: string, config: Record<string, unknown>) =>
    connectChannelAccount(deps, forceId, adapter, { label, config, actor: { type: 'system', id: null } });
  const templatesSent = () => notify.requests.filter((r) => r.url === '/v2/notifications/sms').map((r) => (JSON.parse(r.body) as { template_id: string }).template_id);

  it('sends texts by the first Notify service connected, not the one renamed since, until it is turned off', async () => {
    const { forceId } = await createForceWithCase(app);
    notify.respondWith(201, () => notifyFixture('notification-created.json'));
    // Both connected in one instant.
    const first = await connect(forceId, notifySmsChannel as AnyChannelAdapter, 'Journeys', { callbackToken: `first-${newId()}`, apiKey: API_KEY, replyTemplateId: FIRST_TEMPLATE, apiBaseUrl: notify.url });
    const second = await connect(forceId, notifySmsChannel as AnyChannelAdapter, 'Spare', { callbackToken: `second-${newId()}`, apiKey: API_KEY, replyTemplateId: SECOND_TEMPLATE, apiBaseUrl: notify.url });
    clock.advance(MINUTE);
    await updateChannelAccount(deps, forceId, second.id, { label: 'Spare service', actor: { type: 'system', id: null } });
    await app.runner?.runDue();

    const text = await queueWithDelivery(app, forceId, [TEXT]);
    await app.runner?.runDue();
    expect((await outboxRow(app, forceId, text)).status).toBe('sent');
    expect(templatesSent()).toEqual([FIRST_TEMPLATE]);

    // Turned off: the next text goes by the other.
    await updateChannelAccount(deps, forceId, first.id, { isEnabled: false, actor: { type: 'system', id: null } });
    const next = await queueWithDelivery(app, forceId, [TEXT]);
    await app.runner?.runDue();
    expect((await outboxRow(app, forceId, next)).status).toBe('sent');
    expect(templatesSent()).toEqual([FIRST_TEMPLATE, SECOND_TEMPLATE]);
  });

  it('shows the portal the first chat connected, of several connected in one instant, one renamed since', async () => {
    const { forceId, slug } = await createForceWithCase(app);
    const keys = [1, 2, 3, 4, 5].map((n) => `chat-${n}-${newId().slice(0, 8)}`);
    const ids: string[] = [];
    for (const widgetKey of keys) ids.push((await connect(forceId, chatChannel as AnyChannelAdapter, 'Website chat', { widgetKey, welcomeMessage: 'Hello', allowedOrigins: ['https://force.example'] })).id);
    // Renamed in the same instant. PostgreSQL stores a row's new version wherever it finds room (after
    // a vacuum, in space freed ahead of the others): here the first is moved past the others, as a
    // change to its key and the change undone do.
    await updateChannelAccount(deps, forceId, ids[0] ?? '', { label: 'Main website chat', actor: { type: 'system', id: null } });
    await withSystem(app.database.db, async (tx) => {
      await tx.updateTable('channel_accounts').set({ account_key: `moved-${keys[0] ?? ''}` }).where('id', '=', ids[0] ?? '').execute();
      await tx.updateTable('channel_accounts').set({ account_key: keys[0] ?? '' }).where('id', '=', ids[0] ?? '').execute();
    });
    expect((await portalChat(app.deps, slug))?.widgetKey).toBe(keys[0]);
    expect((await portalChat(app.deps, slug))?.widgetKey).toBe(keys[0]);
  });
});
