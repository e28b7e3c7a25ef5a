import { createHmac } from 'node:crypto';
import { z } from 'zod';
import {
  ChannelPayloadError,
  ChannelSendError,
  type ChannelAdapter,
  type ChannelMessage,
  type DeliveryStatusUpdate,
  type SmsOptOutChange,
  type ConnectField,
} from '../channel.ts';
import { bearerToken, isPublishedCredentialFor, readJsonBody, secretsEqual, sha256Hex } from '../channel-kit.ts';
import { readIsoTime } from '../provider-time.ts';

/**
 * GOV.UK Notify text messages. Notify forwards texts sent to the service's inbound number, and
 * delivery receipts for texts we sent, as JSON callbacks carrying the bearer token the force set
 * in Notify. Replies go through Notify's API using an SMS template whose whole content is
 * `((body))`. See docs/channels/sms-notify.md.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Notify API key is `{key name}-{service id}-{secret}`; the clients take the last 73 characters apart. */
export function notifyKeyParts(apiKey: string): { serviceId: string; secret: string } {
  return { serviceId: apiKey.slice(-73, -37), secret: apiKey.slice(-36) };
}

const configSchema = z.strictObject({
  /** The bearer token set on both Notify callbacks (received text messages and delivery receipts). */
  callbackToken: z.string().min(10, 'must be at least 10 characters, as Notify requires'),
  apiKey: z.string().refine((key) => {
    const { serviceId, secret } = notifyKeyParts(key);
    return key.length > 74 && key.at(-37) === '-' && key.at(-74) === '-' && UUID.test(serviceId) && UUID.test(secret);
  }, 'must be a Notify API key (key name, service id, secret)'),
  /** An SMS template whose content is exactly `((body))`. */
  replyTemplateId: z.guid(),
  /** The text message sender to reply from (the inbound number's sender id); null for the service default. */
  smsSenderId: z.guid().nullable().default(null),
  apiBaseUrl: z.url().default('https://api.notifications.service.gov.uk'),
  /**
   * Victims' journey messages (the outbox) go through this service too: text messages with
   * `journeySmsTemplateId` (content `((body))`; the reply template when null), and emails with
   * `journeyEmailTemplateId` (subject `((subject))`, content `((body))`) when set, else by SMTP.
   */
  journeySmsTemplateId: z.guid().nullable().default(null),
  journeyEmailTemplateId: z.guid().nullable().default(null),
  /** The reply-to address of journey emails (an id from the Notify service's settings); null for the default. */
  journeyEmailReplyToId: z.guid().nullable().default(null),
});
export type NotifyChannelConfig = z.infer<typeof configSchema>;

/** The connect form's fields, one per setting of `configSchema`. */
const connectFields: ConnectField[] = [
  { name: 'callbackToken', label: 'Callback bearer token', kind: 'secret', isOptional: false, identifiesAccount: true, hint: 'The bearer token set on both of the service’s callbacks (received text messages and delivery receipts), under API integration, Callbacks. At least 10 characters.' },
  { name: 'apiKey', label: 'API key', kind: 'secret', isOptional: false, hint: 'A live API key from API integration, API keys: key name, service ID and secret in one.' },
  { name: 'replyTemplateId', label: 'Reply template ID', kind: 'text', isOptional: false, hint: 'The ID of a text message template whose content is exactly ((body)), shown under the template.' },
  { name: 'smsSenderId', label: 'Text message sender ID', kind: 'text', isOptional: true, hint: 'The sender to reply from, under Settings, Text message senders. Leave blank for the service’s default.' },
  { name: 'apiBaseUrl', label: 'Notify API address', kind: 'url', isOptional: true, default: 'https://api.notifications.service.gov.uk', hint: 'Change it only for a training simulator.' },
  { name: 'journeySmsTemplateId', label: 'Journey text template ID', kind: 'text', isOptional: true, hint: 'A text message template with content ((body)) for victims’ journey messages. Leave blank to use the reply template.' },
  { name: 'journeyEmailTemplateId', label: 'Journey email template ID', kind: 'text', isOptional: true, hint: 'An email template with subject ((subject)) and content ((body)). Leave blank to send journey emails by the force’s mail server.' },
  { name: 'journeyEmailReplyToId', label: 'Journey email reply-to ID', kind: 'text', isOptional: true, hint: 'A reply-to address ID from Settings, Reply-to email addresses. Leave blank for the service’s default.' },
];

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A compact JWS signed with HMAC-SHA256. */
export function hs256Jwt(header: object, payload: object, secret: string): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The bearer token for Notify's API: issued by the service, now, signed with the key's secret. */
export function notifyApiToken(apiKey: string, nowSeconds: number): string {
  const { serviceId, secret } = notifyKeyParts(apiKey);
  return hs256Jwt({ typ: 'JWT', alg: 'HS256' }, { iss: serviceId, iat: nowSeconds }, secret);
}

/** Notify gives UK numbers as `447700900123` (or national `07700900123`); people are stored in E.164. */
export function notifyNumberToE164(number: string): string {
  const compact = number.replace(/[\s()-]/g, '');
  if (/^\+\d+$/.test(compact)) return compact;
  if (/^00\d+$/.test(compact)) return `+${compact.slice(2)}`;
  if (/^0\d+$/.test(compact)) return `+44${compact.slice(1)}`;
  if (/^\d+$/.test(compact)) return `+${compact}`;
  return number.trim();
}

/**
 * The texts we take as a person's STOP or START (decision 0067). Notify, unlike Twilio, acts on
 * none of them: it forwards every received text, so the opt-out is ours to record. Only the words
 * that mean "no more texts" and nothing else to someone writing to the police, in English and
 * Welsh: not Twilio's CANCEL, END, QUIT or YES, nor HELP, which a victim may well mean.
 */
const OPT_OUT_KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'STOPIO', 'DAD-DANYSGRIFIO']);
const OPT_IN_KEYWORDS = new Set(['START', 'UNSTOP', 'DECHRAU']);

/** A number the opt-out list can hold (E.164), as Twilio's adapter requires. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** The opt-out (or opt-in) a received text is, when it is only a keyword (any case, spaces around); null for a message. */
function optOutChangeOf(number: string, text: string): SmsOptOutChange | null {
  const word = text.trim().toUpperCase();
  const change = OPT_OUT_KEYWORDS.has(word) ? 'opted_out' : OPT_IN_KEYWORDS.has(word) ? 'opted_in' : null;
  return change && E164.test(number) ? { phoneNumber: number, change } : null;
}

const receivedTextSchema = z.object({
  id: z.string().trim().min(1).max(100),
  // A phone number in any of the forms Notify gives (447700900123, 07700 900123, +44…): digits, not a name or a NUL.
  source_number: z
    .string()
    .trim()
    .regex(/^\+?[\d\s()-]{3,32}$/, 'must be a phone number'),
  destination_number: z.string().trim().min(1).max(32),
  message: z.string().max(20_000),
  date_received: z.string().max(64).nullish(),
});

// Notify's callbacks (docs.notifications.service.gov.uk, "Callbacks"): a received text's
// `date_received` and a receipt's `created_at` are always a time such as 2017-05-14T12:15:30.000000Z;
// a receipt's `completed_at` and `sent_at` may be null. A receipt's times are not used, so they are
// not read; a text's time is believed only when it could be one, and a text is never refused for
// its time: what the person wrote matters more than when Notify says they wrote it.
const receiptSchema = z.object({
  id: z.string().trim().min(1).max(100),
  status: z.string(),
  notification_type: z.string().nullish(),
  reference: z.string().nullish(),
});

/** Notify's final statuses; `sent` is final for international numbers, which get no receipt. */
function deliveryStatus(id: string, status: string): DeliveryStatusUpdate | null {
  switch (status) {
    case 'delivered':
      return { providerMessageId: id, status: 'delivered', reason: null };
    case 'sent':
      return { providerMessageId: id, status: 'sent', reason: null };
    case 'permanent-failure':
    case 'temporary-failure':
    case 'technical-failure':
    case 'validation-failed':
      return { providerMessageId: id, status: 'failed', reason: status };
    default:
      return null;
  }
}

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');


/** The demo Notify service's API key: published, so it must never reach Notify itself. */
const DEMO_API_KEY = 'bluelamp_demo-11111111-1111-4111-8111-111111111111-22222222-2222-4222-8222-222222222222';

export const notifySmsChannel: ChannelAdapter<NotifyChannelConfig> = {
  name: 'sms_notify',
  label: 'SMS (GOV.UK Notify)',
  providerName: 'GOV.UK Notify',
  configSchema,
  connectFields,
  demoAccounts: [
    {
      label: 'Demo Notify service',
      config: {
        callbackToken: 'demo-notify-token',
        apiKey: DEMO_API_KEY,
        replyTemplateId: '33333333-3333-4333-8333-333333333333',
        smsSenderId: null,
        apiBaseUrl: 'https://api.notifications.service.gov.uk',
        journeySmsTemplateId: null,
        journeyEmailTemplateId: null,
        journeyEmailReplyToId: null,
      },
    },
  ],
  isDemoStandIn(config) {
    return isPublishedCredentialFor({ credentials: [config.apiKey], url: config.apiBaseUrl }, { published: [DEMO_API_KEY], domains: ['notifications.service.gov.uk'] });
  },
  secretCredential: { missing: 'No bearer token: send the callback token as Authorization: Bearer <token>', wrong: 'Wrong bearer token', challenge: 'Bearer' },
  identifyAccount(request) {
    const token = bearerToken(request);
    return token ? sha256Hex(token) : null;
  },
  accountKeyOf(config) {
    return sha256Hex(config.callbackToken);
  },
  verify(request, config) {
    return secretsEqual(bearerToken(request), config.callbackToken) ? { ok: true } : { ok: false, reason: 'Wrong bearer token' };
  },
  parse(request) {
    const json = readJsonBody(request);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ChannelPayloadError('body is not a JSON object');

    // Notify's callbacks carry no event type: each kind is known by its fields.
    if ('source_number' in json) {
      const parsed = receivedTextSchema.safeParse(json);
      if (!parsed.success) throw new ChannelPayloadError(issues(parsed.error));
      const text = parsed.data;
      // Missing, unreadable or unbelievable (before 1970, days ahead): not known, rather than wrong.
      const sentAt = text.date_received ? readIsoTime(text.date_received, request.receivedAt) : null;
      const ourNumber = notifyNumberToE164(text.destination_number);
      const from = notifyNumberToE164(text.source_number);
      // As with Twilio: a keyword is the person's opt-out (or opt-in), not a report. It is kept with
      // the raw request and opens no contact, so no acknowledgement goes to a number that said STOP.
      const optOut = optOutChangeOf(from, text.message);
      if (optOut) return { messages: [], statuses: [], smsOptOuts: [optOut] };
      const message: ChannelMessage = {
        providerMessageId: text.id,
        // One conversation per person per force number: SMS has no threads of its own.
        threadKey: `sms:${ourNumber}`,
        sender: { kind: 'phone', value: from, displayName: null },
        body: text.message,
        sentAt,
        meta: { destinationNumber: ourNumber },
      };
      return { messages: [message], statuses: [] };
    }
    if ('status' in json) {
      const parsed = receiptSchema.safeParse(json);
      if (!parsed.success) throw new ChannelPayloadError(issues(parsed.error));
      const receipt = parsed.data;
      const status = deliveryStatus(receipt.id, receipt.status);
      if (!status) return { messages: [], statuses: [] };
      // The service's emails and letters report to the same URL: only the outbox sends those
      // (journey emails), never a reply on a thread.
      const isAboutText = !receipt.notification_type || receipt.notification_type === 'sms';
      return { messages: [], statuses: [{ ...status, reference: receipt.reference ?? null, ...(isAboutText ? {} : { isOutboxOnly: true }) }] };
    }
    // Email complaints and returned letters: Notify events that are not about texts.
    if ('notification_id' in json) return { messages: [], statuses: [] };
    throw new ChannelPayloadError('not a Notify received text message or delivery receipt');
  },
  acknowledge() {
    return { status: 200, contentType: 'application/json', body: '{"ok":true}' };
  },
  outboundTargets(config) {
    return [{ field: 'apiBaseUrl', url: config.apiBaseUrl }];
  },
  isTextMessage() {
    // Every reply through Notify is a text: a number that opted out gets none (the reply fails, saying why).
    return true;
  },
  async send(message, config, { fetch: fetcher }) {
    if (message.recipient.kind !== 'phone') throw new ChannelSendError('the contact has no phone number', true);
    const body = JSON.stringify({
      phone_number: message.recipient.value,
      template_id: config.replyTemplateId,
      personalisation: { body: message.body },
      reference: message.idempotencyKey,
      ...(config.smsSenderId ? { sms_sender_id: config.smsSenderId } : {}),
    });
    const response = await fetcher(`${config.apiBaseUrl.replace(/\/$/, '')}/v2/notifications/sms`, {
      method: 'POST',
      headers: {
        // The token's issued-at is the machine's real time, not the app's clock: Notify refuses a
        // token more than 30 seconds from its own time, whatever time a test or replay runs at.
        authorization: `Bearer ${notifyApiToken(config.apiKey, Math.floor(Date.now() / 1000))}`,
        'content-type': 'application/json',
      },
      body,
    });
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = z.object({ errors: z.array(z.object({ error: z.string(), message: z.string() })) }).safeParse(json);
      const detail = error.success ? error.data.errors.map((e) => `${e.error}: ${e.message}`).join('; ') : '';
      const reason = `Notify answered ${response.status}${detail ? `: ${detail}` : ''}`.slice(0, 500);
      throw new ChannelSendError(reason, response.status >= 400 && response.status < 500 && response.status !== 429);
    }
    const created = z.object({ id: z.string().min(1) }).safeParse(json);
    // Notify may have accepted the text: failing for good is better than texting the person twice.
    if (!created.success) throw new ChannelSendError('Notify answered without a notification id', true);
    return { providerMessageId: created.data.id };
  },
};
