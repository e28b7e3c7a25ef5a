import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import type { Tx } from '../../platform/db/database.ts';
import { acknowledgeContacts } from './acknowledgement.service.ts';
import { heldAcknowledgementsSent } from './held-acknowledgements.events.ts';
import { findHeldAcknowledgements } from './held-acknowledgements.repository.ts';
import { acknowledgementAllowanceOf } from './trusted-addresses.service.ts';
import { findTrustedAddressById, readForceSettings } from './trusted-addresses.repository.ts';

// When a force trusts an address or raises its allowance, the portal reports its old allowance
// held back in the last 24 hours are acknowledged after all, oldest first, up to the new one
// (decision 0171): a reporting centre that rang to say it got no references gets them.

const ALLOWANCE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The most reports one round acknowledges: one transaction, however many the force held back. */
export const HELD_ROUND_SIZE = 100;

/**
 * Acknowledges one round of held reports, in the job's force: those of the trusted address its
 * payload names (none if it is trusted no longer), or of every address. Each report is
 * acknowledged by the acknowledgement job's own code, so once (`ack:` and its event), in the
 * language it was made in, and within its address's allowance as counted under the address's
 * lock. A round that filled up records so, and the next round follows from that event.
 */
export function createAcknowledgeHeldHandler(deps: { clock: Clock; roundSize?: number }): JobHandler {
  const roundSize = deps.roundSize ?? HELD_ROUND_SIZE;
  return async ({ job, inForce }) => {
    const trustedAddressId = typeof job.payload.trustedAddressId === 'string' ? job.payload.trustedAddressId : undefined;
    await inForce((tx) => acknowledgeHeldRound(tx, job.forceId, deps.clock, { trustedAddressId, roundSize }));
  };
}

async function acknowledgeHeldRound(tx: Tx, forceId: ForceId, clock: Clock, round: { trustedAddressId: string | undefined; roundSize: number }): Promise<void> {
  const address = round.trustedAddressId === undefined ? undefined : await findTrustedAddressById(tx, forceId, round.trustedAddressId);
  if (round.trustedAddressId !== undefined && address === undefined) return;
  const allowance = acknowledgementAllowanceOf(await readForceSettings(tx, forceId));
  const since = new Date(clock.now().getTime() - ALLOWANCE_WINDOW_MS);
  const held = await findHeldAcknowledgements(tx, forceId, {
    since,
    ...(address === undefined ? {} : { address }),
    perAddress: allowance.perAddress,
    trustedPerAddress: allowance.trustedPerAddress,
    limit: round.roundSize,
  });
  if (held.length === 0) return;
  const count = await acknowledgeContacts(tx, forceId, clock, held);
  if (count === 0) return;
  // Another round only after one that filled up and sent something: each sends one at least, so it ends.
  const isMore = held.length === round.roundSize;
  record(
    tx,
    forceId,
    clock,
    heldAcknowledgementsSent.of({ actor: { type: 'system', id: null }, subjectId: forceId, data: { count, isMore, ...(round.trustedAddressId === undefined ? {} : { trustedAddressId: round.trustedAddressId }) } }),
  );
}
