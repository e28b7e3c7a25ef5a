import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { contactRow, contactState, moveContact } from './contact.machine.ts';
import { moveEvent } from './contact.events.ts';
import * as contacts from './contacts.repository.ts';
import * as messages from './messages.repository.ts';

// What rooms downstream of contacts read of its records, and the moves they ask of them, inside
// their own transactions, through this service rather than the repositories (decision 0181). A
// move is the contact machine's, made here (decision 0189). It imports no other room, so calling
// it adds no arrow back. The rooms whose own use cases contacts calls (channels, intake, queue)
// still call the repositories: going through a service would be a cycle (0023). Cases came here
// once contacts no longer reached it (decision 0194).

/**
 * The contact someone is about to work on (assess, grade, flag for re-assessment): its reference,
 * triage and where it stands; with `lock`, held (`for update`) until the caller's transaction ends,
 * so it is not closed under the work. Undefined when the force has no such contact.
 */
export async function findContactToWorkOn(tx: Tx, forceId: ForceId, contactId: string, options: { lock?: boolean } = {}) {
  const contact = await contacts.findContact(tx, forceId, contactId, ['id', 'status', 'assigned_staff_id', 'triage', 'reference'], options);
  return contact && { ...contact, state: contactState(contact) };
}

/**
 * What a member of the public may see of their report's contact: its reference, status, when it was
 * received, and whose it is and how it came (which of its messages are its person's, decision 0195).
 */
export function findReportedContact(tx: Tx, forceId: ForceId, contactId: string) {
  return contacts.findContact(tx, forceId, contactId, ['id', 'reference', 'status', 'received_at', 'person_id', 'channel', 'thread_key']);
}

/** Contacts a member of staff is linking to an incident: their references, summaries and locations (those of this force only). */
export function findContactsToLink(tx: Tx, forceId: ForceId, contactIds: readonly string[]) {
  return contacts.findContactsByIds(tx, forceId, contactIds, ['id', 'reference', 'summary', 'location']);
}

/** The references and statuses of the force's contacts with these ids (a case's conversations). */
export function findContactReferences(tx: Tx, forceId: ForceId, contactIds: readonly string[]) {
  return contacts.findContactsByIds(tx, forceId, contactIds, ['id', 'status', 'reference']);
}

/**
 * The contact a case is being created from: its reference and person, held (`for update`) until
 * the caller's transaction ends, so a second case is not created from it alongside. Undefined when
 * the force has no such contact.
 */
export function findContactToOpenCaseFrom(tx: Tx, forceId: ForceId, contactId: string) {
  return contacts.findContact(tx, forceId, contactId, ['id', 'person_id', 'reference'], { lock: true });
}

/**
 * The contacts whose online reports are being drafted into cases: channel, reference, person,
 * triage and when received, held (`for update`) in id order until the caller's transaction ends,
 * so two workers drafting overlapping batches take turns instead of deadlocking.
 */
export function findReportsToDraft(tx: Tx, forceId: ForceId, contactIds: readonly string[]) {
  return contacts.findContactsByIds(tx, forceId, contactIds, ['id', 'reference', 'channel', 'person_id', 'triage', 'received_at'], { lock: true });
}

/** What each of these contacts' reports said: the body of its first inbound message. */
export function listReportTexts(tx: Tx, forceId: ForceId, contactIds: readonly string[]): Promise<{ contact_id: string; body: string }[]> {
  return messages.listFirstInboundBodies(tx, forceId, contactIds);
}

/** The reports made through the public portal since `since` (at most `limit`), oldest first: id, reference and when received. */
export function listPortalReportsSince(tx: Tx, forceId: ForceId, since: Date, limit: number) {
  return contacts.listContactsReceivedOnChannel(tx, forceId, 'portal', since, limit);
}

/** One of the force's contacts by its reference, with the force's name. */
export function findContactByReference(tx: Tx, forceId: ForceId, reference: string) {
  return contacts.findContactByReference(tx, forceId, reference);
}

/**
 * Someone leaves routing (offline, deactivated, a password reset, a role that works no queue):
 * every open contact they hold makes its machine's `unassign` and waits again in its queue, in its
 * old place. Returns one `contact.unassigned` per contact, for the caller to record with its own
 * event (which refreshes boards and asks for distribution); none when they held nothing.
 */
export async function returnHeldContactsToQueue(tx: Tx, forceId: ForceId, input: { staffId: string; actor: Actor; reason: string }): Promise<NewEvent[]> {
  const held = await contacts.lockOpenContactsHeldBy(tx, forceId, input.staffId);
  const events: NewEvent[] = [];
  for (const contact of held) {
    const letGo = moveContact(contactState(contact), { type: 'unassign' });
    await contacts.updateContact(tx, forceId, contact.id, { ...contactRow(letGo.to), assigned_at: null });
    events.push(moveEvent(letGo, { actor: input.actor, contactId: contact.id, data: { staffId: input.staffId, reason: input.reason } }));
  }
  return events;
}

/**
 * The messages of one of the force's contacts in the order a conversation is read (decision 0186):
 * by when the person sent each where believed (`sent_at`, decision 0172), else when it reached us,
 * ties in the order stored (time received, then `seq`). A reply is dated by when it was written.
 * The contact's own thread in the console is read in the same order.
 */
export function listConversationMessages(tx: Tx, forceId: ForceId, contactId: string) {
  return messages.listConversationMessages(tx, forceId, contactId);
}

/** The bodies of these outbound messages of one of the force's contacts. */
export function listOutboundBodies(tx: Tx, forceId: ForceId, contactId: string, messageIds: readonly string[]): Promise<{ id: string; body: string }[]> {
  return messages.listOutboundBodies(tx, forceId, contactId, messageIds);
}
