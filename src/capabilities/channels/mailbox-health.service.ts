import { sql } from 'kysely';
import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { notFound } from '../../platform/errors.ts';
import type { MailPollFailure } from '../../platform/observability/mail-poller-health.ts';

/** A polled mailbox's health as stored (decision 0175): when it was last read, and since when and why it fails. */
export type MailboxHealth = {
  lastSuccessAt: Date | null;
  failingSince: Date | null;
  failure: MailPollFailure | null;
  isRestartNeeded: boolean;
  updatedAt: Date;
};

/** The last successful poll is written again at most this often while the mailbox stays healthy. */
export const LAST_SUCCESS_WRITE_MS = 60_000;

/**
 * A channel account's stored mailbox health for its force's admin: null when no poll of it has
 * been recorded (it reads no mailbox, or has not been polled yet). Another force's account, or
 * none, is not found.
 */
export async function readMailboxHealth(deps: Pick<ServiceDeps, 'db'>, forceId: ForceId, accountId: string): Promise<MailboxHealth | null> {
  return withForce(deps.db, forceId, async (tx) => {
    const account = await tx.selectFrom('channel_accounts').select('id').where('force_id', '=', forceId).where('id', '=', accountId).executeTakeFirst();
    if (!account) throw notFound('channel account');
    const row = await tx
      .selectFrom('mailbox_health')
      .select(['last_success_at', 'failing_since', 'failure', 'is_restart_needed', 'updated_at'])
      .where('force_id', '=', forceId)
      .where('channel_account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) return null;
    return { lastSuccessAt: row.last_success_at, failingSince: row.failing_since, failure: row.failure, isRestartNeeded: row.is_restart_needed, updatedAt: row.updated_at };
  });
}

type Written = { failure: MailPollFailure | null; isRestartNeeded: boolean; successAt: number | null };

/**
 * Writes each polled mailbox's health where every process sees it, only when it changes: a run of
 * failures starting, changing its kind or ending, and a success at most once a minute while the
 * mailbox stays healthy. What was last written is remembered in memory; a process that starts
 * writes at its first poll of each mailbox, and a run of failures stored before keeps its start.
 * A write that fails is logged and never fails the poll; the next poll writes again.
 */
export function mailboxHealthWriter(deps: ServiceDeps) {
  const written = new Map<string, Written>();

  async function write(account: { id: string; forceId: ForceId }, next: Written, outcome: 'success' | 'failure'): Promise<void> {
    const now = deps.clock.now();
    try {
      await withForce(deps.db, account.forceId, (tx) =>
        tx
          .insertInto('mailbox_health')
          .values({
            channel_account_id: account.id,
            force_id: account.forceId,
            last_success_at: outcome === 'success' ? now : null,
            failing_since: outcome === 'failure' ? now : null,
            failure: next.failure,
            is_restart_needed: next.isRestartNeeded,
            updated_at: now,
          })
          .onConflict((conflict) =>
            conflict.column('channel_account_id').doUpdateSet(
              outcome === 'success'
                ? { last_success_at: now, failing_since: null, failure: null, is_restart_needed: false, updated_at: now }
                : {
                    // A run of failures already stored (by this process or one before it) keeps its start.
                    failing_since: sql<Date>`coalesce(mailbox_health.failing_since, excluded.failing_since)`,
                    failure: next.failure,
                    is_restart_needed: next.isRestartNeeded,
                    updated_at: now,
                  },
            ),
          )
          .execute(),
      );
      written.set(account.id, next);
    } catch (error) {
      written.delete(account.id);
      deps.logger.warn({ account: account.id, err: error instanceof Error ? error.message : String(error) }, 'storing a mailbox’s health failed; the next poll writes it again');
    }
  }

  return {
    /** A poll that ended well: written when a run of failures ends, or a minute after the last success written. */
    async recordSuccess(account: { id: string; forceId: ForceId }): Promise<void> {
      const last = written.get(account.id);
      const now = deps.clock.now().getTime();
      const isDue = !last || last.failure !== null || last.successAt === null || now - last.successAt >= LAST_SUCCESS_WRITE_MS;
      if (isDue) await write(account, { failure: null, isRestartNeeded: false, successAt: now }, 'success');
    },
    /** A failed poll: written when a run of failures starts, or its kind (or restart needed) changes. */
    async recordFailure(account: { id: string; forceId: ForceId }, failure: MailPollFailure, isRestartNeeded: boolean): Promise<void> {
      const last = written.get(account.id);
      if (last && last.failure === failure && last.isRestartNeeded === isRestartNeeded) return;
      await write(account, { failure, isRestartNeeded, successAt: last?.successAt ?? null }, 'failure');
    },
  };
}
