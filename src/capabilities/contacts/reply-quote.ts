import type { Tx } from '../../platform/db/database.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { canQuoteOnChannel } from '../channels/outbound.service.ts';
import { excerptOf } from './contact-facts.ts';
import { findThreadMessage } from './messages.repository.ts';

// Staff answering one chosen message of the conversation ("reply to this message", decision 0110).
// The console names our message record, never a provider's id: the record is checked to be this
// force's and this conversation's, and the provider id it was sent or received with is what goes.

/** Told to staff when the channel cannot show which message a reply answers: the reply goes, unquoted. */
export const QUOTE_NOT_CARRIED = 'Sent without the quote: this channel cannot show the person which message a reply answers.';

/** What a reply quoting a message stores and answers: the quote kept on the reply, and what staff are told. */
export type ReplyQuote = {
  /** Kept in the reply's `meta.quoted`, as an inbound quote is (decision 0108); null when not carried. */
  stored: { providerMessageId: string; messageId: string } | null;
  view: { providerMessageId: string; messageId: string; contactId: string; direction: 'inbound' | 'outbound'; excerpt: string } | null;
  note: string | null;
};

/**
 * Checks the message a reply on `contact` is to quote: one of this contact's, or of an earlier
 * contact of the same conversation, of this force (404 otherwise, as another force's is never
 * said to exist), with the provider's id (409 otherwise: it never left, or never came from the
 * provider). On a channel that cannot quote, the reply goes unquoted and `note` says so.
 */
export async function resolveReplyQuote(
  tx: Tx,
  forceId: ForceId,
  contact: { id: string; channel: string; thread_key: string | null; meta: { [key: string]: JsonValue } },
  messageId: string,
): Promise<ReplyQuote> {
  const found = await findThreadMessage(tx, forceId, contact, messageId);
  if (!found) throw new AppError('not_found', 'The message to quote is not one of this conversation’s messages.');
  if (!canQuoteOnChannel(contact.channel, contact.meta)) return { stored: null, view: null, note: QUOTE_NOT_CARRIED };
  const providerMessageId = found.provider_message_id;
  if (providerMessageId === null) {
    throw conflict('That message cannot be quoted: it has no id from the provider (it was not sent, or has not been yet). Reply without quoting it.');
  }
  return {
    stored: { providerMessageId, messageId: found.id },
    view: { providerMessageId, messageId: found.id, contactId: found.contact_id, direction: found.direction === 'outbound' ? 'outbound' : 'inbound', excerpt: excerptOf(found.body) },
    note: null,
  };
}
