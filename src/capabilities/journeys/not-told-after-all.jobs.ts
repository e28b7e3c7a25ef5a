import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { findAddedAgainSuppressed, findRemovedVictimsMessage } from './journey.repository.ts';
import { TOLD_BEFORE_REMOVAL } from './journey-decision.ts';
import { AGAIN_KEY_PART } from './reached-again.ts';
import { TOLD_BEFORE_NOT_KNOWN_YET, sendJourneyMessages, type JourneyOutcome } from './journey-send.service.ts';
import { VICTIM_NOT_TOLD_MILESTONE } from './journey.events.ts';

// A victim removed from a case and added again is not told twice what went to the row they were on
// (decisions 0137, 0150): the journey of the row they are on now refuses it as told, or, while it
// is being sent, leaves it undecided. Should that message not reach them after all (a provider's
// receipt fails it, hours after it was recorded sent; it falls back and is withdrawn, the victim
// removed; the send that held it fails), the outbox says so (`outbox.failed`, `outbox.withdrawn`,
// whose job runs this), and the row they are on now is decided again, once, through the same step
// as every journey message (decision 0152).

/** The milestone id of a journey message's key: journey:<case>:<milestone>:<rule>[:again]:<victim>. */
function milestoneIdOfKey(key: string, caseId: string, ruleId: string, victimId: string): string | null {
  const prefix = `journey:${caseId}:`;
  const suffix = `:${victimId}`;
  if (!key.startsWith(prefix) || !key.endsWith(suffix)) return null;
  const rest = key.slice(prefix.length, key.length - suffix.length);
  const rule = rest.endsWith(AGAIN_KEY_PART) ? rest.slice(0, -AGAIN_KEY_PART.length) : rest;
  return rule.endsWith(`:${ruleId}`) ? rule.slice(0, rule.length - `:${ruleId}`.length) : null;
}

/**
 * Decides again, for the victims added again in the place of the removed row this outbox message
 * was for, its milestone and rule where their first decision refused it as told or left it not
 * known yet, counted from `at` (when the message was known not to have gone). Anything else is
 * left alone: a message of a victim still on the case, or not a journey's.
 */
export async function decideAgainNotTold(tx: Tx, forceId: ForceId, clock: Clock, outboxId: string, at: Date): Promise<JourneyOutcome> {
  const none = { queued: 0, suppressed: 0 };
  const message = await findRemovedVictimsMessage(tx, forceId, outboxId);
  if (!message) return none;
  const milestoneId = milestoneIdOfKey(message.idempotency_key, message.case_id, message.rule_id, message.victim_id);
  if (!milestoneId) return none;
  const removed = { caseId: message.case_id, victimId: message.victim_id, personId: message.person_id, name: message.name };
  const victimIds = await findAddedAgainSuppressed(tx, forceId, removed, { milestoneId, ruleId: message.rule_id }, [TOLD_BEFORE_REMOVAL, TOLD_BEFORE_NOT_KNOWN_YET]);
  if (victimIds.length === 0) return none;
  return sendJourneyMessages(
    tx,
    forceId,
    clock,
    victimIds.map((victimId) => ({
      caseId: message.case_id,
      // Read as the milestone it stands for (`withReachedAgain`).
      milestoneId: `${VICTIM_NOT_TOLD_MILESTONE}:${victimId}:${outboxId}`,
      milestone: VICTIM_NOT_TOLD_MILESTONE,
      details: { forVictimId: victimId, milestoneId, ruleId: message.rule_id },
      note: null,
      occurredAt: at,
    })),
  );
}

/** The job of a message about a case that did not reach its person after all (`MESSAGE_NOT_SENT_JOB`, outbox room). */
export function createNotToldAfterAllHandler(deps: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const outboxId = payloadText(job, 'outboxId');
    await inForce((tx) => decideAgainNotTold(tx, job.forceId, deps.clock, outboxId, job.createdAt));
  };
}
