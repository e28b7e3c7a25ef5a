import { z } from 'zod';
import { defineEvent, type FollowUpJob } from '../../platform/events/catalogue.ts';
import { newId } from '../../platform/ids.ts';

// Portal reports held back by the acknowledgement allowance (decision 0162), acknowledged after
// all when the force lets their address have more: it trusts the address, or raises its allowance
// (decision 0171). A round of the job acknowledges a bounded number, oldest first; a round that
// found more records that it did, and the next round follows from that event.

/** The job that acknowledges portal reports held back in the last 24 hours that the allowance now lets through. */
export const ACKNOWLEDGE_HELD_JOB = 'contact.acknowledge_held';

/**
 * A round of acknowledging held reports: from the trusted address whose row is named (its address
 * is read there, never carried in the job), or, with none, from every address of the force. One
 * per event: a second raise of the allowance asks again (what was acknowledged is not, `ack:`).
 */
export function acknowledgeHeldJob(trustedAddressId?: string): FollowUpJob {
  const payload: { trustedAddressId?: string } = trustedAddressId === undefined ? {} : { trustedAddressId };
  return { type: ACKNOWLEDGE_HELD_JOB, payload, idempotencyKey: `ack-held:${trustedAddressId ?? 'force'}:${newId()}`, maxAttempts: 6 };
}

/**
 * A round acknowledged `count` reports held back by the allowance; `isMore` when it stopped at its
 * size, so another round follows. Names the trusted address's row when the round was for it (the
 * log holds no address, decision 0077).
 */
export const heldAcknowledgementsSent = defineEvent({
  type: 'acknowledgements.held_sent',
  subject: 'force',
  data: { count: z.number().int(), isMore: z.boolean(), trustedAddressId: z.string().optional() },
  jobs: (e) => (e.data.isMore ? [acknowledgeHeldJob(e.data.trustedAddressId)] : []),
});

export const HELD_ACKNOWLEDGEMENT_EVENTS = [heldAcknowledgementsSent] as const;
