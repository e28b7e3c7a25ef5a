import { withForce, withSystem } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { outboxReleased } from './outbox.events.ts';
import { unholdOutboxMessages } from './outbox.repository.ts';
import { NO_MAIL_SERVER } from './senders/email.sender.ts';

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
    released += await withForce(deps.db, forceId, async (tx) => {
      const rows = await unholdOutboxMessages(tx, forceId, 'email', NO_MAIL_SERVER);
      const at = deps.clock.now().toISOString();
      record(
        tx,
        forceId,
        deps.clock,
        ...rows.map((row) =>
          outboxReleased.of({ actor: { type: 'system', id: null }, subjectId: row.id, data: { purpose: row.purpose, contactId: row.contact_id, caseId: row.case_id, channel: row.channel, at } }),
        ),
      );
      return rows.length;
    });
  }
  if (released > 0) deps.logger.info({ released }, 'held email released: a mail server is set now');
  return released;
}
