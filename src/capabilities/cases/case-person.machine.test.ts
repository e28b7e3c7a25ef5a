import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { MACHINE as CASE_PERSON_MACHINE } from './case-person.machine.ts';
import { CASE_PERSON_MOVES, CASE_PERSON_MOVE_EVENTS, CASE_PERSON_STATES, CasePersonMoveRefused, casePersonState, moveCasePerson, type CasePersonMove, type CasePersonState } from './case-person.machine.ts';

/** Every state against every move: the state it leads to, or the refusal's code. */
const TABLE: Record<CasePersonState, Record<CasePersonMove, CasePersonState | CasePersonMoveRefused['refusal']>> = {
  on_case: { change: 'on_case', remove: 'removed', listed_after_removal: 'on_case' },
  removed: { change: 'removed', remove: 'removed', listed_after_removal: 'removed_still_listed' },
  removed_still_listed: { change: 'removed', remove: 'removed', listed_after_removal: 'already_said' },
};
/** The refusals among the table's entries (the rest are states reached). */
const REFUSED: Record<CasePersonState, readonly CasePersonMove[]> = { on_case: ['listed_after_removal'], removed: ['change', 'remove'], removed_still_listed: CASE_PERSON_MOVES };

describe("a person on a case's machine", () => {
  for (const state of CASE_PERSON_STATES) {
    for (const move of CASE_PERSON_MOVES) {
      it(`${state} × ${move}`, () => {
        const result = moveCasePerson(state, move);
        const expected = TABLE[state][move];
        if (REFUSED[state].includes(move)) {
          expect(result).toBeInstanceOf(CasePersonMoveRefused);
          if (result instanceof CasePersonMoveRefused) expect(result.refusal).toBe(expected);
        } else {
          expect(result).toEqual({ to: expected, event: CASE_PERSON_MOVE_EVENTS[move] });
        }
      });
    }
  }

  it('reads a stored row: on the case, removed, or removed and since listed by the records system', () => {
    const at = new Date('2026-03-02T10:00:00Z');
    expect(casePersonState({ removed_at: null, listed_after_removal_at: null })).toBe('on_case');
    expect(casePersonState({ removed_at: at, listed_after_removal_at: null })).toBe('removed');
    expect(casePersonState({ removed_at: at, listed_after_removal_at: at })).toBe('removed_still_listed');
  });
});

describe("a person on a case's description", () => {
  it('is-described-as-it-moves', () => {
    const findings = machineDisagreements(CASE_PERSON_MACHINE, {
      states: { new: [], on_case: ['on_case'], removed: ['removed'], removed_still_listed: ['removed_still_listed'] },
      moves: { change: ['change'], remove: ['remove'], listed_after_removal: ['listed_after_removal'] },
      apply: (state: CasePersonState, move: CasePersonMove) => {
        const result = moveCasePerson(state, move);
        return result instanceof CasePersonMoveRefused ? null : result;
      },
      // Adding stores a new row where it is inserted (case-people.service.ts, records-case-parts.service.ts).
      notWalked: ['add'],
    });
    expect(findings).toEqual([]);
  });
});
