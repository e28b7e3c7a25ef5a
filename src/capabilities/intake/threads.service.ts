import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { contactState, isContactOpen } from '../contacts/contact.machine.ts';
import type { InboundMessage } from './intake.schema.ts';
import { findContactOnThread, findPersonContactByReference, findRecentOpenContactOnChannel, findRecentOpenContactOnThread } from '../contacts/contacts.repository.ts';
import { findContactOfRepliedMessage } from '../contacts/messages.repository.ts';

/** Where one inbound message came from, and the force's re-open window for its thread. */
export type InboundContext = {
  channel: string;
  channelAccountId: string | null;
  inboundRequestId: string | null;
  reopenWithinHours: number;
};

/** A contact an inbound message continues; `isTakenOver` when it moves to the message's thread. */
export type Thread = { id: string; reference: string; status: 'open' | 'closed'; closedAt: Date | null; priority: number; isTakenOver: boolean };

/**
 * The contact an inbound message continues, if any: the contact of a message it answers, one whose
 * reference it quotes, the person's open (or recently closed) contact on the channel, or, when its
 * thread has never had a contact, the recent open contact it takes over (a call, its AML).
 */
export async function findThread(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  ctx: InboundContext,
  personId: string,
  message: InboundMessage,
): Promise<Thread | null> {
  const toThread = (row: { id: string; reference: string; status: 'open' | 'closed'; closed_at: Date | null; priority: number }, isTakenOver = false) => ({
    id: row.id,
    reference: row.reference,
    status: row.status,
    closedAt: row.closed_at,
    priority: row.priority,
    isTakenOver,
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
  if (!open) {
    // A thread that never had a contact may take over one the person wrote to moments ago on another
    // thread of this channel: a 999 call whose handset's location (AML) arrived first. Only an open
    // one, and only one still on that thread: a contact taken over has moved to its call's thread.
    const takeOver = message.takeOverContactOn;
    if (!takeOver) return null;
    const since = new Date(clock.now().getTime() - takeOver.withinMinutes * 60_000);
    const row = await findRecentOpenContactOnThread(tx, forceId, personId, ctx.channel, takeOver.threadKey, since);
    return row ? toThread(row, true) : null;
  }
  if (isContactOpen(contactState(open))) return toThread(open);
  const windowMs = ctx.reopenWithinHours * 3600 * 1000;
  if (open.closed_at && clock.now().getTime() - open.closed_at.getTime() <= windowMs) return toThread(open);
  return null;
}
