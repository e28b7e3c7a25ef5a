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

/**
 * Locks each of these recipients (in lower case) for this purpose until the transaction ends, in
 * one order, so that transactions counting one address's sends (`countRecentSends`) and then
 * queueing more count one after another: two batches running at once each saw the other's mails
 * uncommitted, so both found the allowance unspent and sent past it (decision 0162).
 */
export async function lockRecipients(tx: Tx, forceId: ForceId, purpose: string, recipients: readonly string[]): Promise<void> {
  const keys = [...new Set(recipients.map((recipient) => `recent-sends:${forceId}:${purpose}:${recipient.toLowerCase()}`))].sort();
  if (keys.length === 0) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${keys}::text[]) with ordinality as l(k, n) order by n`.execute(tx);
}
