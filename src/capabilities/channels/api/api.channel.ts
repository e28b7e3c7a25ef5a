import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { instantField } from '../../../platform/http/request-fields.ts';
import { ChannelPayloadError, ChannelSendError, type ChannelAdapter, type ChannelMessage, type ConnectField } from '../channel.ts';
import { bearerToken, readJsonBody, secretsEqual, sha256Hex } from '../channel-kit.ts';
import { readIsoTime } from '../provider-time.ts';
import { emailAddressField } from '../../../platform/email-address.ts';
import { writtenText } from '../../../platform/visible-text.ts';

/**
 * The generic API channel: an integrator (a partner agency's system, a Nextdoor or LinkedIn
 * relay run by the force) posts messages with a per-force bearer token, and receives replies at a
 * callback URL it registered, signed with the same token.
 */
const configSchema = z.strictObject({
  token: z.string().min(12, 'must be at least 12 characters'),
  callbackUrl: z.url().nullable().default(null),
});
export type ApiChannelConfig = z.infer<typeof configSchema>;

/** The connect form's fields, one per setting of `configSchema`. */
const connectFields: ConnectField[] = [
  { name: 'token', label: 'API token', kind: 'secret', isOptional: false, identifiesAccount: true, hint: 'The bearer token the integration sends with every message, at least 12 characters. Choose a long random value and give it to the integration.' },
  { name: 'callbackUrl', label: 'Callback URL', kind: 'url', isOptional: true, hint: 'Where replies to the integration’s messages are posted, signed with the token. Leave blank if the integration takes no replies.' },
];

const messageSchema = z.strictObject({
  messageId: z.string().trim().min(1).max(200),
  threadId: z.string().trim().min(1).max(200).optional(),
  from: z
    .strictObject({
      email: emailAddressField().optional(),
      phone: z.string().trim().min(5).max(32).optional(),
      externalId: z.string().trim().min(1).max(200).optional(),
      name: z.string().trim().max(200).optional(),
    })
    .refine((from) => from.email || from.phone || from.externalId, 'needs email, phone or externalId'),
  // Refused as the portal refuses a report's text: blank, or only characters that show nothing.
  body: writtenText(z.string(), { blank: 'must hold text, not only spaces or invisible characters', tooLong: 'must be 20000 characters or fewer' }, 20_000),
  sentAt: instantField().optional(),
});

/** The header carrying when a callback was signed, in unix seconds. */
const CALLBACK_TIMESTAMP_HEADER = 'x-bluelamp-timestamp';
/** The header carrying a callback's signature, `v1=<hex>`. */
const CALLBACK_SIGNATURE_HEADER = 'x-bluelamp-signature';

/**
 * A callback's signature: HMAC-SHA256, keyed with the token, of `<timestamp>.<body>`, as Stripe
 * and Slack sign theirs. The time is signed with the body so that a callback captured on its way
 * cannot be posted to the integrator again later: they refuse one signed too long ago (decision
 * 0147). `v1` names this scheme, so another could be sent beside it one day.
 */
function signCallback(token: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', token).update(`${timestamp}.${body}`).digest('hex')}`;
}

export const apiChannel: ChannelAdapter<ApiChannelConfig> = {
  name: 'api',
  label: 'Generic API',
  providerName: 'The integration’s callback URL',
  configSchema,
  connectFields,
  demoAccounts: [{ label: 'Demo API integration', config: { token: 'demo-api-token', callbackUrl: null } }],
  secretCredential: { missing: 'No API token: send it as Authorization: Bearer <token>', wrong: 'Wrong API token', challenge: 'Bearer' },
  identifyAccount(request) {
    const token = bearerToken(request);
    return token ? sha256Hex(token) : null;
  },
  accountKeyOf(config) {
    return sha256Hex(config.token);
  },
  verify(request, config) {
    return secretsEqual(bearerToken(request), config.token) ? { ok: true } : { ok: false, reason: 'Wrong API token' };
  },
  parse(request) {
    const parsed = messageSchema.safeParse(readJsonBody(request));
    if (!parsed.success) {
      throw new ChannelPayloadError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    const m = parsed.data;
    const sender = m.from.email
      ? { kind: 'email' as const, value: m.from.email }
      : m.from.phone
        ? { kind: 'phone' as const, value: m.from.phone }
        : { kind: 'social' as const, value: `api:${m.from.externalId ?? ''}` };
    const message: ChannelMessage = {
      providerMessageId: m.messageId,
      // The person is the sender already; without a thread id, all their messages form one conversation.
      threadKey: m.threadId ?? 'direct',
      sender: { ...sender, displayName: m.from.name ?? null },
      body: m.body,
      // Kept as the message's sent time only when it could be one (decision 0172): not after tomorrow.
      sentAt: m.sentAt ? readIsoTime(m.sentAt, request.receivedAt) : null,
      meta: { threadId: m.threadId ?? null },
    };
    return { messages: [message], statuses: [] };
  },
  acknowledge(parsed) {
    return { status: 202, contentType: 'application/json', body: JSON.stringify({ accepted: parsed.messages.length }) };
  },
  outboundTargets(config) {
    return config.callbackUrl ? [{ field: 'callbackUrl', url: config.callbackUrl }] : [];
  },
  async send(message, config, { fetch: fetcher, clock }) {
    if (!config.callbackUrl) throw new ChannelSendError('the integrator registered no callback URL', true);
    const body = JSON.stringify({
      messageId: message.idempotencyKey,
      threadId: message.threadKey,
      to: message.recipient,
      reference: message.reference,
      body: message.body,
    });
    // Signed as each attempt goes, so a retry after a long backoff is not refused as old.
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    const response = await fetcher(config.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CALLBACK_TIMESTAMP_HEADER]: timestamp,
        [CALLBACK_SIGNATURE_HEADER]: signCallback(config.token, timestamp, body),
        'idempotency-key': message.idempotencyKey,
      },
      body,
    });
    if (!response.ok) {
      throw new ChannelSendError(`callback answered ${response.status}`, response.status >= 400 && response.status < 500 && response.status !== 429);
    }
    return { providerMessageId: message.idempotencyKey };
  },
};
