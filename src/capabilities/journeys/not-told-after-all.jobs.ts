import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { payloadText, type DeadJobHandler, type JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import { findAddedAgainSuppressed, findRemovedVictimsMessage } from './journey.repository.ts';
import { NO_REACHABLE_CHANNEL, TOLD_BEFORE_REMOVAL } from './journey-decision.schema.ts';
import { AGAIN_KEY_PART } from './reached-again.service.ts';
import { TOLD_BEFORE_NOT_KNOWN_YET, sendJourneyMessages, type JourneyOutcome } from './journey-send.service.ts';
import { VICTIM_NOT_TOLD_MILESTONE, journeyMessageSuppressed } from './journey.events.ts';

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
 * The first decisions a message that did not reach its removed row held back: refused as told by
 * it, left not known yet while it was being sent, or "no address", where a change of the victim's
 * details was then decided while it was with the provider, and left for it (decision 0160). Taken
 * again for a "no address" one as that change would take it (`asReached`); for one where nothing
 * changed, `decide` still finds no address and records nothing.
 */
const HELD_BACK_FOR_IT: readonly string[] = [TOLD_BEFORE_REMOVAL, TOLD_BEFORE_NOT_KNOWN_YET, NO_REACHABLE_CHANNEL];

/** The removed row's journey message, and the victims added again whose decisions it held back. */
async function heldBackBy(tx: Tx, forceId: ForceId, outboxId: string) {
  const message = await findRemovedVictimsMessage(tx, forceId, outboxId);
  if (!message) return null;
  const milestoneId = milestoneIdOfKey(message.idempotency_key, message.case_id, message.rule_id, message.victim_id);
  if (!milestoneId) return null;
  const removed = { caseId: message.case_id, victimId: message.victim_id, personId: message.person_id, name: message.name };
  const victims = await findAddedAgainSuppressed(tx, forceId, removed, { milestoneId, ruleId: message.rule_id }, HELD_BACK_FOR_IT);
  return { message, milestoneId, victims };
}

/**
 * Decides again, for the victims added again in the place of the removed row this outbox message
 * was for, its milestone and rule where their first decision was held back for it
 * (`HELD_BACK_FOR_IT`), counted from `at` (when the message was known not to have gone). Anything
 * else is left alone: a message of a victim still on the case, or not a journey's.
 */
export async function decideAgainNotTold(tx: Tx, forceId: ForceId, clock: Clock, outboxId: string, at: Date): Promise<JourneyOutcome> {
  const found = await heldBackBy(tx, forceId, outboxId);
  if (!found || found.victims.length === 0) return { queued: 0, suppressed: 0 };
  const { message, milestoneId } = found;
  return sendJourneyMessages(
    tx,
    forceId,
    clock,
    found.victims.map(({ victimId, reason }) => ({
      caseId: message.case_id,
      // Read as the milestone it stands for (`withReachedAgain`).
      milestoneId: `${VICTIM_NOT_TOLD_MILESTONE}:${victimId}:${outboxId}`,
      milestone: VICTIM_NOT_TOLD_MILESTONE,
      details: { forVictimId: victimId, milestoneId, ruleId: message.rule_id, ...(reason === NO_REACHABLE_CHANNEL ? { asReached: 'true' } : {}) },
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

/** What staff read on the case of a victim the job could not decide again (`createNotToldAfterAllGivenUpHandler`). */
export function notDecidedAgainReason(attempts: number): string {
  return `a message of this to the row this victim was on before they were removed did not reach them, and deciding again what to tell them was given up after ${attempts} attempts: tell them yourself, or ask an admin to run the job again`;
}

/**
 * The giving up of a `MESSAGE_NOT_SENT_JOB` (decisions 0116, 0160): nobody else would decide these
 * victims again, so each victim whose decision the message held back gets one
 * `journey.message_suppressed` on the case's timeline saying so, in staff's words; the job's error
 * stays in the job and its `job.dead` event. Their decision is left as it was, so an admin's retry
 * of the job decides it, once. Nothing is recorded for a message that held nothing back.
 */
export function createNotToldAfterAllGivenUpHandler(deps: { clock: Clock }): DeadJobHandler {
  return async ({ job, tx }) => {
    const found = await heldBackBy(tx, job.forceId, payloadText(job, 'outboxId'));
    if (!found) return;
    const { message } = found;
    const actor = { type: 'system' as const, id: null };
    for (const { victimId } of found.victims) {
      const data = { step: message.template_key, victimId, ruleId: message.rule_id, channel: null, reason: notDecidedAgainReason(job.attempts) };
      record(tx, job.forceId, deps.clock, journeyMessageSuppressed.of({ actor, subjectId: message.case_id, data }));
    }
  };
}
