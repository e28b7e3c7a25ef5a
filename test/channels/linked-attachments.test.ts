import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { twilioSmsChannel } from '../../src/capabilities/channels/twilio/twilio.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';

const TOKEN = 'demo-twilio-auth-token';
const SID = 'AC00000000000000000000000000000001';
// A PDF that a sender might call a picture.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('attachments a provider only links to', () => {
  let app: TestApp;
  let media: Awaited<ReturnType<typeof startStandIn>>;
  const clock = fixedClock(new Date('2026-12-05T10:00:00Z'));
  const heard: LiveMessage[] = [];
  beforeAll(async () => {
    media = await startStandIn();
    media.respondWith(200, PDF.toString('latin1'), { 'content-type': 'image/jpeg' });
    app = await createTestApp({ overrides: { clock } });
    app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, twilioSmsChannel as AnyChannelAdapter, {
      label: 'Demo Twilio number',
      config: { accountSid: SID, authToken: TOKEN, phoneNumber: '+447700900001', statusCallbackUrl: null, apiBaseUrl: media.url },
      actor: { type: 'system', id: null },
    });
  });
  afterAll(async () => {
    await app.close();
    await media.close();
  });

  const receive = async (messageSid: string, mediaUrl = `${media.url}/2010-04-01/Accounts/${SID}/Messages/${messageSid}/Media/ME1`) => {
    const params: Record<string, string> = {
      AccountSid: SID,
      Body: 'Photo of the car',
      From: '+447700900888',
      MediaContentType0: 'image/jpeg',
      MediaUrl0: mediaUrl,
      MessageSid: messageSid,
      NumMedia: '1',
      To: '+447700900001',
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
    return withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('attachments')
        .innerJoin('messages as m', 'm.id', 'attachments.message_id')
        .select(['attachments.id', 'm.contact_id', 'declared_type', 'detected_type', 'sha256', 'size_bytes', 'url', 'content', 'refusal'])
        .where('m.provider_message_id', '=', messageSid)
        .executeTakeFirstOrThrow(),
    );
  };

  it('downloads-hashes-and-types-a-linked-attachment-soon-after-it-arrives', async () => {
    const stored = await receive('MM0000000000000000000000000000a001');
    expect(stored).toMatchObject({ declared_type: 'image/jpeg', detected_type: 'application/pdf', size_bytes: PDF.length });
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(media.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
  });

  it('hashes and measures a linked attachment too large to keep, whole, without keeping its bytes', async () => {
    // 11 MiB, past the 10 MiB kept: read as it streams, never held whole.
    const large = Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    media.respondWith(200, large.toString('latin1'), { 'content-type': 'application/pdf' });
    const stored = await receive('MM0000000000000000000000000000a002');
    expect(stored).toMatchObject({ detected_type: 'application/pdf', size_bytes: large.length, content: null });
    expect(stored.sha256).toBe(createHash('sha256').update(large).digest('hex'));
  });

  /** The events of one attachment on its contact, oldest first. */
  const attachmentEvents = async (contactId: string, attachmentId: string) => {
    const events = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', contactId).where('type', 'like', 'attachment.%').orderBy('seq').execute(),
    );
    return events.filter((event) => (event.data as { attachmentId?: string }).attachmentId === attachmentId);
  };

  it('records-the-download-once-with-its-hash-at-capture-and-tells-open-consoles', async () => {
    media.respondWith(200, PDF.toString('latin1'), { 'content-type': 'image/jpeg' });
    heard.length = 0;
    const stored = await receive('MM0000000000000000000000000000a003');
    expect(await attachmentEvents(stored.contact_id, stored.id)).toEqual([
      {
        type: 'attachment.stored',
        data: { attachmentId: stored.id, messageId: expect.any(String), sha256: stored.sha256, sizeBytes: PDF.length, detectedType: 'application/pdf', bytesKept: true },
      },
    ]);
    expect(heard).toContainEqual({ type: 'queue.changed', contactId: stored.contact_id });
    // The job run again (as after a crash between its commit and its completion) moves nothing and records nothing more.
    await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.updateTable('jobs').set({ state: 'pending', run_at: clock.now(), locked_until: null }).where('idempotency_key', '=', stored.id).execute(),
    );
    await app.runner?.runDue();
    expect(media.requests.filter((r) => r.url.includes('a003'))).toHaveLength(1);
    expect(await attachmentEvents(stored.contact_id, stored.id)).toHaveLength(1);
  });

  it('records-a-file-too-large-to-keep-as-stored-without-its-bytes', async () => {
    const large = Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    media.respondWith(200, large.toString('latin1'), { 'content-type': 'application/pdf' });
    const stored = await receive('MM0000000000000000000000000000a004');
    expect((await attachmentEvents(stored.contact_id, stored.id)).map((e) => e.data)).toEqual([expect.objectContaining({ sizeBytes: large.length, bytesKept: false })]);
  });

  it('refuses-for-good-a-link-into-our-own-network-with-the-reason-staff-read', async () => {
    const stored = await receive('MM0000000000000000000000000000a005', 'http://169.254.169.254/latest/meta-data/');
    expect(stored.sha256).toBe('');
    expect(stored.refusal).toMatch(/^the link was refused/);
    const events = await attachmentEvents(stored.contact_id, stored.id);
    expect(events).toEqual([{ type: 'attachment.refused', data: { attachmentId: stored.id, messageId: expect.any(String), reason: stored.refusal } }]);
    // Trying again would ask our own network again: staff are told why not (decision 0106).
    const { headers } = await signIn(app, 'handler@demo.police.uk');
    const retried = await app.inject({ method: 'POST', url: `/api/attachments/${stored.id}/retry`, headers });
    expect(retried.statusCode).toBe(409);
    expect(retried.json<{ error: { message: string } }>().error.message).toMatch(/refused by a check, which trying again would not change: the link was refused/);
    expect(await attachmentEvents(stored.contact_id, stored.id)).toHaveLength(1);
  });

  it('refuses-a-link-the-provider-keeps-failing-on-the-last-attempt-not-before', async () => {
    media.respondWith(503, 'busy');
    const first = await receive('MM0000000000000000000000000000a006');
    expect(first).toMatchObject({ sha256: '', refusal: null });
    for (let attempt = 2; attempt <= 6; attempt += 1) {
      clock.advance(60 * 60_000);
      await app.runner?.runDue();
    }
    const after = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('attachments').select(['sha256', 'refusal']).where('id', '=', first.id).executeTakeFirstOrThrow());
    expect(after.sha256).toBe('');
    expect(after.refusal).toMatch(/could not be reached after 6 attempts \(attachment download answered 503\)/);
    expect((await attachmentEvents(first.contact_id, first.id)).map((e) => e.type)).toEqual(['attachment.refused']);
  });
});
