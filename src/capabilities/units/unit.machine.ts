import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';

/**
 * A unit's status machine. Pure. A unit is available, committed to one incident (dispatched, en
 * route, on scene), returning once clear, unavailable with a reason, or off duty. Committing a
 * unit that is already committed is refused here (diverting it is a later, recorded move); the
 * database holds the same rule for two dispatchers at once (one active assignment per unit). A unit
 * off duty may be retired (sold, written off, its call sign disbanded): it makes no other move
 * until reinstated, and then it is off duty again (decision 0086).
 */

export type UnitState =
  | { status: 'new' }
  | { status: 'available' | 'returning' | 'off_duty' | 'retired' }
  | { status: 'dispatched' | 'en_route' | 'on_scene'; incidentId: string }
  | { status: 'unavailable'; reason: string };

export type UnitStatus = Exclude<UnitState['status'], 'new'>;
export const UNIT_STATUSES = ['available', 'dispatched', 'en_route', 'on_scene', 'returning', 'unavailable', 'off_duty', 'retired'] as const satisfies readonly UnitStatus[];

/**
 * The NENA EIDO unit status each of ours is exported as. Provisional: written from the EIDO
 * standard's descriptions, not yet checked value by value against the NENA registry (decision
 * 0021); the export must be validated against the official schema before it is relied on.
 */
export const EIDO_UNIT_STATUS: Record<UnitStatus, string> = {
  available: 'Available',
  dispatched: 'Dispatched',
  en_route: 'Enroute',
  on_scene: 'OnScene',
  returning: 'AvailableReturning',
  unavailable: 'OutOfService',
  off_duty: 'OffDuty',
  // EIDO has no retired unit: out of service, like one unavailable.
  retired: 'OutOfService',
};

export type UnitMove =
  /** The unit is added to the force's fleet, available. */
  | { type: 'create' }
  /** It is committed to an incident. */
  | { type: 'dispatch'; incidentId: string }
  | { type: 'en_route' }
  | { type: 'on_scene' }
  /** Clear of its incident (finished, stood down, or the incident ended): it returns. */
  | { type: 'clear' }
  /** Ready for work (back at base, booked on, repaired). */
  | { type: 'available' }
  | { type: 'unavailable'; reason: string }
  | { type: 'off_duty' }
  /** Taken out of the fleet for good (from off duty only): never recommended, sent or booked on. */
  | { type: 'retire' }
  /** A retired unit back in the fleet, off duty. */
  | { type: 'reinstate' };

export const UNIT_MOVE_EVENTS = {
  create: 'unit.created',
  dispatch: 'unit.dispatched',
  en_route: 'unit.en_route',
  on_scene: 'unit.on_scene',
  clear: 'unit.cleared',
  available: 'unit.available',
  unavailable: 'unit.unavailable',
  off_duty: 'unit.off_duty',
  retire: 'unit.retired',
  reinstate: 'unit.reinstated',
} as const satisfies Record<UnitMove['type'], string>;

export type UnitMoveEvent = (typeof UNIT_MOVE_EVENTS)[UnitMove['type']];

const unitMove = (from: readonly (UnitStatus | 'new')[], to: readonly UnitStatus[], move: UnitMove['type']): MoveDescription<UnitStatus | 'new'> => ({ from, to, event: UNIT_MOVE_EVENTS[move] });

/** The machine as the house test reads it. Booked unavailable again is a new reason. */
export const MACHINE = describeMachine({
  states: ['new', ...UNIT_STATUSES],
  initial: ['new'],
  moves: {
    create: unitMove(['new'], ['available'], 'create'),
    dispatch: unitMove(['available', 'returning'], ['dispatched'], 'dispatch'),
    en_route: unitMove(['dispatched'], ['en_route'], 'en_route'),
    on_scene: unitMove(['dispatched', 'en_route'], ['on_scene'], 'on_scene'),
    clear: unitMove(['dispatched', 'en_route', 'on_scene'], ['returning'], 'clear'),
    available: unitMove(['returning', 'unavailable', 'off_duty'], ['available'], 'available'),
    unavailable: unitMove(['available', 'returning', 'unavailable'], ['unavailable'], 'unavailable'),
    off_duty: unitMove(['available', 'returning', 'unavailable'], ['off_duty'], 'off_duty'),
    retire: unitMove(['off_duty'], ['retired'], 'retire'),
    reinstate: unitMove(['retired'], ['off_duty'], 'reinstate'),
  } satisfies Record<UnitMove['type'], MoveDescription<UnitStatus | 'new'>>,
  owns: ['unit.'],
  otherEvents: { 'unit.details_changed': 'its type, capabilities or home: what it is, not where it stands' },
});
export type UnitTransition<E extends UnitMoveEvent = UnitMoveEvent> = { from: UnitState; to: UnitState; event: E };
type EventOf<M extends UnitMove> = (typeof UNIT_MOVE_EVENTS)[M['type']];

export type UnitRefusal = 'exists' | 'not_stored' | 'committed' | 'not_committed' | 'not_ready' | 'already' | 'no_reason' | 'is_retired' | 'not_retired';

/** A move the machine refuses: a 409 `conflict` with a sentence the dispatcher can act on. */
export class UnitMoveRefused extends MoveRefused<UnitRefusal> {
  override name = 'UnitMoveRefused';
}

const COMMITTED = new Set<string>(['dispatched', 'en_route', 'on_scene']);

export function isUnitCommitted(state: UnitState): state is { status: 'dispatched' | 'en_route' | 'on_scene'; incidentId: string } {
  return COMMITTED.has(state.status);
}

/** The state of a stored unit, from its row. */
export function unitState(row: { status: UnitStatus; status_reason: string | null; incident_id: string | null }): UnitState {
  if (COMMITTED.has(row.status)) return { status: row.status as 'dispatched', incidentId: row.incident_id ?? '' };
  if (row.status === 'unavailable') return { status: 'unavailable', reason: row.status_reason ?? '' };
  return { status: row.status as 'available' };
}

/** The columns a state gives the unit's row. */
export function unitRow(state: UnitState): { status: UnitStatus; status_reason: string | null; incident_id: string | null } {
  if (state.status === 'new') throw new Error('a unit not yet created has no row');
  return {
    status: state.status,
    status_reason: state.status === 'unavailable' ? state.reason : null,
    incident_id: isUnitCommitted(state) ? state.incidentId : null,
  };
}

const WORDS: Record<UnitStatus, string> = {
  available: 'available',
  dispatched: 'dispatched to another incident',
  en_route: 'en route to another incident',
  on_scene: 'on scene at another incident',
  returning: 'returning',
  unavailable: 'unavailable',
  off_duty: 'off duty',
  retired: 'retired',
};

/** The state a move leads to, or the refusal. Never throws. */
export function nextUnitState(state: UnitState, move: UnitMove): UnitState | UnitMoveRefused {
  if (move.type === 'create') return state.status === 'new' ? { status: 'available' } : new UnitMoveRefused('exists', 'this unit already exists');
  if (state.status === 'new') return new UnitMoveRefused('not_stored', 'this unit has not been stored yet');
  const ready = state.status === 'available' || state.status === 'returning';
  if (move.type === 'reinstate') return state.status === 'retired' ? { status: 'off_duty' } : new UnitMoveRefused('not_retired', 'this unit is not retired');
  if (state.status === 'retired') {
    if (move.type === 'retire') return new UnitMoveRefused('already', 'this unit is already retired');
    return new UnitMoveRefused('is_retired', move.type === 'dispatch' ? 'this unit is retired; choose another unit' : 'this unit is retired; reinstate it first');
  }
  switch (move.type) {
    case 'dispatch':
      if (isUnitCommitted(state)) {
        return new UnitMoveRefused('committed', state.incidentId === move.incidentId ? 'this unit is already committed to this incident' : `this unit is ${WORDS[state.status]}; clear it first`);
      }
      return ready ? { status: 'dispatched', incidentId: move.incidentId } : new UnitMoveRefused('not_ready', `this unit is ${WORDS[state.status]}; make it available first`);
    case 'en_route':
      if (state.status === 'dispatched') return { status: 'en_route', incidentId: state.incidentId };
      return state.status === 'en_route' ? new UnitMoveRefused('already', 'this unit is already en route') : new UnitMoveRefused('not_committed', 'this unit is not dispatched to an incident');
    case 'on_scene':
      if (state.status === 'dispatched' || state.status === 'en_route') return { status: 'on_scene', incidentId: state.incidentId };
      return state.status === 'on_scene' ? new UnitMoveRefused('already', 'this unit is already on scene') : new UnitMoveRefused('not_committed', 'this unit is not dispatched to an incident');
    case 'clear':
      return isUnitCommitted(state) ? { status: 'returning' } : new UnitMoveRefused('not_committed', 'this unit is not committed to an incident');
    case 'available':
      if (state.status === 'available') return new UnitMoveRefused('already', 'this unit is already available');
      return isUnitCommitted(state) ? new UnitMoveRefused('committed', 'this unit is committed to an incident; clear it first') : { status: 'available' };
    case 'unavailable':
      if (move.reason.trim() === '') return new UnitMoveRefused('no_reason', 'say why the unit is unavailable');
      if (isUnitCommitted(state)) return new UnitMoveRefused('committed', 'this unit is committed to an incident; clear it first');
      if (state.status === 'off_duty') return new UnitMoveRefused('not_ready', 'this unit is off duty; book it on first');
      // The same reason again (a second press, two dispatchers at once) is no change to record.
      if (state.status === 'unavailable' && state.reason.trim() === move.reason.trim()) return new UnitMoveRefused('already', 'this unit is already unavailable for that reason');
      return { status: 'unavailable', reason: move.reason };
    case 'off_duty':
      if (state.status === 'off_duty') return new UnitMoveRefused('already', 'this unit is already off duty');
      return isUnitCommitted(state) ? new UnitMoveRefused('committed', 'this unit is committed to an incident; clear it first') : { status: 'off_duty' };
    case 'retire':
      if (isUnitCommitted(state)) return new UnitMoveRefused('committed', 'this unit is committed to an incident; clear it and book it off duty, then retire it');
      return state.status === 'off_duty' ? { status: 'retired' } : new UnitMoveRefused('not_ready', `this unit is ${WORDS[state.status]}; book it off duty, then retire it`);
  }
}

/** The moves a unit's crew, or a dispatcher for them, report (`POST /api/units/:id/status`). */
export const REPORTED_UNIT_MOVES = ['en_route', 'on_scene', 'clear', 'available', 'unavailable', 'off_duty'] as const satisfies readonly UnitMove['type'][];
export type ReportedUnitMove = (typeof REPORTED_UNIT_MOVES)[number];

/**
 * The reported moves the machine allows from this state, so a screen offers only those. Booking
 * unavailable again is allowed (a new reason) and is listed: any reason stands in for the one to come.
 */
export function reportedUnitMovesFrom(state: UnitState): ReportedUnitMove[] {
  return REPORTED_UNIT_MOVES.filter((type) => !(nextUnitState(state, type === 'unavailable' ? { type, reason: 'a reason' } : { type }) instanceof UnitMoveRefused));
}

/** The moves that take a unit out of the fleet or bring it back (`units:manage`). */
export const FLEET_UNIT_MOVES = ['retire', 'reinstate'] as const satisfies readonly UnitMove['type'][];
export type FleetUnitMove = (typeof FLEET_UNIT_MOVES)[number];

/** The fleet moves the machine allows from this state, so the Units page offers only those. */
export function fleetUnitMovesFrom(state: UnitState): FleetUnitMove[] {
  return FLEET_UNIT_MOVES.filter((type) => !(nextUnitState(state, { type }) instanceof UnitMoveRefused));
}

/** Applies one move: the new state and the event type to append, or throws the refusal. */
export function moveUnit<M extends UnitMove>(state: UnitState, move: M): UnitTransition<EventOf<M>> {
  const to = nextUnitState(state, move);
  if (to instanceof UnitMoveRefused) throw to;
  const event = UNIT_MOVE_EVENTS[move.type] as EventOf<M>;
  return { from: state, to, event };
}

/** Applies one move to the unit called `callSign`: a refusal is said about it by its call sign ("ZZ41 is off duty; ..."). */
export function moveNamedUnit<M extends UnitMove>(callSign: string, state: UnitState, move: M): UnitTransition<EventOf<M>> {
  try {
    return moveUnit(state, move);
  } catch (error) {
    if (error instanceof UnitMoveRefused) throw new UnitMoveRefused(error.refusal, error.message.replace(/^this unit/, callSign));
    throw error;
  }
}
