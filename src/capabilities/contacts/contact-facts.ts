import type { JsonValue } from '../../platform/db/tables.ts';
import type { ContactPlace } from './contacts.schema.ts';

// What a contact's stored metadata says about where the person is, the language they wrote in and
// who wrote each message, read for the operator. Stored metadata is the adapters' and intake's,
// and older rows lack fields added since, so every read here is defensive.

type Meta = { [key: string]: JsonValue };

const isObject = (value: JsonValue | undefined): value is Meta => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberOrNull = (value: JsonValue | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const textOrNull = (value: JsonValue | undefined) => (typeof value === 'string' ? value : null);

/** The place one message's metadata gives: a shared place, or the fix of an AML stored before places were. */
function placeOfMessage(meta: Meta): ContactPlace | null {
  const place = meta.place;
  if (isObject(place)) {
    const lat = numberOrNull(place.lat);
    const lon = numberOrNull(place.lon);
    if (lat === null || lon === null) return null;
    return {
      lat,
      lon,
      radiusMetres: numberOrNull(place.radiusMetres),
      source: place.source === 'aml' ? 'aml' : 'shared',
      at: textOrNull(place.at),
    };
  }
  const aml = meta.aml;
  if (isObject(aml)) {
    const lat = numberOrNull(aml.lat);
    const lon = numberOrNull(aml.lon);
    if (lat === null || lon === null) return null;
    return { lat, lon, radiusMetres: numberOrNull(aml.radiusMetres), source: 'aml', at: textOrNull(aml.time) };
  }
  return null;
}

/** The newest place any of the contact's messages gave (messages oldest first), or null. */
export function latestPlace(messages: readonly { direction: string; meta: Meta }[]): ContactPlace | null {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message?.direction !== 'inbound') continue;
    const place = placeOfMessage(message.meta);
    if (place) return place;
  }
  return null;
}

/** The language the person chose or wrote in (`en`, `cy`), when known. */
export function languageOfContact(meta: Meta): string | null {
  const language = meta.language;
  return typeof language === 'string' && language.length > 0 ? language : null;
}

/**
 * Who wrote a message: the public, staff, or the system (a channel describing what happened, such
 * as a call's record; an automatic acknowledgement).
 */
export function authorOfMessage(message: { direction: string; meta: Meta }): 'public' | 'staff' | 'system' {
  if (message.meta.writtenBy === 'channel' || message.meta.writtenBy === 'system') return 'system';
  return message.direction === 'outbound' ? 'staff' : 'public';
}

/**
 * How a message travelled within its channel, when the channel carries more than one (`whatsapp`
 * through Twilio): a reply goes the way the contact came, so an outbound message takes the
 * contact's. Null for a channel's only way (SMS on Twilio included).
 */
export function mediumOfMessage(message: { direction: string; meta: Meta }, contactMeta: Meta): 'whatsapp' | null {
  const medium = message.direction === 'inbound' ? message.meta.medium : contactMeta.medium;
  return medium === 'whatsapp' ? 'whatsapp' : null;
}

/**
 * For a person's edit of an earlier message (Messenger and Instagram let them edit one): which
 * message of the thread it changes (null when that one never reached us) and which edit it is.
 * Null for any other message.
 */
export function editOfMessage(
  message: { direction: string; meta: Meta },
  thread: readonly { id: string; provider_message_id: string | null }[],
): { messageId: string | null; number: number | null } | null {
  const { kind, editOf, editNumber } = message.meta;
  if (message.direction !== 'inbound' || kind !== 'edit' || typeof editOf !== 'string') return null;
  return {
    messageId: thread.find((other) => other.provider_message_id === editOf)?.id ?? null,
    number: typeof editNumber === 'number' && Number.isInteger(editNumber) ? editNumber : null,
  };
}

/** The provider id of the message this one quotes (a WhatsApp reply to an earlier message), when the channel gave one. */
export function quotedProviderId(message: { meta: Meta }): string | null {
  const quoted = message.meta.quoted;
  return isObject(quoted) && typeof quoted.providerMessageId === 'string' && quoted.providerMessageId.length > 0 ? quoted.providerMessageId : null;
}

/** At most this many words of a quoted message are shown beside the reply. */
const EXCERPT_WORDS = 12;
const EXCERPT_CHARACTERS = 120;

/** The first words of a message, on one line, marked when cut. */
export function excerptOf(body: string): string {
  const words = body.split(/\s+/).filter((word) => word.length > 0);
  let text = words.slice(0, EXCERPT_WORDS).join(' ');
  const cut = words.length > EXCERPT_WORDS || text.length > EXCERPT_CHARACTERS;
  if (text.length > EXCERPT_CHARACTERS) text = [...text].slice(0, EXCERPT_CHARACTERS).join('');
  return cut ? `${text}…` : text;
}

type QuotedRow = { id: string; contact_id: string; direction: string; body: string; provider_message_id: string | null };

/**
 * Which message a message quotes: always the provider's id as given; our own message of the same
 * conversation when we have it (sent or received, this force's only), with its first words.
 */
export function quoteOfMessage(message: { meta: Meta }, found: readonly QuotedRow[]) {
  const providerMessageId = quotedProviderId(message);
  if (providerMessageId === null) return null;
  const row = found.find((other) => other.provider_message_id === providerMessageId);
  return {
    providerMessageId,
    messageId: row?.id ?? null,
    contactId: row?.contact_id ?? null,
    direction: row ? (row.direction === 'outbound' ? ('outbound' as const) : ('inbound' as const)) : null,
    excerpt: row ? excerptOf(row.body) : null,
  };
}

/** Whether the provider marked the message forwarded (`frequently`: through many chats). */
export function forwardedOf(message: { direction: string; meta: Meta }): 'once' | 'frequently' | null {
  if (message.direction !== 'inbound') return null;
  return message.meta.forwarded === 'frequently' ? 'frequently' : message.meta.forwarded === 'once' ? 'once' : null;
}
