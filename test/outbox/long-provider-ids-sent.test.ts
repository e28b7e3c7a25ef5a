import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';

// The id a provider gives a message we send is a key too: the outbox's and a thread's replies are
// found by it when the provider reports on them. A provider answering a send with an id longer
// than any it issues (a broken or hostile one) has it kept under the same bounded key as ids
// that arrive (provider-keys.ts), so its status callback, carrying the whole id, still finds the
// message, whether it comes after the send was recorded or before.

const VICTIM = '+447700900123';

describe(`provider ids too long to be index keys, given when we send (${ENGINE})`, () => {
  let app: TestApp;
  let twilio: Awaited<ReturnType<typeof startStandIn>>;
  /** The sid Twilio gives a message whose text includes the key, instead of its usual one. */
  const longSids = new Map<string, string>();
  const longSid = () => `SM${randomBytes(15_000).toString('base64url')}`;

  beforeAll(async () => {
    twilio = await startStandIn();
    twilio.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMshort${String(n).padStart(27, '0')}` }));
    twilio.answerSome((request) => {
      const text = new URLSearchParams(request.body).get('Body') ?? '';
      const sid = [...longSids].find(([marker]) => text.includes(marker))?.[1];
      return sid ? { status: 201, body: { ...(JSON.parse(fixture('message-created.json')) as object), sid } } : null;
    });
    app = await createTestApp({ env: { PUBLIC_URL } });
    await connectDemoNumber(app, { apiBaseUrl: twilio.url, statusCallbackUrl: null });
  });
  afterAll(async () => {
    await app.close();
    await twilio.close();
  });

  const post = (path: string, form: string) =>
    app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, form) }, payload: form });
  const delivered = (sid: string, to: string) => post('/webhooks/twilio/status', withParams(fixture('status-delivered.form'), { MessageSid: sid, SmsSid: sid, To: to }));
  const text = (body: string) => queueWithDelivery(app, app.demoForceId, [{ channel: 'sms', recipient: VICTIM, subject: '', body }]);

  it('records-an-outbox-text-whose-provider-id-is-20000-characters-under-a-bounded-key-and-its-status-callback-finds-it', async () => {
    const sid = longSid();
    longSids.set('outbox-after', sid);
    const id = await text('Your case has an update (outbox-after).');
    await app.runner?.runDue();
    const sent = await outboxRow(app, app.demoForceId, id);
    expect(sent).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(sent?.provider_message_id).not.toBeNull();
    expect(sent?.provider_message_id?.length).toBeLessThanOrEqual(512);

    const response = await delivered(sid, VICTIM);
    expect(response.statusCode, response.body).toBe(200);
    expect(await outboxRow(app, app.demoForceId, id)).toMatchObject({ status: 'delivered' });
    expect((await outboxEvents(app, app.demoForceId, id)).map((e) => e.type)).toEqual(['outbox.sent', 'outbox.delivered']);
  });

  it('applies-a-status-callback-with-a-20000-character-id-that-came-before-the-send-was-recorded', async () => {
    const sid = longSid();
    longSids.set('outbox-before', sid);
    const id = await text('Your case has an update (outbox-before).');
    const early = await delivered(sid, VICTIM);
    expect(early.statusCode, early.body).toBe(200);
    await app.runner?.runDue();
    expect(await outboxRow(app, app.demoForceId, id)).toMatchObject({ status: 'delivered' });
  });

  it('records-a-reply-whose-provider-id-is-20000-characters-and-its-status-callback-finds-it', async () => {
    const person = '+447700900778';
    const inbound = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMlongreply0001', SmsSid: 'SMlongreply0001', SmsMessageSid: 'SMlongreply0001', From: person, Body: 'Is anyone there about my bike?' });
    expect((await post('/webhooks/twilio/sms', inbound)).statusCode).toBe(200);
    await app.runner?.runDue();
    const handler = await signIn(app, 'handler@demo.police.uk');
    const contacts = await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers });
    const contactId = contacts.json<{ contacts: { id: string; summary: string }[] }>().contacts.find((c) => c.summary === 'Is anyone there about my bike?')?.id ?? '';
    const sid = longSid();
    longSids.set('reply-after', sid);
    const replied = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'Yes, we are looking into it (reply-after).' } });
    expect(replied.statusCode, replied.body).toBeLessThan(300);
    await app.runner?.runDue();

    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['provider_message_id', 'delivery_error']).where('body', '=', 'Yes, we are looking into it (reply-after).').executeTakeFirstOrThrow(),
    );
    expect(stored.provider_message_id?.length).toBeLessThanOrEqual(512);
    expect(stored.delivery_error).toBeNull();

    const response = await delivered(sid, person);
    expect(response.statusCode, response.body).toBe(200);
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const reply = detail.json<{ messages: { body: string; deliveryStatus: string }[] }>().messages.find((m) => m.body === 'Yes, we are looking into it (reply-after).');
    expect(reply?.deliveryStatus).toBe('delivered');
  });
});
