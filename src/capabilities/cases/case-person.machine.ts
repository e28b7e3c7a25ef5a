import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';

/**
 * A person on a case (case_people): their state machine. Pure. A person is on the case until staff
 * remove them; a removed row is kept, marked, never deleted. Staff removal is a decision the force's
 * records system does not undo (decision 0080): a records update that still lists a removed victim
 * neither adds them back nor changes the removed row, and the first such update after the removal
 * is said once on the case's timeline (`listed_after_removal`), so staff can add them again if the
 * removal was the mistake. Each move appends exactly one event type.
 */

export type CasePersonState = 'on_case' | 'removed' | 'removed_still_listed';
export const CASE_PERSON_STATES = ['on_case', 'removed', 'removed_still_listed'] as const satisfies readonly CasePersonState[];

export type CasePersonMove =
  /** Their particulars changed (staff, or the records system for a victim it lists). */
  | 'change'
  /** Staff took them off the case. */
  | 'remove'
  /** The records system still lists a victim staff removed: said once, nothing of theirs changed. */
  | 'listed_after_removal';
export const CASE_PERSON_MOVES = ['change', 'remove', 'listed_after_removal'] as const satisfies readonly CasePersonMove[];

export const CASE_PERSON_MOVE_EVENTS = {
  change: 'case.person_changed',
  remove: 'case.person_removed',
  listed_after_removal: 'case.removed_person_still_listed',
} as const satisfies Record<CasePersonMove, string>;

/**
 * The machine as the house test reads it. Adding a person (`case.person_added`) stores a new row,
 * whoever adds them (staff, a reporter, the records system): a removed row is never put back on
 * the case, and adding a removed person again adds them anew. `moveCasePerson` reads stored rows,
 * so the add is described here and made where the row is inserted.
 */
export const MACHINE = describeMachine({
  states: ['new', ...CASE_PERSON_STATES],
  initial: ['new'],
  moves: {
    add: { from: ['new'], to: ['on_case'], event: 'case.person_added' },
    change: { from: ['on_case'], to: 'same', event: CASE_PERSON_MOVE_EVENTS.change },
    remove: { from: ['on_case'], to: ['removed'], event: CASE_PERSON_MOVE_EVENTS.remove },
    listed_after_removal: { from: ['removed'], to: ['removed_still_listed'], event: CASE_PERSON_MOVE_EVENTS.listed_after_removal },
  } satisfies Record<CasePersonMove | 'add', MoveDescription<CasePersonState | 'new'>>,
  // The case's own events, its Victims' Code clocks' and its people's share the prefix: each machine lists its own.
  owns: ['case.'],
  otherEvents: {},
});

export type CasePersonRefusal = 'on_case' | 'removed' | 'already_said';

export class CasePersonMoveRefused extends MoveRefused<CasePersonRefusal> {
  override name = 'CasePersonMoveRefused';
}

/** The state of a stored person on a case, from its row. */
export function casePersonState(row: { removed_at: Date | null; listed_after_removal_at: Date | null }): CasePersonState {
  if (!row.removed_at) return 'on_case';
  return row.listed_after_removal_at ? 'removed_still_listed' : 'removed';
}

/**
 * Where a move leads, or why not. Only a person on the case is changed or removed: a removed one's
 * row stays as it was when they were removed. The records system's listing of a removed victim is
 * said once per removal; every later update that lists them again has nothing new to say.
 */
export function moveCasePerson(state: CasePersonState, move: CasePersonMove): { to: CasePersonState; event: (typeof CASE_PERSON_MOVE_EVENTS)[CasePersonMove] } | CasePersonMoveRefused {
  if (move === 'listed_after_removal') {
    if (state === 'on_case') return new CasePersonMoveRefused('on_case', 'this person is on the case: a records update changes them as it says');
    if (state === 'removed_still_listed') return new CasePersonMoveRefused('already_said', 'the case already says the records system still lists this removed victim');
    return { to: 'removed_still_listed', event: CASE_PERSON_MOVE_EVENTS.listed_after_removal };
  }
  if (state !== 'on_case') return new CasePersonMoveRefused('removed', 'this person was removed from the case; add them again to change them');
  return move === 'remove' ? { to: 'removed', event: CASE_PERSON_MOVE_EVENTS.remove } : { to: 'on_case', event: CASE_PERSON_MOVE_EVENTS.change };
}
