import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type RecordedRequest, type TestApp } from '../../../../test/helpers.ts';
import { fixedClock } from '../../../platform/clock.ts';
import { withForce } from '../../../platform/db/database.ts';
import { connectChannelAccount } from '../channel-accounts.service.ts';
import { SecretBox } from '../../../platform/secrets.ts';
import { apiChannel } from './api.channel.ts';
import type { AnyChannelAdapter } from '../channel.ts';

const URL_PATH = '/api/channels/api/messages';
const auth = { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' };

/**
 * What an integrator does with a callback, as docs/channels/api.md tells them: the signature is
 * HMAC-SHA256 of `<timestamp>.<body>` keyed with the token, compared in constant time, and a
 * timestamp more than five minutes from their own clock is refused. Null when it is accepted.
 */
function integratorRefusal(request: RecordedRequest, now: Date): string | null {
  const timestamp = request.headers['x-bluelamp-timestamp'];
  const signature = request.headers['x-bluelamp-signature'];
  if (typeof timestamp !== 'string' || !/^\d+$/.test(timestamp) || typeof signature !== 'string') return 'unsigned';
  const expected = Buffer.from(`v1=${createHmac('sha256', 'demo-api-token').update(`${timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'wrong signature';
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) > 300 ? 'signed too long ago' : null;
}

describe('generic API channel', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  const clock = fixedClock(new Date('2026-12-07T09:00:00Z'));

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ overrides: { jobRetryBaseMs: 1, clock } });
    // Register the integrator's callback for the demo account.
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, apiChannel as AnyChannelAdapter, {
      label: 'Demo API integration',
      config: { token: 'demo-api-token', callbackUrl: `${standIn.url}/bluelamp-replies` },
      actor: { type: 'system', id: null },
    });
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const post = (payload: unknown, headers: Record<string, string> = auth) =>
    app.inject({ method: 'POST', url: URL_PATH, headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

  const countMessages = (providerId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('id').where('channel', '=', 'api').where('provider_message_id', '=', providerId).execute(),
    ).then((rows) => rows.length);

  it('stores a message and acknowledges it only once stored', async () => {
    const response = await post({ messageId: 'm-1', from: { phone: '07700 900123', name: 'Pat' }, body: 'Someone is following me with a knife' });
    expect(response.statusCode).toBe(202);
    expect(await countMessages('m-1')).toBe(1);
    const handler = await signIn(app, 'handler@demo.police.uk');
    const queue = await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers });
    const contact = queue.json<{ contacts: { channel: string; priority: number; summary: string }[] }>().contacts.find((c) => c.summary.includes('following me'));
    expect(contact).toMatchObject({ channel: 'api', priority: 2 });
    const raw = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['status', 'raw_body']).where('channel', '=', 'api').orderBy('received_at').executeTakeFirstOrThrow(),
    );
    expect(raw.status).toBe('processed');
    expect(Buffer.from(raw.raw_body).toString()).toContain('following me');
  });

  it('stores-one-message-however-many-concurrent-retries', async () => {
    const payload = { messageId: 'm-retried', from: { email: 'retry@example.org' }, body: 'Retried many times' };
    const responses = await Promise.all(Array.from({ length: 15 }, () => post(payload)));
    expect(responses.every((r) => r.statusCode === 202)).toBe(true);
    expect(await countMessages('m-retried')).toBe(1);
  });

  it('rejects-wrong-or-missing-tokens-as-401-with-a-bearer-challenge-and-stores-nothing', async () => {
    const payload = { messageId: 'm-unsigned', from: { email: 'x@example.org' }, body: 'hello' };
    // A token no account has is a wrong token: the same answer, so it says nothing of which tokens exist.
    const wrong = await post(payload, { authorization: 'Bearer wrong-token-value', 'content-type': 'application/json' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="bluelamp", error="invalid_token"');
    expect(wrong.json<{ error: { code: string; message: string } }>().error).toEqual({ code: 'unauthenticated', message: 'Wrong API token' });
    const withoutBearer: Record<string, string>[] = [{ 'content-type': 'application/json' }, { authorization: 'Basic ZGVtby1hcGktdG9rZW4=', 'content-type': 'application/json' }];
    for (const headers of withoutBearer) {
      const missing = await post(payload, headers);
      expect(missing.statusCode).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="bluelamp"');
      expect(missing.json<{ error: { message: string } }>().error.message).toBe('No API token: send it as Authorization: Bearer <token>');
    }
    expect(await countMessages('m-unsigned')).toBe(0);
  });

  it('refuses malformed, mistyped and oversized bodies with a 4xx, keeping verified ones for replay', async () => {
    expect((await post('{"messageId": ', auth)).statusCode).toBe(400);
    expect((await post({ messageId: 'm-bad', from: {}, body: 'x' })).statusCode).toBe(400);
    expect((await post({ messageId: 'm-extra', from: { email: 'a@example.org' }, body: 'x', admin: true })).statusCode).toBe(400);
    expect((await post({ messageId: 'm-year-0', from: { email: 'a@example.org' }, body: 'x', sentAt: '0000-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await post('hello', { authorization: 'Bearer demo-api-token', 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await post({ messageId: 'm-big', from: { email: 'a@example.org' }, body: 'x'.repeat(1_100_000) })).statusCode).toBe(413);
    const rejected = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['error']).where('status', '=', 'rejected').execute(),
    );
    expect(rejected.length).toBeGreaterThanOrEqual(3);
  });

  it('replays a stored request for an admin: a duplicate stores nothing, a payload that still fails says so', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['id', 'status']).where('channel', '=', 'api').orderBy('received_at').execute(),
    );
    const processed = stored.find((r) => r.status === 'processed');
    const rejected = stored.find((r) => r.status === 'rejected');
    const again = await app.inject({ method: 'POST', url: `/api/channels/inbound/${processed?.id}/replay`, headers: admin.headers, payload: {} });
    expect(again.json()).toEqual({ stored: 0, duplicates: 1 });
    const stillBad = await app.inject({ method: 'POST', url: `/api/channels/inbound/${rejected?.id}/replay`, headers: admin.headers, payload: {} });
    expect(stillBad.statusCode).toBe(409);
    const events = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['actor_id']).where('type', '=', 'channel.request_replayed').execute(),
    );
    expect(events).toEqual([{ actor_id: admin.user.id }]);
  });

  it('threads a second message from the same sender into the open contact, and re-opens a recently closed one', async () => {
    await post({ messageId: 't-1', from: { email: 'thread@example.org' }, body: 'First message' });
    await post({ messageId: 't-2', from: { email: 'Thread@Example.org' }, body: 'Second message' });
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['contact_id']).where('provider_message_id', 'in', ['t-1', 't-2']).execute(),
    );
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(1);
    const contactId = rows[0]?.contact_id ?? '';
    const handler = await signIn(app, 'handler@demo.police.uk');
    await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/close`, headers: handler.headers, payload: { outcome: 'advice_given' } });
    await post({ messageId: 't-3', from: { email: 'thread@example.org' }, body: 'One more thing' });
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const body = detail.json<{ contact: { status: string }; messages: unknown[]; timeline: { type: string }[] }>();
    expect(body.contact.status).toBe('open');
    expect(body.messages).toHaveLength(3);
    expect(body.timeline.map((e) => e.type)).toContain('contact.reopened');
  });

  it('sends the operator reply to the callback, signed, and shows a provider failure to the operator', async () => {
    await post({ messageId: 'r-1', from: { externalId: 'partner-user-7', name: 'Sam' }, body: 'Can someone call me back?' });
    const contactId = (
      await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', 'r-1').executeTakeFirstOrThrow(),
      )
    ).contact_id;
    const handler = await signIn(app, 'handler@demo.police.uk');
    standIn.respondWith(200, { ok: true });
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'We will call you today.' } });
    expect(reply.statusCode).toBe(201);
    await app.runner?.runDue();
    const sent = standIn.requests.at(-1);
    expect(sent?.url).toBe('/bluelamp-replies');
    const json = JSON.parse(sent?.body ?? '{}') as { body: string; to: { kind: string; value: string } };
    expect(json).toMatchObject({ body: 'We will call you today.', to: { kind: 'social', value: 'api:partner-user-7' } });
    // Signed with the time it went, by the injected clock, and with the body.
    const timestamp = String(clock.now().getTime() / 1000);
    expect(sent?.headers['x-bluelamp-timestamp']).toBe(timestamp);
    expect(sent?.headers['x-bluelamp-signature']).toBe(`v1=${createHmac('sha256', 'demo-api-token').update(`${timestamp}.${sent?.body ?? ''}`).digest('hex')}`);

    standIn.respondWith(422, { error: 'unknown user' });
    await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'Second reply' } });
    await app.runner?.runDue();
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const messages = detail.json<{ messages: { body: string; deliveryStatus: string | null }[] }>().messages;
    expect(messages.find((m) => m.body === 'We will call you today.')?.deliveryStatus).toBe('sent');
    expect(messages.find((m) => m.body === 'Second reply')?.deliveryStatus).toBe('failed');
  });

  it('signs-each-attempt-with-its-time-so-an-integrator-refuses-a-callback-replayed-later', async () => {
    // The integrator checks every callback as the documentation tells them.
    standIn.respondWith(200, { ok: true });
    let integratorDown = true;
    standIn.answerSome((request) => {
      if (integratorDown) return { status: 503, body: { error: 'down for a moment' } };
      const refusal = integratorRefusal(request, clock.now());
      return refusal ? { status: 401, body: { error: refusal } } : null;
    });
    try {
      await post({ messageId: 'replay-1', from: { externalId: 'partner-user-9' }, body: 'Is anyone there?' });
      const contactId = (
        await withForce(app.database.db, app.demoForceId, (tx) =>
          tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', 'replay-1').executeTakeFirstOrThrow(),
        )
      ).contact_id;
      const handler = await signIn(app, 'handler@demo.police.uk');
      await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'An officer will visit.' } });
      await app.runner?.runDue();
      const firstAttempt = standIn.requests.at(-1);
      expect(firstAttempt?.body).toContain('An officer will visit.');

      // The retry goes ten minutes later, signed afresh: the integrator accepts it.
      integratorDown = false;
      clock.advance(10 * 60_000);
      await app.runner?.runDue();
      const delivered = standIn.requests.at(-1);
      expect(delivered).not.toBe(firstAttempt);
      expect(delivered?.headers['x-bluelamp-timestamp']).toBe(String(clock.now().getTime() / 1000));
      expect(delivered?.headers['idempotency-key']).toBe(firstAttempt?.headers['idempotency-key']);
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      expect(detail.json<{ messages: { body: string; deliveryStatus: string | null }[] }>().messages.find((m) => m.body === 'An officer will visit.')?.deliveryStatus).toBe('sent');

      // Someone who captured it posts it again six minutes on, as it was or with a fresh time: refused either way.
      clock.advance(6 * 60_000);
      const replay = (headers: Record<string, string>) => fetch(`${standIn.url}${delivered?.url ?? ''}`, { method: 'POST', headers, body: delivered?.body ?? '' });
      const captured = Object.fromEntries(['content-type', 'x-bluelamp-timestamp', 'x-bluelamp-signature', 'idempotency-key'].map((name) => [name, String(delivered?.headers[name])]));
      const asCaptured = await replay(captured);
      expect([asCaptured.status, await asCaptured.json()]).toEqual([401, { error: 'signed too long ago' }]);
      const retimed = await replay({ ...captured, 'x-bluelamp-timestamp': String(clock.now().getTime() / 1000) });
      expect([retimed.status, await retimed.json()]).toEqual([401, { error: 'wrong signature' }]);
    } finally {
      standIn.answerSome(null);
    }
  });
});

describe('connecting a channel account through the API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('validates, seals and never returns the credentials', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    const bad = await app.inject({ method: 'POST', url: '/api/channels', headers: admin.headers, payload: { channel: 'api', label: 'Partner', config: { token: 'short' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { fields: { path: string }[] } }>().error.fields[0]?.path).toBe('body.config.token');
    const made = await app.inject({
      method: 'POST',
      url: '/api/channels',
      headers: admin.headers,
      payload: { channel: 'api', label: 'Partner agency', config: { token: 'partner-token-0123456789', callbackUrl: null } },
    });
    expect(made.statusCode).toBe(201);
    expect(made.body).not.toContain('partner-token-0123456789');
    const listed = await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers });
    expect(listed.body).toContain('Partner agency');
    expect(listed.body).not.toContain('partner-token');
    const stored = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('channel_accounts').select('config_ciphertext').execute());
    expect(stored.every((row) => !row.config_ciphertext.includes('partner-token'))).toBe(true);
    const accepted = await app.inject({
      method: 'POST',
      url: URL_PATH,
      headers: { authorization: 'Bearer partner-token-0123456789', 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId: 'p-1', from: { email: 'p@example.org' }, body: 'via the partner' }),
    });
    expect(accepted.statusCode).toBe(202);
  });
});
