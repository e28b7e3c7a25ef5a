import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForce } from '../../src/platform/db/database.ts';
import { metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { APP_SECRET as WHATSAPP_SECRET, connectNumber, fixtureJson as whatsappSample } from './whatsapp-cloud-kit.ts';

// When a member of the public sent a message, as the provider says, is kept beside when it reached
// us, and staff read both (decision 0172). A time that could not be one (1960, 30 February, next
// century, a word) leaves the sent time unknown: the message is stored all the same, never refused.

/** When every webhook of these tests reaches us. */
const NOW = new Date('2026-03-02T09:05:00Z');
/** When the sane payloads say the person sent their message: five minutes before it reached us. */
const SENT = new Date('2026-03-02T09:00:00Z');
const SENT_SECONDS = SENT.getTime() / 1000;
const SENT_MS = SENT.getTime();

const sample = (path: string) => JSON.parse(readFileSync(new URL(`../../src/capabilities/channels/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;
type Json = Record<string, unknown>;
const child = (value: unknown, key: string | number): Json => {
  const found: unknown = Array.isArray(value) ? value[Number(key)] : (value as Json)[String(key)];
  if (typeof found !== 'object' || found === null) throw new Error(`the sample has no ${String(key)}`);
  return found as Json;
};

describe('the time a member of the public sent a message', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock: { now: () => new Date(NOW) } } });
    // The Graph API is never called: only the webhook is.
    await connectNumber(app, app.demoForceId, 'http://127.0.0.1:9');
  });
  afterAll(() => app.close());

  /** The stored message with this provider id: its sent time, and the contact it is on. */
  const storedMessage = async (channel: string, providerId: string) => {
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['contact_id', 'sent_at', 'created_at']).where('channel', '=', channel).where('provider_message_id', '=', providerId).execute(),
    );
    expect(rows, providerId).toHaveLength(1);
    const [row] = rows;
    if (!row) throw new Error(providerId);
    return row;
  };

  /** What staff read of that message: the contact view's sent and received times. */
  const viewed = async (channel: string, providerId: string) => {
    const row = await storedMessage(channel, providerId);
    const handler = await signIn(app, 'handler@demo.police.uk');
    const response = await app.inject({ method: 'GET', url: `/api/contacts/${row.contact_id}`, headers: handler.headers });
    expect(response.statusCode).toBe(200);
    const messages = response.json<{ messages: { body: string; sentAt: string | null; createdAt: string }[] }>().messages;
    return { row, messages };
  };

  const postMeta = (body: Json, secret: string) => {
    const raw = JSON.stringify(body);
    return app.inject({ method: 'POST', url: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(Buffer.from(raw), secret) }, payload: raw });
  };

  it('keeps-a-whatsapp-sent-time-in-seconds-and-takes-the-message-without-one-that-cannot-be', async () => {
    const cases: [string, unknown, string | null][] = [
      ['sane', String(SENT_SECONDS), SENT.toISOString()],
      ['1960', String(Date.UTC(1960, 0, 1) / 1000), null],
      ['next-century', String(Date.UTC(2100, 0, 1) / 1000), null],
      ['word', 'yesterday', null],
      ['fraction', '1772442000.5', null],
      ['absent', undefined, null],
    ];
    for (const [name, timestamp, expected] of cases) {
      const body = whatsappSample('whatsapp-text.json') as unknown as Json;
      const value = child(child(child(child(body, 'entry'), 0), 'changes'), 0).value as Json;
      value.messages = [{ from: '447700900301', id: `wamid.time-${name}`, timestamp, type: 'text', text: { body: `WhatsApp message, time ${name}` } }];
      expect((await postMeta(body, WHATSAPP_SECRET)).statusCode, name).toBe(200);
      expect((await storedMessage('meta', `wamid.time-${name}`)).sent_at?.toISOString() ?? null, name).toBe(expected);
    }
  });

  it('keeps-a-messenger-or-instagram-sent-time-in-milliseconds-and-takes-the-message-without-one-that-cannot-be', async () => {
    const cases: [string, unknown, string | null][] = [
      ['sane', SENT_MS, SENT.toISOString()],
      ['1960', Date.UTC(1960, 0, 1), null],
      ['next-century', Date.UTC(2100, 0, 1), null],
      ['word', 'yesterday', null],
      ['object', { at: SENT_MS }, null],
      ['absent', undefined, null],
    ];
    for (const [fixture, platform] of [['facebook-message.json', 'fb'], ['instagram-message.json', 'ig']] as const) {
      for (const [name, timestamp, expected] of cases) {
        const body = sample(`meta/fixtures/${fixture}`);
        const entry = child(child(body, 'entry'), 0);
        const event = child(child(entry, 'messaging'), 0);
        event.timestamp = timestamp;
        entry.time = timestamp;
        const message = child(event, 'message');
        message.mid = `mid.${platform}-time-${name}`;
        message.text = `${platform} message, time ${name}`;
        expect((await postMeta(body, 'demo-meta-app-secret')).statusCode, `${platform} ${name}`).toBe(200);
        expect((await storedMessage('meta', `mid.${platform}-time-${name}`)).sent_at?.toISOString() ?? null, `${platform} ${name}`).toBe(expected);
      }
    }
  });

  it('keeps-a-page-comment-sent-time-in-seconds-and-takes-the-comment-without-one-that-cannot-be', async () => {
    for (const [name, createdTime, expected] of [
      ['sane', SENT_SECONDS, SENT.toISOString()],
      ['1960', Date.UTC(1960, 0, 1) / 1000, null],
      ['word', 'last week', null],
    ] as const) {
      const body = sample('meta/fixtures/facebook-comment-add.json');
      const value = child(child(child(child(body, 'entry'), 0), 'changes'), 0).value as Json;
      Object.assign(value, { created_time: createdTime, comment_id: `44444444_${name}`, message: `Comment, time ${name}` });
      expect((await postMeta(body, 'demo-meta-app-secret')).statusCode, name).toBe(200);
      expect((await storedMessage('meta', `44444444_${name}`)).sent_at?.toISOString() ?? null, name).toBe(expected);
    }
  });

  it('keeps-an-x-direct-message-sent-time-in-milliseconds-and-takes-the-message-without-one-that-cannot-be', async () => {
    const cases: [string, unknown, string | null][] = [
      ['sane', String(SENT_MS), SENT.toISOString()],
      ['1960', String(Date.UTC(1960, 0, 1)), null],
      ['next-century', String(Date.UTC(2100, 0, 1)), null],
      ['word', 'not a time', null],
      ['number', SENT_MS, SENT.toISOString()],
    ];
    for (const [index, [name, createdTimestamp, expected]] of cases.entries()) {
      const body = sample('x/fixtures/zammad-dm-incoming.json');
      body.for_user_id = '2000000000001';
      const event = child(child(body, 'direct_message_events'), 0);
      Object.assign(event, { id: `90000000000000000${index}`, created_timestamp: createdTimestamp });
      child(child(event, 'message_create'), 'target').recipient_id = '2000000000001';
      child(child(event, 'message_create'), 'message_data').text = `X message, time ${name}`;
      const raw = JSON.stringify(body);
      const signature = `sha256=${createHmac('sha256', 'demo-x-consumer-secret').update(raw).digest('base64')}`;
      const response = await app.inject({ method: 'POST', url: '/webhooks/x', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature }, payload: raw });
      expect(response.statusCode, name).toBe(200);
      expect((await storedMessage('x', `90000000000000000${index}`)).sent_at?.toISOString() ?? null, name).toBe(expected);
    }
  });

  it('keeps-an-x-mention-sent-time-from-its-date-in-words-unless-the-day-does-not-exist', async () => {
    for (const [index, [name, createdAt, expected]] of ([
      ['sane', 'Mon Mar 02 09:00:00 +0000 2026', SENT.toISOString()],
      ['30-february', 'Mon Feb 30 09:00:00 +0000 2026', null],
      ['1960', 'Fri Jan 01 00:00:00 +0000 1960', null],
    ] as const).entries()) {
      const body = sample('x/fixtures/zammad-mention-extended.json');
      body.for_user_id = '2000000000001';
      const tweet = child(child(body, 'tweet_create_events'), 0);
      Object.assign(tweet, { id_str: `80000000000000000${index}`, created_at: createdAt, text: `Mention, time ${name}` });
      delete tweet.timestamp_ms;
      delete tweet.extended_tweet;
      const raw = JSON.stringify(body);
      const signature = `sha256=${createHmac('sha256', 'demo-x-consumer-secret').update(raw).digest('base64')}`;
      const response = await app.inject({ method: 'POST', url: '/webhooks/x', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature }, payload: raw });
      expect(response.statusCode, name).toBe(200);
      expect((await storedMessage('x', `80000000000000000${index}`)).sent_at?.toISOString() ?? null, name).toBe(expected);
    }
  });

  it('keeps-a-call-event-time-and-takes-the-call-without-one-that-cannot-be', async () => {
    const call = sample('telephony/fixtures/call-999-offered.json');
    for (const [index, [name, startedAt, expected]] of ([
      ['sane', '2026-03-02T09:00:00Z', SENT.toISOString()],
      ['1960', '1960-01-01T00:00:00Z', null],
      ['30-february', '2026-02-30T09:00:00Z', null],
      ['next-century', '2100-01-01T00:00:00Z', null],
      ['word', 'yesterday', null],
    ] as const).entries()) {
      const callId = `call-time-${name}`;
      const response = await app.inject({
        method: 'POST',
        url: '/webhooks/telephony/calls',
        headers: { 'x-bluelamp-telephony-secret': 'demo-telephony-secret', 'content-type': 'application/json' },
        payload: JSON.stringify({ ...call, callId, startedAt, callerNumber: `+44770090070${index}` }),
      });
      expect(response.statusCode, name).toBe(200);
      expect((await storedMessage('phone', `${callId}:offered`)).sent_at?.toISOString() ?? null, name).toBe(expected);
    }
  });

  it('keeps-a-partner-sent-time-unless-it-is-after-tomorrow', async () => {
    for (const [name, sentAt, expected] of [
      ['sane', SENT.toISOString(), SENT.toISOString()],
      ['far-future', '2090-01-01T00:00:00Z', null],
    ] as const) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/channels/api/messages',
        headers: { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' },
        payload: JSON.stringify({ messageId: `partner-time-${name}`, from: { externalId: 'partner-7' }, body: `Partner report, time ${name}`, sentAt }),
      });
      expect(response.statusCode, name).toBe(202);
      expect((await storedMessage('api', `partner-time-${name}`)).sent_at?.toISOString() ?? null, name).toBe(expected);
    }
  });

  it('shows-staff-when-the-person-sent-a-message-beside-when-it-reached-us', async () => {
    const sane = await viewed('meta', 'wamid.time-sane');
    const shown = sane.messages.find((message) => message.body === 'WhatsApp message, time sane');
    expect(shown).toMatchObject({ sentAt: SENT.toISOString(), createdAt: sane.row.created_at.toISOString() });
    const unknown = await viewed('meta', 'wamid.time-1960');
    expect(unknown.messages.find((message) => message.body === 'WhatsApp message, time 1960')?.sentAt).toBeNull();
  });
});
