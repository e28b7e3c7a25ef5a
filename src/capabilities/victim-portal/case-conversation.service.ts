import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { findContactReferences, listConversationMessages } from '../contacts/contact-records.service.ts';
import { recordContactReply } from '../contacts/contact-replies.service.ts';
import { portalCaseReplySent } from './victim-portal.events.ts';

// The case side of a victim's secure messages. Each message a victim sends from their case page is
// a contact in the queue (case-messages.service.ts); the case's log names it
// (`portal.case_message_sent`), so the case screen finds every thread from there and reads the
// thread's messages where they live. An officer's reply from the case is a reply on that contact,
// like one from the queue, so both sides see one conversation; its text stays in the portal, and
// the victim is told it is there by the journeys, on the channels their preferences allow.

/**
 * One message of a thread: the victim's words are theirs, as sent; a screen shows them as text,
 * never as markup. `at` is when it reached us (or was written); `sentAt` when the victim sent it,
 * where believed (decision 0172).
 */
export type ConversationMessage = { id: string; from: 'victim' | 'staff'; body: string; at: string; sentAt: string | null; authorName: string | null };

/**
 * One victim's thread on a case: the contact it is in the queue as, and its messages in the order
 * a conversation is read, as the victim's case page and report page read them (decision 0186).
 */
export type ConversationThread = {
  contactId: string;
  contactReference: string;
  contactStatus: 'open' | 'closed';
  victim: { personId: string; name: string | null };
  messages: ConversationMessage[];
};

/** The threads the case's log names, newest first by their first message; each contact once. */
async function readThreadPointers(tx: Tx, forceId: ForceId, caseId: string): Promise<Map<string, { personId: string; reference: string }>> {
  const events = await tx
    .selectFrom('events')
    .select(['data'])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', '=', 'portal.case_message_sent')
    .orderBy('seq')
    .limit(1000)
    .execute();
  const threads = new Map<string, { personId: string; reference: string }>();
  for (const { data } of events) {
    if (typeof data.contactId !== 'string' || typeof data.personId !== 'string') continue;
    if (!threads.has(data.contactId)) threads.set(data.contactId, { personId: data.personId, reference: typeof data.contactReference === 'string' ? data.contactReference : '' });
  }
  return threads;
}

async function requireCase(tx: Tx, forceId: ForceId, caseId: string, options: { lock?: boolean } = {}): Promise<void> {
  let query = tx.selectFrom('cases').select('id').where('force_id', '=', forceId).where('id', '=', caseId);
  if (options.lock) query = query.forUpdate();
  if (!(await query.executeTakeFirst())) throw notFound('case');
}

/** The reply already sent on the case with this submission id, if any (the case row is locked by the caller). */
async function findSubmittedReply(tx: Tx, forceId: ForceId, caseId: string, submissionId: string): Promise<{ messageId: string; at: string } | null> {
  const found = await tx
    .selectFrom('events')
    .select(['occurred_at', 'data'])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', '=', 'portal.case_reply_sent')
    .where(sql<string>`data->>'submissionId'`, '=', submissionId)
    .executeTakeFirst();
  if (!found || typeof found.data.messageId !== 'string') return null;
  return { messageId: found.data.messageId, at: found.occurred_at.toISOString() };
}

/** The victims' secure-message threads on a case, with every message in and out, for the case screen. */
export async function listCaseConversation(deps: ServiceDeps, forceId: ForceId, caseId: string): Promise<ConversationThread[]> {
  return withForce(deps.db, forceId, async (tx) => {
    await requireCase(tx, forceId, caseId);
    const pointers = await readThreadPointers(tx, forceId, caseId);
    if (pointers.size === 0) return [];
    const contacts = new Map((await findContactReferences(tx, forceId, [...pointers.keys()])).map((c) => [c.id, c]));
    const victimNames = await tx
      .selectFrom('case_people')
      .select(['person_id', 'name'])
      .where('force_id', '=', forceId)
      .where('case_id', '=', caseId)
      .where('role', '=', 'victim')
      .execute();
    const threads: ConversationThread[] = [];
    for (const [contactId, pointer] of pointers) {
      const contact = contacts.get(contactId);
      if (!contact) continue;
      // By when the victim sent each where believed, else when it reached us; equal times as stored.
      const messages = (await listConversationMessages(tx, forceId, contactId))
        // The channel's own notes (acknowledgements written by the system) are not the conversation.
        .filter((m) => m.direction === 'outbound' || m.meta.writtenBy !== 'channel')
        .map((m): ConversationMessage => ({ id: m.id, from: m.direction === 'outbound' ? 'staff' : 'victim', body: m.body, at: m.created_at.toISOString(), sentAt: m.sent_at?.toISOString() ?? null, authorName: m.direction === 'outbound' ? (m.author_name ?? null) : null }));
      const name = victimNames.find((v) => v.person_id === pointer.personId)?.name || null;
      threads.push({ contactId, contactReference: contact.reference || pointer.reference, contactStatus: contact.status, victim: { personId: pointer.personId, name }, messages });
    }
    // Newest first, each thread by the time its first message is shown at: sent where believed, else received.
    const shownAt = (thread: ConversationThread) => (thread.messages[0] ? (thread.messages[0].sentAt ?? thread.messages[0].at) : '');
    return threads.sort((a, b) => shownAt(b).localeCompare(shownAt(a)));
  });
}

/**
 * An officer's reply, from the case, to a victim's secure-message thread: a reply on the thread's
 * contact (refused, as any reply, once the contact is closed), shown on the victim's case page.
 * Its text is not emailed; `portal.case_reply_sent` has the journeys tell that victim a message
 * waits, by their own channels and safe times. The same `submissionId` again returns the reply
 * it sent and sends nothing more.
 */
export async function replyToCaseVictim(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  input: { caseId: string; contactId: string; body: string; submissionId?: string | undefined },
): Promise<{ messageId: string; at: string }> {
  return withForce(deps.db, forceId, async (tx) => {
    // With a submission id the case is locked, so a second delivery of the request waits for the first and finds its reply.
    await requireCase(tx, forceId, input.caseId, { lock: input.submissionId !== undefined });
    if (input.submissionId) {
      const earlier = await findSubmittedReply(tx, forceId, input.caseId, input.submissionId);
      if (earlier) return earlier;
    }
    const pointer = (await readThreadPointers(tx, forceId, input.caseId)).get(input.contactId);
    if (!pointer) throw invalid('contactId', 'is not a victim’s message thread on this case');
    const reply = await recordContactReply(tx, deps, forceId, input.contactId, staffId, input.body, { emailCopy: false });
    const data = { personId: pointer.personId, contactId: input.contactId, messageId: reply.id, ...(input.submissionId ? { submissionId: input.submissionId } : {}) };
    record(tx, forceId, deps.clock, portalCaseReplySent.of({ actor: { type: 'staff', id: staffId }, subjectId: input.caseId, data }));
    return { messageId: reply.id, at: reply.createdAt };
  });
}
