import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, signIn, startStandIn, type TestApp } from '../../../../test/helpers.ts';
import { withForce } from '../../../platform/db/database.ts';
import type { Clock } from '../../../platform/clock.ts';
import { SecretBox } from '../../../platform/secrets.ts';
import { connectChannelAccount } from '../channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../channel.ts';
import { hs256Jwt, notifyApiToken, notifyKeyParts, notifyNumberToE164, notifySmsChannel } from './notify.channel.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const json = (name: string) => z.record(z.string(), z.unknown()).parse(JSON.parse(fixture(name)));
const TOKEN = 'demo-notify-token';
const API_KEY = 'bluelamp_demo-11111111-1111-4111-8111-111111111111-22222222-2222-4222-8222-222222222222';
const TEMPLATE_ID = '33333333-3333-4333-8333-333333333333';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

describe('Notify API tokens and numbers', () => {
  it('signs HS256 tokens as the published jwt.io example', () => {
    const token = hs256Jwt({ alg: 'HS256', typ: 'JWT' }, { sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'your-256-bit-secret');
    expect(token).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    );
  });

  it('takes the service id and secret from an API key as Notify documents', () => {
    // The example key of Notify's REST API documentation.
    expect(notifyKeyParts('my_test_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0')).toEqual({
      serviceId: '26785a09-ab16-4eb0-8407-a37497a57506',
      secret: '3d844edf-8d35-48ac-975b-e847b4f122b0',
    });
    const [header, payload] = notifyApiToken(API_KEY, 1568818578).split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toEqual({ iss: '11111111-1111-4111-8111-111111111111', iat: 1568818578 });
  });

  it('turns the numbers Notify gives into E.164', () => {
    expect(notifyNumberToE164('447700900123')).toBe('+447700900123');
    expect(notifyNumberToE164('07700 900123')).toBe('+447700900123');
    expect(notifyNumberToE164('+14254147755')).toBe('+14254147755');
    expect(notifyNumberToE164('0033612345678')).toBe('+33612345678');
  });

  it('refuses configurations without a well-formed API key', () => {
    const config = { callbackToken: TOKEN, apiKey: API_KEY, replyTemplateId: TEMPLATE_ID };
    expect(notifySmsChannel.configSchema.safeParse(config).success).toBe(true);
    expect(notifySmsChannel.configSchema.safeParse({ ...config, apiKey: 'not-a-key' }).success).toBe(false);
    expect(notifySmsChannel.configSchema.safeParse({ ...config, apiKey: API_KEY.slice(14) }).success).toBe(false);
    expect(notifySmsChannel.configSchema.safeParse({ ...config, callbackToken: 'short' }).success).toBe(false);
  });
});

describe('GOV.UK Notify SMS channel', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  // Real time plus an offset the test moves, so a retry's backoff can be skipped.
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, notifySmsChannel as AnyChannelAdapter, {
      label: 'Demo Notify service',
      config: { callbackToken: TOKEN, apiKey: API_KEY, replyTemplateId: TEMPLATE_ID, apiBaseUrl: standIn.url },
      actor: { type: 'system', id: null },
    });
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const post = (path: string, payload: unknown, requestHeaders: Record<string, string> = headers) =>
    app.inject({ method: 'POST', url: path, headers: requestHeaders, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  const inbound = (payload: unknown, requestHeaders?: Record<string, string>) => post('/webhooks/notify/inbound-sms', payload, requestHeaders);
  const receipt = (payload: unknown, requestHeaders?: Record<string, string>) => post('/webhooks/notify/status', payload, requestHeaders);

  const messagesWithId = (id: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['id', 'contact_id', 'body']).where('channel', '=', 'sms_notify').where('provider_message_id', '=', id).execute(),
    );
  async function contactOf(id: string): Promise<string> {
    const [row] = await messagesWithId(id);
    if (!row) throw new Error(`no message ${id}`);
    return row.contact_id;
  }

  it('stores a received text as a contact from the E.164 number', async () => {
    const response = await inbound(fixture('received-text-message.json'));
    expect(response.statusCode).toBe(200);

    const handler = await signIn(app, 'handler@demo.police.uk');
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${await contactOf('b8c6e8a4-5a4e-4f0a-9d0e-6c1f2b3a4d5e')}`, headers: handler.headers });
    const body = detail.json<{
      contact: { channel: string };
      messages: { direction: string; body: string }[];
      person: { identities: { kind: string; value: string }[] };
    }>();
    expect(body.contact.channel).toBe('sms_notify');
    expect(body.messages).toEqual([
      expect.objectContaining({ direction: 'inbound', body: 'Hi, someone has been sending me threatening messages since last night. I am scared to go out.' }),
    ]);
    expect(body.person.identities).toEqual([expect.objectContaining({ kind: 'phone', value: '+447700900123' })]);
  });

  it('stores one message however many times Notify retries it at once', async () => {
    const payload = { ...json('received-text-message.json'), id: 'c0ffee00-0000-4000-8000-000000000001' };
    const responses = await Promise.all(Array.from({ length: 15 }, () => inbound(payload)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array.from({ length: 15 }, () => 200));
    expect(await messagesWithId('c0ffee00-0000-4000-8000-000000000001')).toHaveLength(1);
  });

  it('threads a second text from the same number into the open contact', async () => {
    const base = { ...json('received-text-message.json'), source_number: '447700900777' };
    await inbound({ ...base, id: 'c0ffee00-0000-4000-8000-000000000011', message: 'My bike was stolen' });
    await inbound({ ...base, id: 'c0ffee00-0000-4000-8000-000000000012', message: 'It was a red Raleigh' });
    expect(await contactOf('c0ffee00-0000-4000-8000-000000000011')).toBe(await contactOf('c0ffee00-0000-4000-8000-000000000012'));
  });

  it('refuses missing and wrong bearer tokens, storing nothing', async () => {
    const payload = { ...json('received-text-message.json'), id: 'c0ffee00-0000-4000-8000-000000000021' };
    // No token names no account; a wrong token names an account nobody connected.
    expect((await inbound(payload, { 'content-type': 'application/json' })).statusCode).toBe(401);
    const wrong = await inbound(payload, { authorization: 'Bearer demo-notify-tokex', 'content-type': 'application/json' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="bluelamp", error="invalid_token"');
    expect(wrong.json<{ error: { message: string } }>().error.message).toBe('Wrong bearer token');
    const basic = await inbound(payload, { authorization: `Basic ${TOKEN}`, 'content-type': 'application/json' });
    expect(basic.statusCode).toBe(401);
    expect(basic.headers['www-authenticate']).toBe('Bearer realm="bluelamp"');
    expect(await messagesWithId('c0ffee00-0000-4000-8000-000000000021')).toHaveLength(0);
  });

  it('answers hostile and unexpected bodies with a 4xx, and ignores callbacks that are not about texts', async () => {
    expect((await inbound('{"id": ')).statusCode).toBe(400);
    expect((await inbound('[1, 2]')).statusCode).toBe(400);
    expect((await inbound({ hello: 'world' })).statusCode).toBe(400);
    expect((await inbound({ ...json('received-text-message.json'), id: undefined })).statusCode).toBe(400);
    expect((await inbound({ ...json('received-text-message.json'), message: 42 })).statusCode).toBe(400);
    // A sender that is not a phone number (a name, a NUL) is not a person we can text back.
    expect((await inbound({ ...json('received-text-message.json'), id: 'c0ffee00-0000-4000-8000-000000000033', source_number: 'abc\u0000' })).statusCode).toBe(400);
    expect((await messagesWithId('c0ffee00-0000-4000-8000-000000000033'))).toEqual([]);
    expect((await receipt({ ...json('delivery-receipt-delivered.json'), id: null })).statusCode).toBe(400);
    expect((await inbound('source_number=447700900123', { ...headers, 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415);
    expect((await inbound({ ...json('received-text-message.json'), id: 'c0ffee00-0000-4000-8000-000000000031', message: 'x'.repeat(1_100_000) })).statusCode).toBe(413);
    // An email complaint and an email's receipt: verified, nothing stored.
    expect((await receipt(fixture('complaint.json'))).statusCode).toBe(200);
    expect((await receipt(fixture('delivery-receipt-email.json'))).statusCode).toBe(200);
    // Markup from the public is kept as text.
    expect((await inbound({ ...json('received-text-message.json'), id: 'c0ffee00-0000-4000-8000-000000000032', message: '<img src=x onerror=alert(1)>' })).statusCode).toBe(200);
    expect((await messagesWithId('c0ffee00-0000-4000-8000-000000000032'))[0]?.body).toBe('<img src=x onerror=alert(1)>');
    const rejected = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select('id').where('channel', '=', 'sms_notify').where('status', '=', 'rejected').execute(),
    );
    expect(rejected.length).toBeGreaterThanOrEqual(7);
  });

  it('sends the reply through the Notify API with a signed token, then records delivery receipts', async () => {
    const contactId = await contactOf('b8c6e8a4-5a4e-4f0a-9d0e-6c1f2b3a4d5e');
    const handler = await signIn(app, 'handler@demo.police.uk');
    // The contact's acknowledgement (its reference, sent by a job) goes first, each with its own
    // provider id as the provider gives, so only the reply is counted below.
    standIn.respondWith(201, (n: number) => ({ ...json('notification-created.json'), id: `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}` }));
    await app.runner?.runDue();
    standIn.respondWith(201, json('notification-created.json'));
    const before = standIn.requests.length;
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'We will call you today.' } });
    expect(reply.statusCode).toBe(201);
    const messageId = reply.json<{ message: { id: string } }>().message.id;
    const sentAround = Math.floor(Date.now() / 1000);
    await app.runner?.runDue();

    expect(standIn.requests.length).toBe(before + 1);
    const sent = standIn.requests.at(-1);
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/v2/notifications/sms');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      phone_number: '+447700900123',
      template_id: TEMPLATE_ID,
      personalisation: { body: 'We will call you today.' },
      reference: messageId,
    });
    // The bearer is a JWT issued by the service now, signed with the key's secret.
    const jwt = /^Bearer (.+)$/.exec(String(sent?.headers.authorization))?.[1] ?? '';
    const [header = '', payload = '', signature] = jwt.split('.');
    expect(signature).toBe(createHmac('sha256', '22222222-2222-4222-8222-222222222222').update(`${header}.${payload}`).digest('base64url'));
    const claims = z.object({ iss: z.string(), iat: z.number() }).parse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
    expect(claims.iss).toBe('11111111-1111-4111-8111-111111111111');
    expect(Math.abs(claims.iat - sentAround)).toBeLessThanOrEqual(5);

    const status = async () => {
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      const message = detail.json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages.find((m) => m.id === messageId);
      return { status: message?.deliveryStatus, error: message?.deliveryError };
    };
    expect(await status()).toEqual({ status: 'sent', error: null });
    expect((await receipt({ ...json('delivery-receipt-delivered.json'), reference: messageId })).statusCode).toBe(200);
    expect(await status()).toEqual({ status: 'delivered', error: null });
    expect((await receipt({ ...json('delivery-receipt-permanent-failure.json'), reference: messageId })).statusCode).toBe(200);
    expect(await status()).toEqual({ status: 'failed', error: 'permanent-failure' });
    // Receipts need the token too.
    expect((await receipt(fixture('delivery-receipt-delivered.json'), { 'content-type': 'application/json' })).statusCode).toBe(401);
  });

  it('retries when Notify fails, and shows a refusal to the operator', async () => {
    const contactId = await contactOf('c0ffee00-0000-4000-8000-000000000011');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const replyWith = async (text: string) => {
      const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: text } });
      return reply.json<{ message: { id: string } }>().message.id;
    };
    const detail = async (id: string) => {
      const response = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      return response.json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages.find((m) => m.id === id);
    };

    // The contact's acknowledgement (its reference, sent by a job) goes first, each with its own
    // provider id as the provider gives, so only the reply is counted below.
    standIn.respondWith(201, (n: number) => ({ ...json('notification-created.json'), id: `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}` }));
    await app.runner?.runDue();
    standIn.respondWith(500, { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] });
    const retried = await replyWith('Officers are on their way.');
    const before = standIn.requests.length;
    await app.runner?.runDue();
    expect(standIn.requests.length).toBe(before + 1);
    expect(await detail(retried)).toMatchObject({ deliveryStatus: 'retrying', deliveryError: 'Notify answered 500: Exception: Internal server error' });

    standIn.respondWith(201, { ...json('notification-created.json'), id: 'aaaaaaaa-0000-4000-8000-000000000001' });
    offsetMs += 60_000;
    await app.runner?.runDue();
    expect(standIn.requests.length).toBe(before + 2);
    // The same reference on the retry: Notify's receipts name our message either way.
    expect(JSON.parse(standIn.requests.at(-1)?.body ?? '{}')).toMatchObject({ reference: retried });
    expect(await detail(retried)).toMatchObject({ deliveryStatus: 'sent' });

    standIn.respondWith(400, json('error-400.json'));
    const refused = await replyWith('Second reply');
    await app.runner?.runDue();
    expect(await detail(refused)).toMatchObject({
      deliveryStatus: 'failed',
      deliveryError: "Notify answered 400: BadRequestError: Can't send to this recipient using a team-only API key",
    });
  });
});
