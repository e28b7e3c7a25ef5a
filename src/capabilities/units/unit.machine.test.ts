import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { MACHINE as UNIT_MACHINE, type UnitStatus } from './unit.machine.ts';
import {
  EIDO_UNIT_STATUS,
  UNIT_MOVE_EVENTS,
  UNIT_STATUSES,
  UnitMoveRefused,
  fleetUnitMovesFrom,
  moveUnit,
  nextUnitState,
  reportedUnitMovesFrom,
  unitRow,
  unitState,
  type UnitMove,
  type UnitRefusal,
  type UnitState,
} from './unit.machine.ts';

const A = 'incident-a';
const B = 'incident-b';

const S: Record<string, UnitState> = {
  new: { status: 'new' },
  available: { status: 'available' },
  dispatched: { status: 'dispatched', incidentId: A },
  en_route: { status: 'en_route', incidentId: A },
  on_scene: { status: 'on_scene', incidentId: A },
  returning: { status: 'returning' },
  unavailable: { status: 'unavailable', reason: 'refuelling' },
  off_duty: { status: 'off_duty' },
  retired: { status: 'retired' },
};

const MOVES: Record<string, UnitMove> = {
  create: { type: 'create' },
  'dispatch to A': { type: 'dispatch', incidentId: A },
  'dispatch to B': { type: 'dispatch', incidentId: B },
  en_route: { type: 'en_route' },
  on_scene: { type: 'on_scene' },
  clear: { type: 'clear' },
  available: { type: 'available' },
  unavailable: { type: 'unavailable', reason: 'vehicle fault' },
  'unavailable, no reason': { type: 'unavailable', reason: '  ' },
  off_duty: { type: 'off_duty' },
  retire: { type: 'retire' },
  reinstate: { type: 'reinstate' },
};

const TO_A: UnitState = { status: 'dispatched', incidentId: A };
const TO_B: UnitState = { status: 'dispatched', incidentId: B };
const FAULT: UnitState = { status: 'unavailable', reason: 'vehicle fault' };
type Outcome = string | UnitState;
const committed = (onward: { en_route: Outcome; on_scene: Outcome }): Record<string, Outcome> => ({
  create: 'exists',
  'dispatch to A': 'committed',
  'dispatch to B': 'committed',
  ...onward,
  clear: 'returning',
  available: 'committed',
  unavailable: 'committed',
  'unavailable, no reason': 'no_reason',
  off_duty: 'committed',
  retire: 'committed',
  reinstate: 'not_retired',
});

/** Every state against every move: the state it leads to (by name or value), or the refusal. */
const TABLE: Record<string, Record<string, Outcome>> = {
  new: Object.fromEntries(Object.keys(MOVES).map((m) => [m, m === 'create' ? 'available' : 'not_stored'])),
  available: { create: 'exists', 'dispatch to A': TO_A, 'dispatch to B': TO_B, en_route: 'not_committed', on_scene: 'not_committed', clear: 'not_committed', available: 'already', unavailable: FAULT, 'unavailable, no reason': 'no_reason', off_duty: 'off_duty', retire: 'not_ready', reinstate: 'not_retired' },
  dispatched: committed({ en_route: 'en_route', on_scene: 'on_scene' }),
  en_route: committed({ en_route: 'already', on_scene: 'on_scene' }),
  on_scene: committed({ en_route: 'not_committed', on_scene: 'already' }),
  returning: { create: 'exists', 'dispatch to A': TO_A, 'dispatch to B': TO_B, en_route: 'not_committed', on_scene: 'not_committed', clear: 'not_committed', available: 'available', unavailable: FAULT, 'unavailable, no reason': 'no_reason', off_duty: 'off_duty', retire: 'not_ready', reinstate: 'not_retired' },
  unavailable: { create: 'exists', 'dispatch to A': 'not_ready', 'dispatch to B': 'not_ready', en_route: 'not_committed', on_scene: 'not_committed', clear: 'not_committed', available: 'available', unavailable: FAULT, 'unavailable, no reason': 'no_reason', off_duty: 'off_duty', retire: 'not_ready', reinstate: 'not_retired' },
  off_duty: { create: 'exists', 'dispatch to A': 'not_ready', 'dispatch to B': 'not_ready', en_route: 'not_committed', on_scene: 'not_committed', clear: 'not_committed', available: 'available', unavailable: 'not_ready', 'unavailable, no reason': 'no_reason', off_duty: 'already', retire: 'retired', reinstate: 'not_retired' },
  // Retired for good unless reinstated, and then off duty: booked on by the control room, not here.
  retired: { ...Object.fromEntries(Object.keys(MOVES).map((m) => [m, 'is_retired'])), create: 'exists', retire: 'already', reinstate: 'off_duty' },
};

describe('the unit machine', () => {
  for (const [stateName, row] of Object.entries(TABLE)) {
    for (const [moveName, outcome] of Object.entries(row)) {
      const state = S[stateName] as UnitState;
      const move = MOVES[moveName] as UnitMove;
      const expected: UnitRefusal | UnitState = typeof outcome === 'string' ? ((S[outcome] ?? outcome) as UnitRefusal | UnitState) : outcome;
      it(`${stateName} × ${moveName} → ${typeof expected === 'string' ? `refused (${expected})` : expected.status}`, () => {
        const next = nextUnitState(state, move);
        if (typeof expected === 'string') {
          expect(next).toBeInstanceOf(UnitMoveRefused);
          expect((next as UnitMoveRefused).refusal).toBe(expected);
          expect(() => moveUnit(state, move)).toThrow(UnitMoveRefused);
        } else {
          expect(next).toEqual(expected);
          expect(moveUnit(state, move).event).toBe(UNIT_MOVE_EVENTS[move.type]);
        }
      });
    }
  }

  it('covers every state and every move', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(S).sort());
    for (const row of Object.values(TABLE)) expect(Object.keys(row).sort()).toEqual(Object.keys(MOVES).sort());
  });

  it('a dispatcher is told which incident holds the unit', () => {
    expect(nextUnitState(S.dispatched as UnitState, { type: 'dispatch', incidentId: A })).toMatchObject({ message: 'this unit is already committed to this incident' });
    expect(nextUnitState(S.on_scene as UnitState, { type: 'dispatch', incidentId: B })).toMatchObject({ message: 'this unit is on scene at another incident; clear it first' });
  });

  it('refuses an unavailable unit the reason it already has, and takes another', () => {
    const refuelling: UnitState = { status: 'unavailable', reason: 'refuelling' };
    const same = nextUnitState(refuelling, { type: 'unavailable', reason: ' refuelling ' });
    expect(same).toBeInstanceOf(UnitMoveRefused);
    expect(same instanceof UnitMoveRefused && same.refusal).toBe('already');
    expect(nextUnitState(refuelling, { type: 'unavailable', reason: 'vehicle fault' })).toEqual({ status: 'unavailable', reason: 'vehicle fault' });
  });

  it('tells a dispatcher to choose another unit than a retired one, and says how to retire a unit still at work', () => {
    expect(nextUnitState(S.retired as UnitState, { type: 'dispatch', incidentId: A })).toMatchObject({ message: 'this unit is retired; choose another unit' });
    expect(nextUnitState(S.retired as UnitState, { type: 'available' })).toMatchObject({ message: 'this unit is retired; reinstate it first' });
    expect(nextUnitState(S.en_route as UnitState, { type: 'retire' })).toMatchObject({ message: 'this unit is committed to an incident; clear it and book it off duty, then retire it' });
    expect(nextUnitState(S.available as UnitState, { type: 'retire' })).toMatchObject({ message: 'this unit is available; book it off duty, then retire it' });
  });

  it('reads and writes rows', () => {
    for (const state of Object.values(S)) {
      if (state.status === 'new') continue;
      expect(unitState(unitRow(state))).toEqual(state);
    }
  });

  it('maps every status to one EIDO unit status', () => {
    expect(Object.keys(EIDO_UNIT_STATUS).sort()).toEqual([...UNIT_STATUSES].sort());
    // EIDO has no retired unit: it is out of service, as an unavailable one is; the others are all distinct.
    expect(EIDO_UNIT_STATUS.retired).toBe(EIDO_UNIT_STATUS.unavailable);
    expect(new Set(Object.values(EIDO_UNIT_STATUS)).size).toBe(UNIT_STATUSES.length - 1);
  });

  it('lists the moves a unit may report next, as the machine allows them', () => {
    const listed = Object.fromEntries(Object.entries(S).map(([name, state]) => [name, reportedUnitMovesFrom(state)]));
    expect(listed).toEqual({
      new: [],
      available: ['unavailable', 'off_duty'],
      dispatched: ['en_route', 'on_scene', 'clear'],
      en_route: ['on_scene', 'clear'],
      on_scene: ['clear'],
      returning: ['available', 'unavailable', 'off_duty'],
      unavailable: ['available', 'unavailable', 'off_duty'],
      off_duty: ['available'],
      retired: [],
    });
    expect(fleetUnitMovesFrom(S.off_duty as UnitState)).toEqual(['retire']);
    expect(fleetUnitMovesFrom(S.retired as UnitState)).toEqual(['reinstate']);
    expect(fleetUnitMovesFrom(S.available as UnitState)).toEqual([]);
    expect(fleetUnitMovesFrom(S.on_scene as UnitState)).toEqual([]);
  });
});

describe("a unit's description", () => {
  it('is-described-as-it-moves', () => {
    const samples: Record<UnitMove['type'], readonly UnitMove[]> = {
      create: [{ type: 'create' }],
      dispatch: [{ type: 'dispatch', incidentId: A }, { type: 'dispatch', incidentId: B }],
      en_route: [{ type: 'en_route' }],
      on_scene: [{ type: 'on_scene' }],
      clear: [{ type: 'clear' }],
      available: [{ type: 'available' }],
      unavailable: [{ type: 'unavailable', reason: 'refuelling' }, { type: 'unavailable', reason: 'repairs' }],
      off_duty: [{ type: 'off_duty' }],
      retire: [{ type: 'retire' }],
      reinstate: [{ type: 'reinstate' }],
    };
    const states = Object.fromEntries(['new', ...UNIT_STATUSES].map((status) => [status, Object.values(S).filter((state) => state.status === status)])) as Record<UnitStatus | 'new', UnitState[]>;
    const findings = machineDisagreements(UNIT_MACHINE, {
      states,
      moves: samples,
      apply: (state: UnitState, move: UnitMove) => {
        const to = nextUnitState(state, move);
        return to instanceof UnitMoveRefused ? null : { to: to.status, event: UNIT_MOVE_EVENTS[move.type] };
      },
    });
    expect(findings).toEqual([]);
  });
});
