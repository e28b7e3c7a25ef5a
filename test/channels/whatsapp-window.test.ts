import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { WhatsAppTemplateSettings } from '../../src/capabilities/channels/twilio/twilio.templates.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from './twilio-kit.ts';

// WhatsApp delivers free-form messages only within 24 hours of the person's last message to the
// number; outside it, only an approved template (Twilio: ContentSid and ContentVariables on the
// Messages API; error 63016 when a free-form message is sent anyway). Decision 0097.

const START = new Date('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;
const ENGLISH_TEMPLATE = 'HX0000000000000000000000000000aaaa';
const WELSH_TEMPLATE = 'HX0000000000000000000000000000cccc';

type Detail = {
  contact: { replyWindow: { closesAt: string | null; isOpen: boolean; kind: string; hours: number } | null };
  messages: { id: string; direction: string; body: string; deliveryStatus: string | null; deliveryError: string | null }[];
};

describe(`WhatsApp's 24-hour window through Twilio (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let headers: Record<string, string>;
  let whatsAppContact: string;

  const post = (path: string, body: string) =>
    app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, body) }, payload: body });
  const sentForms = () => standIn.requests.map((r) => new URLSearchParams(r.body));
  /** Sessions expire as the clock moves on: staff sign in again after each move. */
  const move = async (to: Date) => {
    clock.set(to);
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
  };
  const detail = async (contactId: string) => (await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers })).json<Detail>();
  async function reply(contactId: string, body: string) {
    const response = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers, payload: { body } });
    expect(response.statusCode).toBe(201);
    await app.runner?.runDue();
    return (await detail(contactId)).messages.filter((m) => m.direction === 'outbound').at(-1);
  }
  async function contactOf(sid: string): Promise<string> {
    const row = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', sid).executeTakeFirstOrThrow(),
    );
    return row.contact_id;
  }
  const connect = (templates: Partial<WhatsAppTemplateSettings> = {}) => connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null, ...templates });

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL }, overrides: { clock } });
    await connect();
    standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMww${String(n).padStart(30, '0')}` }));
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
    expect((await post('/webhooks/twilio/sms', fixture('inbound-whatsapp.form'))).statusCode).toBe(200);
    whatsAppContact = await contactOf('SM1000000000000000000000000000003');
    await app.runner?.runDue();
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  it('knows when the window closes, and sends free-form while it is open', async () => {
    await move(new Date(START.getTime() + HOUR));
    expect((await detail(whatsAppContact)).contact.replyWindow).toEqual({ closesAt: new Date(START.getTime() + 24 * HOUR).toISOString(), isOpen: true, kind: 'whatsapp', hours: 24 });
    const sent = await reply(whatsAppContact, 'Officers are on their way.');
    expect(sent).toMatchObject({ deliveryStatus: 'sent', deliveryError: null });
    expect(sentForms().at(-1)?.get('Body')).toBe('Officers are on their way.');
  });

  it('shows a text contact no window', async () => {
    const text = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMwindowtext', SmsSid: 'SMwindowtext', SmsMessageSid: 'SMwindowtext', From: '+447700900203' });
    expect((await post('/webhooks/twilio/sms', text)).statusCode).toBe(200);
    expect((await detail(await contactOf('SMwindowtext'))).contact.replyWindow).toBeNull();
  });

  it('fails a reply past the window with the reason, sending nothing, when the number has no template', async () => {
    await move(new Date(START.getTime() + 25 * HOUR));
    expect((await detail(whatsAppContact)).contact.replyWindow).toMatchObject({ isOpen: false });
    const toWhatsApp = () => sentForms().filter((form) => form.get('To')?.startsWith('whatsapp:')).length;
    const before = toWhatsApp();
    const failed = await reply(whatsAppContact, 'Please call us about your report.');
    expect(failed?.deliveryStatus).toBe('failed');
    expect(failed?.deliveryError).toMatch(/^Not sent: WhatsApp’s 24-hour window has closed;/);
    expect(toWhatsApp()).toBe(before);
  });

  it('sends a reply past the window as the number’s approved template, the message in its variable', async () => {
    await connect({ whatsappTemplateSid: ENGLISH_TEMPLATE, whatsappTemplateSidWelsh: WELSH_TEMPLATE });
    const sent = await reply(whatsAppContact, 'Please call us about your report.');
    expect(sent?.deliveryStatus).toBe('sent');
    expect(sent?.deliveryError).toMatch(/approved WhatsApp template/);
    const form = sentForms().at(-1);
    expect(form?.get('ContentSid')).toBe(ENGLISH_TEMPLATE);
    expect(JSON.parse(form?.get('ContentVariables') ?? '{}')).toEqual({ 1: 'Please call us about your report.' });
    expect(form?.has('Body')).toBe(false);
    expect(form?.get('To')).toBe('whatsapp:+447700900203');
  });

  it('fails a reply too long for the template with the reason, sending nothing (WhatsApp would refuse it: 63021)', async () => {
    const before = sentForms().length;
    const failed = await reply(whatsAppContact, `Please call us. ${'We need a few more details about what happened. '.repeat(25)}`);
    expect(failed?.deliveryStatus).toBe('failed');
    expect(failed?.deliveryError).toMatch(/is too long for the approved template, which takes at most 1,024 with its own words\. Send a shorter reply/);
    expect(sentForms().length).toBe(before);
  });

  it('sends the Welsh template to a person who wrote in Welsh', async () => {
    const welsh = withParams(fixture('inbound-whatsapp.form'), {
      MessageSid: 'SMwawelsh',
      SmsSid: 'SMwawelsh',
      SmsMessageSid: 'SMwawelsh',
      From: 'whatsapp:+447700900204',
      Body: 'Mae rhywun yn fy nilyn i ac mae ofn arna i',
    });
    expect((await post('/webhooks/twilio/sms', welsh)).statusCode).toBe(200);
    const contactId = await contactOf('SMwawelsh');
    await app.runner?.runDue();
    await move(new Date(clock.now().getTime() + 30 * HOUR));
    const sent = await reply(contactId, 'Ffoniwch ni, os gwelwch yn dda.');
    expect(sent?.deliveryStatus).toBe('sent');
    expect(sentForms().at(-1)?.get('ContentSid')).toBe(WELSH_TEMPLATE);
  });

  it('sends only the notice when the template carries the contact’s reference, and says so', async () => {
    await connect({ whatsappTemplateSid: ENGLISH_TEMPLATE, whatsappTemplateCarries: 'reference' });
    const sent = await reply(whatsAppContact, 'Details the template cannot carry.');
    expect(sent?.deliveryError).toMatch(/not the message itself/);
    const variables = JSON.parse(sentForms().at(-1)?.get('ContentVariables') ?? '{}') as Record<string, string>;
    expect(variables['1']).toMatch(/^[A-Z]+-/);
    expect(Object.values(variables).join()).not.toContain('Details the template cannot carry.');
  });

  it('reopens the window when the person writes again', async () => {
    const again = withParams(fixture('inbound-whatsapp.form'), { MessageSid: 'SMwaagain', SmsSid: 'SMwaagain', SmsMessageSid: 'SMwaagain', Body: 'What is the update?' });
    expect((await post('/webhooks/twilio/sms', again)).statusCode).toBe(200);
    const window = (await detail(whatsAppContact)).contact.replyWindow;
    expect(window).toEqual({ closesAt: new Date(clock.now().getTime() + 24 * HOUR).toISOString(), isOpen: true, kind: 'whatsapp', hours: 24 });
    await reply(whatsAppContact, 'Here it is.');
    expect(sentForms().at(-1)?.get('Body')).toBe('Here it is.');
  });

  it('records a later 63016 from Twilio as the window having closed, not a bare code', async () => {
    const sent = await reply(whatsAppContact, 'One more thing.');
    // The id Twilio gave this reply, as stored: counting the stand-in's requests would name another
    // message's if any other send reached it meanwhile.
    const { provider_message_id: sid } = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('provider_message_id').where('id', '=', sent?.id ?? '').executeTakeFirstOrThrow(),
    );
    expect(sid).toMatch(/^SMww/);
    const report = withParams(fixture('status-undelivered.form'), {
      To: 'whatsapp:+447700900203',
      From: 'whatsapp:+447700900001',
      MessageSid: sid ?? '',
      SmsSid: sid ?? '',
      ErrorCode: '63016',
    });
    expect((await post('/webhooks/twilio/status', report)).statusCode).toBe(200);
    const after = (await detail(whatsAppContact)).messages.find((m) => m.id === sent?.id);
    expect(after?.deliveryStatus).toBe('failed');
    expect(after?.deliveryError).toMatch(/WhatsApp’s 24-hour window had closed \(Twilio error 63016\)/);
  });
});
