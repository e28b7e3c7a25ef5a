import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { metaChannel, metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { imageWebhookBody, startGraph, type MediaFile } from './whatsapp-graph.ts';

// Photos, voice notes, videos and documents sent to a force's WhatsApp Business number through
// Meta's Cloud API (decision 0104). The webhook names the file by a media id and its SHA-256; the
// file is behind two calls with the number's token: `GET /{media-id}` on the Graph API answers
// `{messaging_product, url, mime_type, sha256, file_size, id}`, and a GET of that `url` (on
// lookaside.fbsbx.com, valid for five minutes) with the same Bearer token answers the bytes. Here
// a local server speaks both, as Meta documents them.

const START = new Date('2026-03-02T09:00:00Z');
const APP_SECRET = 'whatsapp-media-app-secret';
const TOKEN = 'whatsapp-media-system-user-token';
const OTHER_TOKEN = 'other-force-system-user-token';
const PHONE_NUMBER_ID = '1000000000030';
const OTHER_PHONE_NUMBER_ID = '1000000000040';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF the van they drove off in')]);
const MB = 1024 * 1024;

const hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const base64 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

type Attachment = { id: string; state: string; contentType: string | null; sizeBytes: number; sha256: string | null; refusal: string | null };
type Detail = { messages: { body: string; attachments: Attachment[] }[]; timeline: { type: string; summary: string }[] };

describe(`WhatsApp media downloaded from Meta's Cloud API (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let graph: Awaited<ReturnType<typeof startGraph>>;
  let otherForceId: ForceId;
  let headers: Record<string, string>;
  let sent = 0;
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });

  const connect = (forceId: ForceId, phoneNumberId: string, accessToken: string) =>
    connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, metaChannel as AnyChannelAdapter, {
      label: `WhatsApp ${phoneNumberId}`,
      config: { platform: 'whatsapp', phoneNumberId, businessAccountId: '1000000000031', appSecret: APP_SECRET, accessToken, apiBaseUrl: `${graph.url}/v21.0` },
      actor: { type: 'system', id: null },
    });

  /** Meta's image webhook sample, for a new message and media id, with the webhook's hash as given. */
  async function receive(file: MediaFile, webhookSha256: string = base64(file.bytes)) {
    sent += 1;
    const mediaId = String(2754859441498100 + sent);
    const messageId = `wamid.media${sent}`;
    graph.files.set(mediaId, file);
    const body = imageWebhookBody(file, { mediaId, messageId, from: `4477009004${String(sent).padStart(2, '0')}`, sha256: webhookSha256 });
    const response = await app.inject({ method: 'POST', url: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(Buffer.from(body), APP_SECRET) }, payload: body });
    expect(response.statusCode).toBe(200);
    const forceId = file.owner === PHONE_NUMBER_ID ? app.demoForceId : otherForceId;
    const row = await withForce(app.database.db, forceId, (tx) => tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', messageId).executeTakeFirstOrThrow());
    return { mediaId, contactId: row.contact_id };
  }
  const detail = async (contactId: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers });
    expect(response.statusCode).toBe(200);
    return response.json<Detail>();
  };
  const attachmentOf = async (contactId: string) => {
    const shown = await detail(contactId);
    expect(shown.messages[0]?.body).toBe('This is the van they drove off in\n[photo: see the attachment]');
    return { attachment: shown.messages[0]?.attachments[0], timeline: shown.timeline };
  };
  const requestsFor = (mediaId: string) => graph.seen.filter((r) => r.path.includes(mediaId));

  beforeAll(async () => {
    graph = await startGraph({ [PHONE_NUMBER_ID]: TOKEN, [OTHER_PHONE_NUMBER_ID]: OTHER_TOKEN });
    app = await createTestApp({ overrides: { clock, logger: pino({ level: 'debug' }, logStream) } });
    await connect(app.demoForceId, PHONE_NUMBER_ID, TOKEN);
    otherForceId = (await createOtherForce(app)).forceId;
    await connect(otherForceId, OTHER_PHONE_NUMBER_ID, OTHER_TOKEN);
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  it('downloads a photo with the number’s token, checks both hashes and attaches it to the message', async () => {
    const { mediaId, contactId } = await receive({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    const { attachment } = await attachmentOf(contactId);
    expect(attachment).toMatchObject({ state: 'stored', contentType: 'image/jpeg', sizeBytes: JPEG.length, sha256: hex(JPEG), refusal: null });
    expect(requestsFor(mediaId)).toEqual([
      { path: `/v21.0/${mediaId}?phone_number_id=${PHONE_NUMBER_ID}`, authorization: `Bearer ${TOKEN}` },
      { path: `/whatsapp_business/attachments/?mid=${mediaId}&ext=1&hash=ARm1`, authorization: `Bearer ${TOKEN}` },
    ]);
    const opened = await app.inject({ method: 'GET', url: `/api/attachments/${attachment?.id}`, headers });
    expect(opened.statusCode).toBe(200);
    expect(opened.rawPayload.equals(JPEG)).toBe(true);
  });

  it('refuses-a-file-whose-sha256-is-not-the-one-the-webhook-gave, keeping the message and saying why', async () => {
    const { contactId } = await receive({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID }, base64(Buffer.from('another photo')));
    await app.runner?.runDue();
    const { attachment, timeline } = await attachmentOf(contactId);
    expect(attachment).toMatchObject({ state: 'refused', sha256: null, sizeBytes: 0 });
    expect(attachment?.refusal).toMatch(/SHA-256 .* is not the one Meta gave/);
    expect(timeline).toContainEqual(expect.objectContaining({ type: 'attachment.refused', summary: expect.stringMatching(/^An attachment was not downloaded: .*SHA-256/) }));
  });

  it('refuses-a-file-whose-sha256-is-not-the-one-the-graph-api-gave', async () => {
    const { contactId } = await receive({ bytes: JPEG, mimeType: 'image/jpeg', sha256: hex(Buffer.from('not this photo')), owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    const { attachment } = await attachmentOf(contactId);
    expect(attachment).toMatchObject({ state: 'refused', sha256: null });
  });

  it('refuses-a-file-over-10-mb without downloading it', async () => {
    const { mediaId, contactId } = await receive({ bytes: JPEG, mimeType: 'image/jpeg', fileSize: 16 * MB, owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    const { attachment } = await attachmentOf(contactId);
    expect(attachment).toMatchObject({ state: 'refused', sha256: null });
    expect(attachment?.refusal).toMatch(/larger than 10 MB/);
    expect(requestsFor(mediaId).filter((r) => r.path.startsWith('/whatsapp_business/'))).toEqual([]);
  });

  it('refuses-a-file-that-grows-past-10-mb-as-it-downloads', async () => {
    const large = Buffer.concat([JPEG, Buffer.alloc(11 * MB, 0x20)]);
    const { contactId } = await receive({ bytes: large, mimeType: 'image/jpeg', fileSize: JPEG.length, owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    const { attachment } = await attachmentOf(contactId);
    expect(attachment).toMatchObject({ state: 'refused', sha256: null });
    expect(attachment?.refusal).toMatch(/larger than 10 MB/);
  });

  it('refuses-a-kind-of-file-whatsapp-does-not-carry', async () => {
    const page = Buffer.from('<html><script>fetch("/api/auth/me")</script></html>');
    const { mediaId, contactId } = await receive({ bytes: page, mimeType: 'text/html', owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    const { attachment } = await attachmentOf(contactId);
    expect(attachment).toMatchObject({ state: 'refused', sha256: null });
    expect(attachment?.refusal).toMatch(/text\/html/);
    expect(requestsFor(mediaId).filter((r) => r.path.startsWith('/whatsapp_business/'))).toEqual([]);
  });

  it('asks for a fresh link once when the first has expired', async () => {
    const { mediaId, contactId } = await receive({ bytes: JPEG, mimeType: 'image/jpeg', expiredLinks: 1, owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    const { attachment } = await attachmentOf(contactId);
    expect(attachment).toMatchObject({ state: 'stored', sha256: hex(JPEG) });
    expect(requestsFor(mediaId).map((r) => r.path.replace(/\?.*$/, ''))).toEqual([`/v21.0/${mediaId}`, '/whatsapp_business/attachments/', `/v21.0/${mediaId}`, '/whatsapp_business/attachments/']);
  });

  it('tries again later when the Graph API is down, the message readable meanwhile, and loses nothing', async () => {
    graph.setDown(true);
    const { contactId } = await receive({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    expect((await attachmentOf(contactId)).attachment).toMatchObject({ state: 'fetching', sha256: null, refusal: null });
    graph.setDown(false);
    await app.runner?.runDue(); // not due yet: the retry waits its backoff
    expect((await attachmentOf(contactId)).attachment).toMatchObject({ state: 'fetching' });
    clock.advance(10 * 60_000);
    await app.runner?.runDue();
    expect((await attachmentOf(contactId)).attachment).toMatchObject({ state: 'stored', sha256: hex(JPEG) });
  });

  it('never-uses-another-force’s-token for a force’s media', async () => {
    const ours = await receive({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    const theirs = await receive({ bytes: JPEG, mimeType: 'image/jpeg', owner: OTHER_PHONE_NUMBER_ID });
    await app.runner?.runDue();
    expect(requestsFor(ours.mediaId).map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(requestsFor(theirs.mediaId).map((r) => r.authorization)).toEqual([`Bearer ${OTHER_TOKEN}`, `Bearer ${OTHER_TOKEN}`]);
    expect(requestsFor(theirs.mediaId)[0]?.path).toBe(`/v21.0/${theirs.mediaId}?phone_number_id=${OTHER_PHONE_NUMBER_ID}`);
    expect((await attachmentOf(ours.contactId)).attachment).toMatchObject({ state: 'stored' });
  });

  it('never-writes-a-token-to-the-log, though its refusals and retries are logged', async () => {
    expect(logLines.join('')).toMatch(/attachment refused/);
    expect(logLines.join('')).toMatch(/job failed/);
    expect(logLines.join('')).not.toContain(TOKEN);
    expect(logLines.join('')).not.toContain(OTHER_TOKEN);
  });
});
