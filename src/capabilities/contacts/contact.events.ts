import { z } from 'zod';
import { defineEvent, type EventType, type FollowUpJob, type NewEvent } from '../../platform/events/catalogue.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { channelSendJob } from '../channels/channel.events.ts';
import { outboxDeliveryJob } from '../outbox/outbox.events.ts';
import { onlineReportDraftJob } from '../cases/online-report.events.ts';
import { routingWake, slaCheckJobs, startedClock } from '../queue/queue.events.ts';
import type { ContactMoveEvent, ContactTransition } from './contact.machine.ts';

// A contact's entries in the event catalogue: what happens to a contact, and what follows. The
// moves of its state machine (received, routed, requeued, escalated, assigned, unassigned, closed,
// reopened) are here, each appended through `moveEvent` with the transition the machine allowed.

const changed = (contactId: string) => ({ type: 'queue.changed' as const, contactId });

/** The job that sends a new contact's acknowledgement: its reference, in the person's language. */
export const ACKNOWLEDGE_JOB = 'contact.acknowledge';

/**
 * The channels whose new contacts are acknowledged with their reference: the portal promises it,
 * and an email or a text gets one back. A chat shows its reference on screen; a call is answered
 * by a person; a public post is never answered in public by a machine; an API integration has its
 * own answer.
 */
export const ACKNOWLEDGED_CHANNELS: readonly string[] = ['portal', 'email', 'sms_twilio', 'sms_notify'];

/** The acknowledgement of one new contact. */
export function acknowledgementJob(contactId: string): FollowUpJob {
  return { type: ACKNOWLEDGE_JOB, payload: { contactId }, idempotencyKey: `ack:${contactId}`, maxAttempts: 6 };
}

/** A new contact: a message, a portal report or a callback. Its reference names it to consoles. */
export const contactReceived = defineEvent({
  type: 'contact.received',
  subject: 'contact',
  data: {
    reference: z.string(),
    channel: z.string(),
    personId: z.string().nullable(),
    messageId: z.string().optional(),
    /** For a callback: the contact it is a callback for. */
    callbackFor: z.string().optional(),
  },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id, reference: e.data.reference }],
  // The person is told their reference (a callback is the force's own work, not theirs); an
  // online report (the portal's form) is also drafted into a case for processing.
  jobs: (e) => [
    ...(ACKNOWLEDGED_CHANNELS.includes(e.data.channel) && !e.data.callbackFor ? [acknowledgementJob(e.subject.id)] : []),
    ...(e.data.channel === 'portal' && !e.data.callbackFor ? [onlineReportDraftJob(e.subject.id)] : []),
  ],
});

/**
 * The person was sent their reference: by the outbox's email (`outboxId`) or back on their channel
 * as a message of the thread (`messageId`). The send follows from this event.
 */
export const contactAcknowledged = defineEvent({
  type: 'contact.acknowledged',
  subject: 'contact',
  data: { via: z.string(), language: z.string(), outboxId: z.string().optional(), messageId: z.string().optional() },
  live: (e) => [changed(e.subject.id)],
  jobs: (e) => (e.data.outboxId ? [outboxDeliveryJob(e.data.outboxId)] : e.data.messageId ? [channelSendJob(e.data.messageId)] : []),
});

/** A further message on a contact's thread. */
export const contactMessageReceived = defineEvent({
  type: 'contact.message_received',
  subject: 'contact',
  data: { channel: z.string(), messageId: z.string() },
  live: (e) => [changed(e.subject.id)],
  // Its priority, skills or clocks may have changed: the queue is given out again.
  wakes: (e) => [routingWake(e.forceId)],
});

/**
 * A message on a thread that never had a contact took over the person's open contact on another
 * thread of the channel (decision 0092): a 999 call whose handset's location (AML) came first.
 * The contact is the new thread's from now on; `from` and `to` are the threads' kinds, never the
 * number in them. The message itself follows as `contact.message_received`.
 */
export const contactTakenOver = defineEvent({
  type: 'contact.taken_over',
  subject: 'contact',
  data: { channel: z.string(), messageId: z.string(), from: z.string(), to: z.string() },
  live: (e) => [changed(e.subject.id)],
});

/**
 * One of the contact's messages was copied onto the person's newer conversation, which reached us
 * after it and whose message it is by its own times (decision 0120): a redial's AML fix that came
 * before the redial's call and joined the caller's earlier call. The message stays here too; the
 * copy arrives on the other contact as `contact.message_received`. Never the number.
 */
export const contactMessageCopied = defineEvent({
  type: 'contact.message_copied',
  subject: 'contact',
  data: { channel: z.string(), messageId: z.string(), toContactId: z.string() },
  live: (e) => [changed(e.subject.id)],
});

/** Triage scored the contact (on arrival, or again when a message raised its priority). */
export const contactTriaged = defineEvent({
  type: 'contact.triaged',
  subject: 'contact',
  data: { score: z.number(), priority: z.number(), ruleSetVersion: z.number(), ruleIds: z.array(z.string()) },
  live: (e) => [changed(e.subject.id)],
});

/** A member of staff replied. `outboxId` when it went by the outbox's email; `via` names the path. */
export const contactReplied = defineEvent({
  type: 'contact.replied',
  subject: 'contact',
  data: { messageId: z.string(), via: z.string(), outboxId: z.string().optional(), quotedMessageId: z.string().optional().describe('the message of the conversation the reply answers, when staff chose one') },
  live: (e) => [changed(e.subject.id)],
  jobs: (e) => {
    if (e.data.outboxId) return [outboxDeliveryJob(e.data.outboxId)];
    // Not by the outbox and not only in the portal: back through the contact's channel.
    return e.data.via === 'portal' ? [] : [channelSendJob(e.data.messageId)];
  },
});

/** A member of staff opened the contact (recorded once per person per few minutes). */
export const contactViewed = defineEvent({ type: 'contact.viewed', subject: 'contact', data: {} });

/** A callback was asked for: a contact of its own (`callbackContactId`) now waits to be worked. */
export const contactCallbackRequested = defineEvent({
  type: 'contact.callback_requested',
  subject: 'contact',
  data: { callbackContactId: z.string(), callbackReference: z.string(), note: z.string().nullable() },
  live: (e) => [changed(e.subject.id)],
});

/** The contact entered its first queue, with its clocks. */
export const contactRouted = defineEvent({
  type: 'contact.routed',
  subject: 'contact',
  data: { queueId: z.string(), queue: z.string(), isThreatToLife: z.boolean(), clocks: z.array(startedClock), rule: z.number().nullable() },
  live: (e) => [changed(e.subject.id)],
  jobs: (e) => slaCheckJobs(e.data.clocks),
  wakes: (e) => [routingWake(e.forceId)],
});

/** The contact went back into its queue (it was re-opened), with fresh clocks. */
export const contactRequeued = defineEvent({
  type: 'contact.requeued',
  subject: 'contact',
  data: { queueId: z.string(), reason: z.string(), clocks: z.array(startedClock).optional() },
  live: (e) => [changed(e.subject.id)],
  jobs: (e) => slaCheckJobs(e.data.clocks),
  wakes: (e) => [routingWake(e.forceId)],
});

/** The contact moved to the control-room queue: the old clocks ended, these started. */
export const contactEscalated = defineEvent({
  type: 'contact.escalated',
  subject: 'contact',
  data: {
    fromQueueId: z.string().nullable(),
    fromQueue: z.string().nullable(),
    toQueueId: z.string(),
    toQueue: z.string(),
    reason: z.string(),
    clocks: z.array(startedClock),
  },
  live: (e) => [changed(e.subject.id), { type: 'routing.changed' }],
  jobs: (e) => slaCheckJobs(e.data.clocks),
  wakes: (e) => [routingWake(e.forceId)],
});

/** Someone was given the contact: by a supervisor, by taking it, or by routing (with its reason). */
export const contactAssigned = defineEvent({
  type: 'contact.assigned',
  subject: 'contact',
  data: {
    staffId: z.string(),
    by: z.enum(['supervisor', 'self', 'routing']),
    overrides: z.array(z.string()).optional(),
    reason: z.object({ preferredSkillsMatched: z.array(z.string()), loadBefore: z.number(), capacity: z.number(), idleSeconds: z.number() }).optional(),
  },
  // A routing round gives out many at once: boards and lists refresh once, on routing.changed.
  live: (e) => (e.data.by === 'routing' ? [{ type: 'routing.changed' }] : [changed(e.subject.id), { type: 'routing.changed' }]),
});

/** Whoever held the contact no longer does; it waits in its queue. */
export const contactUnassigned = defineEvent({
  type: 'contact.unassigned',
  subject: 'contact',
  data: { staffId: z.string(), reason: z.string() },
  live: (e) => [changed(e.subject.id), { type: 'routing.changed' }],
  wakes: (e) => [routingWake(e.forceId)],
});

/** The contact was closed with an outcome; its clocks stopped and its holder has room again. */
export const contactClosed = defineEvent({
  type: 'contact.closed',
  subject: 'contact',
  data: { outcome: z.string(), note: z.string().nullable() },
  live: (e) => [changed(e.subject.id)],
  wakes: (e) => [routingWake(e.forceId)],
});

/** A closed contact was opened again: by a new message on its thread (`messageId`), or by a member of staff (`reason`). */
export const contactReopened = defineEvent({
  type: 'contact.reopened',
  subject: 'contact',
  data: { messageId: z.string().optional(), reason: z.string().nullable().optional() },
  live: (e) => [changed(e.subject.id)],
});

const MOVE_EVENTS = {
  'contact.received': contactReceived,
  'contact.routed': contactRouted,
  'contact.requeued': contactRequeued,
  'contact.escalated': contactEscalated,
  'contact.assigned': contactAssigned,
  'contact.unassigned': contactUnassigned,
  'contact.closed': contactClosed,
  'contact.reopened': contactReopened,
} as const satisfies Record<ContactMoveEvent, { type: ContactMoveEvent }>;

type MoveEvents = typeof MOVE_EVENTS;
type MoveData<E extends ContactMoveEvent> = MoveEvents[E] extends EventType<E, infer D> ? D : never;

/** The event a transition of the contact's machine appends: the machine names the type, the caller gives the data. */
export function moveEvent<E extends ContactMoveEvent>(transition: ContactTransition<E>, input: { actor: Actor; contactId: string; data: MoveData<E> }): NewEvent {
  // The map is keyed by the same names the machine uses; indexing it by a generic key loses the
  // pairing of definition and data, which the signature above keeps for the caller.
  const definition = MOVE_EVENTS[transition.event] as unknown as EventType<E, MoveData<E>>;
  return definition.of({ actor: input.actor, subjectId: input.contactId, data: input.data });
}

/** The contact's entries, for the catalogue. */
export const CONTACT_EVENTS = [
  contactReceived,
  contactMessageReceived,
  contactTakenOver,
  contactMessageCopied,
  contactTriaged,
  contactReplied,
  contactAcknowledged,
  contactViewed,
  contactCallbackRequested,
  contactRouted,
  contactRequeued,
  contactEscalated,
  contactAssigned,
  contactUnassigned,
  contactClosed,
  contactReopened,
] as const;
