import { z } from 'zod';
import type { JsonValue } from '../../../platform/db/tables.ts';
import { ChannelPayloadError, type ChannelMessage, type DeliveryStatusUpdate, type InboundAttachment, type ParsedInbound } from '../channel.ts';
import { readEpochTime } from '../provider-time.ts';
import { whatsAppWindowClosedAtProvider } from '../reply-window.ts';
import { isRecord, readEvent } from './meta.payload.ts';
import { sha256Hex, whatsAppMediaReference } from './meta.whatsapp-media.ts';

/**
 * The WhatsApp Business Cloud API's webhook (`object: 'whatsapp_business_account'`). Each entry is
 * a WhatsApp Business Account (`entry[].id`, the WABA id); its `changes[]` with `field: 'messages'`
 * carry, in `value`, the business number they are for (`metadata.phone_number_id`), the people who
 * wrote (`contacts[].wa_id`, `profile.name`), their `messages[]`, and `statuses[]` of the messages
 * we sent (sent, delivered, read, failed with `errors[]`). One WABA may hold several numbers, of
 * one force, so the account is the phone number id, not the entry. As with Pages, a message we
 * cannot read is noted and the rest of the batch stored (decision 0099). A photo, voice note,
 * video, document or sticker is an attachment named by its media id, downloaded later
 * (meta.whatsapp-media.ts, decision 0104).
 */

/** Meta's error for a free-form message outside the 24-hour window ("Re-engagement message"). */
export const META_WINDOW_CLOSED_CODE = 131047;

const numericId = z.string().regex(/^\d{1,32}$/, 'must be a numeric id');
/** A WhatsApp id (`wa_id`, `from`): the person's number in international form without `+`. */
const waId = z.string().regex(/^\d{6,20}$/, 'must be a WhatsApp id (the number, digits only)');
const wamid = z.string().min(1).max(512);

const envelopeSchema = z.looseObject({ object: z.string().max(100), entry: z.array(z.unknown()).max(1000) });
const valueSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: numericId, display_phone_number: z.string().max(32).optional() }),
  contacts: z.array(z.looseObject({ wa_id: z.string().max(32).optional(), profile: z.looseObject({ name: z.string().max(500).optional() }).optional() })).max(1000).optional(),
  messages: z.array(z.unknown()).max(1000).optional(),
  statuses: z.array(z.unknown()).max(1000).optional(),
});

const media = z.looseObject({
  id: z.string().max(128).optional(),
  mime_type: z.string().max(200).optional(),
  sha256: z.string().max(200).optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(500).optional(),
});
const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];
const isMediaType = (type: string): type is MediaType => (MEDIA_TYPES as readonly string[]).includes(type);

const messageSchema = z.looseObject({
  from: waId,
  id: wamid,
  // Seconds since 1970 as a string, Meta says; read by `readEpochTime`, never required (decision 0172).
  timestamp: z.unknown().optional(),
  type: z.string().max(50),
  text: z.looseObject({ body: z.string() }).optional(),
  image: media.optional(),
  document: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  sticker: media.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().max(1000).optional(), address: z.string().max(1000).optional() }).optional(),
  interactive: z
    .looseObject({
      type: z.string().max(50),
      button_reply: z.looseObject({ id: z.string().max(256).optional(), title: z.string().max(256) }).optional(),
      list_reply: z.looseObject({ id: z.string().max(256).optional(), title: z.string().max(256), description: z.string().max(1000).optional() }).optional(),
    })
    .optional(),
  button: z.looseObject({ text: z.string().max(256), payload: z.string().max(1000).optional() }).optional(),
  // Read apart (`quotedOf`): a context Meta changes shape of must not lose the message it comes with.
  context: z.unknown().optional(),
});

/**
 * What a message says of another (Meta's `context`): the WhatsApp id of the message it quotes (a
 * reply the person made by swiping one of ours or their own) and who wrote that one, and whether
 * WhatsApp marked it forwarded (`frequently_forwarded`: through five or more chats). A product
 * enquiry's `referred_product` names a catalogue item, which no force has. Anything malformed is
 * left out and the message kept (decision 0108).
 */
const contextSchema = z.looseObject({
  id: wamid.optional().catch(undefined),
  from: z.string().regex(/^\d{1,32}$/).optional().catch(undefined),
  forwarded: z.boolean().optional().catch(undefined),
  frequently_forwarded: z.boolean().optional().catch(undefined),
});

/** The context's parts worth keeping, as the message's metadata. */
export function quotedOf(context: unknown): { [key: string]: JsonValue } {
  const parsed = contextSchema.safeParse(context);
  if (!parsed.success) return {};
  const { id, from, forwarded, frequently_forwarded: frequently } = parsed.data;
  return {
    ...(id ? { quoted: { providerMessageId: id, from: from ?? null } } : {}),
    ...(frequently ? { forwarded: 'frequently' } : forwarded ? { forwarded: 'once' } : {}),
  };
}

const statusSchema = z.looseObject({
  id: wamid,
  status: z.string().max(50),
  recipient_id: z.string().max(64).optional(),
  errors: z
    .array(z.looseObject({ code: z.number().int(), title: z.string().max(500).optional(), message: z.string().max(1000).optional(), error_data: z.looseObject({ details: z.string().max(2000).optional() }).optional() }))
    .max(20)
    .optional(),
});

function parseOrReject<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ChannelPayloadError(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The number's `messages` changes of a body, each with where it sits; none when the body is no WhatsApp batch. */
function numberChanges(json: unknown): { value: unknown; where: string; phoneNumberId: string | null }[] {
  if (!isRecord(json) || json.object !== 'whatsapp_business_account' || !Array.isArray(json.entry)) return [];
  return (json.entry as unknown[]).flatMap((entry, e) => {
    const changes = isRecord(entry) && Array.isArray(entry.changes) ? (entry.changes as unknown[]) : [];
    return changes.flatMap((change, c) => {
      if (!isRecord(change) || change.field !== 'messages') return [];
      const metadata = isRecord(change.value) && isRecord(change.value.metadata) ? change.value.metadata : {};
      const id = numericId.safeParse(metadata.phone_number_id);
      return [{ value: change.value, where: `entry.${e}.changes.${c}.value`, phoneNumberId: id.success ? id.data : null }];
    });
  });
}

const parseJson = (rawBody: Buffer): unknown => {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return null;
  }
};

/** Whether a webhook body is the WhatsApp Business Account's (its accounts are phone number ids, not entry ids). */
export function isWhatsAppBody(rawBody: Buffer): boolean {
  const json = parseJson(rawBody);
  return isRecord(json) && json.object === 'whatsapp_business_account';
}

/** The phone number ids a WhatsApp body has `messages` changes for, each once, in order. */
export function phoneNumberIds(rawBody: Buffer): string[] {
  return [...new Set(numberChanges(parseJson(rawBody)).flatMap((change) => (change.phoneNumberId ? [change.phoneNumberId] : [])))];
}

/**
 * The body with only the changes for some numbers (entries left with none dropped): what one force
 * keeps of a batch naming numbers of several forces. Kept for reading and replay, not verifying.
 */
export function changesOf(rawBody: Buffer, ids: readonly string[]): Buffer {
  const json = parseJson(rawBody);
  if (!isRecord(json) || !Array.isArray(json.entry)) return rawBody;
  const entries = (json.entry as unknown[]).flatMap((entry) => {
    if (!isRecord(entry) || !Array.isArray(entry.changes)) return [];
    const own = (entry.changes as unknown[]).filter((change) => numberChanges({ object: json.object, entry: [{ changes: [change] }] }).some((c) => c.phoneNumberId !== null && ids.includes(c.phoneNumberId)));
    return own.length > 0 ? [{ ...entry, changes: own }] : [];
  });
  return Buffer.from(JSON.stringify({ ...json, entry: entries }), 'utf8');
}

/**
 * What staff read for a message with no words of its own. The file itself is an attachment,
 * fetched by its media id after the message is stored (decision 0104); without an id there is
 * nothing to fetch.
 */
const MEDIA_LABELS: Record<MediaType, string> = { image: 'photo', document: 'document', audio: 'voice or audio message', video: 'video', sticker: 'sticker' };

function bodyAndMeta(message: z.infer<typeof messageSchema>): { body: string; meta: { [key: string]: JsonValue }; attachments?: InboundAttachment[] } | null {
  const type = message.type;
  if (type === 'text') return { body: message.text?.body ?? '', meta: {} };
  if (isMediaType(type)) {
    const item = message[type] ?? {};
    const label = MEDIA_LABELS[type];
    const caption = item.caption?.trim();
    const name = type === 'document' && item.filename ? ` “${item.filename}”` : '';
    const mediaId = item.id && /^\d{1,64}$/.test(item.id) ? item.id : null;
    const note = mediaId ? `[${label}${name}: see the attachment]` : `[${label}${name} not downloaded: see WhatsApp]`;
    const declaredSha256 = sha256Hex(item.sha256);
    return {
      body: caption ? `${caption}\n${note}` : note,
      meta: { media: [{ type, mediaId: item.id ?? null, mimeType: item.mime_type ?? null, sha256: item.sha256 ?? null, filename: item.filename ?? null }] },
      ...(mediaId
        ? { attachments: [{ filename: item.filename ?? null, declaredType: item.mime_type ?? null, content: null, url: whatsAppMediaReference(mediaId), ...(declaredSha256 ? { declaredSha256 } : {}) }] }
        : {}),
    };
  }
  if (type === 'location' && message.location) {
    const { name, address } = message.location;
    return { body: ['[shared location]', name, address].filter(Boolean).join(' '), meta: {} };
  }
  if (type === 'interactive') {
    const title = message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title;
    return title === undefined ? null : { body: title, meta: { interactive: message.interactive?.type ?? null } };
  }
  if (type === 'button' && message.button) return { body: message.button.text, meta: { button: message.button.payload ?? null } };
  if (type === 'contacts') return { body: '[contact card: see WhatsApp]', meta: {} };
  if (type === 'unsupported' || type === 'unknown') return { body: '[a kind of message WhatsApp does not pass on to businesses]', meta: {} };
  // Reactions, orders, system notices, and types added later: nothing for the queue.
  return null;
}

function parseMessage(phoneNumberId: string, raw: unknown, names: Map<string, string>, where: string, receivedAt: Date): ChannelMessage | null {
  const message = parseOrReject(messageSchema, raw, where);
  const content = bodyAndMeta(message);
  if (!content) return null;
  const { location } = message;
  const quoted = quotedOf(message.context);
  const isPlace = message.type === 'location' && location && Math.abs(location.latitude) <= 90 && Math.abs(location.longitude) <= 180;
  return {
    providerMessageId: message.id,
    // One conversation per person per business number, as on Twilio's WhatsApp.
    threadKey: `whatsapp:${phoneNumberId}:${message.from}`,
    // The person is their number, so their texts, calls and WhatsApp messages are one person's.
    sender: { kind: 'phone', value: `+${message.from}`, displayName: names.get(message.from) ?? null },
    body: content.body,
    sentAt: readEpochTime(message.timestamp, 'seconds', receivedAt),
    // A quoted message joins its contact when it is ours or the person's own (intake's threads).
    ...(isRecord(quoted.quoted) && typeof quoted.quoted.providerMessageId === 'string' ? { inReplyTo: [quoted.quoted.providerMessageId] } : {}),
    meta: { platform: 'whatsapp', medium: 'whatsapp', kind: 'message', accountId: phoneNumberId, waId: message.from, type: message.type, ...content.meta, ...quoted },
    ...(content.attachments ? { attachments: content.attachments } : {}),
    ...(isPlace ? { place: { lat: location.latitude, lon: location.longitude, radiusMetres: null, source: 'shared' as const, at: null } } : {}),
  };
}

/** A failed send's reason as staff read it: 131047 says WhatsApp's window had closed. */
export function whatsAppFailureReason(error: { code: number; title?: string | undefined; message?: string | undefined; details?: string | undefined } | undefined): string {
  if (!error) return 'WhatsApp did not say why';
  if (error.code === META_WINDOW_CLOSED_CODE) return whatsAppWindowClosedAtProvider(`Meta error ${META_WINDOW_CLOSED_CODE}`);
  const words = [error.title ?? error.message, error.details].filter((part) => part && part.length > 0).join(': ');
  return `Meta error ${error.code}${words ? `: ${words}` : ''}`.slice(0, 1000);
}

function parseStatus(raw: unknown, where: string): DeliveryStatusUpdate | null {
  const status = parseOrReject(statusSchema, raw, where);
  if (status.status === 'sent' || status.status === 'delivered' || status.status === 'read') return { providerMessageId: status.id, status: status.status, reason: null };
  if (status.status !== 'failed') return null; // `deleted`, `warning` and later ones change nothing here
  const first = status.errors?.[0];
  const reason = whatsAppFailureReason(first && { code: first.code, title: first.title, message: first.message, details: first.error_data?.details });
  return { providerMessageId: status.id, status: 'failed', reason };
}

/**
 * The messages and delivery statuses in a verified WhatsApp webhook body for one business number.
 * Changes for other numbers are skipped: another number may be another force's.
 */
export function parseWhatsAppWebhook(rawBody: Buffer, phoneNumberId: string, receivedAt: Date): ParsedInbound {
  const json = parseJson(rawBody);
  if (json === null) throw new ChannelPayloadError('body is not valid JSON');
  const envelope = parseOrReject(envelopeSchema, json, 'body');
  const out: ParsedInbound = { messages: [], statuses: [] };
  if (envelope.object !== 'whatsapp_business_account') return out;
  // Changes of other fields (template reviews, account updates) are not messages: `numberChanges` skips them.
  for (const change of numberChanges(json)) {
    readEvent(out, () => {
      if (change.phoneNumberId !== phoneNumberId) {
        if (change.phoneNumberId === null) parseOrReject(valueSchema, change.value, change.where); // says why it names no number
        return;
      }
      const value = parseOrReject(valueSchema, change.value, change.where);
      const names = new Map((value.contacts ?? []).flatMap((c) => (c.wa_id && c.profile?.name ? [[c.wa_id, c.profile.name] as const] : [])));
      value.messages?.forEach((message, m) =>
        readEvent(out, () => {
          const parsed = parseMessage(phoneNumberId, message, names, `${change.where}.messages.${m}`, receivedAt);
          if (parsed) out.messages.push(parsed);
        }),
      );
      value.statuses?.forEach((status, s) =>
        readEvent(out, () => {
          const parsed = parseStatus(status, `${change.where}.statuses.${s}`);
          if (parsed) out.statuses.push(parsed);
        }),
      );
    });
  }
  return out;
}
