import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { listEventsForSubjects, type StoredEvent } from '../../platform/events/event-log.ts';
import { record, recorderFor } from '../../platform/events/recorder.ts';
import { notFound } from '../../platform/errors.ts';
import { PRIORITY_LABELS, type Priority } from '../triage/triage.schema.ts';
import { findPersonEmail } from '../people/people.service.ts';
import { linkedPersonIds } from '../people/people-links.service.ts';
import { canQuoteOnChannel, canReplyInWriting } from '../channels/outbound.service.ts';
import type { ReplyWindowFinder, WindowedContact } from '../channels/reply-window.service.ts';
import { listMessageAttachments } from '../channels/attachment-views.service.ts';
import { findSmsOptOutsOf } from '../channels/sms-opt-outs.service.ts';
import type { CloseOutcome, ContactSummary, StoredTriage } from './contacts.schema.ts';
import { describeEventForStaff } from './timeline.ts';
import { authorOfMessage, languageOfContact, latestPlace, mediumOfMessage, editOfMessage, forwardedOf, quoteOfMessage, quotedProviderId } from './contact-facts.ts';
import { onClosed } from '../queue/routing.service.ts';
import { describeNextDue, listClocks, nextDueByContact } from '../queue/sla.service.ts';
import { listContactAlerts } from '../queue/alerts.service.ts';
import { contactViewed, moveEvent } from './contact.events.ts';
import { contactRow, contactState, moveContact } from './contact.machine.ts';
import { findContact, updateContact } from './contacts.repository.ts';
import { findContactRecord, findContactSummary, listContactSummaries, listContactsOfPeople, listLinkedIncidents, type ContactSummaryRow } from './contact-views.repository.ts';
import { incidentReference } from '../incidents/incidents.schema.ts';
import { listConversationMessages, listThreadMessagesByProviderIds } from './messages.repository.ts';
import { findPrivateReplyState, privateReplyRefusal } from './private-replies.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

type NextDue = { kind: string; warn_at: Date; due_at: Date };

/** How long one person's look at a contact counts as one view in the audit trail. */
const VIEW_RECORD_WINDOW_MS = 5 * 60_000;

/** A contact as lists show it, with its earliest-due clock when `now` is given. */
export function toSummary(row: ContactSummaryRow, due?: NextDue, now?: Date): ContactSummary {
  return {
    id: row.id,
    reference: row.reference,
    channel: row.channel,
    status: row.status,
    priority: row.priority,
    priorityLabel: PRIORITY_LABELS[row.priority as Priority] ?? String(row.priority),
    score: row.score,
    summary: row.summary,
    personName: row.person_name,
    receivedAt: row.received_at.toISOString(),
    queueName: row.queue_name,
    assignedToId: row.assigned_staff_id,
    assignedToName: row.assigned_name,
    isThreatToLife: row.is_threat_to_life,
    sla: now ? describeNextDue(due, now) : null,
  };
}

/**
 * The queue: contacts in a status, threat to life first, then most urgent, then longest waiting;
 * optionally only one person's, only the unassigned, or one queue's. Each open contact carries
 * its earliest-due SLA clock.
 */
export async function listContacts(
  deps: ServiceDeps,
  forceId: ForceId,
  filter: { status: 'open' | 'closed'; limit: number; assigned?: 'me' | 'unassigned' | 'any' | undefined; queueId?: string | undefined },
  staffId?: StaffId,
): Promise<ContactSummary[]> {
  return withForce(deps.db, forceId, async (tx) => {
    const rows = await listContactSummaries(tx, forceId, {
      status: filter.status,
      limit: filter.limit,
      assignedTo: filter.assigned === 'me' ? staffId : undefined,
      isUnassigned: filter.assigned === 'unassigned',
      queueId: filter.queueId,
    });
    const due = filter.status === 'open' ? await nextDueByContact(tx, forceId, rows.map((row) => row.id)) : new Map<string, NextDue>();
    const now = deps.clock.now();
    return rows.map((row) => toSummary(row, due.get(row.id), now));
  });
}

async function staffNames(tx: Tx, forceId: ForceId, events: StoredEvent[]): Promise<Map<string, string>> {
  const ids = [
    ...new Set([
      ...events.filter((e) => e.actorType === 'staff' && e.actorId).map((e) => e.actorId as string),
      // Assignments name the person given the contact.
      ...events.map((e) => e.data.staffId).filter((id): id is string => typeof id === 'string'),
    ]),
  ];
  if (ids.length === 0) return new Map();
  const rows = await tx.selectFrom('staff').select(['id', 'name']).where('force_id', '=', forceId).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The contact's reply window as the console reads it (WhatsApp's 24 hours, Meta's 24 hours or 7 days), or null when replies have none. */
async function replyWindowView(find: ReplyWindowFinder, tx: Tx, forceId: ForceId, now: Date, contact: WindowedContact) {
  const window = await find(tx, forceId, now, contact);
  const view = window && { closesAt: window.closesAt?.toISOString() ?? null, isOpen: window.isOpen, kind: window.kind, hours: window.hours };
  // A comment answered privately: whether its one private reply is still to give (decision 0109).
  const state = window?.kind === 'meta_private_reply' ? await findPrivateReplyState(tx, forceId, contact.id) : null;
  const privateReply = state && {
    commentedAt: state.commentedAt.toISOString(),
    sentAt: state.sentAt?.toISOString() ?? null,
    isSending: state.isSending,
    refusal: privateReplyRefusal(state, now),
  };
  return { replyWindow: view, privateReply };
}

/**
 * Everything an operator needs to work one contact. Opening it is recorded on the spine. The
 * reply window comes from `replyWindows`, the channels room's reading of the account's settings.
 */
export async function getContactDetail(deps: ServiceDeps & { replyWindows: ReplyWindowFinder }, forceId: ForceId, contactId: string, staffId: StaffId) {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await findContactRecord(tx, forceId, contactId);
    if (!row) throw notFound('contact');

    // A console refreshing an open contact on live updates is the same look, not a new one: a
    // person's view is recorded once per window.
    const viewedSince = new Date(deps.clock.now().getTime() - VIEW_RECORD_WINDOW_MS);
    const recentlyViewed = await tx
      .selectFrom('events')
      .select('seq')
      .where('force_id', '=', forceId)
      .where('subject_type', '=', 'contact')
      .where('subject_id', '=', contactId)
      .where('type', '=', 'contact.viewed')
      .where('actor_id', '=', staffId)
      .where('occurred_at', '>=', viewedSince)
      .limit(1)
      .executeTakeFirst();
    if (!recentlyViewed) {
      const recorder = recorderFor(tx, forceId, deps.clock);
      recorder.record(contactViewed.of({ actor: { type: 'staff', id: staffId }, subjectId: contactId, data: {} }));
      // Now rather than at commit: the timeline read below shows this look too.
      await recorder.flush();
    }

    const messages = await listConversationMessages(tx, forceId, contactId);
    const attachments = await listMessageAttachments(
      tx,
      forceId,
      messages.map((m) => m.id),
    );
    // Messages a person quoted (a WhatsApp reply to an earlier one), found in this conversation only.
    const quotedIds = [...new Set(messages.flatMap((m) => quotedProviderId(m) ?? []))];
    const quoted = row.thread_key === null ? [] : await listThreadMessagesByProviderIds(tx, forceId, { channel: row.channel, threadKey: row.thread_key }, quotedIds);
    // Staff may answer one message in particular where the channel shows which (decision 0110).
    const canQuote = row.status === 'open' && canReplyInWriting(row.channel) && canQuoteOnChannel(row.channel, row.meta);

    let person = null;
    if (row.person_id) {
      // Earlier contacts of this person and of every record an operator linked to them.
      const people = await linkedPersonIds(tx, forceId, row.person_id);
      const earlier = await listContactsOfPeople(tx, forceId, people, contactId, 50, row.received_at);
      const identities = await tx
        .selectFrom('identities')
        .select(['kind', 'value', 'person_id'])
        .where('force_id', '=', forceId)
        .where('person_id', 'in', people)
        .orderBy('created_at')
        .orderBy('seq', storedFirst).orderBy('id')
        .execute();
      // A number that replied STOP, or whose opt-out staff recorded, gets no reply by text: the operator sees it before they try.
      const optedOut = await findSmsOptOutsOf(tx, forceId, identities.filter((i) => i.kind === 'phone').map((i) => i.value));
      person = {
        id: row.person_id,
        name: row.person_name,
        email: await findPersonEmail(tx, forceId, row.person_id),
        identities: identities.map((identity) => ({
          kind: identity.kind,
          value: identity.value,
          isLinked: identity.person_id !== row.person_id,
          smsOptedOutAt: (identity.kind === 'phone' ? optedOut.get(identity.value)?.at.toISOString() : undefined) ?? null,
          smsOptOutSource: (identity.kind === 'phone' ? optedOut.get(identity.value)?.source : undefined) ?? null,
        })),
        earlierContacts: earlier.map((c) => ({
          id: c.id,
          reference: c.reference,
          channel: c.channel,
          status: c.status,
          receivedAt: c.received_at.toISOString(),
          summary: c.summary,
        })),
      };
    }

    // An online report's processing is recorded of the report, which shares its contact's id: its
    // steps and missed targets are this contact's history too.
    const subjects = [
      { type: 'contact', id: contactId },
      { type: 'online_report', id: contactId },
    ];
    if (row.case_id) subjects.push({ type: 'case', id: row.case_id });
    const events = await listEventsForSubjects(tx, forceId, subjects);
    const names = await staffNames(tx, forceId, events);
    const timeline = events.map((event) => ({
      seq: event.seq,
      type: event.type,
      at: event.occurredAt.toISOString(),
      actor:
        event.actorType === 'staff'
          ? (names.get(event.actorId ?? '') ?? 'Staff')
          : event.actorType === 'public'
            ? 'Member of the public'
            : 'Bluelamp',
      summary: describeEventForStaff(event, names),
    }));

    // Written by intake from the triage result of the time (see StoredTriage).
    const triage = row.triage as StoredTriage | null;
    const now = deps.clock.now();
    const clocks = await listClocks(tx, forceId, contactId, now);
    const running = clocks.filter((k) => k.stoppedAt === null).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
    const callbackFor = typeof row.meta.callbackFor === 'string' ? row.meta.callbackFor : null;
    const routing = {
      queue: row.queue_id ? { id: row.queue_id, key: row.queue_key ?? '', name: row.queue_name ?? '', isControlRoom: row.is_control_room ?? false } : null,
      assignedTo: row.assigned_staff_id ? { id: row.assigned_staff_id, name: row.assigned_name ?? 'Staff' } : null,
      assignedAt: row.assigned_at?.toISOString() ?? null,
      enqueuedAt: row.enqueued_at?.toISOString() ?? null,
      isThreatToLife: row.is_threat_to_life,
      requiredSkills: row.required_skills,
      preferredSkills: row.preferred_skills,
      clocks,
      alerts: await listContactAlerts(tx, forceId, contactId),
      callback:
        callbackFor || typeof row.meta.callbackNumber === 'string'
          ? {
              forContactId: callbackFor,
              forReference: typeof row.meta.callbackForReference === 'string' ? row.meta.callbackForReference : null,
              number: typeof row.meta.callbackNumber === 'string' ? row.meta.callbackNumber : null,
              note: typeof row.meta.callbackNote === 'string' ? row.meta.callbackNote : null,
            }
          : null,
    };
    return {
      routing,
      contact: {
        ...toSummary(row, running ? { kind: running.kind, warn_at: new Date(running.warnAt), due_at: new Date(running.dueAt) } : undefined, now),
        outcome: row.outcome,
        closedAt: row.closed_at?.toISOString() ?? null,
        caseId: row.case_id,
        caseReference: row.case_reference,
        location: row.location,
        occurredText: row.occurred_text,
        canReplyInWriting: canReplyInWriting(row.channel),
        ...(await replyWindowView(deps.replyWindows, tx, forceId, now, row)),
        place: latestPlace(messages),
        language: languageOfContact(row.meta),
      },
      messages: messages.map((m) => ({
        id: m.id,
        direction: m.direction,
        author: authorOfMessage(m),
        body: m.body,
        createdAt: m.created_at.toISOString(),
        sentAt: m.sent_at?.toISOString() ?? null,
        authorName: m.author_name,
        channel: m.channel,
        medium: mediumOfMessage(m, row.meta),
        editOf: editOfMessage(m, messages),
        quotes: quoteOfMessage(m, quoted),
        canBeQuoted: canQuote && m.provider_message_id !== null,
        forwarded: forwardedOf(m),
        deliveryStatus: m.delivery_status,
        deliveryError: m.delivery_error,
        attachments: attachments.filter((a) => a.messageId === m.id).map(({ messageId: _messageId, ...attachment }) => attachment),
      })),
      triage,
      person,
      timeline,
      incidents: (await listLinkedIncidents(tx, forceId, contactId)).map((incident) => ({
        id: incident.id,
        reference: incidentReference(incident.number),
        status: incident.status,
        grade: incident.grade,
        linkedAt: incident.linked_at.toISOString(),
      })),
    };
  });
}

/** Closes an open contact with an outcome. */
export async function closeContact(
  deps: ServiceDeps,
  forceId: ForceId,
  contactId: string,
  staffId: StaffId,
  input: { outcome: CloseOutcome; note?: string | undefined },
): Promise<ContactSummary> {
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const closing = moveContact(contactState(await lockContactState(tx, forceId, contactId)), { type: 'close' });
    await updateContact(tx, forceId, contactId, { ...contactRow(closing.to), outcome: input.outcome, closed_at: now });
    const missed = await onClosed(tx, forceId, deps.clock, contactId);
    const actor = { type: 'staff', id: staffId } as const;
    record(tx, forceId, deps.clock, ...missed, moveEvent(closing, { actor, contactId, data: { outcome: input.outcome, note: input.note ?? null } }));
    return loadContactSummary(tx, forceId, contactId, now);
  });
}

/** One contact as lists show it (without its clock). */
export async function loadContactSummary(tx: Tx, forceId: ForceId, contactId: string, now: Date): Promise<ContactSummary> {
  const row = await findContactSummary(tx, forceId, contactId);
  if (!row) throw notFound('contact');
  return toSummary(row, undefined, now);
}

/** A contact's status and holder, locked for the move about to be made; not found if not this force's. */
export async function lockContactState(tx: Tx, forceId: ForceId, contactId: string) {
  const row = await findContact(tx, forceId, contactId, ['status', 'assigned_staff_id'], { lock: true });
  if (!row) throw notFound('contact');
  return row;
}
