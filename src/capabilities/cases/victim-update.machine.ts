import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';

/**
 * A Victims' Code clock's state machine (one victim, one milestone). Pure. A clock is open until
 * the victim is told (met), or its due time passes untold (breached), or it is withdrawn because
 * the victim it was owed to is no longer on the case. The sweep marks warnings and breaches and
 * journeys meet clocks, set-based (victim-updates.jobs.ts); the moves here are the ones made one
 * clock at a time: moving an unnamed victim's clock to the first victim named, re-timing a clock to
 * a victim's enhanced rights, and withdrawing it. Each appends exactly one event type.
 *
 * One rule for a clock's times (decision 0133): only an open clock is re-timed. A missed duty (its
 * due time passed untold, whether or not the sweep has marked it yet) keeps the due time it was
 * missed against and its breach, whatever moves it: a breach once it happened is never cleared.
 */

export type VictimUpdateState = 'open' | 'met' | 'breached' | 'withdrawn';
export const VICTIM_UPDATE_STATES = ['open', 'met', 'breached', 'withdrawn'] as const satisfies readonly VictimUpdateState[];

export type VictimUpdateMove =
  /** Owed to the case's unnamed victim, it moves to the first victim added: re-timed to their rights if still open. */
  | 'reassign'
  /** The victim's enhanced rights changed: the clock falls due on the new timescale from its milestone. */
  | 'retime'
  /** The victim was removed from the case: nothing more is owed to them. */
  | 'withdraw';
export const VICTIM_UPDATE_MOVES = ['reassign', 'retime', 'withdraw'] as const satisfies readonly VictimUpdateMove[];

export const VICTIM_UPDATE_MOVE_EVENTS = {
  reassign: 'case.victim_update_reassigned',
  retime: 'case.victim_update_retimed',
  withdraw: 'case.victim_update_withdrawn',
} as const satisfies Record<VictimUpdateMove, string>;

/**
 * The moves the sweep and journeys make set-based (victim-updates.jobs.ts, and the officer's record
 * of telling the victim in victim-updates.service.ts), one event per clock, each statement with
 * these `from` states in its `where` (`satisfied_at is null`, and `breached_at is null` to warn or
 * breach). Not moves of `moveVictimUpdate`, which takes one clock at a time.
 */
export const VICTIM_UPDATE_SWEEP_MOVE_EVENTS = {
  /** Opened for one victim by a milestone. */
  open: 'case.victim_update_opened',
  /** Its warning point passed. */
  warn: 'case.victim_update_due_soon',
  /** Its due time passed untold. */
  breach: 'case.victim_update_breached',
  /** The victim was told (late, if it was breached), referred, or declined. */
  inform: 'case.victim_informed',
} as const;

/** The machine as the house test reads it. */
export const MACHINE = describeMachine({
  states: ['new', ...VICTIM_UPDATE_STATES],
  initial: ['new'],
  moves: {
    open: { from: ['new'], to: ['open'], event: VICTIM_UPDATE_SWEEP_MOVE_EVENTS.open },
    warn: { from: ['open'], to: 'same', event: VICTIM_UPDATE_SWEEP_MOVE_EVENTS.warn },
    breach: { from: ['open'], to: ['breached'], event: VICTIM_UPDATE_SWEEP_MOVE_EVENTS.breach },
    inform: { from: ['open', 'breached'], to: ['met'], event: VICTIM_UPDATE_SWEEP_MOVE_EVENTS.inform },
    reassign: { from: ['open', 'breached'], to: 'same', event: VICTIM_UPDATE_MOVE_EVENTS.reassign },
    retime: { from: ['open'], to: 'same', event: VICTIM_UPDATE_MOVE_EVENTS.retime },
    withdraw: { from: ['open', 'breached'], to: ['withdrawn'], event: VICTIM_UPDATE_MOVE_EVENTS.withdraw },
  } satisfies Record<VictimUpdateMove | keyof typeof VICTIM_UPDATE_SWEEP_MOVE_EVENTS, MoveDescription<VictimUpdateState | 'new'>>,
  // The case's own events, its Victims' Code clocks' and its people's share the prefix: each machine lists its own.
  owns: ['case.'],
  otherEvents: {},
});

/** How a withdrawn clock is stored: closed (`satisfied_at`) with this `how`, so every open-clock read leaves it out. */
export const WITHDRAWN_HOW = 'withdrawn';

export type VictimUpdateRefusal = 'met' | 'breached' | 'withdrawn';

export class VictimUpdateMoveRefused extends MoveRefused<VictimUpdateRefusal> {
  override name = 'VictimUpdateMoveRefused';
}

/**
 * The state of a stored clock, from its row. Given `now`, a clock not met whose due time has passed
 * is breached though the sweep has not marked it yet: the duty was missed all the same (the
 * supervisors' report counts it overdue), and the sweep's mark follows.
 */
export function victimUpdateState(row: { satisfied_at: Date | null; how: string | null; breached_at: Date | null; due_at?: Date }, now?: Date): VictimUpdateState {
  if (row.how === WITHDRAWN_HOW) return 'withdrawn';
  if (row.satisfied_at) return 'met';
  if (row.breached_at) return 'breached';
  return now && row.due_at && row.due_at.getTime() <= now.getTime() ? 'breached' : 'open';
}

/**
 * Where a move leads, or why not, and whether it gives the clock new times (`isRetimed`). Only an
 * open clock is re-timed: a met one was kept, and a breach is a fact of when the victim was not
 * told, which neither new rights nor a newly named victim undo. Re-timing alone is refused for a
 * breached clock; moving one to the first victim keeps its times and its breach, so the victim
 * named sees it overdue and is told at once. Withdrawing closes any clock not met, a breached one
 * too (its breach stays recorded); a met or withdrawn one has nothing left to close.
 */
export function moveVictimUpdate(
  state: VictimUpdateState,
  move: VictimUpdateMove,
): { to: VictimUpdateState; event: (typeof VICTIM_UPDATE_MOVE_EVENTS)[VictimUpdateMove]; isRetimed: boolean } | VictimUpdateMoveRefused {
  if (state === 'met') return new VictimUpdateMoveRefused('met', 'the victim was already told of this milestone');
  if (state === 'withdrawn') return new VictimUpdateMoveRefused('withdrawn', 'this update was withdrawn: the victim is no longer on the case');
  const isRetimable = state === 'open';
  if (move === 'retime') {
    if (!isRetimable) return new VictimUpdateMoveRefused('breached', 'this update is already late: its breach stands whatever the victim’s rights');
    return { to: state, event: VICTIM_UPDATE_MOVE_EVENTS.retime, isRetimed: true };
  }
  if (move === 'reassign') return { to: state, event: VICTIM_UPDATE_MOVE_EVENTS.reassign, isRetimed: isRetimable };
  return { to: 'withdrawn', event: VICTIM_UPDATE_MOVE_EVENTS.withdraw, isRetimed: false };
}
