import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { contactState, isContactOpen } from '../contacts/contact.machine.ts';
import type { InboundMessage } from './intake.schema.ts';

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
  const columns = ['c.id', 'c.reference', 'c.status', 'c.closed_at', 'c.priority'] as const;
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
    const row = await tx
      .selectFrom('messages as m')
      .innerJoin('contacts as c', 'c.id', 'm.contact_id')
      .select(columns)
      .where('m.force_id', '=', forceId)
      .where('m.provider_message_id', 'in', inReplyTo)
      .where((eb) => eb.or([eb('m.direction', '=', 'outbound'), eb('c.person_id', '=', personId)]))
      .orderBy('m.created_at', 'desc')
      .executeTakeFirst();
    if (row) return toThread(row);
  }
  // A reference number in the text (an email subject, say) joins that contact if it is the person's.
  const referenceHint = message.referenceHint;
  if (referenceHint) {
    const row = await tx
      .selectFrom('contacts as c')
      .select(columns)
      .where('c.force_id', '=', forceId)
      .where('c.reference', '=', referenceHint)
      .where('c.person_id', '=', personId)
      .executeTakeFirst();
    if (row) return toThread(row);
  }
  // A message that belongs with whatever the person has open on another channel right now
  // (a location fix for the 999 call in progress, say) joins that contact.
  const join = message.joinOpenContactOf;
  if (join) {
    const since = new Date(clock.now().getTime() - join.withinMinutes * 60_000);
    const row = await tx
      .selectFrom('contacts as c')
      .select(columns)
      .where('c.force_id', '=', forceId)
      .where('c.person_id', '=', personId)
      .where('c.channel', '=', join.channel)
      .where('c.status', '=', 'open')
      .where('c.received_at', '>=', since)
      .orderBy('c.received_at', 'desc')
      .executeTakeFirst();
    if (row) return toThread(row);
  }
  // Otherwise the person's open contact on this channel and thread, or a recently closed one.
  const open = await tx
    .selectFrom('contacts as c')
    .select(columns)
    .where('c.force_id', '=', forceId)
    .where('c.person_id', '=', personId)
    .where('c.channel', '=', ctx.channel)
    .where('c.thread_key', '=', message.threadKey)
    .orderBy('c.status', 'desc') // 'open' before 'closed'
    .orderBy('c.received_at', 'desc')
    .executeTakeFirst();
  if (!open) return null;
  if (isContactOpen(contactState(open))) return toThread(open);
  const windowMs = ctx.reopenWithinHours * 3600 * 1000;
  if (open.closed_at && clock.now().getTime() - open.closed_at.getTime() <= windowMs) return toThread(open);
  return null;
}
