import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { ACCESS_TOKEN, APP_SECRET, FIRST_ID, OTHER_PHONE_NUMBER_ID, PHONE_NUMBER_ID, connectNumber, fixture, postToWebhook, textWebhook, type WebhookJson } from './whatsapp-cloud-kit.ts';

// A force's own WhatsApp Business number through Meta's Cloud API (decision 0099): Meta posts the
// number's messages and the statuses of our replies to the app's webhook, signed with the app
// secret; replies go to `POST /{phone-number-id}/messages` on the Graph API (here a stand-in),
// as text inside WhatsApp's 24-hour window and as the force's approved template outside it.
// The payloads are Meta's published samples (fixtures/README.md).

const START = new Date('2026-03-02T09:00:00Z'); // the text fixture's timestamp
const HOUR = 3_600_000;
const TEXT_ID = FIRST_ID;
const IMAGE_ID = 'wamid.HBgMNDQ3NzAwOTAwMzAxFQIAEhgUM0EwMDAwMDAwMDAwMDAwMDAwMDIA';

type Detail = {
  contact: { channel: string; personName: string | null; replyWindow: { closesAt: string | null; isOpen: boolean; kind: string; hours: number } | null };
  messages: { id: string; direction: string; body: string; medium: string | null; deliveryStatus: string | null; deliveryError: string | null }[];
  person: { identities: { kind: string; value: string }[] } | null;
};
type GraphRequest = { url: string; authorization: string | undefined; body: Record<string, unknown> };

describe(`WhatsApp through Meta's Cloud API (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let graph: Awaited<ReturnType<typeof startStandIn>>;
  let headers: Record<string, string>;
  let otherForceId: ForceId;
  let contactId: string;

  const connect = (forceId: ForceId, config: Record<string, unknown> = {}) => connectNumber(app, forceId, graph.url, config);
  const post = (body: string, signature?: string | null) => postToWebhook(app, body, signature);
  /** A fixture with its message's id, sender and text replaced, as another message from the same kind of payload. */
  const textMessage = (id: string, from: string, text: string, phoneNumberId = PHONE_NUMBER_ID) => textWebhook({ id, from, text, phoneNumberId, name: 'Another person', at: clock.now() });
  const statusOf = (name: string, id: string) => fixture(name).replace('wamid.OUTBOUND', id);
  const sent = (): GraphRequest[] =>
    // The sends: the one media look-up (a GET) has no body.
    graph.requests.filter((r) => r.method === 'POST').map((r) => ({ url: r.url, authorization: r.headers.authorization as string | undefined, body: JSON.parse(r.body) as Record<string, unknown> }));
  const move = async (to: Date) => {
    clock.set(to);
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
  };
  const detail = async (id: string) => (await app.inject({ method: 'GET', url: `/api/contacts/${id}`, headers })).json<Detail>();
  async function reply(id: string, body: string) {
    const response = await app.inject({ method: 'POST', url: `/api/contacts/${id}/replies`, headers, payload: { body } });
    expect(response.statusCode).toBe(201);
    await app.runner?.runDue();
    return (await detail(id)).messages.filter((m) => m.direction === 'outbound').at(-1);
  }
  const messagesIn = (forceId: ForceId, providerId: string) =>
    withForce(app.database.db, forceId, (tx) => tx.selectFrom('messages').select(['contact_id', 'body']).where('force_id', '=', forceId).where('provider_message_id', '=', providerId).execute());

  /** The Graph API accepting every send, each message its own id. */
  const answerSends = () => {
    const accepted = JSON.parse(fixture('graph-whatsapp-sent.json')) as Record<string, unknown>;
    graph.respondWith(200, (n: number) => ({ ...accepted, messages: [{ id: `wamid.sent${n}` }] }));
  };

  beforeAll(async () => {
    graph = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    await connect(app.demoForceId);
    otherForceId = (await createOtherForce(app)).forceId;
    await connect(otherForceId, { phoneNumberId: OTHER_PHONE_NUMBER_ID, accessToken: 'other-force-token' });
    answerSends();
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  it('answers Meta’s verification request for the app’s WhatsApp subscription, and refuses a wrong token', async () => {
    const ask = (token: string) => app.inject({ method: 'GET', url: `/webhooks/meta?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444` });
    const answer = await ask('demo-meta-verify-token');
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe('1158201444');
    expect((await ask('not-the-verify-token')).statusCode).toBe(404);
  });

  it('refuses an unsigned or wrongly signed post, storing nothing', async () => {
    const body = fixture('whatsapp-text.json');
    expect((await post(body, null)).statusCode).toBe(401);
    expect((await post(body, metaSignature(Buffer.from(body), 'not-the-app-secret'))).statusCode).toBe(401);
    expect(await messagesIn(app.demoForceId, TEXT_ID)).toEqual([]);
  });

  it('opens a contact from a text, from the person known by their number and WhatsApp name, once however often Meta sends it', async () => {
    expect((await post(fixture('whatsapp-text.json'))).statusCode).toBe(200);
    expect((await post(fixture('whatsapp-text.json'))).statusCode).toBe(200);
    const stored = await messagesIn(app.demoForceId, TEXT_ID);
    expect(stored).toHaveLength(1);
    contactId = stored[0]?.contact_id ?? '';
    const shown = await detail(contactId);
    expect(shown.contact).toMatchObject({ channel: 'meta', personName: 'Sam Jones' });
    expect(shown.messages).toEqual([expect.objectContaining({ direction: 'inbound', body: 'Someone has been trying car door handles on our street', medium: 'whatsapp' })]);
    expect(shown.person?.identities).toEqual([expect.objectContaining({ kind: 'phone', value: '+447700900301' })]);
    await app.runner?.runDue();
  });

  it('shows a photo as its caption and its attachment, in the same conversation', async () => {
    expect((await post(fixture('whatsapp-image.json'))).statusCode).toBe(200);
    const [image] = await messagesIn(app.demoForceId, IMAGE_ID);
    expect(image?.contact_id).toBe(contactId);
    expect(image?.body).toBe('This is the van they drove off in\n[photo: see the attachment]');
    // The photo's media id has gone by the time it is asked for (Meta keeps a webhook's media for
    // 7 days): the file is refused for good, and the message stays as it came.
    graph.respondWith(400, { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100, error_subcode: 33 } });
    await app.runner?.runDue();
    answerSends();
    const lookUp = graph.requests.at(-1);
    expect(lookUp).toMatchObject({ method: 'GET', url: `/v21.0/2754859441498128?phone_number_id=${PHONE_NUMBER_ID}` });
    expect(lookUp?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    const shown = (await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers })).json<{ messages: { body: string; attachments: { state: string; refusal: string | null }[] }[] }>();
    expect(shown.messages.at(-1)?.attachments).toEqual([
      expect.objectContaining({ state: 'refused', refusal: 'WhatsApp would not give the file: Meta answered 400 (code 100/33): Unsupported get request.' }),
    ]);
  });

  it('keeps each force’s number’s messages in that force only, from one batch', async () => {
    const ours = JSON.parse(textMessage('wamid.batch.ours', '447700900303', 'There is a fight outside the pub')) as WebhookJson;
    const theirs = JSON.parse(textMessage('wamid.batch.theirs', '447700900304', 'My bike was stolen', OTHER_PHONE_NUMBER_ID)) as WebhookJson;
    const both = { ...ours, entry: [{ ...ours.entry[0], changes: [...(ours.entry[0]?.changes ?? []), ...(theirs.entry[0]?.changes ?? [])] }] };
    expect((await post(JSON.stringify(both))).statusCode).toBe(200);
    expect(await messagesIn(app.demoForceId, 'wamid.batch.ours')).toHaveLength(1);
    expect(await messagesIn(app.demoForceId, 'wamid.batch.theirs')).toEqual([]);
    expect(await messagesIn(otherForceId, 'wamid.batch.theirs')).toHaveLength(1);
    expect(await messagesIn(otherForceId, 'wamid.batch.ours')).toEqual([]);
  });

  it('replies as text inside the window, to the person’s number from the force’s, and records delivery from Meta’s status', async () => {
    await move(new Date(START.getTime() + HOUR));
    expect((await detail(contactId)).contact.replyWindow).toEqual({ closesAt: new Date(START.getTime() + 24 * HOUR).toISOString(), isOpen: true, kind: 'whatsapp', hours: 24 });
    const before = graph.requests.length;
    const message = await reply(contactId, 'Officers are on their way.');
    expect(message).toMatchObject({ deliveryStatus: 'sent', deliveryError: null });
    const request = sent().at(-1);
    expect(graph.requests.length).toBeGreaterThan(before);
    expect(request?.url).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(request?.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(request?.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '447700900301', type: 'text', text: { preview_url: false, body: 'Officers are on their way.' } });

    expect((await post(statusOf('whatsapp-status-delivered.json', `wamid.sent${graph.requests.length - 1}`))).statusCode).toBe(200);
    expect((await detail(contactId)).messages.find((m) => m.id === message?.id)?.deliveryStatus).toBe('delivered');
  });

  it('records a later 131047 in Meta’s status as the window having closed', async () => {
    const message = await reply(contactId, 'One more thing.');
    expect((await post(statusOf('whatsapp-status-failed.json', `wamid.sent${graph.requests.length - 1}`))).statusCode).toBe(200);
    const failed = (await detail(contactId)).messages.find((m) => m.id === message?.id);
    expect(failed?.deliveryStatus).toBe('failed');
    expect(failed?.deliveryError).toMatch(/WhatsApp’s 24-hour window had closed \(Meta error 131047\)/);
  });

  it('fails a reply past the window at once, sending nothing to Meta, when the number has no template', async () => {
    await move(new Date(START.getTime() + 25 * HOUR));
    expect((await detail(contactId)).contact.replyWindow).toMatchObject({ isOpen: false });
    const before = graph.requests.length;
    const failed = await reply(contactId, 'Please call us about your report.');
    expect(failed?.deliveryStatus).toBe('failed');
    expect(failed?.deliveryError).toMatch(/^Not sent: WhatsApp’s 24-hour window has closed;/);
    expect(graph.requests.length).toBe(before);
  });

  it('sends the force’s approved template past the window, the reply in its placeholder, in English', async () => {
    await connect(app.demoForceId, { templateName: 'police_update', templateLanguageWelsh: 'cy_GB' });
    const message = await reply(contactId, 'Please call us\nabout your report.');
    expect(message?.deliveryStatus).toBe('sent');
    expect(message?.deliveryError).toMatch(/approved WhatsApp template/);
    expect(sent().at(-1)?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447700900301',
      type: 'template',
      template: { name: 'police_update', language: { code: 'en_GB' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Please call us about your report.' }] }] },
    });
  });

  it('fails a reply too long for the template at once, sending nothing to Meta', async () => {
    const before = graph.requests.length;
    const failed = await reply(contactId, `Please call us. ${'We need a few more details about what happened. '.repeat(25)}`);
    expect(failed?.deliveryStatus).toBe('failed');
    expect(failed?.deliveryError).toMatch(/is too long for the approved template, which takes at most 1,024 with its own words/);
    expect(graph.requests.length).toBe(before);
  });

  it('sends the template’s Welsh language to a person who wrote in Welsh', async () => {
    expect((await post(textMessage('wamid.welsh', '447700900302', 'Mae rhywun yn fy nilyn i ac mae ofn arna i'))).statusCode).toBe(200);
    const welshContact = (await messagesIn(app.demoForceId, 'wamid.welsh'))[0]?.contact_id ?? '';
    await app.runner?.runDue();
    await move(new Date(clock.now().getTime() + 30 * HOUR));
    const message = await reply(welshContact, 'Ffoniwch ni, os gwelwch yn dda.');
    expect(message?.deliveryStatus).toBe('sent');
    expect(sent().at(-1)?.body).toMatchObject({ to: '447700900302', type: 'template', template: { name: 'police_update', language: { code: 'cy_GB' } } });
  });

  it('sends only the reference when the template carries it, and says so', async () => {
    await connect(app.demoForceId, { templateName: 'police_update', templateCarries: 'reference' });
    const message = await reply(contactId, 'Details the template cannot carry.');
    expect(message?.deliveryError).toMatch(/not the message itself/);
    const template = sent().at(-1)?.body.template as { components: { parameters: { text: string }[] }[] };
    expect(template.components[0]?.parameters[0]?.text).toMatch(/^[A-Z]+-/);
    expect(JSON.stringify(sent().at(-1)?.body)).not.toContain('Details the template cannot carry.');
  });

  it('records Meta refusing a reply with 131047 as the window having closed', async () => {
    // Meta counts the window itself: a text sent as the window closes is refused.
    await connect(app.demoForceId);
    expect((await post(textMessage('wamid.again', '447700900301', 'Any news?'))).statusCode).toBe(200);
    graph.respondWith(400, JSON.parse(fixture('graph-error-131047.json')) as unknown);
    const failed = await reply(contactId, 'Here is the news.');
    expect(failed?.deliveryStatus).toBe('failed');
    expect(failed?.deliveryError).toMatch(/WhatsApp’s 24-hour window had closed \(Meta error 131047\)/);
    expect(sent().at(-1)?.body).toMatchObject({ type: 'text' });
  });

  it('lists the number’s settings to a force admin, never its token or the app secret', async () => {
    const account = await connect(app.demoForceId, { templateName: 'police_update' });
    const admin = await signIn(app, 'admin@demo.police.uk');
    const response = await app.inject({ method: 'GET', url: `/api/channels/${account.id}/settings`, headers: admin.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ settings: Record<string, unknown> }>().settings).toEqual({
      platform: 'whatsapp',
      phoneNumberId: PHONE_NUMBER_ID,
      businessAccountId: '1000000000011',
      apiBaseUrl: `${graph.url}/v21.0`,
      templateName: 'police_update',
      templateLanguage: 'en_GB',
      templateLanguageWelsh: null,
      templateCarries: 'message',
      templateHeader: 'none',
    });
    expect(response.body).not.toContain(ACCESS_TOKEN);
    expect(response.body).not.toContain(APP_SECRET);
  });
});
