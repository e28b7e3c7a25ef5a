import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../../../../test/helpers.ts';
import { withForce } from '../../../platform/db/database.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../../../../test/channels/twilio-kit.ts';

// WhatsApp through Twilio: Twilio posts it to the number's messaging webhook with `whatsapp:`
// before both numbers, and takes replies the same way (decision 0041).

type Detail = {
  contact: { channel: string; place: { lat: number; lon: number; source: string } | null };
  messages: { direction: string; body: string; channel: string; medium: string | null }[];
  person: { id: string; identities: { kind: string; value: string }[] };
};

describe('WhatsApp through Twilio', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL } });
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
    // Each message Twilio accepts gets its own sid.
    standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMwa${String(n).padStart(30, '0')}` }));
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const post = (path: string, body: string) =>
    app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, body) }, payload: body });

  async function contactOf(sid: string): Promise<string> {
    const row = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('channel', '=', 'sms_twilio').where('provider_message_id', '=', sid).executeTakeFirst(),
    );
    if (!row) throw new Error(`no message ${sid}`);
    return row.contact_id;
  }
  async function detail(contactId: string): Promise<Detail> {
    const handler = await signIn(app, 'handler@demo.police.uk');
    return (await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers })).json<Detail>();
  }

  it('receives a WhatsApp message to the number, from the same person as their texts, shown as WhatsApp', async () => {
    const sms = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMtextfirst', SmsSid: 'SMtextfirst', SmsMessageSid: 'SMtextfirst', From: '+447700900203', Body: 'I am being followed' });
    expect((await post('/webhooks/twilio/sms', sms)).statusCode).toBe(200);
    const response = await post('/webhooks/twilio/sms', fixture('inbound-whatsapp.form'));
    expect(response.statusCode).toBe(200);

    const whatsApp = await detail(await contactOf('SM1000000000000000000000000000003'));
    const text = await detail(await contactOf('SMtextfirst'));
    expect(whatsApp.contact.channel).toBe('sms_twilio');
    expect(whatsApp.messages).toEqual([expect.objectContaining({ direction: 'inbound', body: 'Help, someone is following me', medium: 'whatsapp' })]);
    expect(text.messages[0]).toMatchObject({ medium: null });
    // One person, known by their number; each medium its own conversation, answered on it.
    expect(whatsApp.person.id).toBe(text.person.id);
    expect(whatsApp.person.identities).toEqual([expect.objectContaining({ kind: 'phone', value: '+447700900203' })]);
    expect(await contactOf('SM1000000000000000000000000000003')).not.toBe(await contactOf('SMtextfirst'));
  });

  it('shows a location shared on WhatsApp as the contact’s place', async () => {
    expect((await post('/webhooks/twilio/sms', fixture('inbound-whatsapp-location.form'))).statusCode).toBe(200);
    const contactId = await contactOf('SM1000000000000000000000000000004');
    expect(contactId).toBe(await contactOf('SM1000000000000000000000000000003'));
    expect((await detail(contactId)).contact.place).toMatchObject({ lat: 51.5, lon: -0.12, source: 'shared' });
  });

  it('answers on WhatsApp, and a text on SMS, through the Messages API', async () => {
    const sentTo = (to: string) => standIn.requests.map((r) => new URLSearchParams(r.body)).filter((form) => form.get('To') === to);
    // The acknowledgements of both contacts.
    await app.runner?.runDue();
    const handler = await signIn(app, 'handler@demo.police.uk');
    const contactId = await contactOf('SM1000000000000000000000000000003');
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'Go somewhere busy. Officers are coming.' } });
    expect(reply.statusCode).toBe(201);
    await app.runner?.runDue();

    const onWhatsApp = sentTo('whatsapp:+447700900203');
    expect(onWhatsApp.map((form) => form.get('From'))).toEqual(['whatsapp:+447700900001', 'whatsapp:+447700900001']);
    expect(onWhatsApp.at(-1)?.get('Body')).toBe('Go somewhere busy. Officers are coming.');
    expect(sentTo('+447700900203').map((form) => form.get('From'))).toEqual(['+447700900001']);
    expect((await detail(contactId)).messages.filter((m) => m.direction === 'outbound').map((m) => m.medium)).toEqual(['whatsapp', 'whatsapp']);
  });

  it('takes delivery reports of WhatsApp messages from the number', async () => {
    const report = withParams(fixture('status-delivered.form'), { To: 'whatsapp:+447700900203', From: 'whatsapp:+447700900001', MessageSid: 'SMwa000000000000000000000000000002', SmsSid: 'SMwa000000000000000000000000000002', MessageStatus: 'read', SmsStatus: 'read' });
    expect((await post('/webhooks/twilio/status', report)).statusCode).toBe(200);
  });
});
