import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { newId } from '../../platform/ids.ts';
import { payloadText, type BatchJobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import type { Tx } from '../../platform/db/database.ts';
import { findTemplateRows, renderForceTemplate, renderInLanguage } from '../journeys/journeys.service.ts';
import { queueMessages } from '../outbox/outbox.service.ts';
import { countRecentSends, lockRecipients } from '../outbox/recent-sends.service.ts';
import { isAdapterChannel } from '../channels/outbound.service.ts';
import { contactAcknowledged } from './contact.events.ts';
import { languageOfContact } from './contact-facts.ts';
import { findContactsToAcknowledge } from './contact-views.repository.ts';
import { insertMessages } from './messages.repository.ts';
import { acknowledgementAllowancesOf } from './trusted-addresses.service.ts';

const SYSTEM = { type: 'system', id: null } as const;
const TEMPLATE_KEY = 'contact.acknowledgement';
const ACKNOWLEDGEMENT_PURPOSE = 'acknowledgement';

const ALLOWANCE_WINDOW_MS = 24 * 60 * 60 * 1000;

type ContactToAcknowledge = Awaited<ReturnType<typeof findContactsToAcknowledge>>[number];

/** Which of these contacts were acknowledged already (the job runs at least once), one statement. */
async function acknowledgedAmong(tx: Tx, forceId: ForceId, contactIds: readonly string[]): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const rows = await tx
    .selectFrom('events')
    .select('subject_id')
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'contact')
    .where('subject_id', 'in', [...contactIds])
    .where('type', '=', 'contact.acknowledged')
    .execute();
  return new Set(rows.map((row) => row.subject_id));
}

/** The address or number the contact came from, with its kind (`email`, `phone`…), if it has one. */
function senderOf(contact: ContactToAcknowledge): { kind: unknown; value: string } | null {
  const sender = contact.meta.sender;
  if (!sender || typeof sender !== 'object' || Array.isArray(sender)) return null;
  return typeof sender.value === 'string' ? { kind: sender.kind, value: sender.value } : null;
}

/**
 * The contact began with a message a machine sent (a bounce, an auto-reply, a mailing list's
 * post), as its channel marked it: answering it automatically is backscatter or a mail loop
 * (RFC 3834), so it is stored and never acknowledged.
 */
function isAutomaticMessage(contact: ContactToAcknowledge): boolean {
  return contact.meta.isAutomatic === true;
}

/**
 * The contact is a victim's secure message from their case page, which shows it as sent and says
 * the reply comes there: an email "we have received your report", with a reference of its own,
 * told them their message was a new report.
 */
function isCaseMessage(contact: ContactToAcknowledge): boolean {
  return contact.meta.source === 'case-page';
}

/**
 * Sends new contacts' people their reference, in their language, as the portal promises, many
 * jobs to a transaction (decision 0040): a portal report by the outbox's email to the address
 * they gave, with one statement each for the batch's contacts, earlier acknowledgements, the
 * template and the outbox; an email or a text back on its channel, as a message of the thread
 * (marked as automatic, so it is never taken for a reply and never stops a response clock). Each
 * contact gets its own `contact.acknowledged` event (a portal email's delivery job follows from
 * it). Safe to repeat: a contact is acknowledged once. A contact opened by an automatic message
 * (`meta.isAutomatic`) or by a victim's message from their case page is not acknowledged at all.
 */
export function createAcknowledgementHandler(deps: { clock: Clock; maxBatch: number }): BatchJobHandler {
  return {
    maxBatch: deps.maxBatch,
    run: async ({ forceId, jobs, tx }) => {
      await acknowledgeContacts(tx, forceId, deps.clock, jobs.map((job) => payloadText(job, 'contactId')));
    },
  };
}

/**
 * Acknowledges these contacts, in the order given, as the acknowledgement job does: each once,
 * its portal email within its address's allowance. Returns how many portal reports were sent one.
 * Releasing held acknowledgements (decision 0171) runs it too, for reports held back earlier.
 */
export async function acknowledgeContacts(tx: Tx, forceId: ForceId, clock: Clock, contactIds: readonly string[]): Promise<number> {
  const place = new Map(contactIds.map((id, i) => [id, i]));
  const contacts = (await findContactsToAcknowledge(tx, forceId, contactIds)).sort((a, b) => (place.get(a.id) ?? 0) - (place.get(b.id) ?? 0));
  // Locked before reading which were acknowledged: a run releasing held reports may be
  // acknowledging one of these at this moment, and this waits for it and then sees its event.
  await lockRecipients(tx, forceId, ACKNOWLEDGEMENT_PURPOSE, contacts.flatMap(portalEmailOf));
  const done = await acknowledgedAmong(tx, forceId, contactIds);
  const byEmail: { contact: ContactToAcknowledge; recipient: string }[] = [];
  for (const contact of contacts) {
    const sender = senderOf(contact);
    if (done.has(contact.id) || !sender || isAutomaticMessage(contact) || isCaseMessage(contact)) continue;
    if (contact.channel !== 'portal') await acknowledgeOnItsChannel(tx, forceId, clock, contact);
    // A portal report is acknowledged by email, to the address given; one without is not.
    else if (sender.kind === 'email') byEmail.push({ contact, recipient: sender.value });
  }
  const allowed = await withinAllowance(tx, forceId, clock, byEmail);
  return allowed.length > 0 ? acknowledgeByEmail(tx, forceId, clock, allowed) : 0;
}

/** The address a portal report is acknowledged at, as a list of it or of none. */
function portalEmailOf(contact: ContactToAcknowledge): string[] {
  const sender = senderOf(contact);
  return contact.channel === 'portal' && sender?.kind === 'email' ? [sender.value] : [];
}

/**
 * The mails of this batch each address still has allowance for: what it was sent in the last day
 * counts, and so do the batch's own earlier mails to it. Letter case aside, an address is one. The
 * allowance is the force's, or its higher one for an address it trusts (decision 0166). The caller
 * holds the addresses' locks (`lockRecipients`), so another batch's count waits for these mails.
 */
async function withinAllowance<T extends { recipient: string }>(tx: Tx, forceId: ForceId, clock: Clock, mails: readonly T[]): Promise<T[]> {
  if (mails.length === 0) return [];
  const since = new Date(clock.now().getTime() - ALLOWANCE_WINDOW_MS);
  const recipients = mails.map((mail) => mail.recipient);
  const sent = await countRecentSends(tx, forceId, ACKNOWLEDGEMENT_PURPOSE, recipients, since);
  const allowanceOf = await acknowledgementAllowancesOf(tx, forceId, recipients);
  return mails.filter((mail) => {
    const key = mail.recipient.toLowerCase();
    const count = sent.get(key) ?? 0;
    sent.set(key, count + 1);
    return count < allowanceOf(mail.recipient);
  });
}

/**
 * Queues the mails and records each contact's `contact.acknowledged`. A mail whose key (`ack:`
 * and the contact) the outbox holds already was sent by an earlier run: no second event for it.
 * Returns how many were queued.
 */
async function acknowledgeByEmail(tx: Tx, forceId: ForceId, clock: Clock, mails: readonly { contact: ContactToAcknowledge; recipient: string }[]): Promise<number> {
  const templates = await findTemplateRows(tx, forceId, TEMPLATE_KEY, 'email');
  const letters = mails.map(({ contact, recipient }) => {
    const values = { name: contact.display_name ?? '', reference: contact.reference, forceName: contact.force_name };
    const rendered = renderInLanguage(templates, languageOfContact(contact.meta), values);
    if (!rendered) throw new Error(`no email template ${TEMPLATE_KEY}`);
    return { contact, recipient, rendered };
  });
  const outboxIds = await queueMessages(
    tx,
    forceId,
    clock,
    letters.map(({ contact, recipient, rendered }) => ({
      channels: [{ channel: 'email', recipient, subject: rendered.subject, body: rendered.body }],
      purpose: ACKNOWLEDGEMENT_PURPOSE,
      idempotencyKey: `ack:${contact.id}`,
      contactId: contact.id,
    })),
  );
  let queued = 0;
  letters.forEach(({ contact, rendered }, i) => {
    const outboxId = outboxIds[i];
    if (!outboxId) return;
    queued += 1;
    record(tx, forceId, clock, contactAcknowledged.of({ actor: SYSTEM, subjectId: contact.id, data: { via: 'email', language: rendered.locale, outboxId } }));
  });
  return queued;
}

/** An email or a text back on the channel the contact came in on, as an automatic message of its thread. */
async function acknowledgeOnItsChannel(tx: Tx, forceId: ForceId, clock: Clock, contact: ContactToAcknowledge) {
  if (!isAdapterChannel(contact.channel)) return;
  const values = { name: contact.display_name ?? '', reference: contact.reference, forceName: contact.force_name };
  const rendered = await renderForceTemplate(tx, forceId, TEMPLATE_KEY, values, {
    channel: contact.channel === 'email' ? 'email' : 'sms',
    language: languageOfContact(contact.meta),
  });
  const messageId = newId();
  await insertMessages(tx, [
    {
      id: messageId,
      force_id: forceId,
      contact_id: contact.id,
      direction: 'outbound',
      channel: contact.channel,
      body: rendered.body,
      provider_message_id: null,
      author_staff_id: null,
      created_at: clock.now(),
      delivery_status: 'queued',
      meta: JSON.stringify({ writtenBy: 'system', purpose: 'acknowledgement' }),
    },
  ]);
  record(tx, forceId, clock, contactAcknowledged.of({ actor: SYSTEM, subjectId: contact.id, data: { via: contact.channel, language: rendered.locale, messageId } }));
}
