import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, startStandIn, type TestApp } from '../helpers.ts';
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
  beforeAll(async () => {
    media = await startStandIn();
    media.respondWith(200, PDF.toString('latin1'), { 'content-type': 'image/jpeg' });
    app = await createTestApp();
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

  const receive = async (messageSid: string) => {
    const params: Record<string, string> = {
      AccountSid: SID,
      Body: 'Photo of the car',
      From: '+447700900888',
      MediaContentType0: 'image/jpeg',
      MediaUrl0: `${media.url}/2010-04-01/Accounts/${SID}/Messages/${messageSid}/Media/ME1`,
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
        .select(['declared_type', 'detected_type', 'sha256', 'size_bytes', 'url', 'content'])
        .where('url', 'like', `%/${messageSid}/%`)
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
});
