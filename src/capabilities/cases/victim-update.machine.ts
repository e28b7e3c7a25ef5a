import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';

/**
 * A Victims' Code clock's state machine (one victim, one milestone). Pure. A clock is open until
 * the victim is told (met), or its due time passes untold (breached), or it is withdrawn because
 * the victim it was owed to is no longer on the case. The sweep marks warnings and breaches and
 * journeys meet clocks, set-based (victim-updates.jobs.ts); the moves here are the ones a person
 * or the records system causes one clock at a time: re-timing a clock to a victim's enhanced
 * rights, and withdrawing it. Each appends exactly one event type.
 */

export type VictimUpdateState = 'open' | 'met' | 'breached' | 'withdrawn';
export const VICTIM_UPDATE_STATES = ['open', 'met', 'breached', 'withdrawn'] as const satisfies readonly VictimUpdateState[];

export type VictimUpdateMove =
  /** The victim's enhanced rights changed: the clock falls due on the new timescale from its milestone. */
  | 'retime'
  /** The victim was removed from the case: nothing more is owed to them. */
  | 'withdraw';
export const VICTIM_UPDATE_MOVES = ['retime', 'withdraw'] as const satisfies readonly VictimUpdateMove[];

export const VICTIM_UPDATE_MOVE_EVENTS = {
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
  /** Owed to the case's unnamed victim, it moved to the first victim added, re-timed: a breach stands only if the new due time has passed too. */
  reassign: 'case.victim_update_reassigned',
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
    reassign: { from: ['open', 'breached'], to: ['open', 'breached'], event: VICTIM_UPDATE_SWEEP_MOVE_EVENTS.reassign },
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

/** The state of a stored clock, from its row. */
export function victimUpdateState(row: { satisfied_at: Date | null; how: string | null; breached_at: Date | null }): VictimUpdateState {
  if (row.how === WITHDRAWN_HOW) return 'withdrawn';
  if (row.satisfied_at) return 'met';
  return row.breached_at ? 'breached' : 'open';
}

/**
 * Where a move leads, or why not. Re-timing is for an open clock only: a met one was kept, and a
 * breach is a fact of when the victim was not told, which new rights do not undo. Withdrawing
 * closes any clock not met, a breached one too (its breach stays recorded); a met or withdrawn
 * one has nothing left to close.
 */
export function moveVictimUpdate(state: VictimUpdateState, move: VictimUpdateMove): { to: VictimUpdateState; event: (typeof VICTIM_UPDATE_MOVE_EVENTS)[VictimUpdateMove] } | VictimUpdateMoveRefused {
  if (state === 'met') return new VictimUpdateMoveRefused('met', 'the victim was already told of this milestone');
  if (state === 'withdrawn') return new VictimUpdateMoveRefused('withdrawn', 'this update was withdrawn: the victim is no longer on the case');
  if (move === 'retime') {
    if (state === 'breached') return new VictimUpdateMoveRefused('breached', 'this update is already late: its breach stands whatever the victim’s rights');
    return { to: 'open', event: VICTIM_UPDATE_MOVE_EVENTS.retime };
  }
  return { to: 'withdrawn', event: VICTIM_UPDATE_MOVE_EVENTS.withdraw };
}
