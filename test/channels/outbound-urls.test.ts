import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { apiChannel } from '../../src/capabilities/channels/api/api.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';

type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

/**
 * Channel URLs a force admin sets are an SSRF path unless checked: when saved (400 with the
 * reason) and again when a reply is sent (the send fails for good, once, with the reason).
 */
describe('outbound URLs of channels', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let admin: Awaited<ReturnType<typeof signIn>>;

  /** An on-premise integration the force allow-lists: a server on 127.0.0.2 that answers with a redirect. */
  let onPremise: { url: string; paths: string[]; close(): Promise<void> };

  beforeAll(async () => {
    standIn = await startStandIn();
    onPremise = await startRedirector('127.0.0.2', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    // Only 127.0.0.2 is allow-listed: the stand-in on 127.0.0.1 is a loopback address like any other.
    app = await createTestApp({ env: { OUTBOUND_ALLOW_LIST: '127.0.0.2' }, overrides: { jobRetryBaseMs: 1 } });
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
    await onPremise.close();
  });

  const connect = (config: Record<string, unknown>, channel = 'api') =>
    app.inject({ method: 'POST', url: '/api/channels', headers: admin.headers, payload: { channel, label: 'Partner', config } });

  it.each([
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::1]/hook', 'loopback'],
    ['http://[::ffff:10.0.0.1]/hook', 'private'],
    ['https://192.168.0.10/hook', 'private'],
    ['https://100.100.100.200/latest/meta-data', 'carrier-grade NAT'],
    ['http://localhost:3000/api/contacts', 'localhost (127.0.0.1)'],
    ['file:///etc/passwd', 'file:'],
    ['gopher://127.0.0.1:6379/_FLUSHALL', 'gopher:'],
  ])('refuses-a-callback-url-of-%s-when-saved-with-400-and-the-reason', async (callbackUrl, reason) => {
    const response = await connect({ token: 'partner-token-0123456789', callbackUrl });
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields?.[0]?.path).toBe('body.config.callbackUrl');
    expect(body.error.fields?.[0]?.message).toContain(reason);
  });

  it('refuses-a-private-api-base-url-and-a-private-mail-server-naming-the-setting', async () => {
    const twilio = await connect({ accountSid: `AC${'a'.repeat(32)}`, authToken: 'x'.repeat(32), phoneNumber: '+447700900999', apiBaseUrl: 'http://10.0.0.8/' }, 'sms_twilio');
    expect(twilio.statusCode).toBe(400);
    expect(JSON.stringify(twilio.json<ErrorBody>().error.fields)).toContain('body.config.apiBaseUrl');
    const email = await connect(
      { address: 'partner@demo.police.uk', displayName: 'Partner', smtpUrl: 'smtp://user:pw@127.0.0.1:25', imap: { host: '169.254.169.254', user: 'u', password: 'p' } },
      'email',
    );
    expect(email.statusCode).toBe(400);
    const paths = email.json<ErrorBody>().error.fields?.map((field) => field.path);
    expect(paths).toEqual(['body.config.smtpUrl', 'body.config.imap.host']);
    // Nothing of either was stored.
    const stored = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('channel_accounts').select('account_key').execute());
    expect(stored.map((row) => row.account_key)).not.toContain('partner@demo.police.uk');
  });

  it('refuses-a-mail-server-url-carrying-transport-options-when-saved', async () => {
    // nodemailer would read these as options: run a program, go through a proxy on loopback.
    for (const smtpUrl of ['smtp://8.8.8.8:25/?pool=false&sendmail=true&path=/tmp/run.sh', 'smtp://8.8.8.8:25/?proxy=http://127.0.0.1:3417']) {
      const response = await connect({ address: 'options@demo.police.uk', displayName: 'Options', smtpUrl, imap: null }, 'email');
      expect(response.statusCode).toBe(400);
      const field = response.json<ErrorBody>().error.fields?.[0];
      expect(field?.path).toBe('body.config.smtpUrl');
      expect(field?.message).toContain('no path, ?options');
    }
  });

  it('accepts-a-public-url-even-when-its-name-does-not-resolve-here', async () => {
    const response = await connect({ token: 'partner-token-0123456789', callbackUrl: 'https://partner.example.invalid/hook' });
    expect(response.statusCode).toBe(201);
  });

  it('fails-a-send-to-a-url-refused-since-it-was-saved-once-and-for-good-with-the-reason', async () => {
    // Saved before the allow-list lost it (or before its name moved to a private address).
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, apiChannel as AnyChannelAdapter, {
      label: 'Demo API integration',
      config: { token: 'demo-api-token', callbackUrl: `${standIn.url}/bluelamp-replies` },
      actor: { type: 'system', id: null },
    });
    const contactId = await inboundContact('ssrf-1');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'We will call you.' } });
    expect(reply.statusCode).toBe(201);
    await app.runner?.runDue();
    expect(standIn.requests).toHaveLength(0);
    const message = await deliveryOf(contactId, 'We will call you.');
    expect(message.delivery_status).toBe('failed');
    expect(message.delivery_error).toContain('callbackUrl');
    expect(message.delivery_error).toContain('loopback');
    const jobs = await sendJobs();
    expect(jobs.every((job) => job.state === 'done' && job.attempts === 1)).toBe(true);
  });

  it('fails-a-send-whose-provider-redirects-to-a-private-address-without-following-it', async () => {
    const saved = await connect({ token: 'demo-api-token', callbackUrl: `${onPremise.url}/bluelamp-replies` });
    expect(saved.statusCode).toBe(201);
    const contactId = await inboundContact('ssrf-2');
    const handler = await signIn(app, 'handler@demo.police.uk');
    await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'Redirected reply' } });
    await app.runner?.runDue();
    expect(onPremise.paths).toEqual(['/bluelamp-replies']);
    const message = await deliveryOf(contactId, 'Redirected reply');
    expect(message.delivery_status).toBe('failed');
    expect(message.delivery_error).toContain('169.254.169.254');
    expect((await sendJobs()).every((job) => job.state === 'done' && job.attempts === 1)).toBe(true);
  });

  async function inboundContact(messageId: string): Promise<string> {
    const target = app;
    const response = await target.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId, from: { externalId: `user-${messageId}` }, body: 'Please call me back' }),
    });
    expect(response.statusCode).toBe(202);
    const row = await withForce(target.database.db, target.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', messageId).executeTakeFirstOrThrow(),
    );
    return row.contact_id;
  }

  function deliveryOf(contactId: string, body: string) {
    return withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages')
        .select(['delivery_status', 'delivery_error'])
        .where('contact_id', '=', contactId)
        .where('body', '=', body)
        .executeTakeFirstOrThrow(),
    );
  }

  function sendJobs() {
    return withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('jobs').select(['state', 'attempts']).where('type', '=', 'channel.send').execute(),
    );
  }
});

/** A server on one loopback address that answers every request with a redirect to `location`. */
async function startRedirector(host: string, location: string) {
  const { createServer } = await import('node:http');
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    response.writeHead(307, { location }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}`, paths, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
