import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { DEMO_STAND_IN_REPLY } from '../../src/capabilities/channels/outbound.service.ts';
import { WEBHOOKS, OTHER_ADAPTERS } from '../../src/capabilities/channels/registry.ts';
import { AUTH_TOKEN, sign } from './twilio-kit.ts';

// The demo force's accounts hold published credentials (decision 0057): a member of staff who
// replies through one is told, in the thread, that the demo's stand-in sends nothing, and no
// request leaves the machine. Once a force admin replaces the credentials, replies go.

const notifyFixture = readFileSync(new URL('../../src/capabilities/channels/notify/fixtures/received-text-message.json', import.meta.url), 'utf8');
const metaFixture = readFileSync(new URL('../../src/capabilities/channels/meta/fixtures/facebook-message.json', import.meta.url));
const API_KEY = 'replies_test-44444444-4444-4444-8444-444444444444-55555555-5555-4555-8555-555555555555';
const TEMPLATE_ID = '66666666-6666-4666-8666-666666666666';

type Detail = { messages: { direction: string; body: string; deliveryStatus: string | null; deliveryError: string | null }[] };

/** A fetch that records every URL the app asks for before passing it on (to the local servers only). */
function recordingFetch() {
  const urls: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return { urls, fetcher };
}

describe('the demo stand-in accounts', () => {
  it('every-demo-account-that-would-reach-a-provider-is-a-stand-in', () => {
    const adapters = new Set([...WEBHOOKS.map((mount) => mount.adapter), ...OTHER_ADAPTERS]);
    const sending = [...adapters].flatMap((adapter) =>
      (adapter.demoAccounts ?? [])
        .filter((account) => (adapter.outboundTargets?.(account.config) ?? []).some((target) => !target.isForReceiving))
        .map((account) => [adapter.name, account.label, adapter.isDemoStandIn?.(account.config) === true]),
    );
    expect(sending).toEqual([
      ['sms_notify', 'Demo Notify service', true],
      ['meta', 'Demo Facebook Page', true],
      ['meta', 'Demo Instagram account', true],
      ['x', 'Demo X account', true],
      ['sms_twilio', 'Demo Twilio number', true],
    ]);
  });

  it('is-a-stand-in-only-while-it-sends-a-published-credential-to-the-providers-own-address', () => {
    const twilio = WEBHOOKS.find((mount) => mount.adapter.name === 'sms_twilio')?.adapter;
    const demo = twilio?.demoAccounts?.[0]?.config as Record<string, unknown>;
    const isStandIn = (change: Record<string, unknown>) => twilio?.isDemoStandIn?.({ ...demo, ...change });
    expect(isStandIn({ apiBaseUrl: 'https://API.Twilio.com./' })).toBe(true);
    expect(isStandIn({ apiBaseUrl: 'https://api.dublin.ie1.twilio.com' })).toBe(true);
    // The force's own credentials (both of them) make it real; so does pointing it elsewhere.
    expect(isStandIn({ authToken: 'the-forces-own-token' })).toBe(true);
    expect(isStandIn({ accountSid: 'AC0000000000000000000000000000beef', authToken: 'the-forces-own-token' })).toBe(false);
    expect(isStandIn({ apiBaseUrl: 'http://127.0.0.1:9' })).toBe(false);
    expect(isStandIn({ apiBaseUrl: 'https://nottwilio.com' })).toBe(false);
  });
});

describe('a reply through the demo force’s stand-in accounts', () => {
  let app: TestApp;
  let graph: Awaited<ReturnType<typeof startStandIn>>;
  const net = recordingFetch();

  beforeAll(async () => {
    graph = await startStandIn();
    app = await createTestApp({ overrides: { fetcher: net.fetcher } });
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  const contactWith = async (channel: string, providerId: string) =>
    (
      await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('messages').select('contact_id').where('channel', '=', channel).where('provider_message_id', '=', providerId).executeTakeFirstOrThrow(),
      )
    ).contact_id;
  async function replyAndRun(contactId: string, body: string): Promise<Detail['messages'][number] | undefined> {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body } });
    expect(reply.statusCode).toBe(201);
    await app.runner?.runDue();
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    return detail.json<Detail>().messages.find((message) => message.direction === 'outbound' && message.body === body);
  }

  it('is-kept-and-marked-not-sent-saying-why-and-nothing-leaves-the-machine (GOV.UK Notify)', async () => {
    const inbound = await app.inject({
      method: 'POST',
      url: '/webhooks/notify/inbound-sms',
      headers: { authorization: 'Bearer demo-notify-token', 'content-type': 'application/json' },
      payload: notifyFixture,
    });
    expect(inbound.statusCode).toBe(200);
    const contactId = await contactWith('sms_notify', 'b8c6e8a4-5a4e-4f0a-9d0e-6c1f2b3a4d5e');
    expect(await replyAndRun(contactId, 'An officer will call you today.')).toMatchObject({ deliveryStatus: 'failed', deliveryError: DEMO_STAND_IN_REPLY });
    expect(net.urls).toEqual([]);
  });

  it('is-kept-and-marked-not-sent-saying-why-and-nothing-leaves-the-machine (Facebook)', async () => {
    const inbound = await app.inject({
      method: 'POST',
      url: '/webhooks/meta',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(metaFixture, 'demo-meta-app-secret') },
      payload: metaFixture,
    });
    expect(inbound.statusCode).toBe(200);
    const contactId = await contactWith('meta', 'mid.1457764197618:41d102a3e1ae206a38');
    expect(await replyAndRun(contactId, 'Please call 101.')).toMatchObject({ deliveryStatus: 'failed', deliveryError: DEMO_STAND_IN_REPLY });
    expect(net.urls).toEqual([]);
  });

  it('downloads-no-attachment-a-message-to-a-stand-in-links-to', async () => {
    const body = new URLSearchParams({
      AccountSid: 'AC00000000000000000000000000000001',
      Body: 'Photo of the car',
      From: '+447700900888',
      MediaContentType0: 'image/jpeg',
      MediaUrl0: `${graph.url}/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages/MMstandin/Media/ME1`,
      MessageSid: 'MMstandin',
      NumMedia: '1',
      To: '+447700900001',
    }).toString();
    const inbound = await app.inject({
      method: 'POST',
      url: '/webhooks/twilio/sms',
      headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign('/webhooks/twilio/sms', body, AUTH_TOKEN, 'http://localhost') },
      payload: body,
    });
    expect(inbound.statusCode).toBe(200);
    await app.runner?.runDue();
    const attachment = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('attachments').select(['sha256', 'url']).where('url', 'like', '%/MMstandin/%').executeTakeFirstOrThrow(),
    );
    // Its link is kept, unfetched: the published credentials never go to the link's host.
    expect(attachment).toMatchObject({ sha256: '', url: expect.stringContaining('/Media/ME1') as unknown });
    expect(graph.requests).toEqual([]);
    expect(net.urls).toEqual([]);
  });

  it('goes-once-a-force-admin-replaces-the-demo-credentials', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    type Account = { id: string; label: string; isDemoStandIn: boolean };
    const standIns = async () => {
      const listed = await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers });
      return Object.fromEntries(listed.json<{ accounts: Account[] }>().accounts.map((account) => [account.label, account.isDemoStandIn]));
    };
    expect(await standIns()).toMatchObject({ 'Demo Facebook Page': true, 'Demo Instagram account': true, 'Demo Notify service': true, 'Demo website chat': false });
    const connected = await app.inject({
      method: 'POST',
      url: '/api/channels',
      headers: admin.headers,
      payload: {
        channel: 'meta',
        label: 'Demo Facebook Page',
        config: {
          platform: 'facebook',
          pageId: '1000000000001',
          appSecret: 'demo-meta-app-secret',
          pageAccessToken: 'the-forces-own-page-token',
          apiBaseUrl: `${graph.url}/v21.0`,
        },
      },
    });
    expect(connected.statusCode).toBe(201);
    const account = connected.json<{ account: Account }>().account;
    expect(account.isDemoStandIn).toBe(false);
    expect(await standIns()).toMatchObject({ 'Demo Facebook Page': false, 'Demo Instagram account': true });
    // Renaming or disabling changes no credential: the account says what it is still.
    const renamed = await app.inject({ method: 'POST', url: `/api/channels/${account.id}`, headers: admin.headers, payload: { label: 'Force Facebook Page' } });
    expect(renamed.json<{ account: Account }>().account).toMatchObject({ label: 'Force Facebook Page', isDemoStandIn: false });
    graph.respondWith(200, { recipient_id: '6543210987654321', message_id: 'mid.reply-after-real-credentials' });
    const contactId = await contactWith('meta', 'mid.1457764197618:41d102a3e1ae206a38');
    expect(await replyAndRun(contactId, 'We have your message.')).toMatchObject({ deliveryStatus: 'sent', deliveryError: null });
    expect(graph.requests.map((request) => [request.url, request.headers.authorization])).toEqual([['/v21.0/1000000000001/messages', 'Bearer the-forces-own-page-token']]);
    expect(net.urls).toEqual([`${graph.url}/v21.0/1000000000001/messages`]);
  });

  it('through-a-real-account-that-cannot-be-reached-says-so-in-plain-words', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    const connected = await app.inject({
      method: 'POST',
      url: '/api/channels',
      headers: admin.headers,
      // A real account whose provider's name does not resolve (.invalid never does).
      payload: { channel: 'sms_notify', label: 'Unreachable Notify', config: { callbackToken: 'unreachable-notify-token', apiKey: API_KEY, replyTemplateId: TEMPLATE_ID, apiBaseUrl: 'https://notify.invalid' } },
    });
    expect(connected.statusCode).toBe(201);
    const inbound = await app.inject({
      method: 'POST',
      url: '/webhooks/notify/inbound-sms',
      headers: { authorization: 'Bearer unreachable-notify-token', 'content-type': 'application/json' },
      payload: { ...(JSON.parse(notifyFixture) as Record<string, unknown>), id: 'c0ffee00-0000-4000-8000-0000000000aa', source_number: '447700900456' },
    });
    expect(inbound.statusCode).toBe(200);
    const contactId = await contactWith('sms_notify', 'c0ffee00-0000-4000-8000-0000000000aa');
    expect(await replyAndRun(contactId, 'Are you safe now?')).toMatchObject({
      deliveryStatus: 'retrying',
      deliveryError: 'GOV.UK Notify could not be reached: address not found',
    });
  });
});
