import { createHmac, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../../../../test/helpers.ts';
import { withForce } from '../../../platform/db/database.ts';
import type { Clock } from '../../../platform/clock.ts';
import { SecretBox } from '../../../platform/secrets.ts';
import { connectChannelAccount } from '../channel-accounts.service.ts';
import type { AnyChannelAdapter, RawInbound } from '../channel.ts';
import { crcResponseToken, isValidSignature, webhookSignature, xChannel } from './x.channel.ts';

const PATH = '/webhooks/x';
const SECRET = 'test-x-consumer-secret-0001';
/** The subscribed account of the zammad captures, and of X's own docs sample. */
const ZAMMAD_ACCOUNT = '2975699229';
const DOCS_ACCOUNT = '4337869213';
/** The member of the public in the zammad captures. */
const PENN = '1205290247124217856';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const sign = (body: Buffer | string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;

/** A second real DM from the same sender: the captured one with its id and text changed. */
function dmVariant(id: string, text: string): Buffer {
  const body = fixture('zammad-dm-incoming.json').toString('utf8').replace('1206724334791753732', id).replace('Yes, you are!', text);
  return Buffer.from(body);
}

/** An independent HMAC (WebCrypto, as `openssl dgst -sha256 -hmac … -binary | base64` computes it). */
async function webCryptoToken(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await webcrypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await webcrypto.subtle.sign('HMAC', key, enc.encode(message));
  return `sha256=${Buffer.from(mac).toString('base64')}`;
}

describe('X signatures', () => {
  // X publishes no test vector with its expected output. These inputs are the example consumer
  // secret and token in X developer advocate Jon Cipriano's CRC gists (gist.github.com/jcipriano);
  // the expected strings were computed with openssl and are checked against WebCrypto too.
  const gistSecret = 'z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu';
  const gistToken = '9b4507b3-9040-4669-9ca3-6b94edb50553';

  it('answers the CRC as X computes it', async () => {
    expect(crcResponseToken(gistSecret, gistToken)).toBe('sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=');
    expect(crcResponseToken(gistSecret, gistToken)).toBe(await webCryptoToken(gistSecret, gistToken));
    expect(crcResponseToken('demo-x-consumer-secret', 'abc')).toBe('sha256=IL77xmIDNxViW5knoWaAXJxzfBQvfcSrtl8k/X2cCLI=');
  });

  it('signs and checks the exact body bytes', () => {
    const body = fixture('zammad-dm-incoming.json');
    expect(webhookSignature(SECRET, body)).toBe('sha256=TDWZLuJ1veEaVkwXMaOFkYMG1bhkcurV3blsiyaPxDk=');
    expect(isValidSignature(SECRET, body, 'sha256=TDWZLuJ1veEaVkwXMaOFkYMG1bhkcurV3blsiyaPxDk=')).toBe(true);
    expect(isValidSignature(SECRET, Buffer.concat([body, Buffer.from(' ')]), webhookSignature(SECRET, body))).toBe(false);
    expect(isValidSignature('another-secret-value', body, webhookSignature(SECRET, body))).toBe(false);
    expect(isValidSignature(SECRET, body, undefined)).toBe(false);
    expect(isValidSignature(SECRET, body, 'TDWZLuJ1veEaVkwXMaOFkYMG1bhkcurV3blsiyaPxDk=')).toBe(false);
    // The hex form of the right HMAC is not what X sends.
    expect(isValidSignature(SECRET, body, `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`)).toBe(false);
  });

  it('finds the account in the body, the revoking user, or the query', () => {
    const raw = (method: string, body: Buffer, query: Record<string, string> = {}): RawInbound => ({
      method, url: `http://localhost${PATH}`, path: PATH, query, headers: {}, rawBody: body, receivedAt: new Date(),
    });
    expect(xChannel.identifyAccount(raw('POST', fixture('zammad-mention-reply.json')))).toBe(ZAMMAD_ACCOUNT);
    expect(xChannel.identifyAccount(raw('POST', fixture('x-docs-user-event-revoke.json')))).toBe('63046977');
    expect(xChannel.identifyAccount(raw('POST', Buffer.from('not json'), { account: '42' }))).toBe('42');
    expect(xChannel.identifyAccount(raw('POST', Buffer.from('[]')))).toBeNull();
    expect(xChannel.identifyAccount(raw('GET', Buffer.alloc(0), { crc_token: 'x', account: '42' }))).toBe('42');
    expect(xChannel.identifyAccount(raw('GET', Buffer.alloc(0), { crc_token: 'x' }))).toBe('2000000000001');
  });
});

describe('X channel', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  // Real time plus an offset the test moves, so a retry's backoff can be skipped.
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    const deps = { ...app.deps, secrets: new SecretBox(app.config.secretsKey) };
    for (const userId of [ZAMMAD_ACCOUNT, DOCS_ACCOUNT]) {
      await connectChannelAccount(deps, app.demoForceId, xChannel as AnyChannelAdapter, {
        label: `X account ${userId}`,
        config: { userId, consumerSecret: SECRET, userAccessToken: 'test-user-token', apiBaseUrl: standIn.url },
        actor: { type: 'system', id: null },
      });
    }
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const post = (body: Buffer | string, headers: Record<string, string> = { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(body) }, query = '') =>
    app.inject({ method: 'POST', url: `${PATH}${query}`, headers, payload: body });

  const messagesWith = (providerId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(['m.contact_id', 'm.body', 'm.meta', 'c.thread_key', 'c.channel'])
        .where('m.channel', '=', 'x')
        .where('m.provider_message_id', '=', providerId)
        .execute(),
    );
  const countAll = () =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('messages').select('id').where('channel', '=', 'x').execute()).then((r) => r.length);
  const contactOf = async (providerId: string) => {
    const [row] = await messagesWith(providerId);
    if (!row) throw new Error(`no message ${providerId}`);
    return row.contact_id;
  };

  describe('challenge-response check', () => {
    it('answers the demo account when the CRC names none, as in the docs curl example', async () => {
      const response = await app.inject({ method: 'GET', url: `${PATH}?crc_token=abc` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ response_token: 'sha256=IL77xmIDNxViW5knoWaAXJxzfBQvfcSrtl8k/X2cCLI=' });
    });

    it('answers the account the registered URL names, with its own secret', async () => {
      const response = await app.inject({ method: 'GET', url: `${PATH}?account=${ZAMMAD_ACCOUNT}&crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553&nonce=1` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ response_token: await webCryptoToken(SECRET, '9b4507b3-9040-4669-9ca3-6b94edb50553') });
    });

    it('refuses unknown accounts, missing tokens, and tokens that could be a signed body', async () => {
      expect((await app.inject({ method: 'GET', url: `${PATH}?account=999&crc_token=abc` })).statusCode).toBe(404);
      // An account id PostgreSQL could not even be asked about (a NUL) is no force's either.
      const nul = await app.inject({ method: 'GET', url: `${PATH}?account=%00&crc_token=abc` });
      expect(nul.statusCode).toBe(404);
      expect(nul.json()).toEqual({ error: { code: 'not_found', message: 'No such channel account' } });
      expect((await app.inject({ method: 'GET', url: PATH })).statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: `${PATH}?crc_token=` })).statusCode).toBe(400);
      // A CRC answer for a JSON body would be a valid webhook signature for it.
      const forged = encodeURIComponent('{"for_user_id":"2975699229"}');
      const response = await app.inject({ method: 'GET', url: `${PATH}?account=${ZAMMAD_ACCOUNT}&crc_token=${forged}` });
      expect(response.statusCode).toBe(400);
      expect(response.body).not.toContain('response_token');
    });
  });

  describe('inbound', () => {
    it('stores an @mention with its full extended text as a contact from the author', async () => {
      const response = await post(fixture('zammad-mention-extended.json'));
      expect(response.statusCode).toBe(200);
      const [message] = await messagesWith('1209097192914313216');
      expect(message).toMatchObject({
        channel: 'x',
        thread_key: 'tweet:1209097192914313216',
        body: expect.stringContaining('The full tweet body is passed in an "extended_tweet" property.'),
        meta: { kind: 'mention', tweetId: '1209097192914313216', screenName: 'pennbrooke1' },
      });
      const handler = await signIn(app, 'handler@demo.police.uk');
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${message?.contact_id ?? ''}`, headers: handler.headers });
      const body = detail.json<{ contact: { channel: string }; person: { name: string | null; identities: { kind: string; value: string }[] } }>();
      expect(body.contact.channel).toBe('x');
      expect(body.person.name).toBe('pennbrooke');
      expect(body.person.identities).toContainEqual(expect.objectContaining({ kind: 'social', value: `x:${PENN}` }));
    });

    it('threads a mention that replies to another post under that post', async () => {
      expect((await post(fixture('zammad-mention-reply.json'))).statusCode).toBe(200);
      const [message] = await messagesWith('1207623566339919872');
      expect(message).toMatchObject({ thread_key: 'tweet:1205348660982083584', body: '@ScruffyMcG This is only a test.' });
    });

    it('stores a DM with the sender named from the users map', async () => {
      expect((await post(fixture('zammad-dm-incoming.json'))).statusCode).toBe(200);
      const [message] = await messagesWith('1206724334791753732');
      expect(message).toMatchObject({ channel: 'x', thread_key: `dm:${PENN}`, body: 'Yes, you are!', meta: { kind: 'dm', tweetId: null, screenName: 'pennbrooke1' } });
    });

    it("parses X's own documented DM sample", async () => {
      expect((await post(fixture('x-docs-direct-message.json'))).statusCode).toBe(200);
      const [message] = await messagesWith('954491830116155396');
      expect(message).toMatchObject({ thread_key: 'dm:3001969357', body: 'Hello World!' });
      const identity = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('identities').select(['kind']).where('value', '=', 'x:3001969357').executeTakeFirst(),
      );
      expect(identity?.kind).toBe('social');
    });

    it("ignores the account's own posts and DMs, follows and typing, storing nothing but answering 200", async () => {
      const before = await countAll();
      for (const name of ['zammad-mention-own.json', 'zammad-dm-outgoing.json', 'zammad-follow.json', 'x-docs-typing.json']) {
        expect((await post(fixture(name))).statusCode, name).toBe(200);
      }
      expect(await countAll()).toBe(before);
      expect(await messagesWith('1209128243955027968')).toHaveLength(0);
      expect(await messagesWith('1206724203514228741')).toHaveLength(0);
    });

    it('stores-one-message-however-many-concurrent-retries', async () => {
      const body = dmVariant('1206724334791759999', 'Sent once, delivered many times');
      const responses = await Promise.all(Array.from({ length: 15 }, () => post(body)));
      expect(responses.map((r) => r.statusCode)).toEqual(Array.from({ length: 15 }, () => 200));
      expect(await messagesWith('1206724334791759999')).toHaveLength(1);
    });

    it('joins a second DM from the same sender to the open contact', async () => {
      expect((await post(dmVariant('1206724334791760001', 'Also, my bike was stolen'))).statusCode).toBe(200);
      expect(await contactOf('1206724334791760001')).toBe(await contactOf('1206724334791753732'));
    });

    it('rejects-unsigned-or-wrongly-signed-requests-and-stores-nothing', async () => {
      const body = dmVariant('1206724334791760002', 'Forged');
      expect((await post(body, { 'content-type': 'application/json' })).statusCode).toBe(401);
      expect((await post(body, { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(body, 'wrong-secret-value') })).statusCode).toBe(401);
      const tampered = dmVariant('1206724334791760002', 'Tampered');
      expect((await post(tampered, { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(body) })).statusCode).toBe(401);
      expect(await messagesWith('1206724334791760002')).toHaveLength(0);
    });

    it('stores-the-good-events-of-a-batch-with-an-unreadable-one-and-keeps-it-for-replay', async () => {
      // A real DM, and a mention whose author X left out, in one delivery.
      const batch = JSON.parse(dmVariant('1206724334791760003', 'My bike was stolen').toString('utf8')) as Record<string, unknown>;
      const body = JSON.stringify({ ...batch, tweet_create_events: [{ id_str: '1206724334791760004', text: 'who am I' }] });
      expect((await post(body)).statusCode).toBe(200);
      expect(await messagesWith('1206724334791760003')).toMatchObject([{ body: 'My bike was stolen' }]);
      const kept = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('inbound_requests').select(['status', 'error']).where('channel', '=', 'x').where('error', 'like', '%tweet_create_events.0.user%').execute(),
      );
      expect(kept).toEqual([{ status: 'rejected', error: expect.stringContaining('unreadable events: tweet_create_events.0.user') as string }]);
    });

    it('answers hostile bodies with a 4xx, keeping verified ones for replay', async () => {
      const broken = '{"for_user_id": "2975699229", "direct_message_events": [';
      // Unparseable and naming no account: nothing to verify it with.
      expect((await post(broken)).statusCode).toBe(400);
      // The registered URL's account names it; it verifies, then fails to parse.
      expect((await post(broken, undefined, `?account=${ZAMMAD_ACCOUNT}`)).statusCode).toBe(400);
      const valid = fixture('zammad-dm-incoming.json');
      expect((await post(valid, { 'content-type': 'text/plain', 'x-twitter-webhooks-signature': sign(valid) })).statusCode).toBe(415);
      // X would resend these: unreadable events are answered, and kept with the reason for a replay.
      const noAuthor = JSON.stringify({ for_user_id: ZAMMAD_ACCOUNT, tweet_create_events: [{ id_str: '1', text: 'who am I' }] });
      expect((await post(noAuthor)).statusCode).toBe(200);
      const badDm = JSON.stringify({ for_user_id: ZAMMAD_ACCOUNT, direct_message_events: [{ type: 'message_create', id: '5' }] });
      expect((await post(badDm)).statusCode).toBe(200);
      expect((await post(JSON.stringify({ for_user_id: '999', direct_message_events: [] }))).statusCode).toBe(404);
      expect((await post(JSON.stringify([1, 2]))).statusCode).toBe(400);
      const big = JSON.stringify({ for_user_id: ZAMMAD_ACCOUNT, padding: 'x'.repeat(1_100_000) });
      expect((await post(big)).statusCode).toBe(413);
      const rejected = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('inbound_requests').select(['error']).where('channel', '=', 'x').where('status', '=', 'rejected').execute(),
      );
      expect(rejected.length).toBeGreaterThanOrEqual(4);
    });
  });

  describe('replies', () => {
    const replyOn = async (contactId: string, text: string) => {
      const handler = await signIn(app, 'handler@demo.police.uk');
      const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: text } });
      expect(reply.statusCode).toBe(201);
      return reply.json<{ message: { id: string } }>().message.id;
    };
    const detail = async (contactId: string, messageId: string) => {
      const handler = await signIn(app, 'handler@demo.police.uk');
      const response = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      return response.json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages.find((m) => m.id === messageId);
    };

    it('answers a DM with a v2 DM to the sender, as the account', async () => {
      const contactId = await contactOf('1206724334791753732');
      standIn.respondWith(201, { data: { dm_conversation_id: `${PENN}-${ZAMMAD_ACCOUNT}`, dm_event_id: '1582838499983564806' } });
      const messageId = await replyOn(contactId, 'Thank you. An officer will message you here.');
      const before = standIn.requests.length;
      await app.runner?.runDue();
      expect(standIn.requests.length).toBe(before + 1);
      const sent = standIn.requests.at(-1);
      expect(sent).toMatchObject({ method: 'POST', url: `/2/dm_conversations/with/${PENN}/messages` });
      expect(sent?.headers.authorization).toBe('Bearer test-user-token');
      expect(sent?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(sent?.body ?? '')).toEqual({ text: 'Thank you. An officer will message you here.' });
      expect(await detail(contactId, messageId)).toMatchObject({ deliveryStatus: 'sent' });
      expect(await messagesWith('1582838499983564806')).toHaveLength(1);
    });

    it('answers a mention with a reply post, and a reply to that post joins the same contact', async () => {
      const contactId = await contactOf('1209097192914313216');
      standIn.respondWith(201, { data: { id: '1209200000000000001', text: 'We have passed this on.', edit_history_tweet_ids: ['1209200000000000001'] } });
      const messageId = await replyOn(contactId, 'We have passed this on.');
      await app.runner?.runDue();
      const sent = standIn.requests.at(-1);
      expect(sent).toMatchObject({ method: 'POST', url: '/2/tweets' });
      expect(sent?.headers.authorization).toBe('Bearer test-user-token');
      expect(JSON.parse(sent?.body ?? '')).toEqual({ text: 'We have passed this on.', reply: { in_reply_to_tweet_id: '1209097192914313216' } });
      expect(await detail(contactId, messageId)).toMatchObject({ deliveryStatus: 'sent' });

      // The person answers our post: the captured reply, pointed at the post we created.
      const answer = fixture('zammad-mention-reply.json').toString('utf8')
        .replaceAll('1207623566339919872', '1209300000000000001')
        .replaceAll('1205348660982083584', '1209200000000000001');
      expect((await post(answer)).statusCode).toBe(200);
      expect(await contactOf('1209300000000000001')).toBe(contactId);
    });

    it('retries when X fails or rate-limits, and shows a refusal to the operator', async () => {
      const contactId = await contactOf('954491830116155396');
      standIn.respondWith(503, { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 });
      const retried = await replyOn(contactId, 'We are looking into it.');
      const before = standIn.requests.length;
      await app.runner?.runDue();
      expect(standIn.requests.length).toBe(before + 1);
      expect(await detail(contactId, retried)).toMatchObject({ deliveryStatus: 'retrying', deliveryError: 'X answered 503: Service Unavailable' });

      standIn.respondWith(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
      offsetMs += 60_000;
      await app.runner?.runDue();
      expect(standIn.requests.length).toBe(before + 2);
      expect(await detail(contactId, retried)).toMatchObject({ deliveryStatus: 'retrying' });

      standIn.respondWith(201, { data: { dm_conversation_id: `3001969357-${DOCS_ACCOUNT}`, dm_event_id: '1582838499983569999' } });
      offsetMs += 60_000;
      await app.runner?.runDue();
      expect(standIn.requests.length).toBe(before + 3);
      expect(standIn.requests.at(-1)?.url).toBe('/2/dm_conversations/with/3001969357/messages');
      expect(await detail(contactId, retried)).toMatchObject({ deliveryStatus: 'sent' });

      standIn.respondWith(403, { detail: 'You are not permitted to send a DM to this user.', type: 'about:blank', title: 'Forbidden', status: 403 });
      const refused = await replyOn(contactId, 'Second reply');
      await app.runner?.runDue();
      expect(await detail(contactId, refused)).toMatchObject({
        deliveryStatus: 'failed',
        deliveryError: 'X answered 403: You are not permitted to send a DM to this user.',
      });
    });
  });
});
