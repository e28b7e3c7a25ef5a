import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { MACHINE as VICTIM_UPDATE_MACHINE, VICTIM_UPDATE_SWEEP_MOVE_EVENTS } from './victim-update.machine.ts';
import { VICTIM_UPDATE_MOVES, VICTIM_UPDATE_MOVE_EVENTS, VICTIM_UPDATE_STATES, VictimUpdateMoveRefused, moveVictimUpdate, victimUpdateState, type VictimUpdateMove, type VictimUpdateState } from './victim-update.machine.ts';

/** Every state against every move: the state it leads to, or the refusal's code. */
const TABLE: Record<VictimUpdateState, Record<VictimUpdateMove, VictimUpdateState | VictimUpdateMoveRefused['refusal']>> = {
  open: { reassign: 'open', retime: 'open', withdraw: 'withdrawn' },
  breached: { reassign: 'breached', retime: 'breached', withdraw: 'withdrawn' },
  met: { reassign: 'met', retime: 'met', withdraw: 'met' },
  withdrawn: { reassign: 'withdrawn', retime: 'withdrawn', withdraw: 'withdrawn' },
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
          expect(result.event).toBe(VICTIM_UPDATE_MOVE_EVENTS[move]);
        }
      });
    }
  }

  it('re-times an open clock only: a breached one keeps its times when it moves to a victim (decision 0133)', () => {
    const retimed = (state: VictimUpdateState, move: VictimUpdateMove) => {
      const result = moveVictimUpdate(state, move);
      return result instanceof VictimUpdateMoveRefused ? null : result.isRetimed;
    };
    expect([retimed('open', 'retime'), retimed('open', 'reassign'), retimed('open', 'withdraw')]).toEqual([true, true, false]);
    expect([retimed('breached', 'retime'), retimed('breached', 'reassign'), retimed('breached', 'withdraw')]).toEqual([null, false, false]);
  });

  it('reads a clock past its due time, untold and not yet swept, as breached when given the time', () => {
    const due = new Date('2026-03-02T10:00:00Z');
    const row = { satisfied_at: null, how: null, breached_at: null, due_at: due };
    expect(victimUpdateState(row)).toBe('open');
    expect(victimUpdateState(row, new Date('2026-03-02T09:59:59Z'))).toBe('open');
    expect(victimUpdateState(row, due)).toBe('breached');
    expect(victimUpdateState({ ...row, satisfied_at: due, how: 'phone' }, new Date('2026-03-03T00:00:00Z'))).toBe('met');
  });

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
      moves: { reassign: ['reassign'], retime: ['retime'], withdraw: ['withdraw'] },
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
