import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ContactId, type ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { nextReference } from '../../platform/references.ts';
import { findOrCreatePerson, normaliseIdentity } from '../people/people.service.ts';
import { triageText } from '../triage/triage.service.ts';
import type { TriageContext } from '../triage/triage.engine.ts';
import type { InboundMessage, ParsedInbound, RawInbound } from '../channels/channel.ts';
import { detectContentType } from '../channels/content-type.ts';
import { queueAttachmentFetches } from '../channels/attachments.service.ts';
import { onInboundMessage, routeNewContact } from '../queue/routing.service.ts';
import { REPEAT_CONTACT_DAYS, submitToReportGroup, summarise, triagedEvent } from './public-reports.service.ts';
import { applyDeliveryStatus, storeRawRequest } from '../channels/inbound-requests.service.ts';
import { createCallbackContact } from '../queue/callbacks.service.ts';
import { Announcements } from '../../platform/events/announcements.ts';
import { findThread } from './threads.service.ts';

export type PublicReport = {
  /** A token the form was rendered with: posting the same form twice stores one report. */
  submissionId: string;
  whatHappened: string;
  where: string;
  when: string;
  name: string | null;
  email: string;
  /** The language the person wrote in (`en` or `cy`): a Welsh speaker is preferred for `cy`. */
  language?: string;
};

export type IntakeResult = { contactId: ContactId; reference: string; isDuplicate: boolean };

/** How long after closing a contact a new message on its thread re-opens it, unless the force says otherwise. */
export const DEFAULT_REOPEN_WITHIN_HOURS = 72;
const MAX_STORED_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Where one inbound message came from, and the force's re-open window for its thread. */
export type InboundContext = {
  channel: string;
  channelAccountId: string | null;
  inboundRequestId: string | null;
  reopenWithinHours: number;
};

/**
 * Records one inbound message: the person (by handle), the thread it belongs to (an earlier
 * message it answers, a reference it quotes, the person's open contact on the channel, a recently
 * closed one which re-opens, or a new contact), the message, its attachments and triage. The
 * caller holds the transaction; a provider id already stored is a duplicate and stores nothing.
 */
async function recordInboundMessage(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  ctx: InboundContext,
  message: InboundMessage & { location?: string; occurredText?: string },
  out: Announcements,
): Promise<IntakeResult> {
  // Serialise retries of one provider message, so concurrent duplicates store it once.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${forceId}:${ctx.channel}:${message.providerMessageId}`}, 0))`.execute(tx);
  const existing = await tx
    .selectFrom('messages as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select(['c.id', 'c.reference'])
    .where('m.force_id', '=', forceId)
    .where('m.channel', '=', ctx.channel)
    .where('m.provider_message_id', '=', message.providerMessageId)
    .executeTakeFirst();
  if (existing) return { contactId: existing.id as ContactId, reference: existing.reference, isDuplicate: true };

  const actor: Actor = { type: 'public', id: null };
  const { personId, isNew: isNewPerson } = await findOrCreatePerson(tx, forceId, clock, {
    kind: message.sender.kind,
    value: message.sender.value,
    name: message.sender.displayName,
  });
  if (isNewPerson) {
    out.events.push({ type: 'person.created', actor, subject: { type: 'person', id: personId }, data: { identityKind: message.sender.kind } });
  }
  const messageId = newId();
  const now = clock.now();
  const triage = await triageText(tx, forceId, message.body, await triageContextFor(tx, forceId, clock, ctx.channel, personId, isNewPerson, message));
  const triageJson = JSON.stringify({ ...triage, matches: triage.matches.map((m) => ({ ...m, messageId })) });
  const thread = await findThread(tx, forceId, clock, ctx, personId, message);

  let contactId: ContactId;
  let reference: string;
  if (thread) {
    contactId = thread.id as ContactId;
    reference = thread.reference;
    if (thread.status === 'closed') {
      await tx.updateTable('contacts').set({ status: 'open', closed_at: null, outcome: null }).where('id', '=', contactId).execute();
      out.events.push({ type: 'contact.reopened', actor, subject: { type: 'contact', id: contactId }, data: { messageId } });
    }
    const priorityRaised = triage.priority < thread.priority;
    if (priorityRaised) {
      await tx
        .updateTable('contacts')
        .set({ priority: triage.priority, score: triage.score, triage: triageJson, rule_set_version: triage.ruleSetVersion })
        .where('id', '=', contactId)
        .execute();
      out.events.push(triagedEvent(contactId, triage));
    }
    out.events.push({
      type: 'contact.message_received',
      actor,
      subject: { type: 'contact', id: contactId },
      data: { channel: ctx.channel, messageId },
    });
    out.events.push(
      ...(await onInboundMessage(tx, forceId, clock, {
        contactId,
        reference,
        channel: ctx.channel,
        categories: triage.categories,
        priority: Math.min(triage.priority, thread.priority),
        language: languageOf(message),
        wasReopened: thread.status === 'closed',
        priorityRaised,
      })),
    );
  } else {
    contactId = newId<ContactId>();
    reference = await nextReference(tx, forceId, clock, 'contact');
    await tx
      .insertInto('contacts')
      .values({
        id: contactId,
        force_id: forceId,
        reference,
        channel: ctx.channel,
        status: 'open',
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
        // The handle replies go back to, whatever the channel.
        meta: JSON.stringify({
          ...message.meta,
          sender: { kind: message.sender.kind, value: normaliseIdentity(message.sender.kind, message.sender.value) },
        }),
      })
      .execute();
    out.events.push({
      type: 'contact.received',
      actor,
      subject: { type: 'contact', id: contactId },
      data: { reference, channel: ctx.channel, personId, messageId },
    });
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
  // A caller (or chatter) who asks to be called back gets a callback of its own, whether the
  // request opened the contact or arrived on one already open (a call's later event).
  if (message.meta?.callbackRequested === true) {
    const number = typeof message.meta.callbackNumber === 'string' ? message.meta.callbackNumber : message.sender.value;
    await createCallbackContact(tx, forceId, clock, { fromContactId: contactId, number, note: null, actor }, out.events);
  }

  await tx
    .insertInto('messages')
    .values({
      id: messageId,
      force_id: forceId,
      contact_id: contactId,
      direction: 'inbound',
      channel: ctx.channel,
      body: message.body,
      provider_message_id: message.providerMessageId,
      author_staff_id: null,
      created_at: now,
      delivery_status: null,
      inbound_request_id: ctx.inboundRequestId,
      meta: JSON.stringify(message.meta ?? {}),
    })
    .execute();
  const linkedAttachments: string[] = [];
  for (const attachment of message.attachments ?? []) {
    const content = attachment.content;
    const attachmentId = newId();
    if (!content && attachment.url) linkedAttachments.push(attachmentId);
    await tx
      .insertInto('attachments')
      .values({
        id: attachmentId,
        force_id: forceId,
        message_id: messageId,
        filename: attachment.filename,
        declared_type: attachment.declaredType,
        detected_type: content ? detectContentType(content) : null,
        size_bytes: content?.length ?? 0,
        sha256: content ? createHash('sha256').update(content).digest('hex') : '',
        content: content && content.length <= MAX_STORED_ATTACHMENT_BYTES ? content : null,
        url: attachment.url ?? null,
        created_at: now,
      })
      .execute();
  }
  // Links expire: fetch and hash what the provider only linked to, soon, as a durable job.
  if (linkedAttachments.length > 0) await queueAttachmentFetches(tx, forceId, clock, linkedAttachments);
  out.changedContacts.set(contactId, thread ? undefined : reference);
  return { contactId, reference, isDuplicate: false };
}

function languageOf(message: InboundMessage): string | null {
  return typeof message.meta?.language === 'string' ? message.meta.language : null;
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
  const line = typeof message.meta?.line === 'string' ? message.meta.line : undefined;
  const base: TriageContext = { at: clock.now(), channel, ...(line ? { line } : {}) };
  if (isNewPerson) return base;
  const since = new Date(clock.now().getTime() - REPEAT_CONTACT_DAYS * 24 * 3600 * 1000);
  const history = await tx
    .selectFrom('contacts')
    .select((eb) => [eb.fn.countAll<number>().as('recent'), eb.fn.min('priority').as('highest')])
    .where('force_id', '=', forceId)
    .where('person_id', '=', personId)
    .where('received_at', '>=', since)
    .executeTakeFirst();
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

export type ChannelIngestResult = { inboundRequestId: string; results: IntakeResult[]; statusesApplied: number };

/**
 * Stores one verified provider request and everything in it, in one transaction: the raw request
 * (kept for replay), each message (once per provider id, however often it is retried), and
 * delivery statuses of messages we sent. The provider is acknowledged only after this commits.
 */
export async function ingestChannelRequest(
  deps: ServiceDeps,
  forceId: ForceId,
  input: {
    channel: string;
    channelAccountId: string;
    request: RawInbound;
    parsed: ParsedInbound;
    /** A stored request parsed again, and the member of staff who asked for it. */
    replay?: { requestId: string; staffId: string };
  },
): Promise<ChannelIngestResult> {
  return withForce(deps.db, forceId, async (tx) => {
    const out = new Announcements();
    let inboundRequestId = input.replay?.requestId ?? newId();
    if (input.replay) {
      await tx.updateTable('inbound_requests').set({ status: 'replayed', error: null }).where('id', '=', input.replay.requestId).execute();
      out.events.push({
        type: 'channel.request_replayed',
        actor: { type: 'staff', id: input.replay.staffId },
        subject: { type: 'inbound_request', id: input.replay.requestId },
        data: { channel: input.channel, messages: input.parsed.messages.length },
      });
    } else {
      inboundRequestId = await storeRawRequest(tx, forceId, input, 'processed', null, input.parsed.messages.length);
    }
    const ctx: InboundContext = {
      channel: input.channel,
      channelAccountId: input.channelAccountId,
      inboundRequestId,
      reopenWithinHours: await reopenWindowHours(tx, forceId),
    };
    // A stable order, so two requests carrying the same messages take their locks in the same order.
    const messages = [...input.parsed.messages].sort((a, b) => (a.providerMessageId < b.providerMessageId ? -1 : 1));
    const results: IntakeResult[] = [];
    for (const message of messages) results.push(await recordInboundMessage(tx, forceId, deps.clock, ctx, message, out));

    let statusesApplied = 0;
    for (const status of input.parsed.statuses) {
      const known = await tx
        .selectFrom('messages')
        .select('id')
        .where('force_id', '=', forceId)
        .where('channel', '=', input.channel)
        .where('direction', '=', 'outbound')
        .where('provider_message_id', '=', status.providerMessageId)
        .executeTakeFirst();
      if (!known) {
        // Earlier than our record of the send: keep it until the send job records the id.
        await tx
          .insertInto('delivery_status_backlog')
          .values({
            id: newId(),
            force_id: forceId,
            channel: input.channel,
            provider_message_id: status.providerMessageId,
            status: status.status,
            reason: status.reason,
            received_at: deps.clock.now(),
          })
          .execute();
        continue;
      }
      if (await applyDeliveryStatus(tx, forceId, input.channel, status, out)) statusesApplied += 1;
    }
    await out.flush(tx, forceId, deps.clock);
    return { inboundRequestId, results, statusesApplied };
  });
}

