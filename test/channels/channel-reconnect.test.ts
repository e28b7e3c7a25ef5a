import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { listAdapters } from '../../src/capabilities/channels/registry.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { FORM, PUBLIC_URL, fixture, sign, withParams } from './twilio-kit.ts';

type Account = { id: string; channel: string; label: string; isEnabled: boolean; isDemoStandIn: boolean; version: number };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string; label?: string }[] } };
type Settings = { account: Account; settings: Record<string, unknown> };

const NEW_API_TOKEN = 'rotated-api-token-0001';
const NOTIFY_KEY = 'force_live-44444444-4444-4444-8444-444444444444-55555555-5555-4555-8555-555555555555';
const TWILIO_SID = 'AC00000000000000000000000000000001';

/**
 * Connecting an existing account again: the form is filled in with the settings that are not
 * credentials, as the account holds them, and the new credentials replace the old ones in place
 * (the same account, its contacts and history), even where the account is known by a hash of its
 * secret. The old secret stops working at once. Connecting a new account still adds one.
 */
describe('connecting a channel account again', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp({ env: { PUBLIC_URL } });
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
  });

  const accounts = async () => (await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers })).json<{ accounts: Account[] }>().accounts;
  const accountNamed = async (label: string) => {
    const found = (await accounts()).find((account) => account.label === label);
    if (!found) throw new Error(`no account ${label}`);
    return found;
  };
  const settingsOf = (id: string, headers = admin.headers) => app.inject({ method: 'GET', url: `/api/channels/${id}/settings`, headers });
  const reconnect = (id: string, payload: object, headers = admin.headers) => app.inject({ method: 'POST', url: `/api/channels/${id}/reconnect`, headers, payload });
  const postApiMessage = (token: string, messageId: string) =>
    app.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId, threadId: 'rotation-thread', from: { externalId: 'partner-person-1' }, body: `Message ${messageId}` }),
    });
  const eventsOf = (subjectId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', subjectId).orderBy('seq').execute());

  it('answers-an-account-s-settings-that-are-not-credentials-and-never-a-credential', async () => {
    const twilio = await accountNamed('Demo Twilio number');
    const response = await settingsOf(twilio.id);
    expect(response.statusCode, response.body).toBe(200);
    const { account, settings } = response.json<Settings>();
    expect(account).toMatchObject({ id: twilio.id, channel: 'sms_twilio', isDemoStandIn: true });
    expect(settings).toEqual({
      accountSid: TWILIO_SID,
      phoneNumber: '+447700900001',
      statusCallbackUrl: null,
      apiBaseUrl: 'https://api.twilio.com',
      // The WhatsApp templates (decision 0097) are settings, not credentials: shown to fill the form.
      whatsappTemplateSid: null,
      whatsappTemplateSidWelsh: null,
      whatsappTemplateCarries: 'message',
    });
    // Every account's settings, and no credential of any of them.
    const secrets = listAdapters().flatMap((adapter) =>
      (adapter.demoAccounts ?? []).flatMap((demo) =>
        adapter.connectFields.flatMap((field) => {
          const value = field.name.split('.').reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined), demo.config);
          return field.kind === 'secret' && typeof value === 'string' ? [value] : [];
        }),
      ),
    );
    expect(secrets).toContain('demo-twilio-auth-token');
    for (const each of await accounts()) {
      const body = (await settingsOf(each.id)).body;
      for (const secret of secrets) expect(body, `${each.label}: ${secret}`).not.toContain(secret);
    }
  });

  it('hides-another-force-s-account-and-refuses-a-call-handler', async () => {
    const api = await accountNamed('Demo API integration');
    const other = await createOtherForce(app, ['force_admin']);
    const theirs = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    expect((await settingsOf(api.id, theirs.headers)).statusCode).toBe(404);
    const stolen = await reconnect(api.id, { label: 'Mine now', version: api.version, config: { token: 'their-api-token-1234' } }, theirs.headers);
    expect(stolen.statusCode).toBe(404);
    const handler = await signIn(app, 'handler@demo.police.uk');
    expect((await settingsOf(api.id, handler.headers)).statusCode).toBe(403);
    expect((await reconnect(api.id, { label: 'Mine now', version: api.version, config: { token: 'handler-api-token' } }, handler.headers)).statusCode).toBe(403);
    expect((await postApiMessage('demo-api-token', 'before-refusals')).statusCode).toBe(202);
    expect((await postApiMessage('their-api-token-1234', 'stolen')).statusCode).toBe(401);
  });

  it('names-a-refused-setting-where-it-sits-and-changes-nothing', async () => {
    const api = await accountNamed('Demo API integration');
    const response = await reconnect(api.id, { label: 'Demo API integration', version: api.version, config: { token: 'short' } });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.fields).toMatchObject([{ path: 'body.config.token', label: 'API token' }]);
    const twilio = await accountNamed('Demo Twilio number');
    const moved = await reconnect(twilio.id, { label: 'Demo Twilio number', version: twilio.version, config: { accountSid: TWILIO_SID, authToken: 'force-auth-token-0001', phoneNumber: '+447700900999' } });
    expect(moved.statusCode).toBe(400);
    expect(moved.json<ErrorBody>().error.fields).toMatchObject([{ path: 'body.config.phoneNumber', label: 'Twilio phone number' }]);
    expect(await accountNamed('Demo API integration')).toEqual(api);
    expect((await postApiMessage('demo-api-token', 'after-refusal')).statusCode).toBe(202);
  });

  it('rotates-the-api-token-in-place-refusing-the-old-one-at-once-with-one-event-and-no-secret', async () => {
    const api = await accountNamed('Demo API integration');
    expect((await postApiMessage('demo-api-token', 'before-rotation')).statusCode).toBe(202);
    const countBefore = (await accounts()).length;
    const response = await reconnect(api.id, { label: 'Partner agency', version: api.version, config: { token: NEW_API_TOKEN, callbackUrl: null } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ account: Account }>().account).toMatchObject({ id: api.id, label: 'Partner agency', isEnabled: true, version: api.version + 1 });
    expect(response.body).not.toContain(NEW_API_TOKEN);
    expect((await accounts()).length).toBe(countBefore);

    expect((await postApiMessage('demo-api-token', 'old-token-after-rotation')).statusCode).toBe(401);
    expect((await postApiMessage(NEW_API_TOKEN, 'after-rotation')).statusCode).toBe(202);
    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages')
        .select(['contact_id', 'provider_message_id'])
        .where('channel', '=', 'api')
        .where('provider_message_id', 'in', ['before-rotation', 'old-token-after-rotation', 'after-rotation'])
        .execute(),
    );
    expect(stored.map((message) => message.provider_message_id).toSorted()).toEqual(['after-rotation', 'before-rotation']);
    expect(new Set(stored.map((message) => message.contact_id)).size).toBe(1);

    const events = await eventsOf(api.id);
    expect(events.filter((event) => event.type === 'channel.reconnected')).toEqual([{ type: 'channel.reconnected', data: { channel: 'api', label: 'Partner agency' } }]);
    expect(JSON.stringify(events)).not.toContain(NEW_API_TOKEN);
  });

  it('refuses-a-reconnect-from-settings-already-replaced', async () => {
    const api = await accountNamed('Partner agency');
    const stale = await reconnect(api.id, { label: 'Partner agency', version: api.version - 1, config: { token: 'stale-api-token-0001' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error).toMatchObject({ code: 'conflict', fields: [{ path: 'body.version' }] });
    expect((await postApiMessage(NEW_API_TOKEN, 'after-stale')).statusCode).toBe(202);
    expect((await postApiMessage('stale-api-token-0001', 'stale')).statusCode).toBe(401);
  });

  it('says-settings-sealed-with-a-key-no-longer-configured-cannot-be-read-and-mends-them-by-connecting-again', async () => {
    const api = await accountNamed('Partner agency');
    const lostKey = new SecretBox('a-secrets-key-this-server-no-longer-has-0001');
    await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .updateTable('channel_accounts')
        .set({ config_ciphertext: lostKey.seal(JSON.stringify({ token: NEW_API_TOKEN, callbackUrl: null })) })
        .where('id', '=', api.id)
        .execute(),
    );
    const unreadable = await settingsOf(api.id);
    expect(unreadable.statusCode, unreadable.body).toBe(409);
    expect(unreadable.json<ErrorBody>().error.message).toContain('cannot be read with the current secrets key');

    const mended = await reconnect(api.id, { label: 'Partner agency', version: api.version, config: { token: NEW_API_TOKEN, callbackUrl: null } });
    expect(mended.statusCode, mended.body).toBe(200);
    expect((await settingsOf(api.id)).statusCode).toBe(200);
    expect((await postApiMessage(NEW_API_TOKEN, 'after-mending')).statusCode).toBe(202);
  });

  it('refuses-a-token-another-account-is-known-by', async () => {
    const added = await app.inject({ method: 'POST', url: '/api/channels', headers: admin.headers, payload: { channel: 'api', label: 'Second partner', config: { token: 'second-partner-token' } } });
    expect(added.statusCode, added.body).toBe(201);
    const api = await accountNamed('Partner agency');
    expect(added.json<{ account: Account }>().account.id).not.toBe(api.id);
    const clash = await reconnect(api.id, { label: 'Partner agency', version: api.version, config: { token: 'second-partner-token' } });
    expect(clash.statusCode).toBe(409);
    expect((await postApiMessage(NEW_API_TOKEN, 'after-clash')).statusCode).toBe(202);
  });

  it('replaces-twilio-s-auth-token-so-requests-signed-with-the-old-one-are-refused', async () => {
    const twilio = await accountNamed('Demo Twilio number');
    const deliver = (sid: string, token: string) => {
      const form = withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, To: '+447700900001' });
      return app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form, token) }, payload: form });
    };
    expect((await deliver(`SM${'1'.repeat(32)}`, 'demo-twilio-auth-token')).statusCode).toBe(200);
    const { settings } = (await settingsOf(twilio.id)).json<Settings>();
    const response = await reconnect(twilio.id, { label: 'Force text line', version: twilio.version, config: { ...settings, statusCallbackUrl: undefined, authToken: 'force-auth-token-0002' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ account: Account }>().account).toMatchObject({ id: twilio.id, isDemoStandIn: true });
    expect((await deliver(`SM${'2'.repeat(32)}`, 'demo-twilio-auth-token')).statusCode).toBe(401);
    expect((await deliver(`SM${'3'.repeat(32)}`, 'force-auth-token-0002')).statusCode).toBe(200);
  });

  it('makes-the-demo-notify-stand-in-real-in-place-with-a-new-callback-token', async () => {
    const notify = await accountNamed('Demo Notify service');
    expect(notify.isDemoStandIn).toBe(true);
    const { settings } = (await settingsOf(notify.id)).json<Settings>();
    expect(settings).toMatchObject({ replyTemplateId: '33333333-3333-4333-8333-333333333333', smsSenderId: null });
    expect(Object.keys(settings)).not.toContain('apiKey');
    const config = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== null));
    const response = await reconnect(notify.id, { label: 'Force Notify service', version: notify.version, config: { ...config, callbackToken: 'force-notify-callback-token', apiKey: NOTIFY_KEY } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ account: Account }>().account).toMatchObject({ id: notify.id, label: 'Force Notify service', isDemoStandIn: false });
    expect((await accounts()).filter((account) => account.channel === 'sms_notify').map((account) => account.id)).toEqual([notify.id]);
    const status = (token: string) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/notify/status',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ id: '99999999-9999-4999-8999-999999999999', reference: null, to: '07700900123', status: 'delivered', created_at: '2026-12-05T10:00:00.000Z', completed_at: '2026-12-05T10:00:01.000Z', sent_at: '2026-12-05T10:00:00.500Z', notification_type: 'sms', template_id: '33333333-3333-4333-8333-333333333333', template_version: 1 }),
      });
    expect((await status('demo-notify-token')).statusCode).toBe(401);
    expect((await status('force-notify-callback-token')).statusCode).toBeLessThan(300);
    const events = await eventsOf(notify.id);
    expect(events.filter((event) => event.type === 'channel.reconnected')).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain('force-notify-callback-token');
    expect(JSON.stringify(events)).not.toContain(NOTIFY_KEY);
  });

  it('rotates-the-telephony-secret-and-meta-s-verify-token-in-place', async () => {
    const phone = await accountNamed('Demo telephony platform');
    const call = (secret: string, callId: string) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/telephony/calls',
        headers: { 'x-bluelamp-telephony-secret': secret, 'content-type': 'application/json' },
        payload: JSON.stringify({ callId, line: '101', callerNumber: '+447700900124', calledNumber: '101', startedAt: '2026-12-05T09:00:00Z', event: 'offered' }),
      });
    expect((await reconnect(phone.id, { label: phone.label, version: phone.version, config: { secret: 'force-telephony-secret-0001' } })).statusCode).toBe(200);
    expect((await call('demo-telephony-secret', 'rotated-call-1')).statusCode).toBe(401);
    expect((await call('force-telephony-secret-0001', 'rotated-call-2')).statusCode).toBe(200);

    const webhook = await accountNamed('Demo Meta app webhook');
    const handshake = (token: string) =>
      app.inject({ method: 'GET', url: `/webhooks/meta?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444` });
    const page = await reconnect(webhook.id, { label: webhook.label, version: webhook.version, config: { platform: 'facebook', pageId: '1000000000009', appSecret: 'x'.repeat(32), pageAccessToken: 'y'.repeat(40) } });
    expect(page.statusCode).toBe(400);
    expect(page.json<ErrorBody>().error.fields).toMatchObject([{ path: 'body.config.platform' }]);
    expect((await reconnect(webhook.id, { label: webhook.label, version: webhook.version, config: { platform: 'webhook', verifyToken: 'force-meta-verify-token' } })).statusCode).toBe(200);
    expect((await handshake('demo-meta-verify-token')).statusCode).toBe(404);
    const answered = await handshake('force-meta-verify-token');
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toBe('1158201444');
    expect((await accounts()).filter((account) => account.channel === 'meta')).toHaveLength(3);
  });
});
