import { z } from 'zod';
import { defineEvent, type FollowUpJob, type Happened, type PushedLiveMessage } from '../../platform/events/catalogue.ts';
import { newId } from '../../platform/ids.ts';
import { DUTY_EVENT_TYPES, VICTIM_DUTIES } from './victims-code.schema.ts';

// The Victims' Code clocks' entries in the event catalogue, and their jobs. A milestone that
// obliges the police to tell victims gives, through its definition in case.events.ts, the job
// that opens a clock per victim; the force's sweep (a recurring job) counts journey messages as
// telling them, and marks warnings and breaches.

/** The job that opens the clocks a case's milestones call for. */
export const VICTIM_UPDATES_OPEN_JOB = 'case.victim_updates_open';
/** The recurring job that satisfies clocks from journey messages and marks warnings and breaches. */
export const VICTIM_UPDATES_SWEEP_JOB = 'case.victim_updates_sweep';
/** How often each force is swept: a breach is marked at most this long after it happens (its time is the due time either way). */
export const VICTIM_UPDATES_SWEEP_MS = 5 * 60_000;

const DUTY_EVENTS: ReadonlySet<string> = new Set(DUTY_EVENT_TYPES);

/**
 * The follow-up of a case event that may oblige the police to tell victims: one job that opens
 * the clocks the case's milestones call for. The job looks the milestones up (the event's id and
 * time are known only once it is appended), so each milestone asks with a key of its own and a
 * repeat opens nothing twice. Used as `jobs:` on the milestones' definitions.
 */
export function victimsCodeJobs(e: Happened<string, unknown>): FollowUpJob[] {
  if (!DUTY_EVENTS.has(e.type)) return [];
  return [{ type: VICTIM_UPDATES_OPEN_JOB, payload: { caseId: e.subject.id, type: e.type }, idempotencyKey: `${e.subject.id}:${e.type}:${newId()}` }];
}

const changed = (e: Happened<string, unknown>): PushedLiveMessage[] => [{ type: 'case.victim_updates_changed', caseId: e.subject.id }];

const duty = {
  updateId: z.string(),
  duty: z.enum(VICTIM_DUTIES),
  /** The victim on the case (case_people), or null for the case's own person. */
  casePersonId: z.string().nullable(),
  dueAt: z.string(),
};

/** A Victims' Code clock was opened for one victim: they must be told (or referred) by `dueAt`. */
export const caseVictimUpdateOpened = defineEvent({
  type: 'case.victim_update_opened',
  subject: 'case',
  data: {
    ...duty,
    milestoneEventId: z.string(),
    workingDays: z.number().int(),
    warnAt: z.string(),
    /** When its times count from: the milestone, or the victim's later addition to the case (decision 0137). Absent before it. */
    countedFrom: z.string().optional(),
  },
  live: changed,
});

/** An update not yet given reached its warning point: it shows as due soon. */
export const caseVictimUpdateDueSoon = defineEvent({ type: 'case.victim_update_due_soon', subject: 'case', data: duty, live: changed });

/** An update was not given in time: a breach of the Victims' Code, reported by team. */
export const caseVictimUpdateBreached = defineEvent({ type: 'case.victim_update_breached', subject: 'case', data: duty, live: changed });

/** A victim was told (by a journey message, or by the officer), referred to support, or declined the referral. */
export const caseVictimInformed = defineEvent({
  type: 'case.victim_informed',
  subject: 'case',
  data: { ...duty, how: z.enum(['journey', 'phone', 'visit', 'letter', 'email', 'referred', 'declined']), isLate: z.boolean(), outboxId: z.string().nullable() },
  live: changed,
});

/**
 * An update owed to the case's unnamed victim (no victim was on the case when its milestone came)
 * is now owed to the first victim added (`casePersonId`), re-timed to their enhanced rights if it
 * was open; a missed one keeps the times it was missed against (decision 0133). The times are the clock's now.
 */
export const caseVictimUpdateReassigned = defineEvent({
  type: 'case.victim_update_reassigned',
  subject: 'case',
  data: { ...duty, casePersonId: z.string(), workingDays: z.number().int(), warnAt: z.string() },
  live: changed,
});

/** Who changed what the clock follows from: an investigator, or the force's records system. */
const changedBy = z.enum(['staff', 'records_system']);

/**
 * An open update was re-timed because the victim's enhanced rights changed (`reason`): one working
 * day from its milestone, or five (decision 0077). `previousDueAt` is when it fell due before.
 */
export const caseVictimUpdateRetimed = defineEvent({
  type: 'case.victim_update_retimed',
  subject: 'case',
  data: { ...duty, previousDueAt: z.string(), workingDays: z.number().int(), warnAt: z.string(), reason: z.enum(['enhanced_rights_given', 'enhanced_rights_withdrawn']), source: changedBy },
  live: changed,
});

/**
 * An update not yet given was withdrawn (`reason`): the victim it was owed to was removed from the
 * case. `wasBreached` says it was already late; the reports still count that breach.
 */
export const caseVictimUpdateWithdrawn = defineEvent({
  type: 'case.victim_update_withdrawn',
  subject: 'case',
  data: { ...duty, reason: z.enum(['victim_removed']), wasBreached: z.boolean(), source: changedBy },
  live: changed,
});

/** The supervisors' alert about a case whose clocks could not be opened (decision 0123). */
export const VICTIM_UPDATES_ALERT_KIND = 'victim_updates_unopened';

/**
 * The force's sweep could not open the clocks a case's milestones call for (decision 0123): its
 * victims' updates are not being watched. `note` says so in staff's words (the fault itself is in
 * the logs, never here); `attempt` counts the failures since the case last changed, and the sweep
 * tries it again at `retryAt`, or as soon as something that may mend it happens (decision 0128).
 * `alertId` names the supervisors' alert raised with it (the first failure), or opened again with
 * it (a failure after the alert was put right, before a supervisor acknowledged it).
 */
export const caseVictimUpdatesNotOpened = defineEvent({
  type: 'case.victim_updates_not_opened',
  subject: 'case',
  data: { note: z.string(), attempt: z.number().int().positive(), retryAt: z.string(), alertId: z.string().nullable() },
  live: (e) => (e.data.alertId ? [{ type: 'alert.raised', alertId: e.data.alertId, kind: VICTIM_UPDATES_ALERT_KIND, caseId: e.subject.id }] : []),
});

/** A supervisor acknowledged the alert that a case's clocks could not be opened, with their note. */
export const caseVictimUpdatesAlertAcknowledged = defineEvent({
  type: 'case.victim_updates_alert_acknowledged',
  subject: 'case',
  data: { alertId: z.string(), note: z.string().nullable() },
  live: (e) => [{ type: 'alert.acknowledged', alertId: e.data.alertId, caseId: e.subject.id }],
});

/**
 * The case's clocks were opened while its alert waited for a supervisor (decision 0128): its
 * victims' updates are watched again, and the alert says so, and when, until it is acknowledged.
 * `note` says so in staff's words.
 */
export const caseVictimUpdatesPutRight = defineEvent({
  type: 'case.victim_updates_put_right',
  subject: 'case',
  data: { alertId: z.string(), note: z.string() },
  live: (e) => [{ type: 'alert.put_right', alertId: e.data.alertId, caseId: e.subject.id }],
});

/** The Victims' Code clocks' entries, for the catalogue. */
export const VICTIMS_CODE_EVENTS = [
  caseVictimUpdateOpened,
  caseVictimUpdateDueSoon,
  caseVictimUpdateBreached,
  caseVictimInformed,
  caseVictimUpdateReassigned,
  caseVictimUpdateRetimed,
  caseVictimUpdateWithdrawn,
  caseVictimUpdatesNotOpened,
  caseVictimUpdatesAlertAcknowledged,
  caseVictimUpdatesPutRight,
] as const;
