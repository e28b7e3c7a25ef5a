import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

/**
 * How many messages with this purpose the force queued for each of these recipients since
 * `since`, keyed by the recipient in lower case (an address written in other letter case is the
 * same mailbox to every mail server we send to). A recipient with none is absent. For
 * acknowledgements the read is on their own index (force, lower(recipient), created_at, migration
 * 0077), so it reaches only these addresses' rows, however busy the force's day.
 */
export async function countRecentSends(
  tx: Tx,
  forceId: ForceId,
  purpose: string,
  recipients: readonly string[],
  since: Date,
): Promise<Map<string, number>> {
  const wanted = [...new Set(recipients.map((recipient) => recipient.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const lowered = sql<string>`lower(recipient)`;
  const rows = await tx
    .selectFrom('outbox')
    .select([lowered.as('recipient'), (eb) => eb.fn.countAll<string>().as('sent')])
    .where('force_id', '=', forceId)
    .where('created_at', '>=', since)
    .where('purpose', '=', purpose)
    .where(lowered, 'in', wanted)
    .groupBy(lowered)
    .execute();
  return new Map(rows.map((row) => [row.recipient, Number(row.sent)]));
}
