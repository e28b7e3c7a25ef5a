import { CASE_MOVE_EVENTS } from '../cases/case.machine.ts';
import { dueTime, type JourneyRule } from './journey-rules.ts';

// A case closed by mistake and reopened while the hearing its closing ended is still to come lists
// that hearing again: its reopening carries the listing (`restoresListing`, its time and place,
// `cases/court-dates.ts`). The victim expects to be reminded of it as before: the force's own
// reminders of a court date (its rules timed from the hearing) apply to the reopening, once, named
// by it, so a later closing takes that reminder back as it took the first (decision 0121).

/** A milestone as the journey step holds it (`journey-send.service.ts`), only what this reads. */
type Milestone = { milestone: string; details: Readonly<Record<string, string>>; occurredAt: Date };

/** Whether a milestone is a reopening's listing, as its reminders read it. */
export function isRestoredListing(milestone: Milestone): boolean {
  return milestone.milestone === CASE_MOVE_EVENTS.court_date_set && Boolean(milestone.details.restoresListing);
}

/** The milestones, each reopening that lists a hearing again followed by that listing, read as a court date set. */
export function withRestoredListings<M extends Milestone>(milestones: readonly M[]): M[] {
  return milestones.flatMap((m) => (m.milestone === CASE_MOVE_EVENTS.reopen && m.details.restoresListing ? [m, { ...m, milestone: CASE_MOVE_EVENTS.court_date_set }] : [m]));
}

/**
 * Of the rules a restored listing matches, those it sends: the ones timed from the hearing (its
 * reminders, decision 0122, and a message after it), which the closing took back while not yet
 * gone (decision 0126); nothing told when it was first set.
 */
export function rulesOfListing(milestone: Milestone, rules: readonly JourneyRule[]): readonly JourneyRule[] {
  return isRestoredListing(milestone) ? rules.filter((rule) => rule.delayFrom === 'at') : rules;
}

/**
 * Why a restored listing's message is not queued again: by this rule it was due before the case
 * was closed, so it went then (or was on its way); the closing took back only one not yet due.
 * Null for a reminder to queue, and for any other milestone.
 */
export function remindedBeforeClosing(milestone: Milestone, rule: JourneyRule): string | null {
  const closedAt = isRestoredListing(milestone) && milestone.details.closedAt ? Date.parse(milestone.details.closedAt) : Number.NaN;
  const at = milestone.details.at ? new Date(milestone.details.at) : null;
  if (Number.isNaN(closedAt) || !at || Number.isNaN(at.getTime())) return null;
  // As first queued: from the hearing's time, before anything could have passed.
  const first = dueTime(rule, { occurredAt: milestone.occurredAt, at, now: new Date(0), isDateOnly: milestone.details.isDateOnly === 'true' });
  return 'due' in first && first.due.getTime() <= closedAt ? 'a message of this hearing was due before the case was closed' : null;
}
