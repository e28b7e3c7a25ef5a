import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ChannelPayloadError, ChannelSendError, type ChannelAdapter, type ChannelMessage, type ParsedInbound, type ConnectField } from '../channel.ts';
import { isPublishedCredentialFor, readJsonBody } from '../channel-kit.ts';
import { readEpochTime, readTextTime } from '../provider-time.ts';

/**
 * X (Twitter) through the Account Activity API: @mentions and direct messages of the force's
 * account arrive as signed webhooks; replies go out through the v2 API as the account itself.
 *
 * X calls one webhook URL per app for every subscribed account. POSTs name the account in
 * `for_user_id`. The challenge-response check (a GET) names none, so the URL registered with X
 * carries `?account=<user id>`; a GET without it is taken to be for the demo account.
 */

const DEFAULT_API_BASE_URL = 'https://api.x.com';
/** The demo force's account, answered when a CRC names no account (see docs/channels/x.md). */
const DEMO_USER_ID = '2000000000001';

const configSchema = z.strictObject({
  /** The numeric X user id of the force's account: `for_user_id` in every webhook. */
  userId: z.string().regex(/^\d{1,20}$/, 'must be the numeric X user id'),
  /** The X app's consumer secret (API key secret): it signs CRC answers and webhooks. */
  consumerSecret: z.string().min(10, 'must be at least 10 characters'),
  /** OAuth 2.0 user-context access token of the account, with tweet.write and dm.write. */
  userAccessToken: z.string().min(1),
  apiBaseUrl: z.url().default(DEFAULT_API_BASE_URL),
});
export type XChannelConfig = z.infer<typeof configSchema>;

/** The connect form's fields, one per setting of `configSchema`. */
const connectFields: ConnectField[] = [
  { name: 'userId', label: 'X user ID', kind: 'text', isOptional: false, identifiesAccount: true, hint: 'The numeric id of the force’s X account (not its @name).' },
  { name: 'consumerSecret', label: 'API key secret', kind: 'secret', isOptional: false, hint: 'The X app’s consumer secret, under the app’s Keys and tokens in the Developer Portal. It signs webhooks.' },
  { name: 'userAccessToken', label: 'User access token', kind: 'secret', isOptional: false, hint: 'An OAuth 2.0 access token of the force’s account with tweet.write and dm.write.' },
  { name: 'apiBaseUrl', label: 'X API address', kind: 'url', isOptional: true, default: 'https://api.x.com', hint: 'Change it only for a training simulator.' },
];

const idString = z.string().regex(/^\d{1,20}$/);

/** Only the fields of a v1.1 Tweet object the adapter reads; X sends many more. */
const tweetSchema = z.object({
  id_str: idString,
  text: z.string().optional(),
  extended_tweet: z.object({ full_text: z.string() }).optional(),
  in_reply_to_status_id_str: idString.nullish(),
  retweeted_status: z.unknown().optional(),
  // Times are read by provider-time, never required: a post is never unreadable for its time (decision 0172).
  timestamp_ms: z.unknown().optional(),
  created_at: z.unknown().optional(),
  user: z.object({ id_str: idString, screen_name: z.string().optional(), name: z.string().optional() }),
});

const directMessageSchema = z.object({
  type: z.literal('message_create'),
  id: idString,
  created_timestamp: z.unknown().optional(),
  message_create: z.object({
    sender_id: idString,
    target: z.object({ recipient_id: idString }).optional(),
    message_data: z.object({ text: z.string().optional() }).optional(),
  }),
});

const userSchema = z.object({ name: z.string().optional(), screen_name: z.string().optional() });

const payloadSchema = z.object({
  for_user_id: idString.optional(),
  tweet_create_events: z.array(z.unknown()).optional(),
  direct_message_events: z.array(z.unknown()).optional(),
  users: z.record(z.string(), z.unknown()).optional(),
});

const hmacBase64 = (secret: string, message: string | Buffer) => createHmac('sha256', secret).update(message).digest('base64');

/** The CRC answer X expects: `sha256=` + base64 HMAC-SHA256 of the token, keyed with the consumer secret. */
export function crcResponseToken(consumerSecret: string, crcToken: string): string {
  return `sha256=${hmacBase64(consumerSecret, crcToken)}`;
}

/** The `x-twitter-webhooks-signature` X sends with a body. */
export function webhookSignature(consumerSecret: string, rawBody: Buffer): string {
  return `sha256=${hmacBase64(consumerSecret, rawBody)}`;
}

/** Constant-time check of a `sha256=<base64>` signature over the exact raw bytes. */
export function isValidSignature(consumerSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  const match = /^sha256=([A-Za-z0-9+/]+={0,2})$/.exec(header?.trim() ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'base64');
  const expected = createHmac('sha256', consumerSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The account a webhook body is about: `for_user_id`, or the revoking user of a `user_event`. */
function accountInBody(rawBody: Buffer): string | null {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return null;
  }
  const named = z
    .object({
      for_user_id: idString.optional(),
      user_event: z.object({ revoke: z.object({ source: z.object({ user_id: idString }) }) }).optional(),
    })
    .safeParse(json);
  if (!named.success) return null;
  return named.data.for_user_id ?? named.data.user_event?.revoke.source.user_id ?? null;
}

/** X's v1.1 text escapes exactly these three; the console escapes text itself, so undo them once. */
function unescapeXText(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

function issuesOf(error: z.ZodError, where: string): string {
  return error.issues.map((i) => `${where}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`).join('; ');
}

function parseMention(event: unknown, index: number, ownUserId: string, receivedAt: Date): ChannelMessage | null {
  const parsed = tweetSchema.safeParse(event);
  if (!parsed.success) throw new ChannelPayloadError(issuesOf(parsed.error, `tweet_create_events.${index}`));
  const tweet = parsed.data;
  // The account's own posts and replies come back as events too; retweets say nothing to us.
  if (tweet.user.id_str === ownUserId || tweet.retweeted_status != null) return null;
  const text = tweet.extended_tweet?.full_text ?? tweet.text ?? '';
  const inReplyTo = tweet.in_reply_to_status_id_str ?? null;
  return {
    providerMessageId: tweet.id_str,
    // v1.1 payloads carry no conversation id: the post it answers groups a reply with its siblings.
    threadKey: `tweet:${inReplyTo ?? tweet.id_str}`,
    sender: { kind: 'social', value: `x:${tweet.user.id_str}`, displayName: tweet.user.name ?? tweet.user.screen_name ?? null },
    body: unescapeXText(text).trim() || '(no text)',
    // Milliseconds as a string in the account activity's events; the v1.1 date in words otherwise.
    sentAt: readEpochTime(tweet.timestamp_ms, 'milliseconds', receivedAt) ?? readTextTime(tweet.created_at, receivedAt),
    // A reply to one of our replies joins the contact that reply belongs to.
    ...(inReplyTo ? { inReplyTo: [inReplyTo] } : {}),
    meta: { kind: 'mention', tweetId: tweet.id_str, screenName: tweet.user.screen_name ?? null },
  };
}

function parseDirectMessage(event: unknown, index: number, ownUserId: string, users: Record<string, unknown>, receivedAt: Date): ChannelMessage | null {
  // Only message_create events are messages; anything else X may add is ignored.
  if (!z.object({ type: z.literal('message_create') }).safeParse(event).success) return null;
  const parsed = directMessageSchema.safeParse(event);
  if (!parsed.success) throw new ChannelPayloadError(issuesOf(parsed.error, `direct_message_events.${index}`));
  const dm = parsed.data;
  const senderId = dm.message_create.sender_id;
  // DMs the account sends (our replies included) are delivered as events too.
  if (senderId === ownUserId) return null;
  const user = userSchema.safeParse(users[senderId]);
  const sender = user.success ? user.data : {};
  return {
    providerMessageId: dm.id,
    threadKey: `dm:${senderId}`,
    sender: { kind: 'social', value: `x:${senderId}`, displayName: sender.name ?? sender.screen_name ?? null },
    body: unescapeXText(dm.message_create.message_data?.text ?? '').trim() || '(no text)',
    sentAt: readEpochTime(dm.created_timestamp, 'milliseconds', receivedAt),
    meta: { kind: 'dm', tweetId: null, screenName: sender.screen_name ?? null },
  };
}

/**
 * Adds one event's message to `out`; an event it cannot read is noted in `out.unreadable` instead
 * of failing its batch. X resends a batch it was not answered 200 for, so refusing the whole batch
 * for one event would lose the good ones with it (the request is kept as rejected, for replay).
 */
function readEvent(out: ParsedInbound, parse: () => ChannelMessage | null): void {
  try {
    const message = parse();
    if (message) out.messages.push(message);
  } catch (error) {
    if (!(error instanceof ChannelPayloadError)) throw error;
    (out.unreadable ??= []).push(error.message);
  }
}

/** X's reason for a refusal (its errors are RFC 7807 problem documents), kept short. */
async function refusalReason(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let reason = '';
  try {
    const problem = z.object({ detail: z.string().optional(), title: z.string().optional() }).safeParse(JSON.parse(text));
    if (problem.success) reason = problem.data.detail ?? problem.data.title ?? '';
  } catch {
    // Not JSON: the status alone says enough.
  }
  return `X answered ${response.status}${reason ? `: ${reason.slice(0, 200)}` : ''}`;
}

/** The demo account's user access token: published, so it must never reach X itself. */
const DEMO_USER_TOKEN = 'demo-x-user-token';

export const xChannel: ChannelAdapter<XChannelConfig> = {
  name: 'x',
  label: 'X (Twitter)',
  providerName: 'X',
  configSchema,
  connectFields,
  demoAccounts: [
    {
      label: 'Demo X account',
      config: {
        userId: DEMO_USER_ID,
        consumerSecret: 'demo-x-consumer-secret',
        userAccessToken: DEMO_USER_TOKEN,
        apiBaseUrl: DEFAULT_API_BASE_URL,
      },
    },
  ],
  isDemoStandIn(config) {
    return isPublishedCredentialFor({ credentials: [config.userAccessToken], url: config.apiBaseUrl }, { published: [DEMO_USER_TOKEN], domains: ['x.com', 'twitter.com'] });
  },
  identifyAccount(request) {
    const named = request.query.account?.trim() || null;
    if (request.method === 'GET') return named ?? DEMO_USER_ID;
    return accountInBody(request.rawBody) ?? named;
  },
  accountKeyOf(config) {
    return config.userId;
  },
  handshake(request, config) {
    if (request.method !== 'GET') return null;
    const token = request.query.crc_token;
    if (token === undefined) return null;
    // Anyone can ask for a CRC answer, and it is the same HMAC that signs webhook bodies. A token
    // holding '{' could be a JSON body, so refusing those stops the CRC minting valid signatures.
    if (token.length === 0 || token.length > 1024 || token.includes('{')) {
      return { status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'invalid crc_token' }) };
    }
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ response_token: crcResponseToken(config.consumerSecret, token) }) };
  },
  verify(request, config) {
    return isValidSignature(config.consumerSecret, request.rawBody, request.headers['x-twitter-webhooks-signature'])
      ? { ok: true }
      : { ok: false, reason: 'missing or wrong x-twitter-webhooks-signature' };
  },
  parse(request, config) {
    const json = readJsonBody(request);
    const parsed = payloadSchema.safeParse(json);
    if (!parsed.success) throw new ChannelPayloadError(issuesOf(parsed.error, 'body'));
    const payload = parsed.data;
    if (payload.for_user_id !== undefined && payload.for_user_id !== config.userId) {
      throw new ChannelPayloadError('for_user_id does not match the account');
    }
    const out: ParsedInbound = { messages: [], statuses: [] };
    // Likes, follows, typing, read receipts, deletes and revokes carry no message: ignored.
    (payload.tweet_create_events ?? []).forEach((event, index) => {
      readEvent(out, () => parseMention(event, index, config.userId, request.receivedAt));
    });
    (payload.direct_message_events ?? []).forEach((event, index) => {
      readEvent(out, () => parseDirectMessage(event, index, config.userId, payload.users ?? {}, request.receivedAt));
    });
    return out;
  },
  outboundTargets(config) {
    return [{ field: 'apiBaseUrl', url: config.apiBaseUrl }];
  },
  async send(message, config, { fetch: fetcher }) {
    const base = config.apiBaseUrl.replace(/\/+$/, '');
    const kind = message.contactMeta.kind;
    let url: string;
    let payload: unknown;
    if (kind === 'dm') {
      const participant = /^x:(\d{1,20})$/.exec(message.recipient.value)?.[1];
      if (!participant) throw new ChannelSendError(`not an X user handle: ${message.recipient.value}`, true);
      url = `${base}/2/dm_conversations/with/${participant}/messages`;
      payload = { text: message.body };
    } else if (kind === 'mention') {
      const tweetId = message.replyToProviderMessageId ?? message.contactMeta.tweetId;
      if (typeof tweetId !== 'string' || !/^\d{1,20}$/.test(tweetId)) throw new ChannelSendError('no post to reply to', true);
      url = `${base}/2/tweets`;
      // X threads the reply under the post and shows whom it answers: the text needs no @handle.
      payload = { text: message.body, reply: { in_reply_to_tweet_id: tweetId } };
    } else {
      throw new ChannelSendError('the contact is neither an X mention nor a DM', true);
    }
    const response = await fetcher(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.userAccessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (!response.ok) {
      // Rate limits pass; other refusals (bad token, text too long, blocked) will not on retry.
      const isPermanent = response.status >= 400 && response.status < 500 && response.status !== 429;
      throw new ChannelSendError(await refusalReason(response), isPermanent);
    }
    const created = z
      .object({ data: z.object({ id: z.string().optional(), dm_event_id: z.string().optional() }) })
      .safeParse(await response.json().catch(() => null));
    const id = created.success ? (created.data.data.id ?? created.data.data.dm_event_id) : undefined;
    // X took the post; without its id, retrying would post it twice, so keep our own key instead.
    return { providerMessageId: id ?? message.idempotencyKey };
  },
};
