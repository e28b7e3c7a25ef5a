import { sql } from 'kysely';
import { withSystem, type Database } from '../db/database.ts';

/** How long a scrape waits for the stored polls before answering with this process's own (as `/metrics`' other database gauges). */
const STORED_POLLS_TIMEOUT_MS = 2000;

/** A mailbox's last successful poll as stored by whichever worker polled it (decision 0175), and which mailbox it was of (0181). */
export type StoredMailPoll = { mailboxKey: string | null; lastSuccessAt: Date | null };

/** Reads the stored polls of these channel accounts; null when the database did not answer in time. */
export type StoredMailPollsReader = (channelAccountIds: readonly string[]) => Promise<ReadonlyMap<string, StoredMailPoll> | null>;

/**
 * The last successful poll of each mailbox by any worker, read from `mailbox_health` at scrape time
 * (decision 0197), so a worker that skipped a mailbox another polls (decision 0190) reports the
 * freshest poll, not its own. One lookup by primary key per mailbox this process watches, bounded
 * by a timeout and shared by concurrent scrapes, like the other gauges read from the database.
 */
export function storedMailPollsReader(database: Database, onError?: (error: unknown) => void): StoredMailPollsReader {
  // Shared by scrapes that overlap, whatever ids each asks for: the one caller asks for the mailboxes
  // this process watches, and a mailbox watched since the read began is missing from its answer,
  // so that scrape shows this process's own figure for it.
  let inflight: Promise<ReadonlyMap<string, StoredMailPoll> | null> | null = null;
  const query = async (ids: readonly string[]): Promise<ReadonlyMap<string, StoredMailPoll>> => {
    const rows = await withSystem(database.db, async (tx) => {
      if (database.engine === 'postgres') await sql`select set_config('statement_timeout', ${String(STORED_POLLS_TIMEOUT_MS)}, true)`.execute(tx);
      return tx.selectFrom('mailbox_health').select(['channel_account_id', 'mailbox_key', 'last_success_at']).where('channel_account_id', 'in', [...ids]).execute();
    });
    return new Map(rows.map((row) => [row.channel_account_id, { mailboxKey: row.mailbox_key, lastSuccessAt: row.last_success_at }]));
  };
  return async (ids) => {
    if (ids.length === 0) return new Map();
    inflight ??= query(ids)
      .catch((error: unknown) => {
        onError?.(error);
        return null;
      })
      .finally(() => {
        inflight = null;
      });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), STORED_POLLS_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([inflight, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
