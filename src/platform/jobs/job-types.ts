import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import type { JsonValue } from '../db/tables.ts';
import type { ForceId, JobId } from '../ids.ts';

// What a job is and what handles it: the runner (jobs.ts) claims jobs and hands them to these.

export type JobState = 'pending' | 'running' | 'done' | 'dead';
export type JobPayload = { [key: string]: JsonValue };

export type Job = {
  id: JobId;
  forceId: ForceId;
  type: string;
  payload: JobPayload;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  createdAt: Date;
  /**
   * Claimed from a worker whose lease on it ran out while it ran (its renewals did not get
   * through): that worker may still be at work on it, its outcome not recorded yet.
   */
  isTakenOver?: boolean;
};

/**
 * A job as a run claimed it: with the claim token that claim set (decision 0165). The run's writes
 * to the job hold only while the row still carries it; a claim by another run counts it on.
 */
export type ClaimedJob = Job & { claimToken: number };

/** What a job handler gets: its job, and a way to run work in a transaction as the job's force. */
export type JobContext = {
  job: Job;
  // A function property, not a method: handlers take it out of the context (`{ job, inForce }`).
  inForce: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;
};

/**
 * A text field of a job's payload. Payloads are written by the code that enqueues the job, so a
 * missing or non-text field is a bug: the job fails, rather than running against "undefined".
 */
export function payloadText(job: Job, key: string): string {
  const value = job.payload[key];
  if (typeof value !== 'string') throw new Error(`job ${job.type} has no text ${key} in its payload`);
  return value;
}

/**
 * A handler must be safe to run more than once for the same job (a crash after its effect but
 * before the job is marked done runs it again): key its effects by the job or an idempotency key.
 */
export type JobHandler = (context: JobContext) => Promise<void>;

/**
 * What a job's type does when the job is given up (dead after its last attempt), in the transaction
 * that records it dead, as the job's force: settles what the job was working on, so nothing is left
 * waiting on a job that will not run again unless an admin retries it. It must be safe whatever the
 * job had done (a job may die after part of its effect) and write only through its room's recorder.
 */
export type DeadJobHandler = (context: { job: Job; reason: string; tx: Tx }) => Promise<void>;

/**
 * A handler for many due jobs of one type and force at once, for work cheaper by the set than by
 * the row (decision 0040). The runner opens the transaction (as the force), runs it, and marks
 * the jobs done in the same transaction. It must give each job the effect it would have alone: a
 * batch that fails is retried one job at a time, so one bad job fails, retries and dies alone.
 * Like a `JobHandler`, it must be safe to run again for jobs whose effect is already there.
 */
export type BatchJobHandler = {
  kind?: 'database';
  /** The most jobs one run takes (bounds the transaction, and how long it holds the event loop). */
  maxBatch: number;
  run: (context: { forceId: ForceId; jobs: readonly Job[]; tx: Tx }) => Promise<void>;
};

/**
 * A handler for many due jobs of one type and force whose work reaches the outside world (mail, a
 * provider's API), so it cannot sit inside one transaction (decision 0043): it opens its own
 * transactions as the force (to read before its calls and record after them) and returns the jobs
 * whose attempt failed, with why. The runner marks the others done in one statement and records each
 * failure as it would a one-job handler's (retry with backoff, dead after the last attempt). If it
 * throws, every job of the batch has failed that attempt. It must be safe to run again for a job
 * whose effect is already recorded (a crash after the effect, before the job is marked done).
 */
export type OutboundBatchJobHandler = {
  kind: 'outbound';
  /** The most jobs one run takes. */
  maxBatch: number;
  run: (context: { forceId: ForceId; jobs: readonly Job[]; inForce: JobContext['inForce'] }) => Promise<Map<JobId, unknown>>;
};

export type JobRow = {
  id: string;
  force_id: string;
  type: string;
  payload: JobPayload;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  last_error: string | null;
  created_at: Date;
  /** Set by a claim: the job was running, its lease run out. */
  taken_over?: boolean;
};

/** A row as a claim returns it: with the token the claim set. */
export type ClaimedJobRow = JobRow & { claim_token: number };

export function toJob(row: JobRow): Job {
  return {
    id: row.id as JobId,
    forceId: row.force_id as ForceId,
    type: row.type,
    payload: row.payload,
    state: row.state,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: row.run_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    ...(row.taken_over ? { isTakenOver: true } : {}),
  };
}

export function toClaimedJob(row: ClaimedJobRow): ClaimedJob {
  return { ...toJob(row), claimToken: Number(row.claim_token) };
}

/** Delay before the next attempt: doubling from `baseMs`, capped at ten minutes. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 10 * 60 * 1000);
}

/** A set of job types run `concurrency` units at a time, drained by its own loop. */
export type Lane = {
  name: 'local' | 'outbound';
  concurrency: number;
  /** The types it takes (`only`) or leaves (`except`); neither: every type. */
  only?: readonly string[];
  except?: readonly string[];
  draining: Promise<void> | undefined;
  wakeRequested: boolean;
};

/** The lane's condition on a job's type, to add to a claim's. */
export function laneTypes(lane: Lane) {
  if (lane.only) return sql` and type in (${sql.join(lane.only)})`;
  if (lane.except) return sql` and type not in (${sql.join(lane.except)})`;
  return sql``;
}
