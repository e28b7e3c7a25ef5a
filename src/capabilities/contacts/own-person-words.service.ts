import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { hashMessageContent } from '../intake/intake.service.ts';
import { isReportOwnMessage } from '../intake/public-reports.service.ts';
import { listPersonHandles } from '../people/people.service.ts';
import { authorOfMessage } from './contact-facts.ts';
import { listConversationMessages } from './messages.repository.ts';

// Which of a contact's messages its own person wrote (decision 0195). A message stored since
// migration 0102 names the person its sender resolved to. One stored before names none, and the
// migration gave none (rewriting the whole table would hold off intake through the upgrade), so it
// is proved here, as the few of one contact are read, from what was stored with it.

/** A contact as the reporter's own words are read of it: whose it is, and the thread it was made on. */
export type OwnWordsContact = { id: string; person_id: string | null; channel: string; thread_key: string | null };

/**
 * What the contact's own person wrote on one of the force's contacts, in conversation order: its
 * inbound messages whose sender resolved to that person, never another sender's that joined the
 * thread (a stranger answering our mail), nor the channel's or the system's own words (a call's
 * record, an acknowledgement), nor anything staff wrote. A message stored before senders were is
 * the person's only where proved (`isProvedOwn`); otherwise it is left out. None for a contact
 * with no person. `reportId` is the first message the public stored on the contact, the report
 * itself, whether or not it is among them: a later message is never taken for the report because
 * the report could not be shown.
 */
export async function listOwnPersonWords(tx: Tx, forceId: ForceId, contact: OwnWordsContact) {
  const personId = contact.person_id;
  const all = (await listConversationMessages(tx, forceId, contact.id)).filter((message) => message.direction === 'inbound' && authorOfMessage(message) === 'public');
  const reportId = all.reduce<(typeof all)[number] | undefined>((first, m) => (first && first.created_at <= m.created_at ? first : m), undefined)?.id ?? null;
  if (personId === null) return { words: [], reportId };
  const unknown = all.filter((message) => message.sender_person_id === null);
  const handles = unknown.length > 0 ? await listPersonHandles(tx, forceId, personId) : [];
  const words = all.filter((message) => message.sender_person_id === personId || (message.sender_person_id === null && isProvedOwn(contact, handles, message)));
  return { words, reportId };
}

/**
 * Whether a message with no sender stored is shown by what was stored with it to be the contact's
 * person's: its hash is the one intake stores for one of the person's handles with its body
 * (decision 0054: a stranger's reply hashes another handle; one stored with no hash proves
 * nothing), or it is a portal report's own words on the contact the report opened.
 */
function isProvedOwn(
  contact: OwnWordsContact,
  handles: readonly Parameters<typeof hashMessageContent>[0][],
  message: { body: string; channel: string; provider_message_id: string | null; content_hash: string | null },
): boolean {
  if (isReportOwnMessage(contact, message)) return true;
  const hash = message.content_hash;
  return hash !== null && handles.some((handle) => hashMessageContent(handle, message.body) === hash);
}
