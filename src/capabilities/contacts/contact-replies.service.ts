import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { findPersonEmail } from '../people/people.service.ts';
import { queueTemplatedEmail } from '../journeys/journeys.service.ts';
import { canReplyInWriting, isAdapterChannel } from '../channels/outbound.service.ts';
import type { ReplyWindowFinder } from '../channels/reply-window.service.ts';
import { languageOfContact } from './contact-facts.ts';
import { onResponded } from '../queue/routing.service.ts';
import { contactReplied } from './contact.events.ts';
import { contactState, requireOpenContact } from './contact.machine.ts';
import { lockContactForReply } from './contact-views.repository.ts';
import { resolveReplyQuote } from './reply-quote.ts';
import { insertMessages } from './messages.repository.ts';
import { claimPrivateReply, withOnePrivateReply } from './private-replies.ts';

// An operator's written reply to a contact: what staff send, as opposed to what they read of it
// (contacts.service.ts).

/**
 * Sends an operator's reply: it joins the thread, goes to the person by email, and appears in
 * their portal timeline.
 */
export async function replyToContact(deps: ServiceDeps & { replyWindows?: ReplyWindowFinder }, forceId: ForceId, contactId: string, staffId: StaffId, body: string, quoteMessageId?: string) {
  return withForce(deps.db, forceId, (tx) => recordContactReply(tx, deps, forceId, contactId, staffId, body, { emailCopy: true, replyWindows: deps.replyWindows, quoteMessageId }));
}

/**
 * A reply in the caller's transaction. `emailCopy: false` keeps the text off email: a victim's
 * secure-message thread answered from their case, whose notification follows their own contact
 * preferences instead (victim-portal/case-conversation.service.ts). `quoteMessageId`: one of the
 * conversation's messages the reply answers (reply-quote.ts).
 */
export async function recordContactReply(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock'>,
  forceId: ForceId,
  contactId: string,
  staffId: StaffId,
  body: string,
  options: { emailCopy: boolean; replyWindows?: ReplyWindowFinder | undefined; quoteMessageId?: string | undefined },
) {
  const contact = await lockContactForReply(tx, forceId, contactId);
  if (!contact) throw notFound('contact');
  requireOpenContact(contactState(contact), 'reply');
  if (!canReplyInWriting(contact.channel)) {
    throw conflict('A call cannot be answered in writing: call the person back (use "Request a callback", or the number on the contact).');
  }
  const quote = options.quoteMessageId === undefined ? null : await resolveReplyQuote(tx, forceId, contact, options.quoteMessageId);

  const messageId = newId();
  const now = deps.clock.now();
  const viaChannel = isAdapterChannel(contact.channel);
  const email = !viaChannel && options.emailCopy && contact.person_id ? await findPersonEmail(tx, forceId, contact.person_id) : null;
  const deliveryStatus = viaChannel || email ? 'queued' : 'portal_only';
  // A private reply to a comment: Meta takes one, within 7 days of it, so a second or a late one is refused here, before Meta.
  const window = viaChannel && options.replyWindows ? await options.replyWindows(tx, forceId, now, contact) : null;
  const privateReplyTo = window?.kind === 'meta_private_reply' ? await claimPrivateReply(tx, forceId, contactId, now) : null;
  await withOnePrivateReply(() => insertMessages(tx, [
    {
      id: messageId,
      force_id: forceId,
      contact_id: contactId,
      direction: 'outbound',
      channel: contact.channel,
      body,
      provider_message_id: null,
      author_staff_id: staffId,
      created_at: now,
      delivery_status: deliveryStatus,
      private_reply_to: privateReplyTo,
      ...(quote?.stored ? { meta: JSON.stringify({ quoted: quote.stored }) } : {}),
    },
  ]));
  // The send follows from the reply's event: through the channel, or by the outbox's email.
  let outboxId: string | null = null;
  if (email) {
    outboxId = await queueTemplatedEmail(tx, forceId, deps.clock, {
      templateKey: 'contact.reply',
      values: { name: contact.display_name ?? '', reference: contact.reference, forceName: contact.force_name, body },
      recipient: email,
      purpose: 'reply',
      idempotencyKey: `reply:${messageId}`,
      contactId,
      language: languageOfContact(contact.meta),
    });
  }
  // A reply in the portal reaches the person there whatever becomes of its email: it answers
  // them now. One through a channel answers them once the provider has taken it (outbound.service).
  const missed = viaChannel ? [] : await onResponded(tx, forceId, deps.clock, contactId);
  const via = viaChannel ? contact.channel : email ? 'email' : 'portal';
  record(tx, forceId, deps.clock, ...missed, contactReplied.of({ actor: { type: 'staff', id: staffId }, subjectId: contactId, data: { messageId, via, ...(outboxId ? { outboxId } : {}), ...(quote?.stored ? { quotedMessageId: quote.stored.messageId } : {}) } }));
  return {
    id: messageId,
    direction: 'outbound' as const,
    body,
    createdAt: now.toISOString(),
    channel: contact.channel,
    deliveryStatus,
    quotes: quote?.view ?? null,
    quoteNote: quote?.note ?? null,
  };
}
