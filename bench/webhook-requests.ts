import { createHash, createHmac, randomUUID } from 'node:crypto';

/** One webhook request ready to send, with the provider id it carries. */
export type Built = { channel: string; providerId: string; path: string; headers: Record<string, string>; body: string };
export type Builder = (base: string) => Built;

const phone = () => `+4477009${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`;
const TEXT = 'There is a man outside the shop shouting and waving what looks like a knife, please send someone';

/** Signed, real-format requests for each demo channel, with the documented demo secrets. */
export const BUILDERS: Record<string, Builder> = {
  api: () => {
    const id = randomUUID();
    return {
      channel: 'api',
      providerId: id,
      path: '/api/channels/api/messages',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-api-token' },
      body: JSON.stringify({ messageId: id, from: { phone: phone(), name: 'Bench' }, body: TEXT }),
    };
  },
  meta: () => {
    const mid = `m_${randomUUID()}`;
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: '1000000000001',
          time: Date.now(),
          messaging: [{ sender: { id: String(Math.floor(Math.random() * 1e15)) }, recipient: { id: '1000000000001' }, timestamp: Date.now(), message: { mid, text: TEXT } }],
        },
      ],
    });
    const signature = createHmac('sha256', 'demo-meta-app-secret').update(body).digest('hex');
    return { channel: 'meta', providerId: mid, path: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` }, body };
  },
  sms_twilio: (base) => {
    const sid = `SM${createHash('md5').update(randomUUID()).digest('hex')}`;
    const params: Record<string, string> = {
      AccountSid: 'AC00000000000000000000000000000001',
      ApiVersion: '2010-04-01',
      Body: TEXT,
      From: phone(),
      MessageSid: sid,
      NumMedia: '0',
      NumSegments: '1',
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: 'received',
      To: '+447700900001',
    };
    const url = `${base}/webhooks/twilio/sms`;
    const signed = url + Object.keys(params).sort().map((key) => key + params[key]).join('');
    const signature = createHmac('sha1', 'demo-twilio-auth-token').update(signed).digest('base64');
    return {
      channel: 'sms_twilio',
      providerId: sid,
      path: '/webhooks/twilio/sms',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    };
  },
  sms_notify: () => {
    const id = randomUUID();
    return {
      channel: 'sms_notify',
      providerId: id,
      path: '/webhooks/notify/inbound-sms',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-notify-token' },
      body: JSON.stringify({ id, source_number: phone().slice(1), destination_number: '07700900002', message: TEXT, date_received: new Date().toISOString() }),
    };
  },
  x: () => {
    const id = String(Math.floor(Math.random() * 1e18));
    const sender = String(Math.floor(Math.random() * 1e12));
    const body = JSON.stringify({
      for_user_id: '2000000000001',
      direct_message_events: [
        { type: 'message_create', id, created_timestamp: String(Date.now()), message_create: { target: { recipient_id: '2000000000001' }, sender_id: sender, message_data: { text: TEXT, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } } },
      ],
      users: { [sender]: { id: sender, name: 'Bench', screen_name: 'bench' } },
    });
    const signature = createHmac('sha256', 'demo-x-consumer-secret').update(body).digest('base64');
    return { channel: 'x', providerId: id, path: '/webhooks/x', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': `sha256=${signature}` }, body };
  },
  phone: () => {
    const callId = randomUUID();
    return {
      channel: 'phone',
      providerId: `${callId}:offered`,
      path: '/webhooks/telephony/calls',
      headers: { 'content-type': 'application/json', 'x-bluelamp-telephony-secret': 'demo-telephony-secret' },
      body: JSON.stringify({ callId, line: '101', callerNumber: phone(), calledNumber: '101', queue: 'General', startedAt: new Date().toISOString(), event: 'offered' }),
    };
  },
};
