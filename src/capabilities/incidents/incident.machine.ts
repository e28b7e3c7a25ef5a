import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';

/**
 * The incident's state machine. Pure: it reads nothing and writes nothing. An incident is open
 * until a unit is dispatched; it then follows the furthest unit still committed (dispatched, en
 * route, on scene), and is open again, needing a unit, when the last one stands down (decision
 * 0060); it is resolved once the job is done, and closed with a closing code. Two other endings close it
 * with a code too: cancelled (no longer needed, whatever was sent) and resolved without
 * deployment (dealt with before any unit went). Until it ends, its details may be corrected
 * (`update`), which leaves its status as it is. Each move appends exactly one event type.
 */

/** How an incident ended, with the force's closing code. */
export type IncidentEnding = 'closed' | 'cancelled' | 'resolved_without_deployment';

export type IncidentState =
  | { status: 'new' }
  | { status: 'open' | 'dispatched' | 'en_route' | 'on_scene' | 'resolved' }
  | { status: IncidentEnding; closingCode: string };

export type IncidentStatus = Exclude<IncidentState['status'], 'new'>;
export const INCIDENT_STATUSES = ['open', 'dispatched', 'en_route', 'on_scene', 'resolved', 'closed', 'cancelled', 'resolved_without_deployment'] as const satisfies readonly IncidentStatus[];

export type IncidentMove =
  /** It is recorded, from contacts or directly. */
  | { type: 'create' }
  /** One or more units are committed to it. Again later for more units. */
  | { type: 'dispatch' }
  /** A unit committed to it set off. */
  | { type: 'unit_en_route' }
  /** A unit committed to it arrived. */
  | { type: 'unit_on_scene' }
  /** A unit committed to it cleared (stood down, or left) before the job was done; `furthest` is how far the units still committed have got, null when none is. */
  | { type: 'unit_cleared'; furthest: UnitProgress | null }
  /** The job is done; the units clear. `unitsSentBefore`: a unit was committed once, though none is now. */
  | { type: 'resolve'; unitsSentBefore?: boolean }
  /** A resolved incident is closed with its closing code. */
  | { type: 'close'; closingCode: string }
  /** It is no longer needed (a duplicate, a hoax, called off), whatever was sent. */
  | { type: 'cancel'; closingCode: string }
  /** Dealt with before any unit went (advice by phone, a referral). `unitsSentBefore` as for resolve. */
  | { type: 'resolve_without_deployment'; closingCode: string; unitsSentBefore?: boolean }
  /** What it is corrected as information arrives (type, summary, capabilities needed); its status stays. */
  | { type: 'update' };

/** How far a committed unit has got. */
export type UnitProgress = 'dispatched' | 'en_route' | 'on_scene';

export const INCIDENT_MOVE_EVENTS = {
  create: 'incident.created',
  dispatch: 'incident.dispatched',
  unit_en_route: 'incident.unit_en_route',
  unit_on_scene: 'incident.unit_on_scene',
  unit_cleared: 'incident.unit_cleared',
  resolve: 'incident.resolved',
  close: 'incident.closed',
  cancel: 'incident.cancelled',
  resolve_without_deployment: 'incident.resolved_without_deployment',
  update: 'incident.updated',
} as const satisfies Record<IncidentMove['type'], string>;

export type IncidentMoveEvent = (typeof INCIDENT_MOVE_EVENTS)[IncidentMove['type']];

/** An incident a unit is committed to, by how far the furthest has got. */
const COMMITTED = ['dispatched', 'en_route', 'on_scene'] as const satisfies readonly IncidentStatus[];
const incidentMove = (from: readonly (IncidentStatus | 'new')[], to: readonly IncidentStatus[] | 'same', move: IncidentMove['type']): MoveDescription<IncidentStatus | 'new'> => ({
  from,
  to,
  event: INCIDENT_MOVE_EVENTS[move],
});

/**
 * The machine as the house test reads it. An open incident is resolved only when a unit was sent
 * once and has stood down since (`unitsSentBefore`).
 */
export const MACHINE = describeMachine({
  states: ['new', ...INCIDENT_STATUSES],
  initial: ['new'],
  moves: {
    create: incidentMove(['new'], ['open'], 'create'),
    dispatch: incidentMove(['open', ...COMMITTED], COMMITTED, 'dispatch'),
    unit_en_route: incidentMove(COMMITTED, ['en_route', 'on_scene'], 'unit_en_route'),
    unit_on_scene: incidentMove(COMMITTED, ['on_scene'], 'unit_on_scene'),
    unit_cleared: incidentMove(COMMITTED, ['open', ...COMMITTED], 'unit_cleared'),
    resolve: incidentMove(['open', ...COMMITTED], ['resolved'], 'resolve'),
    close: incidentMove(['resolved'], ['closed'], 'close'),
    cancel: incidentMove(['open', ...COMMITTED], ['cancelled'], 'cancel'),
    resolve_without_deployment: incidentMove(['open'], ['resolved_without_deployment'], 'resolve_without_deployment'),
    update: incidentMove(['open', ...COMMITTED, 'resolved'], 'same', 'update'),
  } satisfies Record<IncidentMove['type'], MoveDescription<IncidentStatus | 'new'>>,
  owns: ['incident.'],
  otherEvents: {
    'incident.contact_linked': 'a contact was linked to it: what it is about, not where it stands',
    'incident.contact_unlinked': 'a contact linked by mistake was unlinked: what it is about, not where it stands',
    'incident.merged': "said on the incident kept: the duplicate's own move is `incident.cancelled` (as merged)",
    'incident.location_set': 'where it is, not where it stands',
    'incident.note_added': 'a note on its running log',
    // Its response clocks have their own machine (response-clock.machine.ts), whose moves name
    // `incident.clock_*` and `incident.regraded` (a regrade's stop of the running clock).
  },
});
export type IncidentTransition<E extends IncidentMoveEvent = IncidentMoveEvent> = { from: IncidentState; to: IncidentState; event: E };
type EventOf<M extends IncidentMove> = (typeof INCIDENT_MOVE_EVENTS)[M['type']];

/** Why a move was refused: stable, for code and tests; the message is for the dispatcher. */
export type IncidentRefusal = 'exists' | 'not_stored' | 'finished' | 'not_dispatched' | 'not_resolved' | 'deployed' | 'already_resolved';

/** A move the machine refuses: a 409 `conflict` whose message says what to do instead. */
export class IncidentMoveRefused extends MoveRefused<IncidentRefusal> {
  override name = 'IncidentMoveRefused';
}

/** The statuses of an incident no longer being worked: the one list every query of live incidents uses. */
export const INCIDENT_ENDINGS = ['closed', 'cancelled', 'resolved_without_deployment'] as const satisfies readonly IncidentEnding[];
const ENDINGS = new Set<string>(INCIDENT_ENDINGS);

/** Whether a stored status is an ending (closed, cancelled or resolved without deployment). */
export function isIncidentEnding(status: string): boolean {
  return ENDINGS.has(status);
}
/** How far units have got, so a later unit's report never moves the incident back. */
const PROGRESS: Record<string, number> = { dispatched: 1, en_route: 2, on_scene: 3 };

/** The state of a stored incident, from its row. */
export function incidentState(row: { status: IncidentStatus; closing_code: string | null }): IncidentState {
  if (ENDINGS.has(row.status)) return { status: row.status as IncidentEnding, closingCode: row.closing_code ?? '' };
  return { status: row.status as 'open' | 'dispatched' | 'en_route' | 'on_scene' | 'resolved' };
}

/** The columns a state gives the incident's row. */
export function incidentRow(state: IncidentState): { status: IncidentStatus; closing_code: string | null } {
  if (state.status === 'new') throw new Error('an incident not yet created has no row');
  return { status: state.status, closing_code: 'closingCode' in state ? state.closingCode : null };
}

/** Whether the incident is still being worked (not closed, cancelled or resolved without deployment). */
export function isIncidentLive(state: IncidentState): boolean {
  return state.status !== 'new' && !ENDINGS.has(state.status);
}

/** Refuses work (linking a contact, adding a note) on an incident that has ended. */
export function requireLiveIncident(state: IncidentState, work: string): void {
  if (state.status === 'new') throw new IncidentMoveRefused('not_stored', 'this incident has not been stored yet');
  if (!isIncidentLive(state)) throw new IncidentMoveRefused('finished', `this incident has ended (${state.status.replaceAll('_', ' ')}); create a new one rather than ${work}`);
}

/**
 * Refuses taking more work in (a duplicate merged into it) once the job is done: resolved, or
 * ended. Notes and links still go on a resolved incident while it waits to be closed.
 */
export function requireUnfinishedIncident(state: IncidentState, work: string): void {
  requireLiveIncident(state, work);
  if (state.status === 'resolved') throw new IncidentMoveRefused('already_resolved', `this incident is resolved; close it, and create a new one rather than ${work}`);
}

function follow(state: IncidentState, to: UnitProgress): IncidentState {
  return (PROGRESS[state.status] ?? 0) >= (PROGRESS[to] ?? 0) ? state : { status: to };
}

/** The furthest of the units' progress, or null for none. */
export function furthestProgress(statuses: readonly string[]): UnitProgress | null {
  const ranked = statuses.filter((status): status is UnitProgress => status in PROGRESS).sort((x, y) => (PROGRESS[y] ?? 0) - (PROGRESS[x] ?? 0));
  return ranked[0] ?? null;
}

/** The state a move leads to, or the refusal. Never throws. */
export function nextIncidentState(state: IncidentState, move: IncidentMove): IncidentState | IncidentMoveRefused {
  if (move.type === 'create') return state.status === 'new' ? { status: 'open' } : new IncidentMoveRefused('exists', 'this incident already exists');
  if (state.status === 'new') return new IncidentMoveRefused('not_stored', 'this incident has not been stored yet');
  if (ENDINGS.has(state.status)) return new IncidentMoveRefused('finished', `this incident has ended (${state.status.replaceAll('_', ' ')}); create a new one if there is more to do`);
  // Sent once, though stood down since: it may be resolved, and was not dealt with without deployment.
  const deployed = state.status !== 'open' || ('unitsSentBefore' in move && move.unitsSentBefore === true);
  switch (move.type) {
    case 'update':
      // Corrected while it is worked, a resolved one too (what attended found often reclassifies
      // it before it is closed); an ended one is the record of what was, and stays as it ended.
      return state;
    case 'dispatch':
      return state.status === 'resolved' ? new IncidentMoveRefused('already_resolved', 'this incident is resolved; close it, or create a new one') : follow(state, 'dispatched');
    case 'unit_en_route':
    case 'unit_on_scene':
      if (!deployed) return new IncidentMoveRefused('not_dispatched', 'no unit has been dispatched to this incident; dispatch one first');
      if (state.status === 'resolved') return new IncidentMoveRefused('already_resolved', 'this incident is resolved; its units are clearing');
      return follow(state, move.type === 'unit_en_route' ? 'en_route' : 'on_scene');
    case 'unit_cleared':
      // Unlike a report of progress, a unit leaving may move the incident back: to the furthest
      // unit still going, or to open (needing a unit) when none is.
      if (state.status === 'open') return new IncidentMoveRefused('not_dispatched', 'no unit is committed to this incident');
      if (state.status === 'resolved') return new IncidentMoveRefused('already_resolved', 'this incident is resolved; its units are clearing');
      return move.furthest ? { status: move.furthest } : { status: 'open' };
    case 'resolve':
      if (state.status === 'resolved') return new IncidentMoveRefused('already_resolved', 'this incident is already resolved');
      return deployed ? { status: 'resolved' } : new IncidentMoveRefused('not_dispatched', 'no unit was sent; resolve it without deployment, or cancel it');
    case 'close':
      return state.status === 'resolved' ? { status: 'closed', closingCode: move.closingCode } : new IncidentMoveRefused('not_resolved', 'this incident is not resolved yet; resolve it, or cancel it');
    case 'cancel':
      return state.status === 'resolved' ? new IncidentMoveRefused('already_resolved', 'this incident is resolved; close it instead') : { status: 'cancelled', closingCode: move.closingCode };
    case 'resolve_without_deployment':
      return deployed ? new IncidentMoveRefused('deployed', 'a unit has been dispatched to this incident; resolve or cancel it instead') : { status: 'resolved_without_deployment', closingCode: move.closingCode };
  }
}

/** Applies one move: the new state and the event type to append, or throws the refusal. */
export function moveIncident<M extends IncidentMove>(state: IncidentState, move: M): IncidentTransition<EventOf<M>> {
  const to = nextIncidentState(state, move);
  if (to instanceof IncidentMoveRefused) throw to;
  // Indexing by a generic key widens to every event type; the move's own type picks exactly one.
  const event = INCIDENT_MOVE_EVENTS[move.type] as EventOf<M>;
  return { from: state, to, event };
}
