import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { CASE_MOVE_EVENTS } from '../cases/case.machine.ts';
import { findStandingListing } from './case-milestone-log.service.ts';
import { NO_REACHABLE_CHANNEL } from './journey-decision.schema.ts';
import { VICTIM_NOT_TOLD_MILESTONE, VICTIM_REACHABLE_MILESTONE } from './journey.events.ts';
import { findLatestCaseEvent, findMilestoneEvents, findSuppressedDecisions } from './journey.repository.ts';

// What could not reach a victim is decided again when their contact details or preferences change
// (decision 0137). A victim added with no address, or whose preferences allowed no channel we
// could use, was told nothing when their journey decided ("no address for any allowed channel");
// given an address or a channel later, they are told what is still true, once, through the same
// decision as every journey message (`decide`), under a key of its own (`AGAIN_KEY_PART`), so that
// neither a first decision nor another change queues it twice. A victim added again who was refused
// a message as told on the row they were on, which then did not reach them after all (a bounce, a
// send whose outcome was not known yet), is decided again the same way, under the same key (decision 0152).

/** A milestone as the journey step holds it (`journey-send.service.ts`), only what this reads and gives. */
type Milestone = { caseId: string; milestoneId: string; milestone: string; details: Readonly<Record<string, string>>; note: string | null; occurredAt: Date };

/** Which of a milestone's rules are decided again for its victim: those whose first decision could not reach them, statutory ones only unless of the hearing standing. */
export type Redecided = { ruleIds: ReadonlySet<string>; isStatutoryOnly: boolean };

/**
 * What a decision taken again adds to its message's key: journey:<case>:<milestone>:<rule>:again:<victim>.
 * The victim stays last, as every reader of a journey key takes it (`victimOfKey`), and the key
 * starts as the first decision's, so what overtakes the milestone takes it back as it would the first.
 */
export const AGAIN_KEY_PART = ':again';

/**
 * Statutory updates older than this are not decided again: the Victims' Code clocks look back as
 * far (cases/victim-updates.jobs.ts); an address found months later does not bring a case's whole
 * history at once. The hearing standing is told whatever its age, while its time is to come.
 */
export const REDECIDED_LOOKBACK_MS = 30 * 86_400_000;

/** Journey keys' parts, as the journey step makes them (journey:<case>:<milestone>:<rule>:<victim>). */
function milestoneIdOfKey(key: string, caseId: string, ruleId: string, victimId: string): string | null {
  const prefix = `journey:${caseId}:`;
  const suffix = `:${ruleId}:${victimId}`;
  return key.startsWith(prefix) && key.endsWith(suffix) ? key.slice(prefix.length, key.length - suffix.length) : null;
}

/**
 * The milestones, each victim's contact change read as the milestones whose messages could not
 * reach them, for them alone (`forVictimId`), each naming the rules decided again (`redecides`):
 *
 * - the hearing standing on the case (its news and its reminder), whatever its age; a listing that
 *   no longer stands (set again, its result given, the case closed) is not told;
 * - a statutory update of any other milestone within `REDECIDED_LOOKBACK_MS` (the Victims' Code
 *   updates they are still owed: an arrest, a charge, a closing, their rights); a closing only
 *   while the case stays closed by it (not reopened, nor closed again, since).
 *
 * Counted from the change, as a victim added is told from their addition; `decide` then refuses
 * what is no longer true (a time passed) as for any message. Nothing else is decided again: a
 * message queued on any channel is not, nor one refused for another reason (statutory updates
 * only, a safe time after the hearing, a rule switched off).
 */
export async function withReachedAgain<M extends Milestone>(tx: Tx, forceId: ForceId, milestones: readonly M[]): Promise<(M & { redecides?: Redecided })[]> {
  const read: (M & { redecides?: Redecided })[] = [];
  for (const milestone of milestones) {
    const isNotTold = milestone.milestone === VICTIM_NOT_TOLD_MILESTONE;
    // Not told after all, of a victim whose first decision could not reach them: the decision a
    // change of theirs took while the message was with the provider, and left (decision 0160),
    // taken as that change takes it.
    const isAsNotTold = isNotTold && milestone.details.asReached !== 'true';
    if (milestone.milestone !== VICTIM_REACHABLE_MILESTONE && !isNotTold) {
      read.push(milestone);
      continue;
    }
    const victimId = milestone.details.forVictimId;
    if (!victimId) continue;
    const byMilestone = new Map<string, Set<string>>();
    // Not told after all (decision 0152): the one milestone and rule whose message did not reach them.
    const { milestoneId: notToldId, ruleId: notToldRule } = milestone.details;
    if (isNotTold && notToldId && notToldRule) byMilestone.set(notToldId, new Set([notToldRule]));
    for (const row of isNotTold ? [] : await findSuppressedDecisions(tx, forceId, milestone.caseId, victimId, NO_REACHABLE_CHANNEL, AGAIN_KEY_PART)) {
      const milestoneId = milestoneIdOfKey(row.idempotency_key, milestone.caseId, row.rule_id, victimId);
      if (milestoneId) byMilestone.set(milestoneId, (byMilestone.get(milestoneId) ?? new Set()).add(row.rule_id));
    }
    if (byMilestone.size === 0) continue;
    const standing = await findStandingListing(tx, forceId, milestone.caseId);
    const events = new Map((await findMilestoneEvents(tx, forceId, milestone.caseId, [...byMilestone.keys()])).map((event) => [event.milestoneId, event]));
    // A closing stands only while it is the case's latest closing or reopening: read once, when one is to be told.
    const hasClosing = [...events.values()].some((event) => event.type === CASE_MOVE_EVENTS.close);
    const latestClosing = hasClosing ? await findLatestCaseEvent(tx, forceId, milestone.caseId, [CASE_MOVE_EVENTS.close, CASE_MOVE_EVENTS.reopen]) : null;
    for (const [milestoneId, ruleIds] of byMilestone) {
      const common = { ...milestone, milestoneId };
      if (standing?.milestoneId === milestoneId) {
        const { restoresListing: _restores, closedAt: _closedAt, ...details } = standing.details;
        read.push({ ...common, milestone: CASE_MOVE_EVENTS.court_date_set, details: { ...details, forVictimId: victimId }, note: standing.note, redecides: { ruleIds, isStatutoryOnly: false } });
        continue;
      }
      const event = events.get(milestoneId);
      // A listing that does not stand is no longer true; nor is the reopening that listed it again.
      if (!event || event.type === CASE_MOVE_EVENTS.court_date_set || event.type === CASE_MOVE_EVENTS.reopen) continue;
      // Nor is a closing the case was reopened after (or closed again after): "your case is closed" of an open case.
      if (event.type === CASE_MOVE_EVENTS.close && (latestClosing?.type !== CASE_MOVE_EVENTS.close || latestClosing.milestoneId !== milestoneId)) continue;
      // A message that did not reach them after all is told as it would have been, whatever its rule.
      const happened = event.at.getTime();
      if (!isAsNotTold && milestone.occurredAt.getTime() - happened > REDECIDED_LOOKBACK_MS) continue;
      read.push({ ...common, milestone: event.type, details: { ...event.details, forVictimId: victimId }, note: event.note, redecides: { ruleIds, isStatutoryOnly: !isAsNotTold } });
    }
  }
  return read;
}
