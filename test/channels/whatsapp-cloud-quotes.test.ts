import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { FIRST_ID, OTHER_PHONE_NUMBER_ID, PHONE_NUMBER_ID, connectNumber, fixture, postToWebhook, textWebhook } from './whatsapp-cloud-kit.ts';
import { templateLanguageFor } from '../../src/capabilities/channels/meta/meta.whatsapp-send.ts';

// A person's WhatsApp reply that quotes an earlier message, and forwarded messages, as Meta's
// webhook gives them (`context`), shown to staff; and the force's template past the window with
// a header and two body placeholders, in Welsh where the force has Welsh approved (decision 0108).
// Meta's Graph API is a stand-in speaking its send format.

const START = new Date('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;


type Quote = { providerMessageId: string; messageId: string | null; contactId: string | null; direction: string | null; excerpt: string | null };
type Shown = { id: string; direction: string; body: string; quotes: Quote | null; forwarded: string | null; deliveryStatus: string | null; deliveryError: string | null };

describe(`WhatsApp quoted replies, forwarded messages and templates (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let graph: Awaited<ReturnType<typeof startStandIn>>;
  let headers: Record<string, string>;
  let otherForceId: ForceId;
  let contactId: string;
  let ourReply: Shown | undefined;

  const connect = (forceId: ForceId, config: Record<string, unknown> = {}) => connectNumber(app, forceId, graph.url, config);
  const post = (body: string) => postToWebhook(app, body);
  /** The reply fixture as another message: its id, sender, words and context replaced. */
  const message = (id: string, text: string, context: unknown, from = '447700900301', phoneNumberId = PHONE_NUMBER_ID) =>
    textWebhook({ id, text, from, phoneNumberId, at: clock.now(), extra: context === undefined ? {} : { context } }, 'whatsapp-text-reply.json');
  const storedAs = (forceId: ForceId, providerId: string) =>
    withForce(app.database.db, forceId, (tx) => tx.selectFrom('messages').select(['id', 'contact_id']).where('force_id', '=', forceId).where('provider_message_id', '=', providerId).executeTakeFirst());
  const contactOf = async (forceId: ForceId, providerId: string) => (await storedAs(forceId, providerId))?.contact_id;
  const thread = async (id: string) => (await app.inject({ method: 'GET', url: `/api/contacts/${id}`, headers })).json<{ messages: Shown[] }>().messages;
  const shown = async (providerId: string) => {
    const stored = await storedAs(app.demoForceId, providerId);
    return (await thread(stored?.contact_id ?? '')).find((m) => m.id === stored?.id);
  };
  const sentBodies = () => graph.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as Record<string, unknown>);
  async function reply(id: string, body: string) {
    const response = await app.inject({ method: 'POST', url: `/api/contacts/${id}/replies`, headers, payload: { body } });
    expect(response.statusCode).toBe(201);
    await app.runner?.runDue();
    // Found by its id: on the fixed clock, replies share their time, so the thread's order among them is not theirs.
    const sentId = response.json<{ message: { id: string } }>().message.id;
    return (await thread(id)).find((m) => m.id === sentId);
  }

  beforeAll(async () => {
    graph = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    await connect(app.demoForceId);
    otherForceId = (await createOtherForce(app)).forceId;
    await connect(otherForceId, { phoneNumberId: OTHER_PHONE_NUMBER_ID, accessToken: 'other-force-token' });
    const accepted = JSON.parse(fixture('graph-whatsapp-sent.json')) as Record<string, unknown>;
    graph.respondWith(200, (n: number) => ({ ...accepted, messages: [{ id: `wamid.sent${n}` }] }));
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
    expect((await post(fixture('whatsapp-text.json'))).statusCode).toBe(200);
    contactId = (await contactOf(app.demoForceId, FIRST_ID)) ?? '';
    await app.runner?.runDue();
    ourReply = await reply(contactId, 'Thank you. Can you describe the van they were using, and which way it went afterwards?');
    expect(ourReply?.deliveryStatus).toBe('sent');
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  it('shows a reply quoting our message with the first words of what we sent', async () => {
    const ourId = `wamid.sent${sentBodies().length - 1}`;
    expect((await post(message('wamid.quotes.ours', 'A white Transit, towards the ring road', { from: '447700900010', id: ourId }))).statusCode).toBe(200);
    const quoting = await shown('wamid.quotes.ours');
    expect(quoting?.quotes).toEqual({ providerMessageId: ourId, messageId: ourReply?.id, contactId, direction: 'outbound', excerpt: 'Thank you. Can you describe the van they were using, and which…' });
    expect(quoting?.forwarded).toBeNull();
    expect(await contactOf(app.demoForceId, 'wamid.quotes.ours')).toBe(contactId);
  });

  it('shows a reply quoting the person’s own earlier message', async () => {
    expect((await post(message('wamid.quotes.own', 'It was <b>them</b> again', { from: '447700900301', id: FIRST_ID }))).statusCode).toBe(200);
    const quoting = await shown('wamid.quotes.own');
    expect(quoting?.quotes).toMatchObject({ messageId: expect.any(String) as unknown, direction: 'inbound', excerpt: 'Someone has been trying car door handles on our street' });
    expect(quoting?.body).toBe('It was <b>them</b> again');
  });

  it('keeps only the id of a quoted message we never had, and stores the message', async () => {
    expect((await post(message('wamid.quotes.unknown', 'About the thing I sent before', { from: '447700900301', id: 'wamid.NEVER.SEEN' }))).statusCode).toBe(200);
    expect((await shown('wamid.quotes.unknown'))?.quotes).toEqual({ providerMessageId: 'wamid.NEVER.SEEN', messageId: null, contactId: null, direction: null, excerpt: null });
  });

  it('never joins a quoted message of another force, or of another conversation', async () => {
    expect((await post(message('wamid.other.force', 'My car was broken into', undefined, '447700900301', OTHER_PHONE_NUMBER_ID))).statusCode).toBe(200);
    expect((await post(message('wamid.other.person', 'Loud music next door', undefined, '447700900399'))).statusCode).toBe(200);
    for (const [id, quoted] of [
      ['wamid.quotes.force', 'wamid.other.force'],
      ['wamid.quotes.person', 'wamid.other.person'],
    ] as const) {
      expect((await post(message(id, 'Did you get this?', { from: '447700900301', id: quoted }))).statusCode).toBe(200);
      expect(await contactOf(app.demoForceId, id)).toBe(contactId);
      expect((await shown(id))?.quotes).toEqual({ providerMessageId: quoted, messageId: null, contactId: null, direction: null, excerpt: null });
    }
    expect(JSON.stringify(await thread(contactId))).not.toContain('My car was broken into');
    expect(JSON.stringify(await thread(contactId))).not.toContain('Loud music next door');
  });

  it('marks forwarded messages, and stores a message whose context is malformed instead of failing', async () => {
    expect((await post(message('wamid.fwd.once', 'Is this a scam?', { forwarded: true }))).statusCode).toBe(200);
    expect((await post(message('wamid.fwd.many', 'Police warning: share with everyone', { forwarded: true, frequently_forwarded: true }))).statusCode).toBe(200);
    expect((await shown('wamid.fwd.once'))?.forwarded).toBe('once');
    expect((await shown('wamid.fwd.many'))?.forwarded).toBe('frequently');
    for (const [id, context] of [
      ['wamid.bad.1', 'wamid.just-a-string'],
      ['wamid.bad.2', { id: 12345, from: ['x'], forwarded: 'yes' }],
    ] as const) {
      expect((await post(message(id, 'Still a report', context))).statusCode).toBe(200);
      expect(await shown(id)).toMatchObject({ body: 'Still a report', quotes: null, forwarded: null });
    }
  });

  it('sends the template past the window with its header and both body placeholders, in Meta’s send format', async () => {
    await connect(app.demoForceId, { templateName: 'police_update', templateCarries: 'reference_and_message', templateHeader: 'reference' });
    clock.set(new Date(clock.now().getTime() + 30 * HOUR));
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
    const sent = await reply(contactId, 'Please call us\nabout the van.');
    expect(sent?.deliveryStatus).toBe('sent');
    expect(sent?.deliveryError).toMatch(/^Sent as the force’s approved WhatsApp template/);
    const template = sentBodies().at(-1)?.template as { name: string; language: { code: string }; components: { type: string; parameters: { type: string; text: string }[] }[] };
    const reference = template.components[0]?.parameters[0]?.text ?? '';
    expect(reference).toMatch(/^[A-Z]+-/);
    expect(sentBodies().at(-1)).toMatchObject({ messaging_product: 'whatsapp', to: '447700900301', type: 'template' });
    expect(template).toEqual({
      name: 'police_update',
      language: { code: 'en_GB' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: reference }] },
        { type: 'body', parameters: [{ type: 'text', text: reference }, { type: 'text', text: 'Please call us about the van.' }] },
      ],
    });
  });

  it('sends a Welsh speaker the Welsh template when the force has one, and the English one, saying so, when not', async () => {
    expect((await post(message('wamid.welsh', 'Mae rhywun yn fy nilyn i ac mae ofn arna i', undefined, '447700900302'))).statusCode).toBe(200);
    const welshContact = (await contactOf(app.demoForceId, 'wamid.welsh')) ?? '';
    await app.runner?.runDue();
    clock.set(new Date(clock.now().getTime() + 30 * HOUR));
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
    await connect(app.demoForceId, { templateName: 'police_update', templateLanguage: 'en', templateLanguageWelsh: null });
    const english = await reply(welshContact, 'Ffoniwch ni.');
    expect(sentBodies().at(-1)?.template).toMatchObject({ language: { code: 'en' } });
    expect(english?.deliveryError).toMatch(/has no Welsh template, so it went in English/);
    await connect(app.demoForceId, { templateName: 'police_update', templateLanguage: 'en', templateLanguageWelsh: 'cy' });
    const welsh = await reply(welshContact, 'Ffoniwch ni.');
    expect(sentBodies().at(-1)?.template).toMatchObject({ language: { code: 'cy' } });
    expect(welsh?.deliveryError).not.toMatch(/in English/);
  });

  it('sends the English template once when Meta has no Welsh one (132001), saying so; and fails, once each, when English is refused too', async () => {
    expect((await post(message('wamid.welsh.missing', 'Mae rhywun wedi dwyn fy meic', undefined, '447700900303'))).statusCode).toBe(200);
    const welshContact = (await contactOf(app.demoForceId, 'wamid.welsh.missing')) ?? '';
    await app.runner?.runDue();
    clock.set(new Date(clock.now().getTime() + 30 * HOUR));
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
    await connect(app.demoForceId, { templateName: 'police_update', templateLanguage: 'en_GB', templateLanguageWelsh: 'cy' });
    const missing = JSON.parse(fixture('graph-error-132001.json')) as unknown;
    const templateIn = (request: { body: string }) => (JSON.parse(request.body) as { template?: { language: { code: string } } }).template?.language.code;
    graph.answerSome((request) => (request.method === 'POST' && templateIn(request) === 'cy' ? { status: 404, body: missing } : null));
    const before = sentBodies().length;
    const english = await reply(welshContact, 'Ffoniwch ni.');
    expect(sentBodies().slice(before).map((body) => (body.template as { language: { code: string } }).language.code)).toEqual(['cy', 'en_GB']);
    expect(english).toMatchObject({ deliveryStatus: 'sent', deliveryError: expect.stringMatching(/Meta has no Welsh translation of the template \(error 132001\), so it went in English\./) });
    // Run again (as after a crash before the job was marked done): nothing more goes.
    await withForce(app.database.db, app.demoForceId, (tx) => tx.updateTable('jobs').set({ state: 'pending', run_at: clock.now() }).where('idempotency_key', '=', english?.id ?? '').execute());
    await app.runner?.runDue();
    expect(sentBodies().length).toBe(before + 2);

    // English refused as well: one try of each, and the reason as Meta gave it, as for any refusal.
    graph.answerSome((request) => (request.method === 'POST' ? { status: 404, body: missing } : null));
    const refused = await reply(welshContact, 'Ffoniwch ni eto.');
    expect(sentBodies().slice(before + 2).map((body) => (body.template as { language: { code: string } }).language.code)).toEqual(['cy', 'en_GB']);
    expect(refused).toMatchObject({ deliveryStatus: 'failed', deliveryError: expect.stringMatching(/^Meta answered 404 \(code 132001\)/) });
    graph.answerSome(null);
  });

  it('maps the person’s language to the template’s language code explicitly', () => {
    const both = { templateLanguage: 'en_GB', templateLanguageWelsh: 'cy' };
    const englishOnly = { templateLanguage: 'en_GB', templateLanguageWelsh: null };
    expect(templateLanguageFor('cy', both)).toEqual({ code: 'cy', isWelshMissing: false });
    expect(templateLanguageFor('cy-GB', both)).toEqual({ code: 'cy', isWelshMissing: false });
    expect(templateLanguageFor('CY_gb', both)).toEqual({ code: 'cy', isWelshMissing: false });
    expect(templateLanguageFor('cy', englishOnly)).toEqual({ code: 'en_GB', isWelshMissing: true });
    for (const language of ['en', 'en-GB', null, undefined, '', 'cym', 'pl']) expect(templateLanguageFor(language, both)).toEqual({ code: 'en_GB', isWelshMissing: false });
  });
});
