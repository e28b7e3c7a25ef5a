import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { withSystem, type Db } from '../db/database.ts';

/** What one limiter allows: at most `max` attempts per key in a window of `windowMs`. */
export type Allowance = {
  /** A short stable name (`login.account`), stored beside each counter and written to logs. */
  scope: string;
  max: number;
  windowMs: number;
};

export type AttemptLimiterDeps = { db: Db; clock: Clock; logger?: Logger };

/** Delete finished windows once in this many writes per process, so the table stays small. */
const PRUNE_EVERY = 500;

/**
 * Derives the key that turns limited values (addresses, accounts, devices) into digests. A
 * digest with a server key cannot be reversed by hashing every IPv4 address; every process
 * sharing the database derives the same key from the same secret.
 */
export function attemptKeySecret(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('bluelamp:attempt-keys:v1').digest('hex');
}

/**
 * Counts attempts per key in fixed windows, in the database, so every process sharing it shares
 * one allowance and a restart forgets nothing. Guards sign-in, the portal's one-time codes and
 * chat sessions. A window opens at a key's first attempt and lasts `windowMs`; once `max`
 * attempts are spent, the key is refused until the window ends.
 */
export class AttemptLimiter {
  private writes = 0;

  constructor(
    private readonly deps: AttemptLimiterDeps,
    private readonly keySecret: string,
    readonly allowance: Allowance,
  ) {}

  /** The stored digest of a key; the same value in every process with the same secret. */
  private digest(key: string): string {
    return createHmac('sha256', this.keySecret).update(`${this.allowance.scope}\u0000${key}`).digest('hex');
  }

  /**
   * Spends one attempt and returns true while it is within the allowance. The count and the
   * check are one statement, so parallel attempts cannot both slip under the limit.
   */
  async take(key: string): Promise<boolean> {
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.allowance.windowMs);
    const keyHash = this.digest(key);
    const row = await withSystem(this.deps.db, async (tx) => {
      const result = await sql<{ attempts: number; expires_at: Date }>`
        insert into attempt_counters (key_hash, scope, attempts, window_started_at, expires_at)
        values (${keyHash}, ${this.allowance.scope}, 1, ${now}, ${expiresAt})
        on conflict (key_hash) do update set
          attempts = case when attempt_counters.expires_at <= ${now} then 1 else attempt_counters.attempts + 1 end,
          window_started_at = case when attempt_counters.expires_at <= ${now} then excluded.window_started_at else attempt_counters.window_started_at end,
          expires_at = case when attempt_counters.expires_at <= ${now} then excluded.expires_at else attempt_counters.expires_at end
        returning attempts, expires_at`.execute(tx);
      return result.rows[0];
    });
    await this.maybePrune(now);
    const attempts = Number(row?.attempts ?? 1);
    if (attempts === this.allowance.max) {
      // The attempt that uses up the allowance: one line per lockout, with the digest only.
      this.deps.logger?.warn(
        { scope: this.allowance.scope, key: keyHash.slice(0, 12), until: row?.expires_at, max: this.allowance.max },
        'attempt limit reached',
      );
    }
    return attempts <= this.allowance.max;
  }

  /** True when the key's allowance is used up, without spending an attempt. */
  async isExhausted(key: string): Promise<boolean> {
    const now = this.deps.clock.now();
    const keyHash = this.digest(key);
    const row = await withSystem(this.deps.db, async (tx) => {
      const result = await sql<{ attempts: number }>`
        select attempts from attempt_counters where key_hash = ${keyHash} and expires_at > ${now}`.execute(tx);
      return result.rows[0];
    });
    return row !== undefined && Number(row.attempts) >= this.allowance.max;
  }

  /** Gives back one attempt spent by `take` (it turned out to be a success, or was never tried). */
  async refund(key: string): Promise<void> {
    const now = this.deps.clock.now();
    const keyHash = this.digest(key);
    await withSystem(this.deps.db, (tx) =>
      sql`update attempt_counters set attempts = greatest(attempts - 1, 0)
          where key_hash = ${keyHash} and expires_at > ${now}`.execute(tx),
    );
  }

  /** Forgets a key's attempts. */
  async reset(key: string): Promise<void> {
    const keyHash = this.digest(key);
    await withSystem(this.deps.db, (tx) => sql`delete from attempt_counters where key_hash = ${keyHash}`.execute(tx));
  }

  private async maybePrune(now: Date): Promise<void> {
    this.writes += 1;
    if (this.writes % PRUNE_EVERY !== 0) return;
    await pruneAttemptCounters(this.deps.db, now);
  }
}

/** Deletes counters whose window has ended (they no longer limit anything). Returns how many. */
export async function pruneAttemptCounters(db: Db, now: Date): Promise<number> {
  return withSystem(db, async (tx) => {
    const result = await sql`delete from attempt_counters where expires_at <= ${now}`.execute(tx);
    return Number(result.numAffectedRows ?? 0);
  });
}
