// How an SLA clock reads now, between fetches. The server states each clock's state when it is
// read; a running clock only ever moves forward (running → warning → breached), so the console
// shows the later of the server's state and the one its own clock gives, and never steps back.
import type { SlaState } from './api/types.ts';

export const SLA_STATE_LABELS: Record<SlaState, string> = {
  running: 'Running',
  warning: 'Due soon',
  breached: 'Breached',
  met: 'Met',
  missed: 'Missed',
  cancelled: 'Stopped',
};

const RUNNING_ORDER: readonly SlaState[] = ['running', 'warning', 'breached'];

/**
 * The state of a running clock at `now` (the server's time, in ms); a stopped clock keeps the
 * state the server gave. Without a warning time, only the move to breached is seen.
 */
export function liveSlaState(clock: { state: SlaState; warnAt?: string | null; dueAt: string }, now: number): SlaState {
  const serverRank = RUNNING_ORDER.indexOf(clock.state);
  if (serverRank < 0) return clock.state;
  const due = new Date(clock.dueAt).getTime();
  const warn = clock.warnAt ? new Date(clock.warnAt).getTime() : Number.POSITIVE_INFINITY;
  const local: SlaState = now >= due ? 'breached' : now >= warn ? 'warning' : 'running';
  return RUNNING_ORDER.indexOf(local) > serverRank ? local : clock.state;
}
