// The files the public send, as staff see them: listed on the contact's thread with what their
// bytes are, opened only by choice, served so that a hostile file can neither run nor pass as
// something else, and every opening recorded on the contact with the file's hash.
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { twilioSmsChannel } from '../../src/capabilities/channels/twilio/twilio.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { safeFilename } from '../../src/capabilities/channels/attachment-views.service.ts';

const TOKEN = 'attachments-twilio-token';
const SID = 'AC00000000000000000000000000000077';
const NUMBER = '+447700900077';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF photo of the car')]);
// A web page with script, sent as if it were a photo.
const HOSTILE = Buffer.from('<html><body><script>fetch("/api/auth/me")</script></body></html>');

type Attachment = { id: string; state: string; contentType: string | null; declaredType: string | null; sizeBytes: number; sha256: string | null; isShownInPlace: boolean; filename: string | null };
type Detail = { messages: { body: string; attachments: Attachment[] }[]; timeline: { type: string; actor: string; summary: string }[] };

describe('attachments for staff', () => {
  let app: TestApp;
  let media: Awaited<ReturnType<typeof startStandIn>>;
  let handler: Awaited<ReturnType<typeof signIn>>;
  let sent = 0;

  beforeAll(async () => {
    media = await startStandIn();
    app = await createTestApp();
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, twilioSmsChannel as AnyChannelAdapter, {
      label: 'Attachments Twilio number',
      config: { accountSid: SID, authToken: TOKEN, phoneNumber: NUMBER, statusCallbackUrl: null, apiBaseUrl: media.url },
      actor: { type: 'system', id: null },
    });
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
    await media.close();
  });

  /** A text with one linked file, served by the stand-in as `bytes`; returns the contact's id. */
  async function receiveWithFile(bytes: Buffer, declaredType: string, status = 200): Promise<string> {
    sent += 1;
    const messageSid = `MM${String(sent).padStart(32, '0')}`;
    media.respondWith(status, bytes, { 'content-type': declaredType });
    const params: Record<string, string> = {
      AccountSid: SID,
      Body: `Here is what I saw (${sent})`,
      From: `+4477009${String(sent).padStart(5, '0')}`,
      MediaContentType0: declaredType,
      MediaUrl0: `${media.url}/2010-04-01/Accounts/${SID}/Messages/${messageSid}/Media/ME1`,
      MessageSid: messageSid,
      NumMedia: '1',
      To: NUMBER,
    };
    const signature = createHmac('sha1', TOKEN)
      .update('http://localhost/webhooks/twilio/sms' + Object.keys(params).sort().map((key) => key + params[key]).join(''))
      .digest('base64');
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/twilio/sms',
      headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: new URLSearchParams(params).toString(),
    });
    expect(response.statusCode).toBe(200);
    await app.runner?.runDue();
    const row = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('body', '=', params.Body ?? '').executeTakeFirstOrThrow(),
    );
    return row.contact_id;
  }

  const detailOf = async (contactId: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    expect(response.statusCode).toBe(200);
    return response.json<Detail>();
  };

  it('lists a photo on its message and shows it in the browser, recording who opened it', async () => {
    const contactId = await receiveWithFile(JPEG, 'image/jpeg');
    const [attachment] = (await detailOf(contactId)).messages[0]?.attachments ?? [];
    const sha256 = createHash('sha256').update(JPEG).digest('hex');
    expect(attachment).toMatchObject({ state: 'stored', contentType: 'image/jpeg', declaredType: 'image/jpeg', sizeBytes: JPEG.length, sha256, isShownInPlace: true, filename: null });

    const opened = await app.inject({ method: 'GET', url: `/api/attachments/${attachment?.id ?? ''}`, headers: handler.headers });
    expect(opened.statusCode).toBe(200);
    expect(opened.rawPayload.equals(JPEG)).toBe(true);
    expect(opened.headers['content-type']).toBe('image/jpeg');
    expect(opened.headers['content-disposition']).toMatch(/^inline; filename="attachment-[0-9a-f]{8}\.jpg"/);
    expect(opened.headers['x-content-sha256']).toBe(sha256);
    expect(opened.headers['x-content-type-options']).toBe('nosniff');
    expect(opened.headers['content-security-policy']).toContain('sandbox');
    expect(opened.headers['cache-control']).toBe('private, no-store');

    const timeline = (await detailOf(contactId)).timeline.filter((entry) => entry.type === 'attachment.opened');
    expect(timeline).toEqual([expect.objectContaining({ actor: 'Sam Handler', summary: expect.stringContaining(sha256.slice(0, 12)) })]);
  });

  it('serves a web page sent as a photo as a download the browser will not run', async () => {
    const contactId = await receiveWithFile(HOSTILE, 'image/jpeg');
    const [attachment] = (await detailOf(contactId)).messages[0]?.attachments ?? [];
    expect(attachment).toMatchObject({ state: 'stored', contentType: 'text/html', declaredType: 'image/jpeg', isShownInPlace: false });
    const opened = await app.inject({ method: 'GET', url: `/api/attachments/${attachment?.id ?? ''}`, headers: handler.headers });
    expect(opened.statusCode).toBe(200);
    expect(opened.headers['content-type']).toBe('application/octet-stream');
    expect(opened.headers['content-disposition']).toMatch(/^attachment; /);
    expect(opened.rawPayload.equals(HOSTILE)).toBe(true);
  });

  it('says why a file cannot be opened yet, or at all, instead of failing', async () => {
    // The provider's link answers 500: the download is retried later; meanwhile it is "fetching".
    const pendingContact = await receiveWithFile(JPEG, 'image/jpeg', 500);
    const [pending] = (await detailOf(pendingContact)).messages[0]?.attachments ?? [];
    expect(pending).toMatchObject({ state: 'fetching', sha256: null, contentType: null, isShownInPlace: false });
    const notYet = await app.inject({ method: 'GET', url: `/api/attachments/${pending?.id ?? ''}`, headers: handler.headers });
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json<{ error: { message: string } }>().error.message).toMatch(/not been downloaded/);

    const large = Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]);
    const largeContact = await receiveWithFile(large, 'image/jpeg');
    const [tooLarge] = (await detailOf(largeContact)).messages[0]?.attachments ?? [];
    expect(tooLarge).toMatchObject({ state: 'too_large', sizeBytes: large.length, sha256: createHash('sha256').update(large).digest('hex'), isShownInPlace: false });
    const refused = await app.inject({ method: 'GET', url: `/api/attachments/${tooLarge?.id ?? ''}`, headers: handler.headers });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/larger than 10 MB/);
  });

  it('is never served to another force, nor without a session, and an opening is not recorded then', async () => {
    const contactId = await receiveWithFile(JPEG, 'image/jpeg');
    const [attachment] = (await detailOf(contactId)).messages[0]?.attachments ?? [];
    const url = `/api/attachments/${attachment?.id ?? ''}`;
    const { emails } = await createOtherForce(app, ['call_handler']);
    const other = await signIn(app, emails.call_handler ?? '', 'other-password');
    expect((await app.inject({ method: 'GET', url, headers: other.headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/attachments/not-an-id', headers: handler.headers })).statusCode).toBe(400);
    const timeline = (await detailOf(contactId)).timeline.filter((entry) => entry.type === 'attachment.opened');
    expect(timeline).toEqual([]);
  });

  it('names a download safely whatever the sender called it', () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect(safeFilename('../../etc/passwd', id, null)).toBe('_.._etc_passwd');
    expect(safeFilename('evil"\r\nSet-Cookie: x=1.pdf', id, 'application/pdf')).toBe('evil_Set-Cookie_ x=1.pdf');
    expect(safeFilename('\u202egnp.exe', id, null)).toBe('gnp.exe');
    expect(safeFilename('   ', id, 'image/png')).toBe('attachment-01234567.png');
    expect(safeFilename(null, id, 'text/html')).toBe('attachment-01234567');
    expect(safeFilename('Llun o’r car — ŵy.jpg', id, 'image/jpeg')).toBe('Llun o’r car — ŵy.jpg');
    expect(safeFilename('a'.repeat(500), id, null)).toHaveLength(120);
  });
});
