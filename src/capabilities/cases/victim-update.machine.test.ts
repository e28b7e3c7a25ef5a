import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { MACHINE as VICTIM_UPDATE_MACHINE, VICTIM_UPDATE_SWEEP_MOVE_EVENTS } from './victim-update.machine.ts';
import { VICTIM_UPDATE_MOVES, VICTIM_UPDATE_STATES, VictimUpdateMoveRefused, moveVictimUpdate, victimUpdateState, type VictimUpdateMove, type VictimUpdateState } from './victim-update.machine.ts';

/** Every state against every move: the state it leads to, or the refusal's code. */
const TABLE: Record<VictimUpdateState, Record<VictimUpdateMove, VictimUpdateState | VictimUpdateMoveRefused['refusal']>> = {
  open: { retime: 'open', withdraw: 'withdrawn' },
  breached: { retime: 'breached', withdraw: 'withdrawn' },
  met: { retime: 'met', withdraw: 'met' },
  withdrawn: { retime: 'withdrawn', withdraw: 'withdrawn' },
};

describe("a Victims' Code clock's machine", () => {
  for (const state of VICTIM_UPDATE_STATES) {
    for (const move of VICTIM_UPDATE_MOVES) {
      it(`${state} × ${move}`, () => {
        const result = moveVictimUpdate(state, move);
        const expected = TABLE[state][move];
        if (result instanceof VictimUpdateMoveRefused) expect(result.refusal).toBe(expected);
        else {
          expect(result.to).toBe(expected);
          expect(result.event).toBe(move === 'retime' ? 'case.victim_update_retimed' : 'case.victim_update_withdrawn');
        }
      });
    }
  }

  it('reads a stored clock: withdrawn before met, met before breached', () => {
    const at = new Date('2026-03-02T10:00:00Z');
    expect(victimUpdateState({ satisfied_at: null, how: null, breached_at: null })).toBe('open');
    expect(victimUpdateState({ satisfied_at: null, how: null, breached_at: at })).toBe('breached');
    expect(victimUpdateState({ satisfied_at: at, how: 'phone', breached_at: at })).toBe('met');
    expect(victimUpdateState({ satisfied_at: at, how: 'withdrawn', breached_at: at })).toBe('withdrawn');
  });
});

describe("a Victims' Code clock's description", () => {
  it('is-described-as-it-moves', () => {
    const findings = machineDisagreements(VICTIM_UPDATE_MACHINE, {
      states: { new: [], open: ['open'], met: ['met'], breached: ['breached'], withdrawn: ['withdrawn'] },
      moves: { retime: ['retime'], withdraw: ['withdraw'] },
      apply: (state: VictimUpdateState, move: VictimUpdateMove) => {
        const result = moveVictimUpdate(state, move);
        return result instanceof VictimUpdateMoveRefused ? null : result;
      },
      // The sweep's and journeys' moves are set-based statements (victim-updates.jobs.ts).
      notWalked: Object.keys(VICTIM_UPDATE_SWEEP_MOVE_EVENTS),
    });
    expect(findings).toEqual([]);
  });
});
