import type { Clock } from '../clock.ts';

/**
 * Counts attempts per key in a sliding window, in this process. Guards login and one-time codes;
 * the codes also count attempts in the database, so several nodes cannot multiply the allowance.
 */
export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();
  constructor(
    private readonly clock: Clock,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Records an attempt and returns true if it is within the allowance. */
  take(key: string): boolean {
    const now = this.clock.now().getTime();
    const recent = (this.attempts.get(key) ?? []).filter((at) => now - at < this.windowMs);
    const allowed = recent.length < this.max;
    if (allowed) recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 50_000) this.prune(now);
    return allowed;
  }

  /** Forgets a key (after a successful login, say). */
  reset(key: string): void {
    this.attempts.delete(key);
  }

  private prune(now: number): void {
    for (const [key, times] of this.attempts) {
      if (times.every((at) => now - at >= this.windowMs)) this.attempts.delete(key);
    }
  }
}
