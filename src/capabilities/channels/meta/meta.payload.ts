import { z } from 'zod';
import type { JsonValue } from '../../../platform/db/tables.ts';
import { ChannelPayloadError, type ChannelMessage, type InboundAttachment, type ParsedInbound } from '../channel.ts';
import { readEpochTime } from '../provider-time.ts';

/**
 * Meta's webhook payloads for Facebook Pages (`object: 'page'`) and Instagram professional
 * accounts (`object: 'instagram'`): direct messages arrive in `entry[].messaging[]`, comments in
 * `entry[].changes[]`. Meta adds fields and event types all the time, so objects are parsed
 * loosely and events we do not handle are skipped. An event we do handle that lacks what it must
 * have is unreadable: the rest of its batch is stored, and the request kept for replay saying
 * which. Meta resends a batch it was not answered 200 for, byte for byte, so refusing the whole
 * batch for one event would lose the good ones with it, every time. Only a body that is no batch
 * at all (not JSON, no `entry` list) is refused. Times are read, never required: one that is not a
 * time Meta could have meant leaves the message's sent time unknown (decision 0172).
 */

export type MetaPlatform = 'facebook' | 'instagram';

/** Meta ids are numeric strings; some older payloads send them as JSON numbers. */
const numericId = z.union([
  z.string().regex(/^\d{1,32}$/, 'must be a numeric id'),
  z.number().int().nonnegative().refine(Number.isSafeInteger, 'is too large to be exact as a JSON number').transform(String),
]);
/** Ids that end up in Graph API paths (comments, posts): digits, underscores. */
const objectId = z.union([z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be a Meta object id'), numericId]);
/** Message ids are opaque (`mid.1457…:41d1…`, base64-like on Instagram). */
const messageId = z.string().min(1).max(512);
/** A time field, taken as it came and read by `readEpochTime`: a message is never unreadable for its time. */
const anyTime = z.unknown().optional();

const envelopeSchema = z.looseObject({
  object: z.string().max(100),
  entry: z.array(z.unknown()).max(1000),
});

const entryIdSchema = z.looseObject({ id: numericId });

const entrySchema = z.looseObject({
  id: numericId,
  time: anyTime,
  messaging: z.array(z.unknown()).max(1000).optional(),
  changes: z.array(z.unknown()).max(1000).optional(),
});

const participant = z.looseObject({ id: numericId });

const messageEventSchema = z.looseObject({
  sender: participant,
  recipient: participant.optional(),
  timestamp: anyTime,
  message: z.looseObject({
    mid: messageId,
    text: z.string().optional(),
    is_echo: z.boolean().optional(),
    is_deleted: z.boolean().optional(),
    attachments: z
      .array(z.looseObject({ type: z.string().max(50).optional(), payload: z.looseObject({ url: z.string().max(4000).optional() }).nullish() }))
      .max(100)
      .optional(),
    reply_to: z.looseObject({ mid: messageId.optional() }).optional(),
  }),
});

/** A person's edit of a message they sent (Messenger and Instagram `message_edits`): the text after it, and which edit it is. */
const messageEditEventSchema = z.looseObject({
  sender: participant,
  timestamp: anyTime,
  message_edit: z.looseObject({
    mid: messageId,
    text: z.string().optional(),
    // Meta's reference shows it as a string ("<INT>"), its description as an integer.
    num_edit: z.union([z.number().int().min(0).max(1000), z.string().regex(/^\d{1,4}$/, 'must be a count').transform(Number)]).optional(),
  }),
});

const deliveryEventSchema = z.looseObject({
  delivery: z.looseObject({ mids: z.array(messageId).max(1000).optional() }),
});

const readEventSchema = z.looseObject({
  read: z.looseObject({ mid: messageId.optional(), watermark: z.number().optional() }),
});

const changeSchema = z.looseObject({ field: z.string().max(100), value: z.unknown() });

/** A Page `feed` comment. Current payloads name the author in `from`; older ones in `sender_id`/`sender_name`. */
const feedCommentSchema = z.looseObject({
  item: z.literal('comment'),
  verb: z.literal('add'),
  comment_id: objectId,
  post_id: objectId,
  parent_id: objectId.optional(),
  from: z.looseObject({ id: numericId, name: z.string().max(500).optional() }).optional(),
  sender_id: numericId.optional(),
  sender_name: z.string().max(500).optional(),
  message: z.string().optional(),
  photo: z.string().max(4000).optional(),
  video: z.string().max(4000).optional(),
  created_time: anyTime,
});

/** An Instagram `comments` change. Comments on albums come without `media`, Meta says. */
const igCommentSchema = z.looseObject({
  id: objectId,
  text: z.string().optional(),
  parent_id: objectId.optional(),
  from: z.looseObject({ id: numericId, username: z.string().max(500).optional(), self_ig_scoped_id: z.string().optional() }),
  media: z.looseObject({ id: objectId, media_product_type: z.string().max(50).optional() }).optional(),
});

function parseOrReject<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ChannelPayloadError(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);


/** The body the operator reads when a message has no text: what was sent, never the link itself. */
function placeholder(kinds: string[]): string {
  return kinds.length > 0 ? `[${kinds.join(', ')} attachment]` : '[message without text]';
}

/** Reads Meta's times for one request: milliseconds in messaging events, seconds in feed changes and comment entries. */
type ReadTime = (value: unknown, unit: 'seconds' | 'milliseconds') => Date | null;

function parseMessaging(platform: MetaPlatform, ownId: string, event: unknown, index: string, out: ParsedInbound, readTime: ReadTime): void {
  if (!isRecord(event)) throw new ChannelPayloadError(`${index}: not an object`);
  if ('message' in event) {
    const { sender, timestamp, message } = parseOrReject(messageEventSchema, event, index);
    // Echoes are our own replies (Instagram always sends them; Messenger when subscribed).
    if (message.is_echo || message.is_deleted || sender.id === ownId) return;
    const attachments: InboundAttachment[] = (message.attachments ?? []).map((a) => ({
      filename: null,
      declaredType: a.type ?? null,
      content: null,
      ...(a.payload?.url ? { url: a.payload.url } : {}),
    }));
    const text = message.text?.trim() ?? '';
    out.messages.push({
      providerMessageId: message.mid,
      threadKey: `dm:${sender.id}`,
      sender: { kind: 'social', value: `${platform}:${sender.id}`, displayName: null },
      body: text || placeholder(attachments.map((a) => a.declaredType ?? 'file')),
      sentAt: readTime(timestamp, 'milliseconds'),
      // A swipe-reply to one of our replies names its id: the conversation is that contact's.
      ...(message.reply_to?.mid ? { inReplyTo: [message.reply_to.mid] } : {}),
      meta: {
        platform,
        kind: 'message',
        accountId: ownId,
        ...(attachments.length > 0 ? { attachments: attachments.map((a): JsonValue => ({ type: a.declaredType, url: a.url ?? null })) } : {}),
      },
      ...(attachments.length > 0 ? { attachments } : {}),
    });
    return;
  }
  if ('message_edit' in event) {
    const { sender, timestamp, message_edit: edit } = parseOrReject(messageEditEventSchema, event, index);
    if (sender.id === ownId) return; // an edit of our own reply, echoed
    const number = edit.num_edit ?? null;
    out.messages.push({
      // One message per edit: Meta's retries of the same edit are stored once, and the message as
      // first sent stays as it was (what the person said first may matter).
      providerMessageId: `${edit.mid}#edit:${number ?? editStampOf(timestamp)}`,
      threadKey: `dm:${sender.id}`,
      sender: { kind: 'social', value: `${platform}:${sender.id}`, displayName: null },
      body: edit.text?.trim() || '[message edited to have no text]',
      sentAt: readTime(timestamp, 'milliseconds'),
      // The edit joins the contact of the message it changes.
      inReplyTo: [edit.mid],
      meta: { platform, kind: 'edit', accountId: ownId, editOf: edit.mid, editNumber: number },
    });
    return;
  }
  if ('delivery' in event) {
    const { delivery } = parseOrReject(deliveryEventSchema, event, index);
    for (const mid of delivery.mids ?? []) out.statuses.push({ providerMessageId: mid, status: 'delivered', reason: null });
    return;
  }
  if ('read' in event) {
    const { read } = parseOrReject(readEventSchema, event, index);
    // Instagram names the message read; Messenger gives only a watermark time, which matches no id.
    if (read.mid) out.statuses.push({ providerMessageId: read.mid, status: 'read', reason: null });
  }
  // Postbacks, reactions, referrals, opt-ins, handovers: nothing for the queue.
}

/** An unnumbered edit is told apart by its timestamp as Meta wrote it, whatever it reads as. */
function editStampOf(timestamp: unknown): string {
  return typeof timestamp === 'number' || typeof timestamp === 'string' ? String(timestamp).slice(0, 32) : 'unnumbered';
}

function parseFeedChange(ownId: string, value: unknown, where: string, readTime: ReadTime): ChannelMessage | null {
  // Posts, reactions, shares, and comment edits or removals are ignored: only new comments are contact.
  if (!isRecord(value) || value.item !== 'comment' || value.verb !== 'add') return null;
  const comment = parseOrReject(feedCommentSchema, value, where);
  const authorId = comment.from?.id ?? comment.sender_id;
  if (!authorId) throw new ChannelPayloadError(`${where}: the comment names no author`);
  if (authorId === ownId) return null; // the Page's own comment, usually one of our replies
  const attachments: InboundAttachment[] = [
    ...(comment.photo ? [{ filename: null, declaredType: 'image', content: null, url: comment.photo }] : []),
    ...(comment.video ? [{ filename: null, declaredType: 'video', content: null, url: comment.video }] : []),
  ];
  const text = comment.message?.trim() ?? '';
  // Meta's own time of the comment: its private reply's 7 days count from it (decision 0112).
  const commentedAt = readTime(comment.created_time, 'seconds');
  return {
    providerMessageId: comment.comment_id,
    threadKey: `post:${comment.post_id}`,
    sender: { kind: 'social', value: `facebook:${authorId}`, displayName: comment.from?.name ?? comment.sender_name ?? null },
    body: text || placeholder(attachments.map((a) => a.declaredType ?? 'file')),
    sentAt: commentedAt,
    meta: {
      platform: 'facebook',
      kind: 'comment',
      accountId: ownId,
      commentId: comment.comment_id,
      postId: comment.post_id,
      parentId: comment.parent_id ?? null,
      ...(commentedAt ? { commentedAt: commentedAt.toISOString() } : {}),
    },
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

function parseInstagramComment(ownId: string, value: unknown, time: unknown, where: string, readTime: ReadTime): ChannelMessage | null {
  const comment = parseOrReject(igCommentSchema, value, where);
  // The account's own comments carry its own id, or `self_ig_scoped_id` when it comments as itself.
  if (comment.from.id === ownId || comment.from.self_ig_scoped_id) return null;
  const mediaId = comment.media?.id ?? null;
  return {
    providerMessageId: comment.id,
    threadKey: mediaId ? `post:${mediaId}` : `comment:${comment.parent_id ?? comment.id}`,
    sender: { kind: 'social', value: `instagram:${comment.from.id}`, displayName: comment.from.username ?? null },
    body: comment.text?.trim() || placeholder([]),
    // Instagram comment changes carry no creation time; the entry's is when Meta sent it, close enough.
    sentAt: readTime(time, 'seconds'),
    meta: {
      platform: 'instagram',
      kind: 'comment',
      accountId: ownId,
      commentId: comment.id,
      mediaId,
      parentId: comment.parent_id ?? null,
    },
  };
}

/** Runs one event's parser; an event it cannot read is noted in `out.unreadable` instead of failing the batch. */
export function readEvent(out: ParsedInbound, parse: () => void): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof ChannelPayloadError)) throw error;
    (out.unreadable ??= []).push(error.message);
  }
}

/**
 * The messages and delivery statuses in a verified webhook body for one account. Entries for other
 * Page or Instagram ids in the same batch are skipped: another id may belong to another force, and
 * is routed to its own account. The raw request, kept whole, still holds them.
 */
export function parseMetaWebhook(rawBody: Buffer, platform: MetaPlatform, ownId: string, receivedAt: Date): ParsedInbound {
  const readTime: ReadTime = (value, unit) => readEpochTime(value, unit, receivedAt);
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ChannelPayloadError('body is not valid JSON');
  }
  const envelope = parseOrReject(envelopeSchema, json, 'body');
  const out: ParsedInbound = { messages: [], statuses: [] };
  // Other subscriptions of the same app (`user`, `permissions`, WhatsApp) are not this account's.
  if (envelope.object !== (platform === 'facebook' ? 'page' : 'instagram')) return out;

  envelope.entry.forEach((rawEntry, e) => {
    readEvent(out, () => {
      // An entry naming no readable id is no account's; one naming another id is that account's.
      if (parseOrReject(entryIdSchema, rawEntry, `entry.${e}`).id !== ownId) return;
      const entry = parseOrReject(entrySchema, rawEntry, `entry.${e}`);
      entry.messaging?.forEach((event, m) => readEvent(out, () => parseMessaging(platform, ownId, event, `entry.${e}.messaging.${m}`, out, readTime)));
      entry.changes?.forEach((raw, c) =>
        readEvent(out, () => {
          const where = `entry.${e}.changes.${c}`;
          const change = parseOrReject(changeSchema, raw, where);
          const message =
            platform === 'facebook' && change.field === 'feed'
              ? parseFeedChange(ownId, change.value, `${where}.value`, readTime)
              : platform === 'instagram' && change.field === 'comments'
                ? parseInstagramComment(ownId, change.value, entry.time, `${where}.value`, readTime)
                : null;
          if (message) out.messages.push(message);
        }),
      );
    });
  });
  return out;
}

/** The id of the account a webhook body is for: its first entry's, or null if it names none. */
export function firstEntryId(rawBody: Buffer): string | null {
  return entryIds(rawBody)[0] ?? null;
}

/** The ids of the accounts a webhook body has entries for, each once, in order; none if it is no batch. */
export function entryIds(rawBody: Buffer): string[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return [];
  }
  if (!isRecord(json) || !Array.isArray(json.entry)) return [];
  const ids = new Set<string>();
  for (const entry of json.entry as unknown[]) {
    const id = isRecord(entry) ? numericId.safeParse(entry.id) : null;
    if (id?.success) ids.add(id.data);
  }
  return [...ids];
}

/**
 * The batch with only the entries of some Pages or Instagram accounts (the rest of the body as
 * sent): what one force keeps of a batch naming several accounts. It is no longer the bytes Meta
 * signed, so it is kept for reading and replay, not for verifying again.
 */
export function entriesOf(rawBody: Buffer, ids: readonly string[]): Buffer {
  const json = JSON.parse(rawBody.toString('utf8')) as unknown;
  if (!isRecord(json) || !Array.isArray(json.entry)) return rawBody;
  const own = (json.entry as unknown[]).filter((entry) => {
    const entryId = isRecord(entry) ? numericId.safeParse(entry.id) : null;
    return entryId?.success === true && ids.includes(entryId.data);
  });
  return Buffer.from(JSON.stringify({ ...json, entry: own }), 'utf8');
}
