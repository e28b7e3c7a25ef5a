import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { contactState, isContactOpen } from '../contacts/contact.machine.ts';
import type { InboundMessage } from './intake.schema.ts';
import { findContactOnThread, findPersonContactByReference, findRecentOpenContactOnChannel } from '../contacts/contacts.repository.ts';
import { findContactOfRepliedMessage } from '../contacts/messages.repository.ts';

/** Where one inbound message came from, and the force's re-open window for its thread. */
export type InboundContext = {
  channel: string;
  channelAccountId: string | null;
  inboundRequestId: string | null;
  reopenWithinHours: number;
};

/**
 * The contact an inbound message continues, if any: the contact of a message it answers, one whose
 * reference it quotes, or the person's open (or recently closed) contact on the channel.
 */
export async function findThread(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  ctx: InboundContext,
  personId: string,
  message: InboundMessage,
): Promise<{ id: string; reference: string; status: 'open' | 'closed'; closedAt: Date | null; priority: number } | null> {
  const toThread = (row: { id: string; reference: string; status: 'open' | 'closed'; closed_at: Date | null; priority: number }) => ({
    id: row.id,
    reference: row.reference,
    status: row.status,
    closedAt: row.closed_at,
    priority: row.priority,
  });
  // A reply that names an earlier message joins that message's contact: a message we sent (our
  // ids are unguessable), or one of this person's own. Knowing someone else's message id (a CC'd
  // stranger) is not enough to write into their contact.
  const inReplyTo = (message.inReplyTo ?? []).filter((id) => id.length > 0).slice(0, 50);
  if (inReplyTo.length > 0) {
    const row = await findContactOfRepliedMessage(tx, forceId, inReplyTo, personId);
    if (row) return toThread(row);
  }
  // A reference number in the text (an email subject, say) joins that contact if it is the person's.
  const referenceHint = message.referenceHint;
  if (referenceHint) {
    const row = await findPersonContactByReference(tx, forceId, personId, referenceHint);
    if (row) return toThread(row);
  }
  // A message that belongs with whatever the person has open on another channel right now
  // (a location fix for the 999 call in progress, say) joins that contact.
  const join = message.joinOpenContactOf;
  if (join) {
    const since = new Date(clock.now().getTime() - join.withinMinutes * 60_000);
    const row = await findRecentOpenContactOnChannel(tx, forceId, personId, join.channel, since);
    if (row) return toThread(row);
  }
  // Otherwise the person's open contact on this channel and thread, or a recently closed one.
  const open = await findContactOnThread(tx, forceId, personId, ctx.channel, message.threadKey);
  if (!open) return null;
  if (isContactOpen(contactState(open))) return toThread(open);
  const windowMs = ctx.reopenWithinHours * 3600 * 1000;
  if (open.closed_at && clock.now().getTime() - open.closed_at.getTime() <= windowMs) return toThread(open);
  return null;
}
