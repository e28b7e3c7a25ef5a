// The server's clock, and the current time for countdowns. SLA deadlines are the server's; a staff
// PC's clock can be minutes out, which matters when a target is two minutes. Each response's Date
// header (whole seconds) bounds the difference between the two clocks; successive bounds are
// intersected and the middle of what remains is used.
import { useEffect, useState } from 'react';

let offsetBounds: { low: number; high: number } | null = null;

/** Narrows the offset with one response: sent at `sentAt`, received at `receivedAt` (this browser's ms). */
export function noteServerDate(header: string | null, sentAt: number, receivedAt: number): void {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  // The server stamped the response at some moment in [server, server + 1 s) of its clock,
  // while this browser's clock was between sentAt and receivedAt.
  const low = server - receivedAt;
  const high = server + 1000 - sentAt;
  if (offsetBounds && low <= offsetBounds.high && high >= offsetBounds.low) {
    offsetBounds = { low: Math.max(low, offsetBounds.low), high: Math.min(high, offsetBounds.high) };
  } else {
    // The first reading, or one of the clocks was changed: start again.
    offsetBounds = { low, high };
  }
}

/** The server's clock minus this browser's, in ms (0 until a response has been seen). */
export function serverClockOffset(): number {
  return offsetBounds ? Math.round((offsetBounds.low + offsetBounds.high) / 2) : 0;
}

/** Current time in ms, refreshed every `intervalMs`. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The server's current time in ms, refreshed every `intervalMs`: use it for SLA countdowns. */
export function useServerNow(intervalMs: number): number {
  return useNow(intervalMs) + serverClockOffset();
}
