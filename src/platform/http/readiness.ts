import { sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { MailPollerHealth, MailPollersSummary } from '../observability/mail-poller-health.ts';

/** The state of each part /readyz checks; a load balancer sends traffic only when all are ready. */
export type ReadinessParts = {
  database: 'ok' | 'unreachable';
  migrations: 'applied' | 'pending' | 'unknown';
  /** LISTEN: without it, changes made by other processes reach neither consoles nor chat sockets. */
  listener: 'listening' | 'down';
};

export type Readiness =
  | { ready: true; body: { status: 'ready'; engine: Database['engine']; mailPollers?: MailPollersSummary } }
  | {
      ready: false;
      body: {
        status: 'not ready';
        engine: Database['engine'];
        reason: string;
        parts: ReadinessParts;
        listenerDownSince?: string;
        mailPollers?: MailPollersSummary;
      };
    };

/**
 * Whether this process can serve: the database answers, every migration is applied, and the
 * LISTEN connection is up. When not, `reason` and `parts` say which part is down. Where this
 * process polls mailboxes, `mailPollers` counts those failing; they never make it unready, all
 * of them failing included (decision 0153): one force's mailbox is no reason to stop the others'
 * channels, and taking the node out of a load balancer mends no mailbox.
 */
export async function checkReadiness(database: Database, isMigrated: (db: Db) => Promise<boolean>, mailPollers?: MailPollerHealth): Promise<Readiness> {
  const listener = database.listenerState();
  const parts: ReadinessParts = { database: 'ok', migrations: 'unknown', listener: listener.status };
  try {
    await sql`select 1`.execute(database.db);
    parts.migrations = (await isMigrated(database.db)) ? 'applied' : 'pending';
  } catch {
    parts.database = 'unreachable';
  }
  const reasons: string[] = [];
  if (parts.database === 'unreachable') reasons.push('database unreachable');
  if (parts.migrations === 'pending') reasons.push('migrations pending');
  if (listener.status === 'down') reasons.push(`database listener down${listener.reason ? ` (${listener.reason})` : ''}`);
  const pollers = mailPollers?.isPolling ? { mailPollers: mailPollers.summary() } : {};
  if (reasons.length === 0) return { ready: true, body: { status: 'ready', engine: database.engine, ...pollers } };
  return {
    ready: false,
    body: {
      status: 'not ready',
      engine: database.engine,
      reason: reasons.join('; '),
      parts,
      ...(listener.status === 'down' ? { listenerDownSince: listener.since.toISOString() } : {}),
      ...pollers,
    },
  };
}
