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
