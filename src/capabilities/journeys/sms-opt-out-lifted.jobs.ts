import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { findContactHandles } from '../people/people.service.ts';
import { findJourneyCases, findVictimsSuppressedSince } from './journey.repository.ts';
import { NO_REACHABLE_CHANNEL, phoneOf } from './journey-decision.schema.ts';
import { AGAIN_KEY_PART } from './reached-again.service.ts';
import { sendJourneyMessages, victimsOf, type JourneyOutcome } from './journey-send.service.ts';
import { VICTIM_REACHABLE_MILESTONE } from './journey.events.ts';

// A number's opt-out from texts lifted (the person's START, or staff lifting one staff recorded)
// may let a message reach a victim nothing could: one whose journey refused SMS for the opt-out and
// had no other channel ("no address for any allowed channel"). What could not reach them is decided
// again as a change of their details decides it (decision 0137), through the same milestone and the
// same step, for every victim of the force whose number it is (decision 0143).

/**
 * Decides again, for each victim on a case whose number (as the journey reads it, `phoneOf`) is
 * `phoneNumber` and whose journey could reach them by nothing since `since` (the opt-out's start),
 * what could not reach them, counted from `at`. Only such victims are read: a decision refused for
 * an opt-out was taken while it stood.
 */
export async function decideAgainForNumber(tx: Tx, forceId: ForceId, clock: Clock, lifted: { phoneNumber: string; since: Date; at: Date; changeId: string }): Promise<JourneyOutcome> {
  const suppressed = await findVictimsSuppressedSince(tx, forceId, NO_REACHABLE_CHANNEL, AGAIN_KEY_PART, lifted.since);
  if (suppressed.length === 0) return { queued: 0, suppressed: 0 };
  const wanted = new Set(suppressed.map((row) => row.victim_id));
  const caseIds = [...new Set(suppressed.map((row) => row.case_id))];
  const cases = new Map((await findJourneyCases(tx, forceId, caseIds)).map((row) => [row.id, row]));
  const victims = (await victimsOf(tx, forceId, caseIds, cases)).filter((victim) => wanted.has(victim.id));
  const handles = await findContactHandles(tx, forceId, victims.flatMap((victim) => (victim.personId ? [victim.personId] : [])));
  const milestones = victims
    .filter((victim) => phoneOf(victim, handles) === lifted.phoneNumber)
    .map((victim) => ({
      caseId: victim.caseId,
      milestoneId: `${VICTIM_REACHABLE_MILESTONE}:${victim.id}:${lifted.changeId}`,
      milestone: VICTIM_REACHABLE_MILESTONE,
      details: { forVictimId: victim.id },
      note: null,
      occurredAt: lifted.at,
    }));
  return milestones.length > 0 ? sendJourneyMessages(tx, forceId, clock, milestones) : { queued: 0, suppressed: 0 };
}

/** The job of an opt-out lifted (`SMS_OPT_OUT_LIFTED_JOB`): its number's victims decided again, counted from the lifting. */
export function createSmsOptOutLiftedHandler(deps: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const lifted = { phoneNumber: payloadText(job, 'phoneNumber'), since: new Date(payloadText(job, 'optedOutAt')), at: job.createdAt, changeId: job.id };
    await inForce((tx) => decideAgainForNumber(tx, job.forceId, deps.clock, lifted));
  };
}
