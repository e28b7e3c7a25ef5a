import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

// What the cases room and the journeys room say to each other of reminders and the other messages
// telling of a time (decisions 0117, 0122, 0126, 0127): the words staff read for why one did not
// go, how a journey message's key names its victim, and what the journeys room tells of its rules
// (`ReminderRules`, given by the composition root). A contract: either room imports it (decision 0194).

/**
 * What overtook a milestone a message is timed from (an appointment changed or cancelled; a court
 * date set again, the court's result, the closing), in the words staff read: the reasons below that
 * say only that, and the journey's own refusal to queue a message of a time overtaken
 * (`journeys/case-milestone-log.service.ts`), use these.
 */
export const OVERTAKEN_BY = {
  changed: 'the appointment was changed',
  cancelled: 'the appointment was cancelled',
  moved: 'the court date was changed',
  heard: 'the court gave its result',
  closed: 'the case was closed',
} as const;

/** Why a reminder of an appointment since changed or cancelled was not sent, as staff read it. */
export const OVERTAKEN_REASONS = {
  changed: 'the appointment was changed; a reminder of the new time replaces this one',
  /** Changed, with no rule on to remind of the new time (decision 0122). */
  changedAlone: OVERTAKEN_BY.changed,
  cancelled: OVERTAKEN_BY.cancelled,
} as const;

/** Why a reminder whose appointment came before it could go was not sent, as staff read it. */
export const TOO_LATE_REASONS = {
  time: 'the time of the appointment had come before this could be sent',
  day: 'the day of the appointment had passed before this could be sent',
} as const;

/** Why a reminder of a hearing since moved or ended was not sent, as staff read it. */
export const COURT_OVERTAKEN_REASONS = {
  moved: 'the court date was changed; a reminder of the new date replaces this one',
  heard: 'the court gave its result before this could be sent',
  closed: 'the case was closed before this could be sent',
} as const;

/**
 * Why a message telling of an appointment or a hearing, not a reminder of it (its news held for the
 * victim's safe time, a message after it), does not go once overtaken, as staff read it: the
 * change's own message tells of the new time, if a rule on sends one (decision 0126).
 */
export const NEWS_OVERTAKEN_REASONS = {
  changed: OVERTAKEN_REASONS.changedAlone,
  cancelled: OVERTAKEN_REASONS.cancelled,
  moved: OVERTAKEN_BY.moved,
  heard: COURT_OVERTAKEN_REASONS.heard,
  closed: COURT_OVERTAKEN_REASONS.closed,
} as const;

/** Why a reminder of a hearing was taken back as soon as its listing was overtaken (decision 0121), as staff read it. */
export const COURT_WITHDRAWN_REASONS = {
  moved: COURT_OVERTAKEN_REASONS.moved,
  heard: OVERTAKEN_BY.heard,
  closed: OVERTAKEN_BY.closed,
} as const;

/** Why a reminder whose hearing came before it could go was not sent, as staff read it. */
export const COURT_TOO_LATE_REASONS = {
  time: 'the time of the hearing had come before this could be sent',
  day: 'the day of the hearing had passed before this could be sent',
} as const;

/** What a journey message says of the time its milestone names: a reminder of it, or its news or a message after it (decision 0126). */
export type TimedMessage = { isReminder: boolean; /** Goes after the time: the time's coming does not make it untrue. */ isAfterTime: boolean };

/**
 * A milestone naming a new time (an appointment changed, a court date set again), as the journeys
 * room reads its rules for it: its id names the messages its journey queues, or decided not to.
 */
export type NewTime = { caseId: string; milestoneId: string | null; milestone: string; details: Readonly<Record<string, string>> };

/**
 * Why a victim will not be reminded of a new time: no rule on reminds them of it (decision 0127),
 * or the journey does not queue the reminder a rule would send, in its own words (decision 0134).
 */
export type Unreminded = 'no_rule' | 'other_crime_types' | 'other_victims' | 'fallback_gives_way' | { notQueued: string };

/** What the journeys room tells of reminders and the other messages telling of a time (decisions 0122, 0126, 0127). */
export type ReminderRules = {
  /** Of these journey messages' idempotency keys, those that tell of the time their milestone names (its rule's milestone names one), with what they say of it. */
  findTimedMessages(tx: Tx, forceId: ForceId, keys: readonly string[]): Promise<ReadonlyMap<string, TimedMessage>>;
  /** Of these victims of its case, those the journey will not remind of the new time (as it decides at `now`), each with why. */
  findUnreminded(tx: Tx, forceId: ForceId, about: NewTime, victimIds: readonly string[], now: Date): Promise<ReadonlyMap<string, Unreminded>>;
};

/** The victim a journey message is for: the last part of its key, journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts). */
export function victimOfKey(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}
