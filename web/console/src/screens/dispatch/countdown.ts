// An incident's clock as the dispatcher reads it: the deploy countdown until a unit is sent, then
// the arrive countdown until one is on scene. The server owns the clock (its times); the console
// counts down between fetches on the server-corrected now (clock.ts), never the PC's own clock.
import { formatClock } from '../../format.ts';

export type IncidentClock = {
  kind: 'deploy' | 'arrive';
  startedAt: string;
  warnAt: string;
  dueAt: string;
  breachedAt: string | null;
};

/** ok: time in hand; warning: past the warning point (amber); breached: past due (red). */
export type CountdownState = 'ok' | 'warning' | 'breached';

export type CountdownReading = {
  state: CountdownState;
  /** What is shown: "Deploy in 2:41", "Arrive overdue 1:05". */
  text: string;
  /** Said to screen readers, since colour says nothing to them: "Deploy in 2 minutes 41 seconds, due soon". */
  spoken: string;
  /** Ms until due (negative once overdue), for sorting by time left. */
  remainingMs: number;
};

const VERB: Record<IncidentClock['kind'], string> = { deploy: 'Deploy', arrive: 'Arrive' };

function spokenSpan(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return [h > 0 ? part(h, 'hour') : null, h > 0 || m > 0 ? part(m, 'minute') : null, part(s, 'second')].filter(Boolean).join(' ');
}

/**
 * How the clock reads at `now` (the server's time, in ms). Amber from `warnAt`, red from `dueAt`,
 * and red whenever the server has recorded a breach, even if this browser's reckoning lags.
 * Exactly at the due time it reads "in 0:00" and is already red: the target has been reached.
 */
export function readCountdown(clock: IncidentClock, now: number): CountdownReading {
  const due = Date.parse(clock.dueAt);
  const warn = Date.parse(clock.warnAt);
  const remainingMs = due - now;
  const isBreached = remainingMs <= 0 || clock.breachedAt !== null;
  const state: CountdownState = isBreached ? 'breached' : now >= warn ? 'warning' : 'ok';
  const verb = VERB[clock.kind];
  const seconds = remainingMs > 0 ? Math.ceil(remainingMs / 1000) : Math.floor(-remainingMs / 1000);
  const isOverdue = remainingMs < 0;
  const text = isOverdue ? `${verb} overdue ${formatClock(seconds)}` : `${verb} in ${formatClock(seconds)}`;
  const spokenTime = isOverdue ? `${verb} overdue by ${spokenSpan(seconds)}` : `${verb} in ${spokenSpan(seconds)}`;
  const spoken = state === 'warning' ? `${spokenTime}, due soon` : state === 'breached' ? `${spokenTime}, target missed` : spokenTime;
  return { state, text, spoken, remainingMs };
}
