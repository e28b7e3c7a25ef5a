import { z } from 'zod';
import { defineEvent, type FollowUpJob } from '../../platform/events/catalogue.ts';
import { outboxDeliveryJob } from '../outbox/outbox.events.ts';
import { newId } from '../../platform/ids.ts';

// Journeys' entries in the event catalogue, and the job that turns a case's milestone into its
// victims' messages.

/** The job that sends the journey messages of one case milestone. */
export const JOURNEY_MILESTONE_JOB = 'journey.milestone';

/**
 * The job of the first journeys, one per case and step; jobs of it may still wait in a database,
 * so it runs as the `case.created` milestone.
 */
export const JOURNEY_JOB = 'journey.send';

/**
 * The journey milestone of a victim added to a case (`details.forVictimId`): it tells them of the
 * hearing standing on the case, as the listing's own journey told the victims it had (decision 0134).
 */
export const VICTIM_ADDED_MILESTONE = 'case.victim_added';

/**
 * How long the journey of a victim added waits before it decides what to tell them: an officer
 * adds a victim, then sets how and when they may be contacted (their language, safe times, portal
 * only, an address), and nothing must go out on the defaults in between (decision 0134).
 */
export const VICTIM_ADDED_GRACE_MS = 30 * 60_000;

/**
 * The journey milestone of a victim's contact details or preferences changed (`details.forVictimId`):
 * what could not reach them before ("no address for any allowed channel") is decided again, once,
 * where still true (decision 0137). Any change that may give a message a way to them names it: an
 * address on their row (`REACHING_FIELDS`, cases room) or their preferences.
 */
export const VICTIM_REACHABLE_MILESTONE = 'case.victim_contact_changed';

/**
 * The job that decides again what could not reach a victim, after the same grace as a victim added:
 * an officer typing an address then setting preferences is one change, decided once it is whole.
 * One per change (`changeId`): each run queues only what no earlier one did.
 */
export function victimReachableJob(input: { caseId: string; victimId: string; changeId: string }): FollowUpJob {
  const job = journeyMilestoneJob({ caseId: input.caseId, milestoneId: `${VICTIM_REACHABLE_MILESTONE}:${input.victimId}:${input.changeId}`, milestone: VICTIM_REACHABLE_MILESTONE, details: { forVictimId: input.victimId }, note: null });
  return { ...job, delayMs: VICTIM_ADDED_GRACE_MS };
}

/**
 * The journey milestone of a message to a row a victim was on before they were removed that did
 * not reach them after all (failed, withdrawn), for the row they are on now (`details.forVictimId`):
 * the one milestone (`details.milestoneId`) and rule (`details.ruleId`) they were refused as told,
 * or left undecided while it was being sent, is decided again, once (decision 0152).
 */
export const VICTIM_NOT_TOLD_MILESTONE = 'case.victim_not_told_after_all';

/**
 * The job that decides again, for every victim of the force whose number it is, what could not
 * reach them while a number was opted out of texts, once the opt-out is lifted (the person's START,
 * or staff lifting one staff recorded): as a change of their details does (decision 0143). It
 * carries the number, which the event names by its last digits only, and when the opt-out began.
 */
export const SMS_OPT_OUT_LIFTED_JOB = 'journey.sms_opt_out_lifted';

/** The job of an opt-out lifted: one per lifting (a retried request lifts nothing twice). */
export function smsOptOutLiftedJob(input: { phoneNumber: string; optedOutAt: string }): FollowUpJob {
  return { type: SMS_OPT_OUT_LIFTED_JOB, payload: { phoneNumber: input.phoneNumber, optedOutAt: input.optedOutAt }, idempotencyKey: `sms-opt-out-lifted:${newId()}` };
}

/** The job for one milestone of a case: once per case and milestone. */
export function journeyMilestoneJob(input: { caseId: string; milestoneId: string; milestone: string; details: Record<string, string>; note: string | null }): FollowUpJob {
  return {
    type: JOURNEY_MILESTONE_JOB,
    payload: { caseId: input.caseId, milestoneId: input.milestoneId, milestone: input.milestone, details: input.details, note: input.note },
    idempotencyKey: `${input.caseId}:${input.milestoneId}`,
  };
}

const sent = {
  /** The template key. */
  step: z.string(),
  /** The case_people row, or the case's own person (see victim_contact_preferences). */
  victimId: z.string().optional(),
  milestone: z.string().optional(),
  ruleId: z.string().optional(),
  statutory: z.boolean().optional(),
};

/** A journey message was put in the outbox; its delivery follows, not before its time. */
export const journeyMessageQueued = defineEvent({
  type: 'journey.message_queued',
  subject: 'case',
  data: {
    ...sent,
    outboxId: z.string(),
    /** The first channel; the others are its fallbacks. */
    channel: z.string().optional(),
    language: z.string().optional(),
    notBefore: z.string().nullable().optional(),
  },
  jobs: (e) => [outboxDeliveryJob(e.data.outboxId, e.data.notBefore ? new Date(e.data.notBefore) : null)],
});

/**
 * A journey message, or one channel of it, was not sent, and why: the victim's safe-contact
 * preferences ("portal only", "never by SMS", an opt-out), or no address for any channel they allow.
 */
export const journeyMessageSuppressed = defineEvent({
  type: 'journey.message_suppressed',
  subject: 'case',
  data: { ...sent, channel: z.string().nullable(), reason: z.string() },
});

/**
 * A note on the case for staff: a message to the case failed as its outcome was unknown (so it was
 * not sent again, and what followed its failure may have sent or said it another way) reached the
 * person after all, at `deliveredAt` (decision 0173). `note` is what staff read.
 */
export const journeyMessageReachedAfterAll = defineEvent({
  type: 'journey.message_reached_after_all',
  subject: 'case',
  data: { outboxId: z.string(), channel: z.string(), purpose: z.string(), deliveredAt: z.string(), note: z.string() },
});

/** A journey message could not be sent (no address, say): recorded by the first journeys. */
export const journeySkipped = defineEvent({ type: 'journey.skipped', subject: 'case', data: { step: z.string(), reason: z.string() } });

/** A victim's contact preferences on a case were set or changed (what they are now). */
export const journeyPreferencesChanged = defineEvent({
  type: 'journey.preferences_changed',
  subject: 'case',
  data: {
    victimId: z.string(),
    channels: z.array(z.string()),
    language: z.string().nullable(),
    safeWindows: z.array(z.object({ days: z.array(z.string()), from: z.string(), to: z.string() })),
    neverSms: z.boolean(),
    portalOnly: z.boolean(),
    optOutNonStatutory: z.boolean(),
    domesticAbuse: z.boolean(),
  },
  // A channel they allow now may reach them where none did: what could not is decided again.
  jobs: (e) => [victimReachableJob({ caseId: e.subject.id, victimId: e.data.victimId, changeId: newId() })],
});

/** Journeys' entries, for the catalogue. */
export const JOURNEY_EVENTS = [journeyMessageQueued, journeyMessageSuppressed, journeySkipped, journeyPreferencesChanged, journeyMessageReachedAfterAll] as const;
