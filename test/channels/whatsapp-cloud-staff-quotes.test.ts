import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { APP_SECRET, FIRST_ID, OTHER_PHONE_NUMBER_ID, PHONE_NUMBER_ID, connectNumber, fixture, postToWebhook, textWebhook } from './whatsapp-cloud-kit.ts';
import { sendWhatsAppCloud } from '../../src/capabilities/channels/meta/meta.whatsapp-send.ts';

// Staff answering one message in particular ("reply to this message", decision 0110): the reply
// names our record of the message, checked to be this force's and this conversation's, and goes
// to Meta's Graph API (a stand-in) as a contextual reply, `context: {message_id: <wamid>}`.

const START = new Date('2026-03-02T09:00:00Z');


type Quote = { providerMessageId: string; messageId: string | null; contactId: string | null; direction: string | null; excerpt: string | null };
type Shown = { id: string; direction: string; body: string; quotes: Quote | null; canBeQuoted: boolean; deliveryStatus: string | null; deliveryError: string | null };

describe(`staff replying to one WhatsApp message (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let graph: Awaited<ReturnType<typeof startStandIn>>;
  let headers: Record<string, string>;
  let otherForceId: ForceId;
  let contactId: string;

  const connect = (forceId: ForceId, config: Record<string, unknown> = {}) => connectNumber(app, forceId, graph.url, config);
  const post = (body: string, secret = APP_SECRET) => postToWebhook(app, body, metaSignature(Buffer.from(body), secret));
  const message = (id: string, text: string, from = '447700900301', phoneNumberId = PHONE_NUMBER_ID) => textWebhook({ id, text, from, phoneNumberId, at: clock.now() });
  const storedAs = (forceId: ForceId, providerId: string) =>
    withForce(app.database.db, forceId, (tx) =>
      tx.selectFrom('messages').select(['id', 'contact_id']).where('force_id', '=', forceId).where('provider_message_id', '=', providerId).executeTakeFirstOrThrow(),
    );
  const thread = async (id: string) => (await app.inject({ method: 'GET', url: `/api/contacts/${id}`, headers })).json<{ messages: Shown[] }>().messages;
  const posts = () => graph.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as Record<string, unknown>);
  const outboundCount = async () => (await thread(contactId)).filter((m) => m.direction === 'outbound').length;
  const send = (id: string, payload: Record<string, unknown>, as = headers) => app.inject({ method: 'POST', url: `/api/contacts/${id}/replies`, headers: as, payload });
  const answerSends = () => {
    const accepted = JSON.parse(fixture('graph-whatsapp-sent.json')) as Record<string, unknown>;
    graph.respondWith(200, (n: number) => ({ ...accepted, messages: [{ id: `wamid.sent${n}` }] }));
  };

  beforeAll(async () => {
    graph = await startStandIn();
    app = await createTestApp({ overrides: { clock, jobRetryBaseMs: 100 } });
    await connect(app.demoForceId);
    otherForceId = (await createOtherForce(app)).forceId;
    await connect(otherForceId, { phoneNumberId: OTHER_PHONE_NUMBER_ID, accessToken: 'other-force-token' });
    answerSends();
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
    expect((await post(fixture('whatsapp-text.json'))).statusCode).toBe(200);
    contactId = (await storedAs(app.demoForceId, FIRST_ID)).contact_id;
    await app.runner?.runDue();
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  it('sends a reply to the person’s message as Meta’s contextual reply, and shows what it answers', async () => {
    const first = await storedAs(app.demoForceId, FIRST_ID);
    expect((await thread(contactId)).find((m) => m.id === first.id)?.canBeQuoted).toBe(true);
    const response = await send(contactId, { body: 'Which street is that?', quoteMessageId: first.id.toUpperCase() });
    expect(response.statusCode).toBe(201);
    const excerpt = 'Someone has been trying car door handles on our street';
    expect(response.json<{ message: { quotes: Quote; quoteNote: string | null } }>().message).toMatchObject({ quotes: { providerMessageId: FIRST_ID, messageId: first.id, contactId, direction: 'inbound', excerpt }, quoteNote: null });
    await app.runner?.runDue();
    expect(posts().at(-1)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447700900301',
      context: { message_id: FIRST_ID },
      type: 'text',
      text: { preview_url: false, body: 'Which street is that?' },
    });
    const sent = (await thread(contactId)).at(-1);
    expect(sent).toMatchObject({ direction: 'outbound', deliveryStatus: 'sent', quotes: { providerMessageId: FIRST_ID, messageId: first.id, direction: 'inbound', excerpt }, canBeQuoted: true });
  });

  it('quotes an earlier reply of ours by the id WhatsApp gave it', async () => {
    const ours = (await thread(contactId)).filter((m) => m.direction === 'outbound').at(-1);
    const wamid = `wamid.sent${posts().length - 1}`;
    expect((await send(contactId, { body: 'To repeat my question:', quoteMessageId: ours?.id })).statusCode).toBe(201);
    await app.runner?.runDue();
    expect(posts().at(-1)).toMatchObject({ context: { message_id: wamid }, text: { body: 'To repeat my question:' } });
    expect((await thread(contactId)).at(-1)?.quotes).toMatchObject({ messageId: ours?.id, direction: 'outbound', excerpt: 'Which street is that?' });
  });

  it('refuses a message of another conversation or another force, and sends nothing', async () => {
    expect((await post(message('wamid.other.person', 'Loud music next door', '447700900399'))).statusCode).toBe(200);
    expect((await post(message('wamid.other.force', 'My car was broken into', '447700900301', OTHER_PHONE_NUMBER_ID))).statusCode).toBe(200);
    await app.runner?.runDue();
    const otherPerson = await storedAs(app.demoForceId, 'wamid.other.person');
    const otherForce = await storedAs(otherForceId, 'wamid.other.force');
    const before = { posts: posts().length, outbound: await outboundCount() };
    for (const id of [otherPerson.id, otherForce.id, '00000000-0000-4000-8000-000000000000']) {
      const response = await send(contactId, { body: 'About this', quoteMessageId: id });
      expect(response.statusCode).toBe(404);
      expect(response.json<{ error: { message: string } }>().error.message).toContain('not one of this conversation');
    }
    expect((await send(contactId, { body: 'About this', quoteMessageId: 'wamid.HBgM' })).statusCode).toBe(400);
    await app.runner?.runDue();
    expect({ posts: posts().length, outbound: await outboundCount() }).toEqual(before);
  });

  it('refuses to quote a reply that never left (no provider id), with the reason', async () => {
    graph.respondWith(400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } });
    expect((await send(contactId, { body: 'This one will fail' })).statusCode).toBe(201);
    await app.runner?.runDue();
    answerSends();
    const failed = (await thread(contactId)).at(-1);
    expect(failed).toMatchObject({ deliveryStatus: 'failed', canBeQuoted: false });
    const before = { posts: posts().length, outbound: await outboundCount() };
    const response = await send(contactId, { body: 'About that', quoteMessageId: failed?.id });
    expect(response.statusCode).toBe(409);
    expect(response.json<{ error: { message: string } }>().error.message).toContain('no id from the provider');
    await app.runner?.runDue();
    expect({ posts: posts().length, outbound: await outboundCount() }).toEqual(before);
  });

  it('sends the same quote, once, when Meta fails and the send is tried again', async () => {
    const first = await storedAs(app.demoForceId, FIRST_ID);
    graph.respondWith(503, JSON.parse(fixture('graph-error-transient.json')));
    const before = posts().length;
    expect((await send(contactId, { body: 'Are you still there?', quoteMessageId: first.id })).statusCode).toBe(201);
    await app.runner?.runDue();
    expect((await thread(contactId)).at(-1)?.deliveryStatus).toBe('retrying');
    answerSends();
    clock.set(new Date(clock.now().getTime() + 60_000));
    await app.runner?.runDue();
    const attempts = posts().slice(before);
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) expect(attempt).toMatchObject({ context: { message_id: FIRST_ID }, text: { body: 'Are you still there?' } });
    const sent = (await thread(contactId)).at(-1);
    expect(sent).toMatchObject({ deliveryStatus: 'sent', quotes: { providerMessageId: FIRST_ID, messageId: first.id } });
  });

  it('sends a template past the window without the quote, as WhatsApp shows none on a template, and says so', async () => {
    const sent = await sendWhatsAppCloud(
      { body: 'Please call us', recipient: { kind: 'phone', value: '+447700900301' }, threadKey: null, replyToProviderMessageId: null, reference: 'BL-TEST', contactMeta: {}, idempotencyKey: 'k1', isOutsideReplyWindow: true, quotesProviderMessageId: FIRST_ID },
      { phoneNumberId: PHONE_NUMBER_ID, accessToken: 'whatsapp-system-user-token', apiBaseUrl: `${graph.url}/v21.0`, templateName: 'case_update', templateLanguage: 'en_GB', templateLanguageWelsh: null, templateCarries: 'message', templateHeader: 'none' },
      fetch,
    );
    expect(posts().at(-1)).toMatchObject({ type: 'template', template: { name: 'case_update' } });
    expect(posts().at(-1)).not.toHaveProperty('context');
    expect(sent.note).toContain('so it went unquoted');
  });

  it('keeps the permission: staff who may not reply are refused, whatever they quote', async () => {
    const first = await storedAs(app.demoForceId, FIRST_ID);
    const before = { posts: posts().length, outbound: await outboundCount() };
    const dispatcher = (await signIn(app, 'dispatch@demo.police.uk')).headers;
    expect((await send(contactId, { body: 'Hello', quoteMessageId: first.id }, dispatcher)).statusCode).toBe(403);
    await app.runner?.runDue();
    expect({ posts: posts().length, outbound: await outboundCount() }).toEqual(before);
  });

  it('sends a Messenger reply unquoted and says so, as Messenger replies here cannot quote', async () => {
    expect((await post(fixture('facebook-message.json'), 'demo-meta-app-secret')).statusCode).toBe(200);
    const facebook = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['id', 'contact_id']).where('channel', '=', 'meta').where('direction', '=', 'inbound').where('provider_message_id', 'not like', 'wamid.%').executeTakeFirstOrThrow(),
    );
    expect((await thread(facebook.contact_id)).find((m) => m.id === facebook.id)?.canBeQuoted).toBe(false);
    const response = await send(facebook.contact_id, { body: 'Thanks for your message', quoteMessageId: facebook.id });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ message: { quotes: Quote | null; quoteNote: string | null } }>().message).toMatchObject({ quotes: null, quoteNote: expect.stringContaining('Sent without the quote') as unknown });
    expect((await thread(facebook.contact_id)).at(-1)?.quotes).toBeNull();
  });
});
