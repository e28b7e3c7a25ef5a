import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { JsonValue, Tables } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';
import { storedFirst, storedLast } from '../../platform/db/stored-order.ts';

// The only SQL on the `messages` table (decision 0023). Every function takes the force id and puts
// it in the statement. Use cases of any room may call it; it imports nothing but the platform.

/** Stores messages, in one statement. */
export async function insertMessages(tx: Tx, rows: readonly Insertable<Tables['messages']>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insertInto('messages').values([...rows]).execute();
}

/** Changes columns of one of the force's messages. */
export async function updateMessage(tx: Tx, forceId: ForceId, messageId: string, values: Updateable<Tables['messages']>): Promise<void> {
  await tx.updateTable('messages').set(values).where('force_id', '=', forceId).where('id', '=', messageId).execute();
}

/**
 * A contact's messages, each with its staff author's name, in the order a conversation is read
 * (decision 0186), the one place that order is kept: what a person wrote by when they sent it where
 * believed (`sent_at`, decision 0172), else when it reached us (a reply is dated by when it was
 * written); a channel's or the system's own record (a call offered, an AML fix, an acknowledgement)
 * by when it reached us, as the control room met it (decision 0191); equal times in the order
 * stored (time received, then `seq`, decision 0157; rows stored before `seq` first, by id).
 */
export async function listConversationMessages(tx: Tx, forceId: ForceId, contactId: string) {
  return tx
    .selectFrom('messages as m')
    .leftJoin('staff as s', 's.id', 'm.author_staff_id')
    .select(['m.id', 'm.direction', 'm.body', 'm.created_at', 'm.sent_at', 'm.channel', 'm.provider_message_id', 'm.delivery_status', 'm.delivery_error', 'm.meta', 'm.sender_person_id', 'm.content_hash', 's.name as author_name'])
    .where('m.force_id', '=', forceId)
    .where('m.contact_id', '=', contactId)
    // What a person wrote at when they sent it; a channel's or the system's own record (a call offered, an AML fix) at when it reached us.
    .orderBy(sql`case when m.meta->>'writtenBy' in ('channel', 'system') then m.created_at else coalesce(m.sent_at, m.created_at) end`)
    .orderBy('m.created_at')
    // Rows stored before `seq` have none and were all stored before any that has one (decision 0157); among themselves, by id.
    .orderBy(sql`m.seq nulls first`)
    .orderBy('m.id')
    .execute();
}

/** The first inbound message of each of these contacts (the report's own text), one row per contact that has one. */
export async function listFirstInboundBodies(tx: Tx, forceId: ForceId, contactIds: readonly string[]): Promise<{ contact_id: string; body: string }[]> {
  if (contactIds.length === 0) return [];
  return tx
    .selectFrom('messages')
    .distinctOn('contact_id')
    .select(['contact_id', 'body'])
    .where('force_id', '=', forceId)
    .where('contact_id', 'in', [...contactIds])
    .where('direction', '=', 'inbound')
    .orderBy('contact_id')
    .orderBy('created_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .execute();
}

/** The bodies of these outbound messages of one contact (others' ids are ignored). */
export async function listOutboundBodies(tx: Tx, forceId: ForceId, contactId: string, messageIds: readonly string[]): Promise<{ id: string; body: string }[]> {
  if (messageIds.length === 0) return [];
  return tx
    .selectFrom('messages')
    .select(['id', 'body'])
    .where('force_id', '=', forceId)
    .where('contact_id', '=', contactId)
    .where('direction', '=', 'outbound')
    .where('id', 'in', [...messageIds])
    .execute();
}

/** A message to send, with what its contact knows of where it goes. */
export async function findMessageToSend(tx: Tx, forceId: ForceId, messageId: string) {
  return tx
    .selectFrom('messages as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select(['m.id', 'm.body', 'm.delivery_status', 'm.channel', 'm.author_staff_id', 'm.private_reply_to', 'm.meta as message_meta', 'c.id as contact_id', 'c.reference', 'c.thread_key', 'c.meta', 'c.channel_account_id', 'c.person_id'])
    .where('m.force_id', '=', forceId)
    .where('m.id', '=', messageId)
    .executeTakeFirst();
}

/** The provider's id of a contact's latest inbound message (what a reply answers). */
export async function findLatestInboundProviderId(tx: Tx, forceId: ForceId, contactId: string): Promise<string | null> {
  const row = await tx
    .selectFrom('messages')
    .select('provider_message_id')
    .where('force_id', '=', forceId)
    .where('contact_id', '=', contactId)
    .where('direction', '=', 'inbound')
    .orderBy('created_at', 'desc')
    .orderBy('seq', storedLast)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.provider_message_id ?? null;
}

/**
 * When the person last wrote to the force on this contact's thread of its account (on any of
 * their contacts there: a closed contact's successor is the same conversation to the provider), or
 * null if they never have. Without a person, the contact's own messages are read.
 */
export async function findLastInboundAt(
  tx: Tx,
  forceId: ForceId,
  contact: { id: string; channel: string; person_id: string | null; thread_key: string | null; channel_account_id: string | null },
): Promise<Date | null> {
  let query = tx
    .selectFrom('messages as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select((eb) => eb.fn.max('m.created_at').as('at'))
    .where('m.force_id', '=', forceId)
    .where('c.force_id', '=', forceId)
    .where('m.direction', '=', 'inbound');
  if (contact.person_id === null) {
    query = query.where('c.id', '=', contact.id);
  } else {
    query = query
      .where('c.person_id', '=', contact.person_id)
      .where('c.channel', '=', contact.channel)
      .where('c.thread_key', contact.thread_key === null ? 'is' : '=', contact.thread_key)
      .where('c.channel_account_id', contact.channel_account_id === null ? 'is' : '=', contact.channel_account_id);
  }
  const row = await query.executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** Whether an outbound message with this provider id was recorded on the channel. */
export async function findOutboundByProviderId(tx: Tx, forceId: ForceId, channel: string, providerMessageId: string): Promise<{ id: string; sent_through_account: string | null } | undefined> {
  return tx
    .selectFrom('messages')
    .select(['id', 'sent_through_account'])
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('direction', '=', 'outbound')
    .where('provider_message_id', '=', providerMessageId)
    .executeTakeFirst();
}

/**
 * Fails an outbound message whose send job was given up (decision 0116): only one still waiting to
 * go (queued, or retrying), so one sent, failed or answered by a provider's report is left alone.
 */
export async function giveUpOutboundMessage(tx: Tx, forceId: ForceId, messageId: string, reason: string): Promise<{ contact_id: string; channel: string } | undefined> {
  return tx
    .updateTable('messages')
    .set({ delivery_status: 'failed', delivery_error: reason })
    .where('force_id', '=', forceId)
    .where('id', '=', messageId)
    .where('direction', '=', 'outbound')
    .where('delivery_status', 'in', ['queued', 'retrying'])
    .returning(['contact_id', 'channel'])
    .executeTakeFirst();
}

/**
 * Sets the delivery status of the outbound message with this provider id, only if its current
 * status is empty or one of `replaceable` and it went through the account the report came from
 * (`account`; null for a provider with none); returns the message changed.
 */
export async function updateOutboundDeliveryStatus(
  tx: Tx,
  forceId: ForceId,
  channel: string,
  providerMessageId: string,
  update: { status: string; reason: string | null; account: string | null },
  replaceable: readonly string[],
): Promise<{ id: string; contact_id: string } | undefined> {
  return tx
    .updateTable('messages')
    .set({ delivery_status: update.status, delivery_error: update.reason })
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('direction', '=', 'outbound')
    .where('provider_message_id', '=', providerMessageId)
    // Only a report from the account it went through (null for a provider with none): decision 0202.
    .where('sent_through_account', 'is not distinct from', update.account)
    .where((eb) => eb.or([eb('delivery_status', 'is', null), eb('delivery_status', 'in', [...replaceable])]))
    .returning(['id', 'contact_id'])
    .executeTakeFirst();
}

/**
 * The messages already stored with this provider id from this account of the channel, each with
 * its contact, content hash and body. A provider id is unique within its account only (two pages
 * of one force may both send "1"), and one id may hold different messages (decision 0054).
 */
export async function listStoredProviderMessages(tx: Tx, forceId: ForceId, channel: string, providerMessageId: string, channelAccountId: string | null) {
  return tx
    .selectFrom('messages as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select(['c.id', 'c.reference', 'm.content_hash', 'm.body', 'm.created_at', 'm.sent_at'])
    .where('m.force_id', '=', forceId)
    .where('m.channel', '=', channel)
    .where('m.channel_account_id', 'is not distinct from', channelAccountId)
    .where('m.provider_message_id', '=', providerMessageId)
    .execute();
}

/** The contacts of messages with these provider ids on a channel, whatever their account, in one statement. */
export async function listContactsOfProviderMessages(tx: Tx, forceId: ForceId, channel: string, providerMessageIds: readonly string[]) {
  if (providerMessageIds.length === 0) return [];
  return tx
    .selectFrom('messages as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select(['m.provider_message_id', 'c.id', 'c.reference'])
    .where('m.force_id', '=', forceId)
    .where('m.channel', '=', channel)
    .where('m.provider_message_id', 'in', [...providerMessageIds])
    .execute();
}

/**
 * The contact of the latest message among these provider ids that is ours (outbound) or this
 * person's own (ours only, for no person): what a reply naming earlier messages continues.
 */
export async function findContactOfRepliedMessage(tx: Tx, forceId: ForceId, providerMessageIds: readonly string[], personId: string | null) {
  return tx
    .selectFrom('messages as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select(['c.id', 'c.reference', 'c.status', 'c.closed_at', 'c.priority'])
    .where('m.force_id', '=', forceId)
    .where('m.provider_message_id', 'in', [...providerMessageIds])
    // With no person, only a message we sent: nobody's own message is theirs.
    .where((eb) => (personId === null ? eb('m.direction', '=', 'outbound') : eb.or([eb('m.direction', '=', 'outbound'), eb('c.person_id', '=', personId)])))
    .orderBy('m.created_at', 'desc')
    .orderBy('m.seq', storedLast)
    .orderBy('m.id', 'desc')
    .executeTakeFirst();
}

/**
 * The force's messages with these provider ids on one conversation (a channel's thread, across
 * the contacts it has had), sent or received: what a quoting message names. Another force's
 * message with the same id is never read.
 */
export async function listThreadMessagesByProviderIds(tx: Tx, forceId: ForceId, thread: { channel: string; threadKey: string }, providerMessageIds: readonly string[]) {
  if (providerMessageIds.length === 0) return [];
  return tx
    .selectFrom('messages as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select(['m.id', 'm.contact_id', 'm.direction', 'm.body', 'm.created_at', 'm.provider_message_id'])
    .where('m.force_id', '=', forceId)
    .where('c.force_id', '=', forceId)
    .where('m.channel', '=', thread.channel)
    .where('c.thread_key', '=', thread.threadKey)
    .where('m.provider_message_id', 'in', [...providerMessageIds])
    .orderBy('m.created_at')
    .orderBy('m.seq', storedFirst)
    .orderBy('m.id')
    .execute();
}

/**
 * One of the force's messages that a reply on this contact may quote: the contact's own, or one of
 * an earlier contact of the same conversation (the channel's thread); undefined for any other.
 */
export async function findThreadMessage(tx: Tx, forceId: ForceId, contact: { id: string; channel: string; thread_key: string | null }, messageId: string) {
  return tx
    .selectFrom('messages as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select(['m.id', 'm.contact_id', 'm.direction', 'm.body', 'm.provider_message_id', 'm.delivery_status'])
    .where('m.force_id', '=', forceId)
    .where('c.force_id', '=', forceId)
    .where('m.id', '=', messageId)
    .where((eb) => {
      const sameContact = eb('m.contact_id', '=', contact.id);
      if (contact.thread_key === null) return sameContact;
      return eb.or([sameContact, eb.and([eb('m.channel', '=', contact.channel), eb('c.channel', '=', contact.channel), eb('c.thread_key', '=', contact.thread_key)])]);
    })
    .executeTakeFirst();
}

/** The contact's latest message from the person that carries the provider's id: the comment a private reply answers. */
export async function findLatestInboundWithProviderId(tx: Tx, forceId: ForceId, contactId: string) {
  return tx
    .selectFrom('messages')
    .select(['provider_message_id', 'created_at', 'meta'])
    .where('force_id', '=', forceId)
    .where('contact_id', '=', contactId)
    .where('direction', '=', 'inbound')
    .where('provider_message_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .orderBy('seq', storedLast)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The private reply to this comment that is on its way or that the provider took (a failed one does not count). */
export async function findPrivateReplyNotFailed(tx: Tx, forceId: ForceId, commentId: string) {
  return tx
    .selectFrom('messages')
    .select(['created_at', 'delivery_status'])
    .where('force_id', '=', forceId)
    .where('private_reply_to', '=', commentId)
    .where((eb) => eb('delivery_status', 'is', null).or('delivery_status', '!=', 'failed'))
    .executeTakeFirst();
}

/** Before this, no Facebook or Instagram comment was made: a time earlier is not Meta's. */
const EARLIEST_COMMENT = Date.UTC(2004, 0, 1);

/**
 * When a comment was made, by Meta's own time where the message carries one (`commentedAt`, from
 * the webhook's `created_time`), or else when it reached us (decision 0112). Meta's time is not
 * trusted when absurd: before 2004, or more than a day after we received it; a time up to a day
 * after is a clock apart, and the comment was made no later than it reached us.
 */
export function commentedAtOf(row: { meta: { [key: string]: JsonValue }; created_at: Date | string }): Date {
  const receivedAt = new Date(row.created_at);
  const given = typeof row.meta.commentedAt === 'string' ? Date.parse(row.meta.commentedAt) : Number.NaN;
  if (!Number.isFinite(given) || given < EARLIEST_COMMENT || given > receivedAt.getTime() + 86_400_000) return receivedAt;
  return new Date(Math.min(given, receivedAt.getTime()));
}

/**
 * The inbound messages on these contacts that first reached us at or after `since` and were matched
 * to their conversation by their own times (`meta.joinedBy`), oldest first. First reached: a request
 * replayed from the rejected-request log counts from when it was received, not when it was replayed.
 */
export async function listJoinedMessagesSince(tx: Tx, forceId: ForceId, contactIds: readonly string[], since: Date) {
  if (contactIds.length === 0) return [];
  const firstReceived = sql<Date>`least(m.created_at, coalesce((select r.received_at from inbound_requests r where r.force_id = m.force_id and r.id = m.inbound_request_id), m.created_at))`;
  return tx
    .selectFrom('messages as m')
    .selectAll('m')
    .select(firstReceived.as('first_received_at'))
    .where('m.force_id', '=', forceId)
    .where('m.contact_id', 'in', [...contactIds])
    .where('m.direction', '=', 'inbound')
    .where(sql<boolean>`m.meta -> 'joinedBy' is not null`)
    // Implied by the next (first receipt is never after storing), and lets the index bound the read.
    .where('m.created_at', '>=', since)
    .where(firstReceived, '>=', since)
    .orderBy('m.created_at')
    .orderBy('m.seq', storedFirst)
    .orderBy('m.id')
    .execute();
}
