import { z } from 'zod';
import { defineEvent, type FollowUpJob, type NewEvent, type PushedLiveMessage } from '../../platform/events/catalogue.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { defineLiveCheck } from '../../platform/events/live-checks.ts';
import type { PrintQueueChange } from '../../platform/realtime/live.ts';
import { newId } from '../../platform/ids.ts';
import { casesWithLettersToPrint } from './print-queue.repository.ts';

// The outbox's entries in the event catalogue, and its job. A message enters the outbox in the
// transaction of the event that asked for it; that event names the outbox row (`outboxId`), and
// the delivery job follows from it. Every outbox event names the case (null when there is none),
// so the case's timeline shows each message's delivery proof: sent, delivered, fell back, failed.

/** The job that delivers one outbox message. */
export const DELIVER_JOB = 'outbox.deliver';

/** The job that sends a force's texts held for want of a provider, once one is connected. */
export const RELEASE_HELD_TEXTS_JOB = 'outbox.release_held_texts';

/** Releasing held texts after a channel account event (connected, or enabled), named by `eventKey`. */
export function releaseHeldTextsJob(eventKey: string): FollowUpJob {
  return { type: RELEASE_HELD_TEXTS_JOB, payload: {}, idempotencyKey: `release-held-texts:${eventKey}` };
}

/** Delivery of one outbox message; `attempt` names a later delivery of the same row (after a fallback, or when it falls due). */
export function outboxDeliveryJob(outboxId: string, runAt?: Date | null, attempt?: string): FollowUpJob {
  return {
    type: DELIVER_JOB,
    payload: { outboxId },
    idempotencyKey: attempt ? `${outboxId}:${attempt}` : outboxId,
    ...(runAt ? { runAt } : {}),
  };
}

/**
 * The job that follows a message about a case that will not reach its person after all: failed on
 * every channel (a provider's receipt, however late, after it was recorded sent), or withdrawn.
 * What was decided while it was going or gone (a victim added again refused it as told) is decided
 * again by the room that queued it: the composition root gives its handler, so the outbox reads no
 * other room's records (decision 0152). One per event: a message failed again after staff sent it
 * again asks again; what it decides is decided once.
 */
export const MESSAGE_NOT_SENT_JOB = 'outbox.message_not_sent';

function messageNotSentJobs(e: { subject: { id: string }; data: { caseId?: string | null | undefined } }): FollowUpJob[] {
  return e.data.caseId ? [{ type: MESSAGE_NOT_SENT_JOB, payload: { outboxId: e.subject.id, caseId: e.data.caseId }, idempotencyKey: `message-not-sent:${e.subject.id}:${newId()}` }] : [];
}

/**
 * The print queue's live message (decision 0145) for an event of a letter: it joined the queue or
 * left it, and who moved it. Any other channel's message is nothing to the print queue.
 */
const printQueueChanged =
  (change: PrintQueueChange) =>
  (e: { subject: { id: string }; actor: Actor; data: { channel: string } }): PushedLiveMessage[] =>
    e.data.channel === 'letter' ? [{ type: 'print_queue.changed', letterId: e.subject.id, change, ...(e.actor.type === 'staff' ? { byStaffId: e.actor.id } : {}) }] : [];

/** A case's letters overtaken by one of its milestones (decision 0156). */
type LettersOvertaken = Extract<PushedLiveMessage, { type: 'print_queue.changed'; change: 'overtaken' }>;

/**
 * The cases' milestones tell the print queue their letters are overtaken from the event alone; only
 * a case with a letter waiting is news to it, or every open print queue would read the list again
 * on every such milestone of the force (decision 0159). One read, on the outbox's index by case.
 */
defineLiveCheck({
  name: 'print_queue.overtaken',
  applies: (message): message is LettersOvertaken => message.type === 'print_queue.changed' && message.change === 'overtaken',
  keep: async (tx, forceId, messages) => {
    const waiting = await casesWithLettersToPrint(
      tx,
      forceId,
      messages.map((message) => message.caseId),
    );
    return messages.filter((message) => waiting.has(message.caseId));
  },
});

const about = {
  purpose: z.string(),
  contactId: z.string().nullable(),
  // Optional: events stored before issue 12 did not name the case.
  caseId: z.string().nullable().optional(),
};

/** An outbox message was handed to its provider (mail server, Notify, Twilio). */
export const outboxSent = defineEvent({
  type: 'outbox.sent',
  subject: 'outbox',
  data: {
    ...about,
    channel: z.string(),
    caseId: z.string().nullable(),
    /** Which provider took it (`smtp`, `notify`, `twilio`), and its id for the message. */
    provider: z.string().optional(),
    providerMessageId: z.string().nullable().optional(),
  },
});

/** An outbox message reached the person: a provider's receipt, the portal inbox, or a printed letter. */
export const outboxDelivered = defineEvent({
  type: 'outbox.delivered',
  subject: 'outbox',
  data: { ...about, channel: z.string(), proof: z.enum(['receipt', 'portal', 'printed']), providerMessageId: z.string().nullable() },
  live: printQueueChanged('printed'),
});

/** An outbox message waits for a person: a letter in the print queue. */
export const outboxHeld = defineEvent({
  type: 'outbox.held',
  subject: 'outbox',
  data: { ...about, channel: z.string(), reason: z.string() },
  live: printQueueChanged('queued'),
});

/**
 * A channel failed for good and the message moved to the next one the person allows; its
 * delivery on that channel follows. `step` counts the fallbacks of this message (1 for the first).
 */
export const outboxFellBack = defineEvent({
  type: 'outbox.fell_back',
  subject: 'outbox',
  data: { ...about, from: z.string(), to: z.string(), reason: z.string(), step: z.number().int().positive() },
  jobs: (e) => [outboxDeliveryJob(e.subject.id, null, `fallback-${e.data.step}`)],
});

/**
 * An outbox message's delivery ran before the time it may go (its `not_before`: a journey's delay,
 * the start of the person's safe time): it is delivered then.
 */
export const outboxDeferred = defineEvent({
  type: 'outbox.deferred',
  subject: 'outbox',
  data: { ...about, channel: z.string(), until: z.string() },
  jobs: (e) => [outboxDeliveryJob(e.subject.id, new Date(e.data.until), `until-${e.data.until}`)],
});

/** A message held because its channel had no provider is tried again: one is there now (a mail server set since). */
export const outboxReleased = defineEvent({
  type: 'outbox.released',
  subject: 'outbox',
  data: { ...about, channel: z.string(), at: z.string() },
  jobs: (e) => [outboxDeliveryJob(e.subject.id, null, `released-${e.data.at}`)],
});

/**
 * A member of staff sent a failed message again, once its cause was mended (decision 0058): it
 * starts from the first channel the person allows now (`channels`, in order), from `notBefore`
 * when their safe time has not come. `step` is the message's new channel count, so its delivery
 * job, and a provider's idempotency key, are its own: not taken for the send that failed, and
 * made once however often the button is pressed.
 */
export const outboxSentAgain = defineEvent({
  type: 'outbox.sent_again',
  subject: 'outbox',
  data: { ...about, channel: z.string(), channels: z.array(z.string()), step: z.number().int().positive(), notBefore: z.string().nullable() },
  jobs: (e) => [outboxDeliveryJob(e.subject.id, e.data.notBefore ? new Date(e.data.notBefore) : null, `again-${e.data.step}`)],
});

/** An outbox message could not be delivered on any channel the person allows. */
export const outboxFailed = defineEvent({
  type: 'outbox.failed',
  subject: 'outbox',
  data: { ...about, reason: z.string(), channel: z.string().optional() },
  jobs: messageNotSentJobs,
});

/**
 * A message not yet sent was taken back before it went: what it was about changed (a reminder of an
 * appointment since cancelled or moved). It is never delivered; `reason` says why.
 */
export const outboxWithdrawn = defineEvent({
  type: 'outbox.withdrawn',
  subject: 'outbox',
  data: { ...about, channel: z.string(), reason: z.string() },
  live: printQueueChanged('withdrawn'),
  jobs: messageNotSentJobs,
});

/**
 * A message failed with its outcome unknown (decision 0163) that the provider took after all: the
 * run that stopped while handing it over woke with the provider's id for it, which is kept so its
 * receipts are matched (decision 0173). It stays failed.
 */
export const outboxSentAfterAll = defineEvent({
  type: 'outbox.sent_after_all',
  subject: 'outbox',
  data: { ...about, channel: z.string(), provider: z.string(), providerMessageId: z.string() },
});

/**
 * The job that puts a note on the case of a message thought lost that reached the person after all
 * (decision 0173): what was done in its place (sent again by another route, a call) may have given
 * them a second copy. The composition root gives its handler, as for `MESSAGE_NOT_SENT_JOB`.
 */
export const REACHED_AFTER_ALL_JOB = 'outbox.reached_after_all';

/**
 * A message failed with its outcome unknown reached the person after all, as its provider's
 * receipt says (decision 0173): `deliveredAt` is the provider's time when it gave one
 * (`isProviderTime`), else when the receipt came. It stays failed; the case is told.
 */
export const outboxDeliveredAfterAll = defineEvent({
  type: 'outbox.delivered_after_all',
  subject: 'outbox',
  data: { ...about, channel: z.string(), providerMessageId: z.string(), deliveredAt: z.string(), isProviderTime: z.boolean() },
  jobs: (e) =>
    e.data.caseId
      ? [
          {
            type: REACHED_AFTER_ALL_JOB,
            payload: { outboxId: e.subject.id, caseId: e.data.caseId, channel: e.data.channel, purpose: e.data.purpose, deliveredAt: e.data.deliveredAt },
            idempotencyKey: `reached-after-all:${e.subject.id}`,
          },
        ]
      : [],
});

/**
 * A message failed with its outcome unknown that the provider took after all did not reach the
 * person: the provider's receipt says the carrier could not deliver it (decision 0176).
 * `undeliveredAt` is the provider's time when it gave one (`isProviderTime`), else when the receipt
 * came; `reason` is the provider's, as staff read it. It stays failed. Nothing follows: the case
 * was told it failed, and the person has no copy to have twice.
 */
export const outboxUndeliveredAfterAll = defineEvent({
  type: 'outbox.undelivered_after_all',
  subject: 'outbox',
  data: { ...about, channel: z.string(), providerMessageId: z.string(), undeliveredAt: z.string(), isProviderTime: z.boolean(), reason: z.string() },
});

/** What happened to a message whose channel failed for good (see `failChannel` in the repository). */
export type ChannelFailure =
  | { kind: 'fell_back'; from: string; to: string; step: number }
  | { kind: 'failed'; channel: string }
  | { kind: 'stale' };

/** The event that records a channel failure of one outbox message, or none when the row had moved on. */
export function channelFailureEvent(
  outcome: ChannelFailure,
  message: { id: string; purpose: string; contactId: string | null; caseId: string | null },
  reason: string,
): NewEvent | null {
  const actor = { type: 'system' as const, id: null };
  const common = { purpose: message.purpose, contactId: message.contactId, caseId: message.caseId, reason: reason.slice(0, 300) };
  if (outcome.kind === 'fell_back') {
    return outboxFellBack.of({ actor, subjectId: message.id, data: { ...common, from: outcome.from, to: outcome.to, step: outcome.step } });
  }
  if (outcome.kind === 'failed') return outboxFailed.of({ actor, subjectId: message.id, data: { ...common, channel: outcome.channel } });
  return null;
}

/** The outbox's entries, for the catalogue. */
export const OUTBOX_EVENTS = [
  outboxSent,
  outboxDelivered,
  outboxHeld,
  outboxDeferred,
  outboxFellBack,
  outboxReleased,
  outboxFailed,
  outboxWithdrawn,
  outboxSentAgain,
  outboxSentAfterAll,
  outboxDeliveredAfterAll,
  outboxUndeliveredAfterAll,
] as const;
