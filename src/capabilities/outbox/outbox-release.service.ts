import { withForce, withSystem, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { JobHandler } from '../../platform/jobs/jobs.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { outboxReleased } from './outbox.events.ts';
import { unholdOutboxMessages } from './outbox.repository.ts';
import { NO_MAIL_SERVER } from './senders/email.sender.ts';
import { DEMO_STAND_IN_TEXT_PROVIDER, NO_TEXT_PROVIDER } from './senders/sms.sender.ts';

/**
 * Sends the email held because no mail server was set, now that one is: every force's, each
 * message once more through its delivery job (an `outbox.released` event). Without it, replies,
 * victim updates and codes queued before `SMTP_URL` was set stayed held for ever. Returns how many.
 */
export async function releaseHeldEmail(deps: ServiceDeps, hasMailServer: boolean): Promise<number> {
  if (!hasMailServer) return 0;
  const forces = await withSystem(deps.db, (tx) => tx.selectFrom('forces').select('id').execute());
  let released = 0;
  for (const force of forces) {
    const forceId = force.id as ForceId;
    released += await withForce(deps.db, forceId, (tx) => releaseHeld(tx, forceId, deps.clock, 'email', [NO_MAIL_SERVER]));
  }
  if (released > 0) deps.logger.info({ released }, 'held email released: a mail server is set now');
  return released;
}

/** Puts back on their way the force's messages held on a channel for a reason now gone, each with its `outbox.released` event. */
async function releaseHeld(tx: Tx, forceId: ForceId, clock: Clock, channel: 'email' | 'sms', reasons: readonly string[]): Promise<number> {
  const rows = await unholdOutboxMessages(tx, forceId, channel, reasons);
  const at = clock.now().toISOString();
  record(
    tx,
    forceId,
    clock,
    ...rows.map((row) =>
      outboxReleased.of({ actor: { type: 'system', id: null }, subjectId: row.id, data: { purpose: row.purpose, contactId: row.contact_id, caseId: row.case_id, channel: row.channel, at } }),
    ),
  );
  return rows.length;
}

/**
 * Sends the force's texts held because it had no text provider, or only the demo's stand-in,
 * after one was connected or enabled (the job follows from that channel account event; replacing
 * the demo credentials is connecting again). With none usable after all (the account enabled
 * was not one, or is the stand-in still), the delivery holds them again.
 */
export function createReleaseHeldTextsHandler(deps: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    await inForce((tx) => releaseHeld(tx, job.forceId, deps.clock, 'sms', [NO_TEXT_PROVIDER, DEMO_STAND_IN_TEXT_PROVIDER]));
  };
}
