import { sql, type RawBuilder } from 'kysely';
import { withSystem, type Db } from '../db/database.ts';
import type { ForceId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import type { JobHandler } from './jobs.ts';

/**
 * The job that deletes a force's expired sessions, old finished jobs, providers' old raw requests,
 * delivery reports that waited too long for their message, expired check-my-report codes, idle
 * chat sessions and units' old positions. Events are never deleted.
 */
export const HOUSEKEEPING_JOB = 'housekeeping.run';

const DAY_MS = 24 * 60 * 60 * 1000;

export type RetentionPolicy = {
  jobsDoneDays: number;
  jobsDeadDays: number;
  /** Raw provider requests that were processed or replayed; rejected ones are kept as long as dead jobs, for an admin to replay. */
  inboundRequestsDays: number;
  /** A chat session unseen this long can no longer be resumed (the chat channel's own limit). */
  chatSessionIdleDays: number;
  /** Units' past positions, unless the force set its own retention (`forces.settings.positionHistoryDays`). */
  positionHistoryDefaultDays: number;
  /**
   * Delivery reports that came for a provider id no send of ours has recorded (yet): after this
   * long none will (another system's messages on the same account, a run that never woke).
   */
  deliveryBacklogDays: number;
};
export type HousekeepingResult = {
  jobsDone: number;
  jobsDead: number;
  sessions: number;
  inboundRequests: number;
  reportCodes: number;
  chatSessions: number;
  positions: number;
  deliveryBacklog: number;
};

/**
 * Deletes in batches of `batchSize`, each in its own short transaction so no lock is held for
 * long, until a batch comes back short or `maxBatches` ran (the next run carries on).
 */
async function deleteInBatches(db: Db, statement: (limit: number) => RawBuilder<{ n: number }>, batchSize: number, maxBatches: number): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const deleted = await withSystem(db, async (tx) => (await statement(batchSize).execute(tx)).rows.length);
    total += deleted;
    if (deleted < batchSize) break;
  }
  return total;
}

/**
 * One force's housekeeping: done jobs older than their retention, dead jobs older than theirs
 * (an admin had that long to retry them; the `job.dead` event stays in the log), and sessions past
 * their expiry. Jobs are aged by when they finished, not when they were created.
 */
export async function runHousekeeping(
  db: Db,
  clock: Clock,
  forceId: ForceId,
  policy: RetentionPolicy,
  limits: { batchSize?: number; maxBatches?: number } = {},
): Promise<HousekeepingResult> {
  const batchSize = limits.batchSize ?? 1000;
  const maxBatches = limits.maxBatches ?? 200;
  const now = clock.now().getTime();
  const jobsBefore = (state: 'done' | 'dead', days: number) => {
    const cutoff = new Date(now - days * DAY_MS);
    return (limit: number) => sql<{ n: number }>`
      delete from jobs where id in (
        select id from jobs where force_id = ${forceId} and state = ${state} and updated_at < ${cutoff} limit ${limit}
      ) returning 1 as n`;
  };
  const jobsDone = await deleteInBatches(db, jobsBefore('done', policy.jobsDoneDays), batchSize, maxBatches);
  const jobsDead = await deleteInBatches(db, jobsBefore('dead', policy.jobsDeadDays), batchSize, maxBatches);
  const expiredAt = new Date(now);
  /** Deletes the force's rows of `table` whose `column` is at or before `cutoff`. */
  const deleteUpTo = (table: 'staff_sessions' | 'portal_case_sign_ins' | 'portal_report_sign_ins' | 'portal_codes' | 'chat_sessions', column: 'expires_at' | 'last_seen_at', cutoff: Date) =>
    deleteInBatches(
      db,
      (limit) => sql<{ n: number }>`
        delete from ${sql.table(table)} where id in (
          select id from ${sql.table(table)} where force_id = ${forceId} and ${sql.ref(column)} <= ${cutoff} limit ${limit}
        ) returning 1 as n`,
      batchSize,
      maxBatches,
    );
  // Sessions: staff's, victims' sign-ins to their case pages (decision 0158) and reporters' to their
  // reports (decision 0167), counted together.
  const sessions =
    (await deleteUpTo('staff_sessions', 'expires_at', expiredAt)) +
    (await deleteUpTo('portal_case_sign_ins', 'expires_at', expiredAt)) +
    (await deleteUpTo('portal_report_sign_ins', 'expires_at', expiredAt));
  // Raw requests hold what providers sent, personal data included: kept only as long as they are useful.
  const processedBefore = new Date(now - policy.inboundRequestsDays * DAY_MS);
  const rejectedBefore = new Date(now - Math.max(policy.inboundRequestsDays, policy.jobsDeadDays) * DAY_MS);
  const inboundRequests = await deleteInBatches(
    db,
    (limit) => sql<{ n: number }>`
      delete from inbound_requests where id in (
        select id from inbound_requests where force_id = ${forceId}
          and received_at < (case when status = 'rejected' then ${rejectedBefore}::timestamptz else ${processedBefore}::timestamptz end)
        limit ${limit}
      ) returning 1 as n`,
    batchSize,
    maxBatches,
  );
  // An expired code can never be used again; its contact keeps the event that it was issued.
  const reportCodes = await deleteUpTo('portal_codes', 'expires_at', expiredAt);
  const idleBefore = new Date(now - policy.chatSessionIdleDays * DAY_MS);
  const chatSessions = await deleteUpTo('chat_sessions', 'last_seen_at', idleBefore);
  const positionsBefore = new Date(now - (await positionHistoryDays(db, forceId, policy.positionHistoryDefaultDays)) * DAY_MS);
  // Position history has no id: a batch is picked by row address, through the (force, time) index.
  const positions = await deleteInBatches(
    db,
    (limit) => sql<{ n: number }>`
      delete from unit_position_history where ctid = any(array(
        select ctid from unit_position_history where force_id = ${forceId} and recorded_at < ${positionsBefore} limit ${limit}
      )) returning 1 as n`,
    batchSize,
    maxBatches,
  );
  // A report waits for the send that records its provider id, which comes within minutes, or for a
  // run that stalled and wakes, or a report naming its message (decision 0176); past the retention
  // nothing will claim it, and reports on other systems' messages would pile up for ever.
  const backlogBefore = new Date(now - policy.deliveryBacklogDays * DAY_MS);
  const deliveryBacklog = await deleteInBatches(
    db,
    (limit) => sql<{ n: number }>`
      delete from delivery_status_backlog where id in (
        select id from delivery_status_backlog where force_id = ${forceId} and received_at < ${backlogBefore} limit ${limit}
      ) returning 1 as n`,
    batchSize,
    maxBatches,
  );
  return { jobsDone, jobsDead, sessions, inboundRequests, reportCodes, chatSessions, positions, deliveryBacklog };
}

/** The force's own retention of position history, in whole days (1 to 366), else the default. */
async function positionHistoryDays(db: Db, forceId: ForceId, fallback: number): Promise<number> {
  const row = await withSystem(db, (tx) => tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirst());
  const days = row?.settings.positionHistoryDays;
  return typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 366 ? days : fallback;
}

/** The housekeeping job handler; `onDeleted` feeds metrics. */
export function createHousekeepingHandler(options: {
  db: Db;
  clock: Clock;
  policy: RetentionPolicy;
  onDeleted?: (result: HousekeepingResult) => void;
}): JobHandler {
  return async ({ job }) => {
    const result = await runHousekeeping(options.db, options.clock, job.forceId, options.policy);
    options.onDeleted?.(result);
  };
}
