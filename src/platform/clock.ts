/** The one source of time. Production uses the system clock; tests pass a fixed or stepping clock. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that stands still until moved, for tests of time-dependent rules. Staff sessions end
 * SESSION_TTL_MS (one 12-hour shift) after sign-in by this clock: a test that moves it past that
 * signs in again, or gets 401 (the test app's `inject` says so when it happens).
 */
export function fixedClock(start: Date): Clock & { advance(ms: number): void; set(at: Date): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(at) {
      current = at.getTime();
    },
  };
}
