import { writtenInWelsh } from './written-language.schema.ts';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ContactId, type ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { nextReference } from '../../platform/references.ts';
import { findOrCreatePerson, lockHandles, normaliseIdentity } from '../people/people.service.ts';
import { triageText } from '../triage/triage.service.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { Announcements } from '../../platform/events/announcements.ts';
import type { TriageContext } from '../triage/triage.schema.ts';
import type { IdentityKind } from '../people/people.schema.ts';
import { onInboundMessage, onResponded, routeNewContact } from '../queue/routing.service.ts';
import { createCallbackContact, isNewPublicCallback } from '../queue/callbacks.service.ts';
import { summarise, type InboundMessage, type IntakeResult, type PublicReport } from './intake.schema.ts';
import { REPEAT_CONTACT_DAYS, submitToReportGroup, triagedEvent } from './public-reports.service.ts';
import { findThread, holdBatchThreads, holdThread, type InboundContext } from './threads.service.ts';
import { copyJoinedMessages, joinedByOf } from './joined-messages.service.ts';
import { contactMessageReceived, contactTakenOver, moveEvent } from '../contacts/contact.events.ts';
import { contactRow, contactState, isContactOpen, moveContact } from '../contacts/contact.machine.ts';
import { personCreated } from '../people/people.events.ts';
import { findContactHistory, insertContacts, updateContact } from '../contacts/contacts.repository.ts';
import { insertMessages, listStoredProviderMessages } from '../contacts/messages.repository.ts';

/** How long after closing a contact a new message on its thread re-opens it, unless the force says otherwise. */
export const DEFAULT_REOPEN_WITHIN_HOURS = 72;

/**
 * Records one inbound message: the person (by handle), the thread it belongs to (an earlier
 * message it answers, a reference it quotes, the person's open contact on the channel, a recently
 * closed one which re-opens unless a machine sent the message, or a new contact), the message and
 * its triage. The caller holds the transaction; a provider id already stored with the same sender
 * and body is a duplicate and stores nothing (no message id).
 */
async function recordInboundMessage(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  ctx: InboundContext,
  message: InboundMessage & { location?: string; occurredText?: string },
  now: Date,
  out: Announcements,
): Promise<IntakeResult & { messageId: string | null }> {
  // A retry is the same id with the same sender and body. The same id on a different message (a web
  // form giving every mail one Message-ID, an integrator reusing ids) is stored as well (decision 0054).
  const contentHash = contentHashOf(message);
  const stored = await listStoredProviderMessages(tx, forceId, ctx.channel, message.providerMessageId, ctx.channelAccountId ?? null);
  const existing = message.isIdOfOneMessage ? stored[0] : stored.find((row) => row.content_hash === contentHash || (row.content_hash === null && row.body === message.body));
  if (existing) return { contactId: existing.id as ContactId, reference: existing.reference, isDuplicate: true, messageId: null };
  if (stored.length > 0 && message.threadKey === message.providerMessageId) {
    // A message that starts its own thread (a fresh mail) would otherwise join the other one's.
    message = { ...message, threadKey: `${message.providerMessageId}#${contentHash.slice(0, 16)}` };
  }

  const actor: Actor = { type: 'public', id: null };
  const { personId, isNew: isNewPerson } = await findOrCreatePerson(tx, forceId, clock, {
    kind: message.sender.kind,
    value: message.sender.value,
    name: message.sender.displayName,
  });
  if (isNewPerson) {
    out.events.push(personCreated.of({ actor, subjectId: personId, data: { identityKind: message.sender.kind } }));
  }
  const messageId = newId();
  // Text the channel wrote (a call record, an AML fix) is not the sender's words: only what triage
  // knows besides the text (the line, the person's history) scores it.
  const triagedText = message.writtenBy === 'channel' ? '' : message.body;
  const triage = await triageText(tx, forceId, triagedText, await triageContextFor(tx, forceId, clock, ctx.channel, personId, isNewPerson, message));
  const triageJson = JSON.stringify({ ...triage, matches: triage.matches.map((m) => ({ ...m, messageId })) });
  const found = await findThread(tx, forceId, clock, ctx, personId, message);
  const thread = found && (await holdThread(tx, forceId, found));

  let contactId: ContactId;
  let reference: string;
  if (thread) {
    contactId = thread.id as ContactId;
    reference = thread.reference;
    if (thread.isTakenOver) {
      // The contact becomes this thread's, as if this message had begun it: later messages on the
      // thread find it, and staff see what it now is (a 999 call) rather than what came first.
      await updateContact(tx, forceId, contactId, {
        thread_key: message.threadKey,
        summary: summarise(message.body),
        meta: JSON.stringify(contactMetaOf(message)),
      });
      out.events.push(
        contactTakenOver.of({ actor, subjectId: contactId, data: { channel: ctx.channel, messageId, from: threadKindOf(message.takeOverContactOn?.threadKey ?? ''), to: threadKindOf(message.threadKey) } }),
      );
    }
    const wasClosed = !isContactOpen(contactState(thread));
    // A machine's answer (an out-of-office quoting the reference) is kept on the thread, but
    // nobody is waiting on a closed contact for it: it stays closed and its clocks stay stopped.
    const isAutomatic = isAutomaticMessage(message);
    if (wasClosed && isAutomatic) {
      out.events.push(contactMessageReceived.of({ actor, subjectId: contactId, data: { channel: ctx.channel, messageId } }));
      await insertInboundMessage(tx, forceId, ctx, message, { messageId, contactId, personId, contentHash, now });
      return { contactId, reference, isDuplicate: false, messageId };
    }
    if (wasClosed) {
      const reopened = moveContact(contactState(thread), { type: 'reopen' });
      await updateContact(tx, forceId, contactId, { ...contactRow(reopened.to), closed_at: null, outcome: null, assigned_at: null });
      out.events.push(moveEvent(reopened, { actor, contactId, data: { messageId } }));
    }
    const priorityRaised = triage.priority < thread.priority;
    if (priorityRaised) {
      await updateContact(tx, forceId, contactId, { priority: triage.priority, score: triage.score, triage: triageJson, rule_set_version: triage.ruleSetVersion });
      out.events.push(triagedEvent(contactId, triage));
    }
    out.events.push(contactMessageReceived.of({ actor, subjectId: contactId, data: { channel: ctx.channel, messageId } }));
    out.events.push(
      ...(await onInboundMessage(tx, forceId, clock, {
        contactId,
        reference,
        channel: ctx.channel,
        categories: triage.categories,
        priority: Math.min(triage.priority, thread.priority),
        language: languageOf(message),
        wasReopened: wasClosed,
        priorityRaised,
        isFromSender: message.writtenBy !== 'channel' && !isAutomatic,
      })),
    );
  } else {
    const received = moveContact({ status: 'new' }, { type: 'receive' });
    contactId = newId<ContactId>();
    reference = await nextReference(tx, forceId, clock, 'contact');
    await insertContacts(tx, [
      {
        id: contactId,
        force_id: forceId,
        reference,
        channel: ctx.channel,
        ...contactRow(received.to),
        person_id: personId,
        summary: summarise(message.body),
        location: message.location ?? null,
        occurred_text: message.occurredText ?? null,
        priority: triage.priority,
        score: triage.score,
        triage: triageJson,
        rule_set_version: triage.ruleSetVersion,
        received_at: now,
        thread_key: message.threadKey,
        channel_account_id: ctx.channelAccountId,
        meta: JSON.stringify(contactMetaOf(message)),
      },
    ]);
    out.events.push(moveEvent(received, { actor, contactId, data: { reference, channel: ctx.channel, personId, messageId } }));
    out.events.push(triagedEvent(contactId, triage));
    out.events.push(
      ...(await routeNewContact(tx, forceId, clock, {
        contactId,
        reference,
        channel: ctx.channel,
        categories: triage.categories,
        priority: triage.priority,
        language: languageOf(message),
      })),
    );
  }
  // A call answered is the force's first response: its clocks stop as a reply's would.
  if (message.isAnswered) out.events.push(...(await onResponded(tx, forceId, clock, contactId)));
  // A caller (or chatter) who asks to be called back gets a callback of its own, whether the
  // request opened the contact or arrived on one already open (a call's later event); asking
  // again for the same number while it is open adds nothing.
  if (message.callbackNumber !== undefined && (await isNewPublicCallback(tx, forceId, { fromContactId: contactId, number: message.callbackNumber }))) {
    await createCallbackContact(tx, forceId, clock, { fromContactId: contactId, number: message.callbackNumber, note: null, actor }, out.events);
  }

  await insertInboundMessage(tx, forceId, ctx, message, { messageId, contactId, personId, contentHash, now });
  // A conversation that has just reached us may own messages that came first and joined an earlier one.
  if (message.claimJoinedMessages && message.startedAt && (!thread || thread.isTakenOver)) {
    await copyJoinedMessages(tx, forceId, clock, { channel: ctx.channel, personId, contactId, claim: message.claimJoinedMessages }, out);
  }
  return { contactId, reference, isDuplicate: false, messageId };
}

async function insertInboundMessage(
  tx: Tx,
  forceId: ForceId,
  ctx: InboundContext,
  message: InboundMessage,
  row: { messageId: string; contactId: ContactId; personId: string; contentHash: string; now: Date },
): Promise<void> {
  await insertMessages(tx, [
    {
      id: row.messageId,
      force_id: forceId,
      contact_id: row.contactId,
      direction: 'inbound',
      channel: ctx.channel,
      body: message.body,
      provider_message_id: message.providerMessageId,
      author_staff_id: null,
      created_at: row.now,
      // The provider's time, which its adapter believed (decision 0172): a thread reads what a person wrote by it (decision 0191).
      sent_at: message.sentAt,
      delivery_status: null,
      inbound_request_id: ctx.inboundRequestId,
      channel_account_id: ctx.channelAccountId,
      meta: JSON.stringify(storedMetaOf(message)),
      content_hash: row.contentHash,
      // Whose handle it came from: a reply may join a contact from someone other than its person (decision 0195).
      sender_person_id: row.personId,
    },
  ]);
}

/**
 * A message a machine sent (an out-of-office, a bounce), as its channel marked it: `isAutomatic`
 * (the email channel's RFC 3834 signs, an Auto-Submitted header among them). Nobody's new word:
 * it does not re-open a closed contact, and nobody waits for an answer to it.
 */
function isAutomaticMessage(message: InboundMessage): boolean {
  return message.meta?.isAutomatic === true;
}

/** What makes two messages under one provider id the same message: the sender and the body, which a retry repeats. */
function contentHashOf(message: InboundMessage): string {
  return hashMessageContent(message.sender, message.body);
}

/**
 * The hash intake stores as an inbound message's `content_hash` (decision 0054): its sender's kind
 * and handle (normalised) and its body. A message stored with this hash for one of a person's
 * handles and its body came from that handle (decision 0195).
 */
export function hashMessageContent(sender: { kind: IdentityKind; value: string }, body: string): string {
  const handle = normaliseIdentity(sender.kind, sender.value);
  return createHash('sha256').update(JSON.stringify([sender.kind, handle, body])).digest('hex');
}

/** The language the sender wrote in: as their channel says, or Welsh when the words are (a text, an email). */
function languageOf(message: InboundMessage): string | null {
  return message.language ?? writtenInWelsh(message.body) ?? null;
}

/**
 * What is stored as the message's (and a new contact's) metadata: the adapter's own details, with
 * the fields intake acted on under the names stored rows have always used.
 */
function storedMetaOf(message: InboundMessage): { [key: string]: JsonValue } {
  const language = languageOf(message);
  return {
    ...message.meta,
    ...(message.line !== undefined ? { line: message.line } : {}),
    ...(language !== null ? { language } : {}),
    ...(message.referenceHint !== undefined ? { referenceHint: message.referenceHint } : {}),
    // Under the key call records have always had it: threading compares a fix's time with it.
    ...(message.startedAt ? { startedAt: message.startedAt.toISOString() } : {}),
    // Likewise, in UTC: a handset's fix made after it is another call's (decision 0107).
    ...(message.endedAt ? { endedAt: message.endedAt.toISOString() } : {}),
    ...(message.callbackNumber !== undefined ? { callbackRequested: true, callbackNumber: message.callbackNumber } : {}),
    ...(message.place ? { place: message.place } : {}),
    ...(message.writtenBy === 'channel' ? { writtenBy: 'channel' } : {}),
    // How it was matched to a conversation, so a conversation that reaches us later can read it again (decision 0120).
    ...(message.joinContactStartedBy ? { joinedBy: joinedByOf(message.joinContactStartedBy) } : {}),
  };
}

/** A contact's metadata from the message that began it: the message's, with the handle replies go back to, whatever the channel. */
function contactMetaOf(message: InboundMessage): { [key: string]: JsonValue } {
  const { joinedBy: _joinedBy, ...meta } = storedMetaOf(message);
  return { ...meta, sender: { kind: message.sender.kind, value: normaliseIdentity(message.sender.kind, message.sender.value) } };
}

/** What triage needs beyond the text: when, on which channel and line, and who (repeat, earlier high risk). */
async function triageContextFor(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  channel: string,
  personId: string,
  isNewPerson: boolean,
  message: InboundMessage,
): Promise<TriageContext> {
  const line = message.line;
  const base: TriageContext = { at: clock.now(), channel, ...(line ? { line } : {}) };
  if (isNewPerson) return base;
  const since = new Date(clock.now().getTime() - REPEAT_CONTACT_DAYS * 24 * 3600 * 1000);
  const history = await findContactHistory(tx, forceId, personId, since);
  return { ...base, repeatContactsInLastDays: Number(history?.recent ?? 0), previousHighRisk: Number(history?.highest ?? 4) === 1 };
}

async function reopenWindowHours(tx: Tx, forceId: ForceId): Promise<number> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirst();
  const value = row?.settings?.reopenClosedWithinHours;
  return typeof value === 'number' && value >= 0 ? value : DEFAULT_REOPEN_WITHIN_HOURS;
}

/**
 * Stores a report from the public portal: the person (found by email, or new), the contact, its
 * first message and its triage, with their events, in one transaction, shared with any other
 * reports of the force arriving at the same moment (group commit). Resolves only after that
 * transaction commits. A repeated submission id returns the first report's reference and stores
 * nothing new.
 */
export function submitPublicReport(deps: ServiceDeps, forceId: ForceId, report: PublicReport): Promise<IntakeResult> {
  return submitToReportGroup(deps, forceId, report);
}

/** One message recorded by `recordInboundMessages`, with the id of the stored message (null for a duplicate). */
export type RecordedMessage<M extends InboundMessage> = { message: M; messageId: string | null; result: IntakeResult };

/**
 * Records the messages of one provider request in the caller's transaction, each once per
 * provider id and account however often it is retried, in the order the provider gave them (the
 * first is the contact's summary, and each is stored after the one before). Their events go into
 * `out`, in order.
 */
export async function recordInboundMessages<M extends InboundMessage>(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { channel: string; channelAccountId: string | null; inboundRequestId: string | null; messages: readonly M[] },
  out: Announcements,
): Promise<RecordedMessage<M>[]> {
  const ctx: InboundContext = {
    channel: input.channel,
    channelAccountId: input.channelAccountId,
    inboundRequestId: input.inboundRequestId,
    reopenWithinHours: await reopenWindowHours(tx, forceId),
  };
  // Serialise retries of one provider message, so concurrent duplicates store it once. The locks
  // are taken in provider-id order, so two requests carrying the same messages never each hold one
  // the other waits for; the messages are then stored in the provider's order, not this one (a
  // provider's ids need not sort as it sent them: Meta's are opaque).
  const lockKeys = [...new Set(input.messages.map((message) => lockKeyOf(forceId, ctx, message)))].sort();
  for (const key of lockKeys) await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
  // Then every sender's handle, in one order, before any is stored: storing the messages one by one
  // would take each sender's as it came, and two batches from the same people in the other order
  // would each hold one the other waits for.
  await lockHandles(tx, forceId, input.messages.map((message) => message.sender));
  // Then the contacts the messages continue, in id order, for the same reason (decision 0198).
  await holdBatchThreads(tx, forceId, clock, ctx, input.messages);
  const recorded: RecordedMessage<M>[] = [];
  let lastStoredMs = 0;
  for (const message of input.messages) {
    // A batch shares one moment on a clock that has not moved: each message is still stored after
    // the one before, so the thread shows them in the provider's order.
    const now = new Date(Math.max(clock.now().getTime(), lastStoredMs + 1));
    const { messageId, ...result } = await recordInboundMessage(tx, forceId, clock, ctx, message, now, out);
    if (messageId) lastStoredMs = now.getTime();
    recorded.push({ message, messageId, result });
  }
  return recorded;
}

/** One provider message's lock: a provider id is only unique within its account (two accounts of a force may each send "1"). */
function lockKeyOf(forceId: ForceId, ctx: InboundContext, message: InboundMessage): string {
  return `${forceId}:${ctx.channel}:${ctx.channelAccountId ?? ''}:${message.providerMessageId}`;
}

/** A thread key's kind, the part before its first colon (`aml`, `call`): never the number after it. */
function threadKindOf(threadKey: string): string {
  const colon = threadKey.indexOf(':');
  return colon > 0 ? threadKey.slice(0, colon) : 'thread';
}
