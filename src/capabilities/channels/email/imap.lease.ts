import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withForce } from '../../../platform/db/database.ts';
import type { Db } from '../../../platform/db/database.ts';
import type { ForceId } from '../../../platform/ids.ts';

/** What a poll's lease outlives its deadline by: the mail being stored when it passed, and the health write. */
export const LEASE_GRACE_MS = 60_000;

type LeasedAccount = { id: string; forceId: ForceId };

/**
 * One poller's leases on the mailboxes it polls (decision 0190): a poll of a channel account's
 * mailbox first takes the account's lease, which no other poller (in this process or another
 * against the same database) can take until it is given back or runs out. It runs out `leaseMs`
 * after it was taken: a poll never outlives its deadline, so only a process that died mid-poll
 * (or stalled past its deadline) leaves one behind, and only that long. When a lease runs out,
 * and whether it has, is the database's clock's, read in the statement that takes it (decision
 * 0197): every poller asks the one clock, so a node whose own clock is ahead or behind can neither
 * take a lease still held nor hold one longer than `leaseMs`. The poller's injected clock is not
 * asked: a test moves a lease on by moving its `expires_at`, not by moving a clock.
 */
export function mailboxLeases(deps: { db: Db }, leaseMs: number) {
  // A random id per poller: two pollers in one process (or one PGlite) are two holders.
  const holder = randomUUID();
  // clock_timestamp(): the time the statement runs, not when its transaction began (it may wait on the row).
  const expiresAt = sql<Date>`clock_timestamp() + ${leaseMs}::float8 * interval '1 millisecond'`;
  return {
    /** Takes the account's lease, or renews this poller's own; false while another poller holds it. */
    async take(account: LeasedAccount): Promise<boolean> {
      const taken = await withForce(deps.db, account.forceId, (tx) =>
        tx
          .insertInto('mailbox_poll_leases')
          .values({ channel_account_id: account.id, force_id: account.forceId, holder, expires_at: expiresAt })
          // A lease held by another poller that has not run out stands: no row comes back.
          .onConflict((conflict) =>
            conflict
              .column('channel_account_id')
              .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
              .where((eb) => eb.or([eb('mailbox_poll_leases.expires_at', '<=', sql<Date>`clock_timestamp()`), eb('mailbox_poll_leases.holder', '=', holder)])),
          )
          .returning('holder')
          .executeTakeFirst(),
      );
      return taken !== undefined;
    },
    /** Gives back the account's lease if this poller still holds it; false if it ran out and another took it, or it was gone. */
    async giveBack(account: LeasedAccount): Promise<boolean> {
      const given = await withForce(deps.db, account.forceId, (tx) =>
        tx
          .deleteFrom('mailbox_poll_leases')
          .where('force_id', '=', account.forceId)
          .where('channel_account_id', '=', account.id)
          .where('holder', '=', holder)
          .executeTakeFirst(),
      );
      return Number(given.numDeletedRows) > 0;
    },
  };
}
