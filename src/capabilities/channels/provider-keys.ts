import { createHash } from 'node:crypto';
import type { ParsedInbound } from './channel.ts';

/**
 * A provider's ids are keys of indexes: a message's (its idempotency), a thread's, a sender's, a
 * status's for a message we sent. PostgreSQL keeps an index entry of at most about 2.7 kB, and a
 * signed request can still name an id of any length (a broken or hostile client of the provider).
 * No provider issues ids near this length; a longer one is kept as its start and the hash of the
 * whole, so the same id always makes the same key and two ids alike at the start stay two.
 */
export const MAX_PROVIDER_KEY_LENGTH = 512;
const KEPT_START = 400;

/** `key` as it is when it fits an index entry, else its first 400 characters and its SHA-256. */
export function toStorableKey(key: string): string {
  if (key.length <= MAX_PROVIDER_KEY_LENGTH) return key;
  // A start cut between the halves of a surrogate pair loses the half; the hash keeps it apart.
  const start = key.slice(0, KEPT_START).replace(/[\uD800-\uDBFF]$/, '');
  return `${start}…sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** What an adapter parsed, with every provider key in it made storable by `toStorableKey`. */
export function withStorableKeys(parsed: ParsedInbound): ParsedInbound {
  return {
    ...parsed,
    messages: parsed.messages.map((message) => ({
      ...message,
      providerMessageId: toStorableKey(message.providerMessageId),
      threadKey: toStorableKey(message.threadKey),
      sender: { ...message.sender, value: toStorableKey(message.sender.value) },
      ...(message.inReplyTo ? { inReplyTo: message.inReplyTo.map(toStorableKey) } : {}),
      ...(message.takeOverContactOn ? { takeOverContactOn: { ...message.takeOverContactOn, threadKey: toStorableKey(message.takeOverContactOn.threadKey) } } : {}),
    })),
    statuses: parsed.statuses.map((status) => ({ ...status, providerMessageId: toStorableKey(status.providerMessageId) })),
  };
}
