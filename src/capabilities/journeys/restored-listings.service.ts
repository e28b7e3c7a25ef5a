import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { CASE_MOVE_EVENTS } from '../cases/case.machine.ts';
import { COURT_WITHDRAWN_REASONS, NEWS_OVERTAKEN_REASONS } from '../cases/appointment-reminders.schema.ts';
import { OUTBOX_MOVES } from '../outbox/outbox.machine.ts';
import { dueTime, type JourneyRule } from './journey-rules.schema.ts';
import { findTakenBackKeys } from './journey.repository.ts';
import { findStandingListing } from './case-milestone-log.service.ts';
import { VICTIM_ADDED_MILESTONE } from './journey.events.ts';
import { AGAIN_KEY_PART } from './reached-again.service.ts';

// A case closed by mistake and reopened while the hearing its closing ended is still to come lists
// that hearing again: its reopening carries the listing (`restoresListing`, its time and place,
// `cases/court-dates.schema.ts`). The victim expects to be reminded of it as before: the force's own
// reminders of a court date (its rules timed from the hearing) apply to the reopening, once, named
// by it, so a later closing takes that reminder back as it took the first (decision 0121). The
// news of the hearing ("a court date has been set") the closing took back while it waited for the
// victim's safe time is queued again too, or they would be reminded of a hearing they were never
// told of; news that went before the closing is not sent twice (decision 0127).

/** A milestone as the journey step holds it (`journey-send.service.ts`), only what this reads. */
type Milestone = { caseId: string; milestone: string; details: Readonly<Record<string, string>>; occurredAt: Date };

/** Whether a milestone is a reopening's listing, as its reminders read it. */
export function isRestoredListing(milestone: Milestone): boolean {
  return milestone.milestone === CASE_MOVE_EVENTS.court_date_set && Boolean(milestone.details.restoresListing);
}

/** The milestones, each reopening that lists a hearing again followed by that listing, read as a court date set. */
export function withRestoredListings<M extends Milestone>(milestones: readonly M[]): M[] {
  return milestones.flatMap((m) => (m.milestone === CASE_MOVE_EVENTS.reopen && m.details.restoresListing ? [m, { ...m, milestone: CASE_MOVE_EVENTS.court_date_set }] : [m]));
}

/** Why the closing took a message back: at once, or at its delivery, the withdrawal given up (decision 0126). */
const TAKEN_BACK_BY_CLOSING = [COURT_WITHDRAWN_REASONS.closed, NEWS_OVERTAKEN_REASONS.closed];

/**
 * The keys of the journey messages of the listings these restored listings list again that a
 * closing took back before they went: of those told when the hearing was set (its news), only these
 * are queued again. One still waiting counts as taken back: the closing overtook its listing, so
 * its withdrawal (still to run, or given up) or its delivery's check takes it back; were it left
 * out, the reopening would leave the victim told of the hearing by neither. One read for the
 * batch; none when it restores nothing.
 */
export function findTakenBackByClosing(tx: Tx, forceId: ForceId, milestones: readonly Milestone[]): Promise<ReadonlySet<string>> {
  const cases = milestones.filter(isRestoredListing).map((m) => m.caseId);
  return findTakenBackKeys(tx, forceId, cases, TAKEN_BACK_BY_CLOSING, OUTBOX_MOVES.withdraw.from);
}

/** Why a restored listing's news is not queued again: the closing did not take it back (it went, or was never queued). */
const NEWS_NOT_TAKEN_BACK = 'the news of this hearing was not taken back when the case was closed';

/**
 * Why a restored listing's message is not queued again, null for one to queue (and for any other
 * milestone). Every message is queued for a victim added to the case after its closing: they were
 * on it neither when its messages went nor when the closing took them back, and no hearing stood to
 * tell them of (decision 0134). For the others, a message timed from the hearing (a reminder,
 * decision 0122, or one after it) is queued unless by this rule it was due before the case was
 * closed, so it went then (or was on its way); the closing took back only one not yet due. Any
 * other (the news of the hearing) is queued only if the closing took back the one told of the
 * listing restored (`takenBack`, by its key).
 */
export function notRestoredReason(milestone: Milestone, rule: JourneyRule, victim: { id: string; addedAt: Date }, takenBack: ReadonlySet<string>): string | null {
  if (!isRestoredListing(milestone)) return null;
  const closedAt = milestone.details.closedAt ? Date.parse(milestone.details.closedAt) : Number.NaN;
  if (victim.addedAt.getTime() > closedAt) return null;
  if (rule.delayFrom !== 'at') {
    // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts),
    // or, decided again once the victim could be reached, with `AGAIN_KEY_PART` before the victim.
    const first = `journey:${milestone.caseId}:${milestone.details.restoresListing}:${rule.id}`;
    return takenBack.has(`${first}:${victim.id}`) || takenBack.has(`${first}${AGAIN_KEY_PART}:${victim.id}`) ? null : NEWS_NOT_TAKEN_BACK;
  }
  const at = milestone.details.at ? new Date(milestone.details.at) : null;
  if (Number.isNaN(closedAt) || !at || Number.isNaN(at.getTime())) return null;
  // As first queued: from the hearing's time, before anything could have passed.
  const first = dueTime(rule, { occurredAt: milestone.occurredAt, at, now: new Date(0), isDateOnly: milestone.details.isDateOnly === 'true' });
  return 'due' in first && first.due.getTime() <= closedAt ? 'a message of this hearing was due before the case was closed' : null;
}

/**
 * The milestones, each of a victim added to a case read as the listing of the hearing standing on
 * it, for them alone (`forVictimId`); dropped when no hearing stands. Named by the listing (its
 * milestone id), its messages to them are those the listing's own journey would have queued had
 * they been on the case then: once, whatever told them first, taken back when the listing is
 * overtaken, checked when they go; the news counted from their addition, so it goes now (at their
 * safe time), and nothing of a hearing passed (decision 0134). A reopening's listing is read as
 * the listing it is: the victim was not on the case for its closing to take anything back.
 */
export async function withStandingListings<M extends Milestone & { milestoneId: string; note: string | null }>(tx: Tx, forceId: ForceId, milestones: readonly M[]): Promise<M[]> {
  const read: M[] = [];
  for (const milestone of milestones) {
    if (milestone.milestone !== VICTIM_ADDED_MILESTONE) {
      read.push(milestone);
      continue;
    }
    const victimId = milestone.details.forVictimId;
    const listing = victimId ? await findStandingListing(tx, forceId, milestone.caseId) : null;
    if (!victimId || !listing) continue;
    const { restoresListing: _restores, closedAt: _closedAt, ...details } = listing.details;
    read.push({ ...milestone, milestoneId: listing.milestoneId, milestone: CASE_MOVE_EVENTS.court_date_set, details: { ...details, forVictimId: victimId }, note: listing.note });
  }
  return read;
}
