import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';
import type { ResponseClockKind } from './response-clock.schema.ts';

/**
 * A response clock's state machine (one countdown of one incident, a row of `response_clocks`).
 * Pure. A clock starts running (or breached, when a regrade carries a missed target onto it),
 * warns at its warning point, breaches at its due time, and stops when the incident moves so that
 * it no longer runs: met, when the milestone it measures (the first dispatch for deploy, the first
 * unit on scene for arrive) is reached before it breached; missed, when it stops breached; stopped,
 * when a regrade or the incident's end stops it unbreached, or its breach moved to the clock a
 * regrade started. Once stopped it moves no more: a check that finds it so does nothing.
 *
 * Its own events are `incident.clock_started`, `incident.clock_warning` and
 * `incident.clock_breached`. A stop has no event of its own: it happens in the transaction of the
 * incident's move (or regrade) that stops it, and that move's one event is the stop's.
 */

export type ResponseClockState = 'running' | 'warned' | 'breached' | 'met' | 'missed' | 'stopped';
export const RESPONSE_CLOCK_STATES = ['running', 'warned', 'breached', 'met', 'missed', 'stopped'] as const satisfies readonly ResponseClockState[];
const STOPPED_STATES: readonly ResponseClockState[] = ['met', 'missed', 'stopped'];

/** What moved the incident so that its countdown stops. */
export const CLOCK_STOP_CAUSES = ['dispatched', 'arrived', 'regraded', 'resolved', 'closed', 'cancelled', 'resolved_without_deployment', 'stood_down'] as const;
export type ClockStopCause = (typeof CLOCK_STOP_CAUSES)[number];

/** Each cause's event, which records the stop too. */
export const CLOCK_STOP_EVENTS = {
  dispatched: 'incident.dispatched',
  arrived: 'incident.unit_on_scene',
  regraded: 'incident.regraded',
  resolved: 'incident.resolved',
  closed: 'incident.closed',
  cancelled: 'incident.cancelled',
  resolved_without_deployment: 'incident.resolved_without_deployment',
  // Milestones are never undone, so a stand-down stops a clock only when the force's targets
  // changed under it (an arrival target taken away).
  stood_down: 'incident.unit_cleared',
} as const satisfies Record<ClockStopCause, string>;

/** How a stop is stored (`response_clocks.stop_reason`): every ending of the incident is `ended`. */
export type ClockStopReason = 'dispatched' | 'arrived' | 'regraded' | 'ended';
export const CLOCK_STOP_REASONS = {
  dispatched: 'dispatched',
  arrived: 'arrived',
  regraded: 'regraded',
  resolved: 'ended',
  closed: 'ended',
  cancelled: 'ended',
  resolved_without_deployment: 'ended',
  stood_down: 'ended',
} as const satisfies Record<ClockStopCause, ClockStopReason>;

export type ResponseClockMove =
  /** A countdown starts; `carriesBreach`: a regrade past a target already missed moved that breach onto it. */
  | { type: 'start'; carriesBreach: boolean }
  /** Its warning point passed while it ran. */
  | { type: 'warn' }
  /** Its due time passed while it ran: the target was missed. */
  | { type: 'breach' }
  /** The incident moved so that this countdown no longer runs. */
  | { type: 'stop'; cause: ClockStopCause; kind: ResponseClockKind }
  /** Stopped by a regrade, its breach moved to the clock the regrade started (one missed target, one breach). */
  | { type: 'hand_over_breach' };

export const RESPONSE_CLOCK_MOVE_EVENTS = {
  start: 'incident.clock_started',
  warn: 'incident.clock_warning',
  breach: 'incident.clock_breached',
  hand_over_breach: 'incident.clock_started',
} as const satisfies Record<Exclude<ResponseClockMove['type'], 'stop'>, string>;

export type ResponseClockEvent = (typeof RESPONSE_CLOCK_MOVE_EVENTS)[keyof typeof RESPONSE_CLOCK_MOVE_EVENTS] | (typeof CLOCK_STOP_EVENTS)[ClockStopCause];

/** The name of a stop's move in the description: one for each cause, each with its one event. */
export const stopMoveName = (cause: ClockStopCause) => `stop_${cause}` as const;

const STOPPABLE: ResponseClockState[] = ['running', 'warned', 'breached'];
const stopMoves = Object.fromEntries(
  CLOCK_STOP_CAUSES.map((cause): [string, MoveDescription<ResponseClockState | 'new'>] => [
    stopMoveName(cause),
    { from: STOPPABLE, to: cause === 'dispatched' || cause === 'arrived' ? ['met', 'stopped', 'missed'] : ['stopped', 'missed'], event: CLOCK_STOP_EVENTS[cause] },
  ]),
);

/**
 * The machine as the house test reads it. A stop met is one by the milestone its kind measures (a
 * deploy clock's by the first dispatch); a deploy clock cannot be met by an arrival, nor an
 * arrival clock by a dispatch.
 */
export const MACHINE = describeMachine({
  states: ['new', ...RESPONSE_CLOCK_STATES],
  initial: ['new'],
  moves: {
    start: { from: ['new'], to: ['running', 'breached'], event: RESPONSE_CLOCK_MOVE_EVENTS.start },
    warn: { from: ['running'], to: ['warned'], event: RESPONSE_CLOCK_MOVE_EVENTS.warn },
    breach: { from: ['running', 'warned'], to: ['breached'], event: RESPONSE_CLOCK_MOVE_EVENTS.breach },
    ...stopMoves,
    hand_over_breach: { from: ['missed'], to: ['stopped'], event: RESPONSE_CLOCK_MOVE_EVENTS.hand_over_breach },
  },
  // The incident's own events and its clocks' share the prefix: each machine lists its own.
  owns: ['incident.'],
  otherEvents: {},
});

/** Why a move was refused: stable, for code and tests. */
export type ResponseClockRefusal = 'exists' | 'not_started' | 'warned' | 'breached' | 'stopped' | 'not_missed';

export class ResponseClockMoveRefused extends MoveRefused<ResponseClockRefusal> {
  override name = 'ResponseClockMoveRefused';
}

/** The state of a stored clock, from its row. */
export function responseClockState(row: {
  kind: ResponseClockKind;
  stopped_at: Date | null;
  stop_reason: ClockStopReason | null;
  warned_at: Date | null;
  breached_at: Date | null;
}): ResponseClockState {
  if (row.stopped_at) {
    if (row.breached_at) return 'missed';
    return row.stop_reason === milestoneOf(row.kind) ? 'met' : 'stopped';
  }
  if (row.breached_at) return 'breached';
  return row.warned_at ? 'warned' : 'running';
}

function milestoneOf(kind: ResponseClockKind): 'dispatched' | 'arrived' {
  return kind === 'deploy' ? 'dispatched' : 'arrived';
}

/**
 * Where a move leads and its one event, or why not. A clock warns once, and only while it runs
 * unbreached; it breaches once, and only while it runs; a stopped clock (met, missed or stopped)
 * neither warns, breaches nor stops again. Never throws.
 */
export function nextResponseClockState(state: ResponseClockState | 'new', move: ResponseClockMove): { to: ResponseClockState; event: ResponseClockEvent } | ResponseClockMoveRefused {
  if (move.type === 'start') {
    if (state !== 'new') return new ResponseClockMoveRefused('exists', 'this countdown has already started');
    return { to: move.carriesBreach ? 'breached' : 'running', event: RESPONSE_CLOCK_MOVE_EVENTS.start };
  }
  if (state === 'new') return new ResponseClockMoveRefused('not_started', 'this countdown has not started');
  if (move.type === 'hand_over_breach') {
    return state === 'missed' ? { to: 'stopped', event: RESPONSE_CLOCK_MOVE_EVENTS.hand_over_breach } : new ResponseClockMoveRefused('not_missed', 'only a stopped countdown that missed its target can hand its breach on');
  }
  if (STOPPED_STATES.includes(state)) return new ResponseClockMoveRefused('stopped', 'this countdown has stopped');
  switch (move.type) {
    case 'warn':
      if (state === 'breached') return new ResponseClockMoveRefused('breached', 'this countdown is past its target already');
      if (state === 'warned') return new ResponseClockMoveRefused('warned', 'this countdown has warned already');
      return { to: 'warned', event: RESPONSE_CLOCK_MOVE_EVENTS.warn };
    case 'breach':
      if (state === 'breached') return new ResponseClockMoveRefused('breached', 'this countdown is past its target already');
      return { to: 'breached', event: RESPONSE_CLOCK_MOVE_EVENTS.breach };
    case 'stop':
      if (state === 'breached') return { to: 'missed', event: CLOCK_STOP_EVENTS[move.cause] };
      return { to: CLOCK_STOP_REASONS[move.cause] === milestoneOf(move.kind) ? 'met' : 'stopped', event: CLOCK_STOP_EVENTS[move.cause] };
  }
}
