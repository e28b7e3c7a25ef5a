import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../../../../test/helpers.ts';
import { withForce } from '../../../platform/db/database.ts';
import type { Clock } from '../../../platform/clock.ts';
import { twilioSignature } from './twilio.signature.ts';
import { AUTH_TOKEN, FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../../../../test/channels/twilio-kit.ts';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

describe('Twilio request signature', () => {
  // The worked example of Twilio's webhook security documentation (auth token 12345).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params: [string, string][] = [
    ['Digits', '1234'],
    ['To', '+18005551212'],
    ['From', '+14158675310'],
    ['Caller', '+14158675310'],
    ['CallSid', 'CA1234567890ABCDE'],
  ];

  it('matches the published example', () => {
    expect(twilioSignature('12345', url, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('changes with any parameter, the URL or the token', () => {
    expect(twilioSignature('12345', url, [...params.slice(1), ['Digits', '1235']])).not.toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(twilioSignature('12345', url.replace('https', 'http'), params)).not.toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(twilioSignature('12346', url, params)).not.toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });
});

describe('Twilio SMS channel', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  // Real time plus an offset the test moves, so a retry's backoff can be skipped.
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL }, overrides: { clock } });
    // The demo number, with the API pointed at the stand-in and delivery reports asked for.
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: `${PUBLIC_URL}/webhooks/twilio/status` });
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': FORM, 'x-twilio-signature': sign(path, body) }) =>
    app.inject({ method: 'POST', url: path, headers, payload: body });
  const inbound = (body: string) => post('/webhooks/twilio/sms', body);

  const messagesWithSid = (sid: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages')
        .select(['id', 'contact_id', 'body', 'meta'])
        .where('channel', '=', 'sms_twilio')
        .where('provider_message_id', '=', sid)
        .execute(),
    );

  async function contactOf(sid: string): Promise<string> {
    const [row] = await messagesWithSid(sid);
    if (!row) throw new Error(`no message ${sid}`);
    return row.contact_id;
  }

  it('stores an inbound text as a contact from the phone number and answers with empty TwiML', async () => {
    const response = await inbound(fixture('inbound-sms.form'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    expect(response.body).toBe(EMPTY_TWIML);

    const handler = await signIn(app, 'handler@demo.police.uk');
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${await contactOf('SM1f0e8ae6ade43cb3c0ce4525424e404f')}`, headers: handler.headers });
    const body = detail.json<{
      contact: { channel: string };
      messages: { direction: string; body: string; channel: string }[];
      person: { identities: { kind: string; value: string }[] };
    }>();
    expect(body.contact.channel).toBe('sms_twilio');
    expect(body.messages).toEqual([
      expect.objectContaining({ direction: 'inbound', channel: 'sms_twilio', body: 'There is a man outside my house shouting and kicking the door, can someone come?' }),
    ]);
    expect(body.person.identities).toEqual([expect.objectContaining({ kind: 'phone', value: '+447700900123' })]);
  });

  it('keeps the media of a picture message as attachments with their links', async () => {
    expect((await inbound(fixture('inbound-mms.form'))).statusCode).toBe(200);
    const [message] = await messagesWithSid('MM8a1f0b2c3d4e5f60718293a4b5c6d7e8');
    expect(message?.body).toBe('Photos of the damage to my car');
    const attachments = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('attachments').select(['declared_type', 'size_bytes']).where('message_id', '=', message?.id ?? '').orderBy('declared_type').execute(),
    );
    expect(attachments).toEqual([
      { declared_type: 'image/jpeg', size_bytes: 0 },
      { declared_type: 'image/png', size_bytes: 0 },
    ]);
    expect(message?.meta.media).toEqual([
      {
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages/MM8a1f0b2c3d4e5f60718293a4b5c6d7e8/Media/ME0a1b2c3d4e5f60718293a4b5c6d7e8f',
        contentType: 'image/jpeg',
      },
      {
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages/MM8a1f0b2c3d4e5f60718293a4b5c6d7e8/Media/ME1b2c3d4e5f60718293a4b5c6d7e8f90',
        contentType: 'image/png',
      },
    ]);
  });

  it('stores one message however many times Twilio retries it at once', async () => {
    const body = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMdup00000000000000000000000000000', SmsSid: 'SMdup00000000000000000000000000000', SmsMessageSid: 'SMdup00000000000000000000000000000' });
    const responses = await Promise.all(Array.from({ length: 15 }, () => inbound(body)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array.from({ length: 15 }, () => 200));
    expect(await messagesWithSid('SMdup00000000000000000000000000000')).toHaveLength(1);
  });

  it('threads a second text from the same number into the open contact', async () => {
    const first = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMthread1', From: '+447700900777', Body: 'My bike was stolen' });
    const second = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMthread2', From: '+447700900777', Body: 'It was a red Raleigh' });
    await inbound(first);
    await inbound(second);
    expect(await contactOf('SMthread1')).toBe(await contactOf('SMthread2'));
  });

  it('refuses unsigned, wrongly signed and misaddressed requests, storing nothing', async () => {
    const body = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMforged' });
    const path = '/webhooks/twilio/sms';
    expect((await post(path, body, { 'content-type': FORM })).statusCode).toBe(401);
    expect((await post(path, body, { 'content-type': FORM, 'x-twilio-signature': sign(path, body, 'not-the-token') })).statusCode).toBe(401);
    // Signed for another URL (Twilio signs the URL it called).
    expect((await post(path, body, { 'content-type': FORM, 'x-twilio-signature': sign(path, body, AUTH_TOKEN, 'http://bluelamp.example.org') })).statusCode).toBe(401);
    // Signed, then altered.
    const altered = withParams(body, { Body: 'Something else' });
    expect((await post(path, altered, { 'content-type': FORM, 'x-twilio-signature': sign(path, body) })).statusCode).toBe(401);
    // A number no force has connected.
    expect((await inbound(withParams(body, { To: '+447700900999' }))).statusCode).toBe(404);
    // A number PostgreSQL could not even be asked about (a NUL) is no force's either.
    const nul = await inbound(withParams(body, { To: '\u0000' }));
    expect(nul.statusCode).toBe(404);
    expect(nul.json()).toEqual({ error: { code: 'not_found', message: 'No such channel account' } });
    expect(await messagesWithSid('SMforged')).toHaveLength(0);
  });

  it('accepts the signature over the URL with the default port, as Twilio sometimes signs it', async () => {
    const body = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMport443' });
    const path = '/webhooks/twilio/sms';
    const response = await post(path, body, { 'content-type': FORM, 'x-twilio-signature': sign(path, body, AUTH_TOKEN, `${PUBLIC_URL}:443`) });
    expect(response.statusCode).toBe(200);
    expect(await messagesWithSid('SMport443')).toHaveLength(1);
  });

  it('answers hostile and unexpected bodies with a 4xx, and ignores other Twilio events', async () => {
    const path = '/webhooks/twilio/sms';
    const signed = (body: string, contentType = FORM) => post(path, body, { 'content-type': contentType, 'x-twilio-signature': sign(path, body) });
    // Signed, but not the content type Twilio sends.
    expect((await signed(withParams(fixture('inbound-sms.form'), { MessageSid: 'SMtext' }), 'text/plain')).statusCode).toBe(415);
    // Names no account at all.
    expect((await signed('{"MessageSid":"SMjson"}', 'application/json')).statusCode).toBe(400);
    expect((await signed('%%%not a form')).statusCode).toBe(400);
    // Verified, but missing what every message has.
    expect((await signed(withParams(fixture('inbound-sms.form'), { MessageSid: null, SmsSid: null, SmsMessageSid: null }))).statusCode).toBe(400);
    expect((await signed(withParams(fixture('inbound-sms.form'), { MessageSid: 'SMnofrom', From: null }))).statusCode).toBe(400);
    expect((await signed(withParams(fixture('inbound-sms.form'), { MessageSid: 'SMlongfrom', From: `+44${'7'.repeat(3000)}` }))).statusCode).toBe(400);
    // A voice call posted to the SMS webhook: verified, ignored, nothing stored.
    const call = 'CallSid=CA1234567890ABCDE1234567890ABCDE&AccountSid=AC00000000000000000000000000000001&From=%2B447700900123&To=%2B447700900001&CallStatus=ringing&ApiVersion=2010-04-01&Direction=inbound';
    const ignored = await signed(call);
    expect(ignored.statusCode).toBe(200);
    expect(ignored.body).toBe(EMPTY_TWIML);
    // Far larger than any SMS.
    const huge = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMhuge', Body: 'x'.repeat(1_100_000) });
    expect((await signed(huge)).statusCode).toBe(413);
    // Markup from the public is kept as text.
    expect((await signed(withParams(fixture('inbound-sms.form'), { MessageSid: 'SMhtml', Body: '<script>alert(1)</script>' }))).statusCode).toBe(200);
    expect((await messagesWithSid('SMhtml'))[0]?.body).toBe('<script>alert(1)</script>');
    expect(await messagesWithSid('SMtext')).toHaveLength(0);
  });

  it('sends the reply through the Messages API, then records delivery reports', async () => {
    const contactId = await contactOf('SM1f0e8ae6ade43cb3c0ce4525424e404f');
    const handler = await signIn(app, 'handler@demo.police.uk');
    // The contact's acknowledgement (its reference, sent by a job) goes first, each with its own
    // provider id as the provider gives, so only the reply is counted below.
    standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMack${String(n).padStart(29, '0')}` }));
    await app.runner?.runDue();
    standIn.respondWith(201, JSON.parse(fixture('message-created.json')));
    const before = standIn.requests.length;
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'We will call you today.' } });
    expect(reply.statusCode).toBe(201);
    const messageId = reply.json<{ message: { id: string } }>().message.id;
    await app.runner?.runDue();

    expect(standIn.requests.length).toBe(before + 1);
    const sent = standIn.requests.at(-1);
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`AC00000000000000000000000000000001:${AUTH_TOKEN}`).toString('base64')}`);
    expect(sent?.headers['content-type']).toBe(FORM);
    // Nothing Twilio's Messages API does not document: its idempotency token is on its webhooks only.
    expect(sent?.headers['i-twilio-idempotency-token']).toBeUndefined();
    expect(sent?.body).toBe(
      new URLSearchParams({
        To: '+447700900123',
        From: '+447700900001',
        Body: 'We will call you today.',
        StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status`,
      }).toString(),
    );

    const status = async () => {
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      const message = detail.json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages.find((m) => m.id === messageId);
      return { status: message?.deliveryStatus, error: message?.deliveryError };
    };
    expect(await status()).toEqual({ status: 'sent', error: null });

    const delivered = await post('/webhooks/twilio/status', fixture('status-delivered.form'));
    expect(delivered.statusCode).toBe(200);
    expect(await status()).toEqual({ status: 'delivered', error: null });

    // A later failure report (the handset turned out to be unreachable) shows Twilio's error code.
    expect((await post('/webhooks/twilio/status', fixture('status-undelivered.form'))).statusCode).toBe(200);
    expect(await status()).toEqual({ status: 'failed', error: '30003' });

    // Reports of the in-between states and of messages we never sent change nothing.
    expect((await post('/webhooks/twilio/status', withParams(fixture('status-delivered.form'), { MessageStatus: 'sending', SmsStatus: 'sending' }))).statusCode).toBe(200);
    expect((await post('/webhooks/twilio/status', withParams(fixture('status-delivered.form'), { MessageSid: 'SMunknown', SmsSid: 'SMunknown' }))).statusCode).toBe(200);
    expect(await status()).toEqual({ status: 'failed', error: '30003' });
    // Status reports are signed like everything else.
    expect((await post('/webhooks/twilio/status', fixture('status-delivered.form'), { 'content-type': FORM })).statusCode).toBe(401);
  });

  it('retries when Twilio fails, and shows a refusal to the operator', async () => {
    const contactId = await contactOf('SMthread1');
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
    standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMack${String(n).padStart(29, '0')}` }));
    await app.runner?.runDue();
    standIn.respondWith(503, { code: 20503, message: 'Service unavailable', status: 503 });
    const retried = await replyWith('Officers are on their way.');
    const before = standIn.requests.length;
    await app.runner?.runDue();
    expect(standIn.requests.length).toBe(before + 1);
    expect(await detail(retried)).toMatchObject({ deliveryStatus: 'retrying' });

    const created: unknown = JSON.parse(fixture('message-created.json').replaceAll('SM5d1c8f0ce1a84d1fb6a3b4c2e9f07a11', 'SMretried0000000000000000000000000'));
    standIn.respondWith(201, created);
    offsetMs += 60_000;
    await app.runner?.runDue();
    expect(standIn.requests.length).toBe(before + 2);
    // The retry sends the same message again: same recipient and words.
    expect(standIn.requests.at(-1)?.body).toBe(standIn.requests.at(-2)?.body);
    expect(await detail(retried)).toMatchObject({ deliveryStatus: 'sent' });

    standIn.respondWith(400, JSON.parse(fixture('error-21211.json')));
    const refused = await replyWith('Second reply');
    await app.runner?.runDue();
    expect(await detail(refused)).toMatchObject({
      deliveryStatus: 'failed',
      deliveryError: "Twilio answered 400: 21211 Invalid 'To' Phone Number: +44770090XXXX",
    });
  });

  it('sends a message once even when Twilio answers with an id it already gave another', async () => {
    const contactId = await contactOf('SMthread1');
    const handler = await signIn(app, 'handler@demo.police.uk');
    await app.runner?.runDue();
    const sameSid: unknown = JSON.parse(fixture('message-created.json').replaceAll('SM5d1c8f0ce1a84d1fb6a3b4c2e9f07a11', 'SMsame00000000000000000000000000'));
    standIn.respondWith(201, sameSid);
    const ids: string[] = [];
    for (const body of ['First of two', 'Second of two']) {
      const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body } });
      ids.push(reply.json<{ message: { id: string } }>().message.id);
    }
    const before = standIn.requests.length;
    await app.runner?.runDue();
    // Whatever comes due later (a retry's backoff is far shorter than this), neither goes again.
    offsetMs += 30 * 60_000;
    await app.runner?.runDue();
    expect(standIn.requests.length).toBe(before + 2);

    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const outcomes = detail
      .json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>()
      .messages.filter((m) => ids.includes(m.id))
      .map((m) => ({ status: m.deliveryStatus, error: m.deliveryError }))
      .sort((a, b) => String(a.error).localeCompare(String(b.error)));
    // One keeps the id; the other is shown as sent, with why its delivery reports will not appear.
    expect(outcomes).toEqual([
      { status: 'sent', error: null },
      { status: 'sent', error: 'Sent, but the provider’s id for it could not be kept, so its delivery reports will not show here' },
    ]);
  });

  it('opens-no-contact-and-sends-no-acknowledgement-for-an-opt-out-keyword', async () => {
    const from = '+447700900206';
    const keywords = ['STOP', ' stop ', 'Unsubscribe', 'START', 'help'];
    await app.runner?.runDue();
    const before = standIn.requests.length;
    for (const [i, body] of keywords.entries()) {
      const sid = `SMkeyword${i}`;
      const extra: Record<string, string> = i === 0 ? { OptOutType: 'STOP' } : {};
      const response = await inbound(withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, From: from, Body: body, ...extra }));
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(EMPTY_TWIML);
      expect(await messagesWithSid(sid)).toHaveLength(0);
    }
    await app.runner?.runDue();
    expect(standIn.requests.slice(before)).toEqual([]);
    // Each is kept as Twilio sent it.
    const kept = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['raw_body', 'status', 'message_count']).where('channel', '=', 'sms_twilio').execute(),
    );
    const keywordRequests = kept.filter((r) => new URLSearchParams(Buffer.from(r.raw_body).toString('utf8')).get('From') === from);
    expect(keywordRequests.map((r) => [r.status, r.message_count])).toEqual(keywords.map(() => ['processed', 0]));
    // More than the keyword is a message to the force.
    expect((await inbound(withParams(fixture('inbound-sms.form'), { MessageSid: 'SMnotkeyword', From: from, Body: 'Stop him please' }))).statusCode).toBe(200);
    expect(await messagesWithSid('SMnotkeyword')).toHaveLength(1);
  });

  it('asks-twilio-for-reports-on-a-reply-at-the-public-address-when-the-number-names-no-delivery-report-url', async () => {
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
    try {
      const contactId = await contactOf('SM1f0e8ae6ade43cb3c0ce4525424e404f');
      const handler = await signIn(app, 'handler@demo.police.uk');
      standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMnourl${String(n).padStart(28, '0')}` }));
      const before = standIn.requests.length;
      const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'Reported where this service is.' } });
      expect(reply.statusCode, reply.body).toBe(201);
      await app.runner?.runDue();
      const sent = standIn.requests.slice(before).filter((request) => new URLSearchParams(request.body).get('Body') === 'Reported where this service is.');
      expect(sent).toHaveLength(1);
      expect(new URLSearchParams(sent[0]?.body ?? '').get('StatusCallback')).toBe(`${PUBLIC_URL}/webhooks/twilio/status`);
    } finally {
      await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: `${PUBLIC_URL}/webhooks/twilio/status` });
    }
  });
});
