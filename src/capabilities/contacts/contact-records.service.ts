import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import * as contacts from './contacts.repository.ts';
import * as messages from './messages.repository.ts';
import { authorOfMessage } from './contact-facts.ts';

// What rooms downstream of contacts read and store of its records inside their own transactions,
// through this service rather than the repositories (decision 0181). It imports no other room, so
// calling it adds no arrow back. The rooms whose own use cases contacts calls (cases, channels,
// intake, queue) still call the repositories: going through a service would be a cycle (0023).

/** The named columns of one of the force's contacts; with `lock`, locked (`for update`) for the caller's move. */
export function findContact<C extends contacts.ContactColumn>(
  tx: Tx,
  forceId: ForceId,
  contactId: string,
  columns: readonly C[],
  options: { lock?: boolean } = {},
): Promise<contacts.ContactPick<C> | undefined> {
  return contacts.findContact(tx, forceId, contactId, columns, options);
}

/** The named columns of the force's contacts with these ids; with `lock`, locked in id order. */
export function findContactsByIds<C extends contacts.ContactColumn>(
  tx: Tx,
  forceId: ForceId,
  contactIds: readonly string[],
  columns: readonly C[],
  options: { lock?: boolean } = {},
): Promise<contacts.ContactPick<C>[]> {
  return contacts.findContactsByIds(tx, forceId, contactIds, columns, options);
}

/** One of the force's contacts by its reference, with the force's name. */
export function findContactByReference(tx: Tx, forceId: ForceId, reference: string) {
  return contacts.findContactByReference(tx, forceId, reference);
}

/** Releases the open contacts a member of staff holds; returns their ids. */
export function releaseOpenContactsHeldBy(tx: Tx, forceId: ForceId, staffId: string): Promise<{ id: string }[]> {
  return contacts.releaseOpenContactsHeldBy(tx, forceId, staffId);
}

/** The messages of one of the force's contacts, oldest first, with their authors' names. */
export function listContactMessages(tx: Tx, forceId: ForceId, contactId: string) {
  return messages.listContactMessages(tx, forceId, contactId);
}

/**
 * The messages of one of the force's contacts in the order a conversation is read (decision 0186):
 * by when the person sent each where believed (`sent_at`, decision 0172), else when it reached us,
 * ties in the order stored (time received, then `seq`). A reply is dated by when it was written.
 */
export async function listConversationMessages(tx: Tx, forceId: ForceId, contactId: string) {
  const stored = await messages.listContactMessages(tx, forceId, contactId);
  const shownAt = (message: (typeof stored)[number]) => (message.sent_at ?? message.created_at).getTime();
  // A stable sort of rows in stored order, so equal times keep that order.
  return stored.toSorted((a, b) => shownAt(a) - shownAt(b));
}

/**
 * What the public wrote on one of the force's contacts, in conversation order: its inbound
 * messages, never the channel's or the system's own words about it (a call's record, an
 * acknowledgement) nor anything staff wrote.
 */
export async function listPublicWords(tx: Tx, forceId: ForceId, contactId: string) {
  return (await listConversationMessages(tx, forceId, contactId)).filter((message) => message.direction === 'inbound' && authorOfMessage(message) === 'public');
}

/** The bodies of these outbound messages of one of the force's contacts. */
export function listOutboundBodies(tx: Tx, forceId: ForceId, contactId: string, messageIds: readonly string[]): Promise<{ id: string; body: string }[]> {
  return messages.listOutboundBodies(tx, forceId, contactId, messageIds);
}
