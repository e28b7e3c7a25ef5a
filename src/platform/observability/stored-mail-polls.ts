import { sql } from 'kysely';
import { withSystem, type Database } from '../db/database.ts';

/** How long a scrape waits for the stored polls before answering with this process's own (as `/metrics`' other database gauges). */
const STORED_POLLS_TIMEOUT_MS = 2000;

/**
 * How long ago a mailbox was last polled well by whichever worker polled it (decision 0175), and
 * which mailbox it was of (0181). The age is the database's clock less the stored time, which the
 * database's clock wrote too (decision 0207): no node's clock enters it.
 */
export type StoredMailPoll = { mailboxKey: string | null; lastSuccessAgeSeconds: number | null };

/** Reads the stored polls of these channel accounts; null when the database did not answer in time. */
export type StoredMailPollsReader = (channelAccountIds: readonly string[]) => Promise<ReadonlyMap<string, StoredMailPoll> | null>;

/**
 * The age of the last successful poll of each mailbox by any worker, read from `mailbox_health` at
 * scrape time on the database's clock (decisions 0197, 0207), so a worker that skipped a mailbox another polls (decision 0190) reports the
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
      return tx
        .selectFrom('mailbox_health')
        .select(['channel_account_id', 'mailbox_key'])
        .select(sql<number | null>`extract(epoch from statement_timestamp() - last_success_at)::float8`.as('last_success_age_s'))
        .where('channel_account_id', 'in', [...ids])
        .execute();
    });
    return new Map(rows.map((row) => [row.channel_account_id, { mailboxKey: row.mailbox_key, lastSuccessAgeSeconds: row.last_success_age_s }]));
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
