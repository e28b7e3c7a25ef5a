import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ContactId, type ForceId } from '../../platform/ids.ts';
import { appendEvents, type Actor, type EventInput } from '../../platform/events/event-log.ts';
import { publishLive } from '../../platform/realtime/live.ts';
import { nextReference } from '../../platform/references.ts';
import { AppError, invalid as invalidField } from '../../platform/errors.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import { findOrCreatePerson, normaliseIdentity } from '../people/people.service.ts';
import { triageText } from '../triage/triage.service.ts';
import type { TriageContext } from '../triage/triage.engine.ts';
import type { DeliveryStatusUpdate, InboundMessage, ParsedInbound, RawInbound } from '../channels/channel.ts';
import { detectContentType } from './content-type.ts';
import { queueAttachmentFetches } from '../channels/attachments.service.ts';
import { onInboundMessage, routeNewContact } from '../queue/routing.service.ts';
import { REPEAT_CONTACT_DAYS, submitToReportGroup, summarise, triagedEvent } from './public-reports.service.ts';
import { triageCategories } from '../queue/routing.engine.ts';

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

const DELIVERY_RANK: Record<'sent' | 'delivered' | 'read' | 'failed', number> = { sent: 1, delivered: 2, read: 3, failed: 4 };
/** How long after closing a contact a new message on its thread re-opens it, unless the force says otherwise. */
export const DEFAULT_REOPEN_WITHIN_HOURS = 72;
const MAX_STORED_ATTACHMENT_BYTES = 10 * 1024 * 1024;

type InboundContext = {
  channel: string;
  channelAccountId: string | null;
  inboundRequestId: string | null;
  reopenWithinHours: number;
};

/** Collects what one transaction will announce: events (appended last, see decision 0002) and live changes. */
class Announcements {
  readonly events: EventInput[] = [];
  readonly changedContacts = new Map<string, string | undefined>();
  async flush(tx: Tx, forceId: ForceId, clock: Clock): Promise<void> {
    await appendEvents(tx, forceId, clock, this.events);
    for (const [contactId, reference] of this.changedContacts) {
      await publishLive(tx, forceId, { type: 'queue.changed', contactId, ...(reference ? { reference } : {}) });
    }
  }
}

async function findThread(
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
  const referenceHint = typeof message.meta?.referenceHint === 'string' ? message.meta.referenceHint : null;
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
  const join = message.meta?.joinOpenContactOf;
  if (join && typeof join === 'object' && !Array.isArray(join) && typeof join.channel === 'string' && typeof join.withinMinutes === 'number') {
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
  if (open.status === 'open') return toThread(open);
  const windowMs = ctx.reopenWithinHours * 3600 * 1000;
  if (open.closed_at && clock.now().getTime() - open.closed_at.getTime() <= windowMs) return toThread(open);
  return null;
}

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

/**
 * Creates a callback: a contact of its own on the `callback` channel, for the same person, in the
 * queue of the contact it came from, with its own clock for calling back. Its events go into
 * `events` for the caller to append last.
 */
async function createCallbackContact(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { fromContactId: string; number: string; note: string | null; actor: Actor },
  events: EventInput[],
): Promise<IntakeResult> {
  const source = await tx
    .selectFrom('contacts')
    .select(['id', 'reference', 'person_id', 'priority', 'score', 'queue_id', 'triage', 'rule_set_version', 'meta'])
    .where('force_id', '=', forceId)
    .where('id', '=', input.fromContactId)
    .executeTakeFirst();
  if (!source) throw new AppError('not_found', 'contact not found');
  const contactId = newId<ContactId>();
  const reference = await nextReference(tx, forceId, clock, 'contact');
  const body = `Call back ${input.number} about ${source.reference}.${input.note ? ` ${input.note}` : ''}`;
  await tx
    .insertInto('contacts')
    .values({
      id: contactId,
      force_id: forceId,
      reference,
      channel: 'callback',
      status: 'open',
      person_id: source.person_id,
      summary: summarise(body),
      location: null,
      occurred_text: null,
      priority: source.priority,
      score: source.score,
      triage: source.triage ? JSON.stringify(source.triage) : null,
      rule_set_version: source.rule_set_version,
      received_at: clock.now(),
      thread_key: `callback:${contactId}`,
      meta: JSON.stringify({ callbackFor: source.id, callbackForReference: source.reference, callbackNumber: input.number, sender: { kind: 'phone', value: input.number } }),
    })
    .execute();
  events.push({
    type: 'contact.callback_requested',
    actor: input.actor,
    subject: { type: 'contact', id: source.id },
    data: { callbackContactId: contactId, callbackReference: reference, note: input.note },
  });
  events.push({
    type: 'contact.received',
    actor: input.actor,
    subject: { type: 'contact', id: contactId },
    data: { reference, channel: 'callback', personId: source.person_id, callbackFor: source.id },
  });
  const categories = triageCategories(source.triage);
  events.push(
    ...(await routeNewContact(tx, forceId, clock, {
      contactId,
      reference,
      channel: 'callback',
      categories,
      priority: Number(source.priority),
      ...(source.queue_id ? { queueId: source.queue_id } : {}),
    })),
  );
  return { contactId, reference, isDuplicate: false };
}

/**
 * Records that a caller or chatter asked to be called back, as a new contact with its own clock.
 * The number defaults to the one the person contacted us from.
 */
export async function requestCallback(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { fromContactId: string; number?: string | undefined; note?: string | undefined; staffId: string },
): Promise<IntakeResult> {
  return withForce(deps.db, forceId, async (tx) => {
    const source = await tx
      .selectFrom('contacts')
      .select(['id', 'status', 'meta'])
      .where('force_id', '=', forceId)
      .where('id', '=', input.fromContactId)
      .executeTakeFirst();
    if (!source) throw new AppError('not_found', 'contact not found');
    const sender = source.meta.sender;
    const known = sender && typeof sender === 'object' && !Array.isArray(sender) && sender.kind === 'phone' && typeof sender.value === 'string' ? sender.value : null;
    // A number that could be dialled, in E.164; reserved drama ranges pass, as they do for calls.
    const parsedNumber = input.number ? parsePhoneNumberFromString(input.number, 'GB') : undefined;
    const given = parsedNumber?.isPossible() ? parsedNumber.number : null;
    if (input.number && !given) throw invalidField('body.number', 'must be a phone number');
    const number = given ?? known;
    if (!number) throw invalidField('body.number', 'give the number to call back: we have no phone number for this person');
    const events: EventInput[] = [];
    const created = await createCallbackContact(tx, forceId, deps.clock, { fromContactId: source.id, number, note: input.note ?? null, actor: { type: 'staff', id: input.staffId } }, events);
    await appendEvents(tx, forceId, deps.clock, events);
    await publishLive(tx, forceId, { type: 'queue.changed', contactId: created.contactId, reference: created.reference });
    return created;
  });
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

/**
 * Applies one provider report to an outbound message. Providers report out of order: a status
 * only ever moves forward (sent, delivered, read), and failed is final. Returns whether it applied.
 */
async function applyDeliveryStatus(
  tx: Tx,
  forceId: ForceId,
  channel: string,
  status: DeliveryStatusUpdate,
  out: Announcements,
): Promise<boolean> {
  const rank = DELIVERY_RANK[status.status];
  const earlier = Object.entries(DELIVERY_RANK).filter(([, r]) => r < rank).map(([name]) => name);
  const updated = await tx
    .updateTable('messages')
    .set({ delivery_status: status.status, delivery_error: status.reason })
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('direction', '=', 'outbound')
    .where('provider_message_id', '=', status.providerMessageId)
    .where((eb) => eb.or([eb('delivery_status', 'is', null), eb('delivery_status', 'in', [...earlier, 'queued', 'retrying'])]))
    .returning(['id', 'contact_id'])
    .executeTakeFirst();
  if (!updated) return false;
  out.events.push({
    type: 'message.delivery_status',
    actor: { type: 'system', id: null },
    subject: { type: 'contact', id: updated.contact_id },
    data: { messageId: updated.id, status: status.status, reason: status.reason },
  });
  out.changedContacts.set(updated.contact_id, undefined);
  return true;
}

/** Applies reports that arrived before the send recorded this provider id (see the backlog table). */
export async function applyBackloggedStatuses(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  channel: string,
  providerMessageId: string,
): Promise<void> {
  const waiting = await tx
    .deleteFrom('delivery_status_backlog')
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('provider_message_id', '=', providerMessageId)
    .returning(['status', 'reason', 'received_at'])
    .execute();
  if (waiting.length === 0) return;
  const out = new Announcements();
  for (const row of waiting.sort((a, b) => a.received_at.getTime() - b.received_at.getTime())) {
    const status = row.status as DeliveryStatusUpdate['status'];
    if (status in DELIVERY_RANK) await applyDeliveryStatus(tx, forceId, channel, { providerMessageId, status, reason: row.reason }, out);
  }
  await out.flush(tx, forceId, clock);
}

async function storeRawRequest(
  tx: Tx,
  forceId: ForceId,
  input: { channel: string; channelAccountId: string; request: RawInbound },
  status: 'processed' | 'rejected',
  error: string | null,
  messageCount: number,
): Promise<string> {
  const id = newId();
  await tx
    .insertInto('inbound_requests')
    .values({
      id,
      force_id: forceId,
      channel: input.channel,
      channel_account_id: input.channelAccountId,
      received_at: input.request.receivedAt,
      method: input.request.method,
      url: input.request.url,
      headers: JSON.stringify(redactHeaders(input.request.headers)),
      raw_body: input.request.rawBody,
      status,
      error,
      message_count: messageCount,
    })
    .execute();
  return id;
}

/** Keeps a verified request whose payload we could not parse, so it can be replayed once fixed. */
export async function storeRejectedRequest(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { channel: string; channelAccountId: string; request: RawInbound },
  reason: string,
): Promise<string> {
  return withForce(deps.db, forceId, (tx) => storeRawRequest(tx, forceId, input, 'rejected', reason.slice(0, 1000), 0));
}

// Credentials in headers are never stored; signatures are kept (they prove what the provider sent).
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-bluelamp-telephony-secret']);

/** The headers as stored with a raw request: credentials replaced by a marker. */
export function redactHeaders(headers: Record<string, string>): { [key: string]: JsonValue } {
  const stored: { [key: string]: JsonValue } = {};
  for (const [name, value] of Object.entries(headers)) stored[name] = SECRET_HEADERS.has(name) ? '[redacted]' : value;
  return stored;
}
