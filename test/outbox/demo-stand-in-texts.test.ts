import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { notifySmsChannel } from '../../src/capabilities/channels/notify/notify.channel.ts';
import { DEMO_STAND_IN_TEXT_PROVIDER, NO_TEXT_PROVIDER } from '../../src/capabilities/outbox/senders/sms.sender.ts';
import { API_KEY, SMS_TEMPLATE_ID, connectTwilio, createForceWithCase, notifyFixture, outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';

// A victim's text in the demo force, whose text providers are the demo's stand-ins (decision
// 0057): held with what to do, and nothing leaves the machine; sent once a force admin connects
// the force's own account or replaces the demo credentials. A real account never reached says so
// in plain words.

/** A fetch that records every URL the app asks for before passing it on (to the local servers only). */
function recordingFetch() {
  const urls: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return { urls, fetcher };
}

const TEXT = { channel: 'sms' as const, recipient: '+447700900555', subject: '', body: 'Your case has an update.' };

describe('a victim’s text through the demo force’s stand-in accounts', () => {
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  const net = recordingFetch();
  let outboxId = '';

  beforeAll(async () => {
    notify = await startStandIn();
    app = await createTestApp({ overrides: { fetcher: net.fetcher, mailer: null } });
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
  });

  const connectAs = async (email: string, config: Record<string, unknown>) => {
    const staff = await signIn(app, email);
    return app.inject({ method: 'POST', url: '/api/channels', headers: staff.headers, payload: { channel: 'sms_notify', label: 'Demo Notify service', config } });
  };

  it('is-held-saying-what-to-do-and-nothing-leaves-the-machine', async () => {
    outboxId = await queueWithDelivery(app, app.demoForceId, [TEXT]);
    await app.runner?.runDue();
    expect(await outboxRow(app, app.demoForceId, outboxId)).toMatchObject({ status: 'held', last_error: DEMO_STAND_IN_TEXT_PROVIDER });
    expect((await outboxEvents(app, app.demoForceId, outboxId)).map((e) => e.type)).toEqual(['outbox.held']);
    expect(net.urls).toEqual([]);
  });

  it('stays-held-when-a-call-handler-tries-to-connect-an-account', async () => {
    const refused = await connectAs('handler@demo.police.uk', { callbackToken: 'demo-notify-token', apiKey: API_KEY, replyTemplateId: SMS_TEMPLATE_ID, apiBaseUrl: notify.url });
    expect(refused.statusCode).toBe(403);
    await app.runner?.runDue();
    expect((await outboxRow(app, app.demoForceId, outboxId)).status).toBe('held');
    expect(net.urls).toEqual([]);
  });

  it('stays-held-when-another-force-connects-its-own-account', async () => {
    const other = await createForceWithCase(app);
    const otherText = await queueWithDelivery(app, other.forceId, [TEXT]);
    await app.runner?.runDue();
    expect(await outboxRow(app, other.forceId, otherText)).toMatchObject({ status: 'held', last_error: NO_TEXT_PROVIDER });
    notify.respondWith(201, () => notifyFixture('notification-created.json'));
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, other.forceId, notifySmsChannel as AnyChannelAdapter, {
      label: 'The other force’s Notify',
      config: { callbackToken: 'other-force-callback-token', apiKey: API_KEY, replyTemplateId: SMS_TEMPLATE_ID, apiBaseUrl: notify.url },
      actor: { type: 'staff', id: other.staffId },
    });
    await app.runner?.runDue();
    // The other force's own text goes; the demo force's stays held.
    expect((await outboxRow(app, other.forceId, otherText)).status).toBe('sent');
    expect((await outboxRow(app, app.demoForceId, outboxId)).status).toBe('held');
    expect(notify.requests.filter((r) => r.url === '/v2/notifications/sms')).toHaveLength(1);
    notify.requests.length = 0;
    net.urls.length = 0;
  });

  it('is-sent-once-when-a-force-admin-replaces-the-demo-notify-credentials', async () => {
    const connected = await connectAs('admin@demo.police.uk', { callbackToken: 'demo-notify-token', apiKey: API_KEY, replyTemplateId: SMS_TEMPLATE_ID, apiBaseUrl: notify.url });
    expect(connected.statusCode).toBe(201);
    await app.runner?.runDue();
    await app.runner?.runDue();
    expect((await outboxRow(app, app.demoForceId, outboxId)).status).toBe('sent');
    expect(notify.requests.filter((r) => r.url === '/v2/notifications/sms').map((r) => JSON.parse(r.body) as unknown)).toEqual([
      expect.objectContaining({ phone_number: '+447700900555', reference: outboxId }),
    ]);
    expect((await outboxEvents(app, app.demoForceId, outboxId)).map((e) => e.type)).toEqual(['outbox.held', 'outbox.released', 'outbox.sent']);
    expect(net.urls.every((url) => url.startsWith(notify.url))).toBe(true);
  });
});

describe('a victim’s text when the force connects its own Twilio number beside the demo’s Notify', () => {
  let app: TestApp;
  let twilio: Awaited<ReturnType<typeof startStandIn>>;
  const net = recordingFetch();

  beforeAll(async () => {
    twilio = await startStandIn();
    app = await createTestApp({ overrides: { fetcher: net.fetcher, mailer: null } });
  });
  afterAll(async () => {
    await app.close();
    await twilio.close();
  });

  it('is-released-and-sent-once-through-the-real-number-not-the-stand-in', async () => {
    const outboxId = await queueWithDelivery(app, app.demoForceId, [TEXT]);
    await app.runner?.runDue();
    expect(await outboxRow(app, app.demoForceId, outboxId)).toMatchObject({ status: 'held', last_error: DEMO_STAND_IN_TEXT_PROVIDER });
    expect(net.urls).toEqual([]);

    twilio.respondWith(201, { sid: 'SM00000000000000000000000000000077', status: 'queued' });
    const admin = await signIn(app, 'admin@demo.police.uk');
    const connected = await app.inject({
      method: 'POST',
      url: '/api/channels',
      headers: admin.headers,
      payload: {
        channel: 'sms_twilio',
        label: 'Force Twilio number',
        config: { accountSid: 'AC00000000000000000000000000000077', authToken: 'the-forces-own-token', phoneNumber: '+447700900077', statusCallbackUrl: null, apiBaseUrl: twilio.url },
      },
    });
    expect(connected.statusCode).toBe(201);
    await app.runner?.runDue();
    await app.runner?.runDue();
    expect(await outboxRow(app, app.demoForceId, outboxId)).toMatchObject({ status: 'sent', provider_message_id: 'SM00000000000000000000000000000077' });
    expect(twilio.requests.map((r) => r.url)).toEqual(['/2010-04-01/Accounts/AC00000000000000000000000000000077/Messages.json']);
    expect(net.urls).toEqual([`${twilio.url}/2010-04-01/Accounts/AC00000000000000000000000000000077/Messages.json`]);
  });

  it('through-a-real-notify-service-that-cannot-be-reached-says-so-in-plain-words', async () => {
    const { forceId, staffId } = await createForceWithCase(app);
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, notifySmsChannel as AnyChannelAdapter, {
      label: 'Unreachable Notify',
      // .invalid never resolves: undici's bare `fetch failed` carries the resolver's ENOTFOUND.
      config: { callbackToken: 'unreachable-callback-token', apiKey: API_KEY, replyTemplateId: SMS_TEMPLATE_ID, apiBaseUrl: 'https://notify.invalid' },
      actor: { type: 'staff', id: staffId },
    });
    await app.runner?.runDue();
    const outboxId = await queueWithDelivery(app, forceId, [TEXT]);
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, outboxId)).toMatchObject({ status: 'pending', last_error: 'sms: GOV.UK Notify could not be reached: address not found' });
  });

  it('through-a-real-twilio-number-that-cannot-be-reached-says-so-in-plain-words', async () => {
    const { forceId } = await createForceWithCase(app);
    await connectTwilio(app, forceId, 'https://twilio.invalid', '+447700900078');
    const outboxId = await queueWithDelivery(app, forceId, [TEXT]);
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, outboxId)).toMatchObject({ status: 'pending', last_error: 'sms: Twilio could not be reached: address not found' });
  });
});
