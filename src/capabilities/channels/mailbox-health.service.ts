import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { notFound } from '../../platform/errors.ts';
import type { MailPollFailure } from '../../platform/observability/mail-poller-health.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { emailChannel, type EmailChannelConfig } from './email/email.channel.ts';
import { openedOrNull } from './sealed-settings.ts';

/** A polled mailbox's health as stored (decision 0175): when it was last read, and since when and why it fails. */
export type MailboxHealth = {
  lastSuccessAt: Date | null;
  failingSince: Date | null;
  failure: MailPollFailure | null;
  isRestartNeeded: boolean;
  updatedAt: Date;
  /** Stored before each write named its mailbox (migration 0095), under the account's settings as they still stand (decision 0188). */
  isFromBeforeUpgrade: boolean;
};

/** Why an account's mailbox is not polled at all (decision 0181): no IMAP settings, switched off, or settings that no longer open. */
export type MailboxNotPolled = 'no_mailbox_settings' | 'account_disabled' | 'settings_unreadable';

/** The health shown for an account: of the mailbox its settings name now, or why none is polled. */
export type MailboxHealthReading = { mailbox: MailboxHealth | null; notPolled: MailboxNotPolled | null };

/** The IMAP settings that say which mailbox is polled, and how it is reached. */
type PolledMailbox = Pick<NonNullable<EmailChannelConfig['imap']>, 'host' | 'port' | 'secure' | 'user' | 'mailbox'>;

/** The last successful poll is written again at most this often while the mailbox stays healthy. */
export const LAST_SUCCESS_WRITE_MS = 60_000;

/**
 * Which mailbox a health is of (decision 0181): a digest of its server, port, TLS, user name and
 * folder, so another mailbox (or the same one reached another way) starts with no health, and the
 * user name is stored only inside that digest (a guessable name could be checked against it, so the
 * digest is no secret; it is kept for the force's own admin, behind row-level security). The
 * password is left out: a password put right is the same mailbox.
 */
export function mailboxKeyOf(imap: PolledMailbox): string {
  const identity = JSON.stringify([imap.host.trim().toLowerCase(), imap.port, imap.secure, imap.user, imap.mailbox]);
  return createHash('sha256').update(identity).digest('hex');
}

/**
 * A channel account's mailbox health for its force's admin, as its settings stand now: why no
 * mailbox is polled (not an email account with IMAP settings, switched off, settings that do not
 * open), or the health stored for the mailbox its settings name, null while no poll of that
 * mailbox is stored. A row stored for a mailbox the settings no longer name is not shown. A row
 * stored before writes named their mailbox (migration 0095) is shown, marked so, while the
 * account has not changed since it was written: its mailbox was then the one they name (decision
 * 0188). Another force's account, or none, is not found.
 */
export async function readMailboxHealth(deps: Pick<ServiceDeps, 'db'> & { secrets: SecretBox }, forceId: ForceId, accountId: string): Promise<MailboxHealthReading> {
  return withForce(deps.db, forceId, async (tx) => {
    const account = await tx
      .selectFrom('channel_accounts')
      .select(['channel', 'is_enabled', 'config_ciphertext', 'updated_at'])
      .where('force_id', '=', forceId)
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!account) throw notFound('channel account');
    if (account.channel !== emailChannel.name) return { mailbox: null, notPolled: 'no_mailbox_settings' };
    const config = openedOrNull(deps.secrets, account.config_ciphertext, emailChannel.configSchema);
    // The same order of reasons as the poller's: it lists enabled accounts, then skips those without a mailbox.
    if (!account.is_enabled) return { mailbox: null, notPolled: 'account_disabled' };
    if (!config) return { mailbox: null, notPolled: 'settings_unreadable' };
    if (!config.imap) return { mailbox: null, notPolled: 'no_mailbox_settings' };
    const row = await tx
      .selectFrom('mailbox_health')
      .select(['last_success_at', 'failing_since', 'failure', 'is_restart_needed', 'updated_at', 'mailbox_key'])
      .where('force_id', '=', forceId)
      .where('channel_account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) return { mailbox: null, notPolled: null };
    // A row that names no mailbox was written by a poll of the one the settings named then; if they have not changed since, that is theirs now.
    const isFromBeforeUpgrade = row.mailbox_key === null && row.updated_at.getTime() >= account.updated_at.getTime();
    if (row.mailbox_key !== mailboxKeyOf(config.imap) && !isFromBeforeUpgrade) return { mailbox: null, notPolled: null };
    const mailbox = { lastSuccessAt: row.last_success_at, failingSince: row.failing_since, failure: row.failure, isRestartNeeded: row.is_restart_needed, updatedAt: row.updated_at, isFromBeforeUpgrade };
    return { mailbox, notPolled: null };
  });
}

type Written = { mailboxKey: string; failure: MailPollFailure | null; isRestartNeeded: boolean; successAt: number | null };
type PolledAccount = { id: string; forceId: ForceId; imap: PolledMailbox };

/**
 * Writes each polled mailbox's health where every process sees it, only when it changes: a run of
 * failures starting, changing its kind or ending, and a success at most once a minute while the
 * mailbox stays healthy. Each write names the mailbox polled (decision 0181): a poll of another
 * mailbox than the one last written starts afresh. What was last written is remembered in memory; a process that starts
 * writes at its first poll of each mailbox, and a run of failures stored before keeps its start.
 * A poll whose mailbox the account's settings no longer name (they changed while it ran) writes
 * nothing (decision 0188): the new mailbox's health, perhaps stored by another worker, stands.
 * A write that fails is logged and never fails the poll; the next poll writes again.
 * Its times are the database's clock (decision 0207), as the age read of them at scrape time is:
 * a node's clock ahead or behind makes a mailbox look neither fresh nor stale. This process's
 * clock only spaces its writes.
 */
export function mailboxHealthWriter(deps: ServiceDeps & { secrets: SecretBox }) {
  const written = new Map<string, Written>();

  async function write(account: PolledAccount, next: Written, outcome: 'success' | 'failure'): Promise<void> {
    // The start of the one statement that writes: every time in the row is the same instant of the database's clock.
    const now = sql<Date>`statement_timestamp()`;
    try {
      const isWritten = await withForce(deps.db, account.forceId, async (tx) => {
        // The settings as they stand, held until this write commits: a change of them waits for it, and a poll of the new mailbox writes after it.
        const current = await tx
          .selectFrom('channel_accounts')
          .select(['config_ciphertext', 'updated_at'])
          .where('force_id', '=', account.forceId)
          .where('id', '=', account.id)
          .forShare()
          .executeTakeFirst();
        const settings = current ? openedOrNull(deps.secrets, current.config_ciphertext, emailChannel.configSchema) : null;
        if (!current || !settings?.imap || mailboxKeyOf(settings.imap) !== next.mailboxKey) return false;
        // A row of another mailbox (the settings changed) is this one's first: its start and last success are not this mailbox's.
        // One that names none is this one's if the account has not changed since it was written, as readMailboxHealth reads it.
        const isSameMailbox = sql<boolean>`(mailbox_health.mailbox_key = excluded.mailbox_key or (mailbox_health.mailbox_key is null and mailbox_health.updated_at >= ${current.updated_at}))`;
        await tx
          .insertInto('mailbox_health')
          .values({
            channel_account_id: account.id,
            force_id: account.forceId,
            last_success_at: outcome === 'success' ? now : null,
            failing_since: outcome === 'failure' ? now : null,
            failure: next.failure,
            is_restart_needed: next.isRestartNeeded,
            updated_at: now,
            mailbox_key: next.mailboxKey,
          })
          .onConflict((conflict) =>
            conflict.column('channel_account_id').doUpdateSet(
              outcome === 'success'
                ? { last_success_at: now, failing_since: null, failure: null, is_restart_needed: false, updated_at: now, mailbox_key: next.mailboxKey }
                : {
                    // A run of failures already stored for this mailbox (by this process or one before it) keeps its start.
                    failing_since: sql<Date>`case when ${isSameMailbox} then coalesce(mailbox_health.failing_since, excluded.failing_since) else excluded.failing_since end`,
                    last_success_at: sql<Date | null>`case when ${isSameMailbox} then mailbox_health.last_success_at end`,
                    failure: next.failure,
                    is_restart_needed: next.isRestartNeeded,
                    updated_at: now,
                    mailbox_key: next.mailboxKey,
                  },
            ),
          )
          .execute();
        return true;
      });
      if (isWritten) written.set(account.id, next);
      else deps.logger.info({ account: account.id, outcome }, 'a poll of a mailbox the account’s settings no longer name is not stored');
    } catch (error) {
      written.delete(account.id);
      deps.logger.warn({ account: account.id, err: error instanceof Error ? error.message : String(error) }, 'storing a mailbox’s health failed; the next poll writes it again');
    }
  }

  return {
    /** A poll that ended well: written when a run of failures ends, or a minute after the last success written. */
    async recordSuccess(account: PolledAccount): Promise<void> {
      const mailboxKey = mailboxKeyOf(account.imap);
      const last = written.get(account.id);
      const now = deps.clock.now().getTime();
      const isDue = !last || last.mailboxKey !== mailboxKey || last.failure !== null || last.successAt === null || now - last.successAt >= LAST_SUCCESS_WRITE_MS;
      if (isDue) await write(account, { mailboxKey, failure: null, isRestartNeeded: false, successAt: now }, 'success');
    },
    /** A failed poll: written when a run of failures starts, or its kind (or restart needed) changes. */
    async recordFailure(account: PolledAccount, failure: MailPollFailure, isRestartNeeded: boolean): Promise<void> {
      const mailboxKey = mailboxKeyOf(account.imap);
      const last = written.get(account.id);
      const isSameMailbox = last?.mailboxKey === mailboxKey;
      if (last && isSameMailbox && last.failure === failure && last.isRestartNeeded === isRestartNeeded) return;
      await write(account, { mailboxKey, failure, isRestartNeeded, successAt: isSameMailbox ? last.successAt : null }, 'failure');
    },
  };
}
