import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine } from '../../platform/state-machine.ts';

/**
 * A supervisors' alert's state machine. Pure: it reads nothing and writes nothing. An alert is
 * raised open (a threat to life or a missed target on a contact, an incident's missed response
 * target, a case whose Victims' Code clocks could not be opened) and waits for a supervisor, who
 * acknowledges it once. The alert of an incident's missed target is also closed by the reason
 * being recorded, or by the incident being merged away (its response is measured where it went),
 * and it follows its breach to the clock a regrade carried the breach onto, open or closed.
 * The alert of a case whose clocks could not be opened is put right once the clocks are opened,
 * and stays for a supervisor to acknowledge (they should know the duties went unwatched for a
 * while); should they fail to open again before then, it is open again (decision 0128).
 * Acknowledged is final: nothing opens an alert again; what calls for one raises a new alert.
 * Nothing deletes alerts. Each move appends exactly one event type, which depends on what the
 * alert is about: the room that owns the subject records it (decision 0125).
 */

export const ALERT_KINDS = ['threat_to_life', 'sla_breach', 'response_breach', 'victim_updates_unopened'] as const;
export type AlertKindOfAny = (typeof ALERT_KINDS)[number];

/** `new`: not stored yet. `put_right`: what it was raised for is mended, and it waits for a supervisor. */
export const ALERT_STATUSES = ['new', 'open', 'put_right', 'acknowledged'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * Each move, the states it may start from, the state it leads to (`null`: the same) and, for each
 * kind of alert it applies to, the one event it appends.
 */
export const ALERT_MOVES = {
  /** Supervisors are alerted. */
  raise: {
    from: ['new'],
    to: 'open',
    events: { threat_to_life: 'alert.raised', sla_breach: 'alert.raised', response_breach: 'incident.clock_breached', victim_updates_unopened: 'case.victim_updates_not_opened' },
  },
  /** A supervisor acknowledges it, with an optional note. */
  acknowledge: {
    from: ['open', 'put_right'],
    to: 'acknowledged',
    events: {
      threat_to_life: 'alert.acknowledged',
      sla_breach: 'alert.acknowledged',
      response_breach: 'incident.breach_alert_acknowledged',
      victim_updates_unopened: 'case.victim_updates_alert_acknowledged',
    },
  },
  /** The reason a response target was missed is recorded: its alert has its answer. */
  close_with_reason: { from: ['open'], to: 'acknowledged', events: { response_breach: 'incident.breach_reason_recorded' } },
  /** The incident was merged into another, where its response is measured. */
  close_merged: { from: ['open'], to: 'acknowledged', events: { response_breach: 'incident.breach_alert_acknowledged' } },
  /** A regrade carried the missed target onto the clock it started: the alert goes with it. */
  follow_breach: { from: ['open', 'acknowledged'], to: null, events: { response_breach: 'incident.clock_started' } },
  /** The case's clocks were opened: its victims' updates are watched again, and a supervisor is still to acknowledge it. */
  put_right: { from: ['open'], to: 'put_right', events: { victim_updates_unopened: 'case.victim_updates_put_right' } },
  /** Put right but not yet acknowledged, the case's clocks could not be opened again. */
  fail_again: { from: ['put_right'], to: 'open', events: { victim_updates_unopened: 'case.victim_updates_not_opened' } },
} as const satisfies Record<string, { from: readonly AlertStatus[]; to: AlertStatus | null; events: Partial<Record<AlertKindOfAny, string>> }>;

export type AlertMove = keyof typeof ALERT_MOVES;

/**
 * The machine as the house test reads it. Its events are about the alert's subject and recorded by
 * the room that owns it (an incident's, a case's), so the alert owns only the `alert.` ones.
 */
export const MACHINE = describeMachine({
  states: ALERT_STATUSES,
  initial: ['new'],
  kinds: ALERT_KINDS,
  moves: Object.fromEntries(Object.entries(ALERT_MOVES).map(([name, spec]) => [name, { from: spec.from, to: spec.to === null ? 'same' : [spec.to], events: spec.events }])),
  owns: ['alert.'],
  otherEvents: {},
});

/** The event a move appends for an alert of this kind (never, for a kind the move does not apply to). */
export type AlertMoveEvent<M extends AlertMove, K extends AlertKindOfAny> = M extends AlertMove ? (K extends keyof (typeof ALERT_MOVES)[M]['events'] ? (typeof ALERT_MOVES)[M]['events'][K] : never) : never;

export type AlertTransition<M extends AlertMove = AlertMove, K extends AlertKindOfAny = AlertKindOfAny> = {
  from: AlertStatus;
  to: AlertStatus;
  event: AlertMoveEvent<M, K>;
};

/**
 * An alert moved for a room that records the move's event itself (an incident's, a case's): its id
 * and the event type the machine names, for `alertMoveEvent` around the caller's event.
 */
export type AlertMoved<E extends string = string> = { alertId: string; event: E };

/** Why a move was refused, stable for code and tests; the message is for the member of staff. */
export type AlertRefusal = 'not_raised' | 'already_raised' | 'already_acknowledged' | 'already_put_right' | 'not_put_right' | 'wrong_kind';

/** A move the machine refuses: a 409 `conflict` whose message says why. */
export class AlertMoveRefused extends MoveRefused<AlertRefusal> {
  override name = 'AlertMoveRefused';
}

/** The state of a stored alert, from its row. */
export function alertStatus(row: { acknowledged_at: Date | null; put_right_at?: Date | null }): Exclude<AlertStatus, 'new'> {
  if (row.acknowledged_at) return 'acknowledged';
  return row.put_right_at ? 'put_right' : 'open';
}

/** Whether the move may start from this status, for an alert of this kind. */
export function canMoveAlert(status: AlertStatus, kind: AlertKindOfAny, move: AlertMove): boolean {
  const spec = ALERT_MOVES[move];
  return (spec.from as readonly AlertStatus[]).includes(status) && kind in spec.events;
}

const ONLY_BREACHES = "only the alert of an incident's missed response target can";
const ONLY_CASES = "only the alert of a case whose Victims' Code clocks could not be opened can";

/** What each move would do, and which alerts it is for, in the words of a refusal of the wrong kind of alert. */
const ONLY_FOR: Partial<Record<AlertMove, [string, string]>> = {
  close_with_reason: ['closed by a reason', ONLY_BREACHES],
  close_merged: ['closed by a merge', ONLY_BREACHES],
  follow_breach: ['moved to another clock', ONLY_BREACHES],
  put_right: ['put right', ONLY_CASES],
  fail_again: ['opened again', ONLY_CASES],
};

/**
 * Applies one move to an alert of `kind` in `status`: the status it leads to and the event type
 * to append, or throws the refusal.
 */
export function moveAlert<M extends AlertMove, K extends AlertKindOfAny>(status: AlertStatus, kind: K, move: M): AlertTransition<M, K> {
  const spec = ALERT_MOVES[move];
  const event = (spec.events as Partial<Record<AlertKindOfAny, string>>)[kind];
  if (!event) {
    const [what, whose] = ONLY_FOR[move] ?? ['moved', ONLY_BREACHES];
    throw new AlertMoveRefused('wrong_kind', `this alert cannot be ${what}: ${whose}`);
  }
  if (!(spec.from as readonly AlertStatus[]).includes(status)) {
    if (move === 'raise') throw new AlertMoveRefused('already_raised', 'this alert has already been raised');
    if (status === 'new') throw new AlertMoveRefused('not_raised', 'this alert has not been raised');
    if (move === 'put_right' && status === 'put_right') throw new AlertMoveRefused('already_put_right', 'this alert has already been put right');
    if (move === 'fail_again' && status === 'open') throw new AlertMoveRefused('not_put_right', 'this alert has not been put right');
    // The words supervisors have always been given for a second acknowledgement (a 409).
    throw new AlertMoveRefused('already_acknowledged', 'this alert has already been acknowledged');
  }
  return { from: status, to: spec.to ?? status, event: event as AlertMoveEvent<M, K> };
}

/**
 * The event to record for a transition, checked to be the one the machine names: what a service
 * hands to `record` for an alert's move.
 */
export function alertMoveEvent<E extends { readonly type: string }>(transition: { event: string }, event: E): E {
  if (event.type !== transition.event) throw new Error(`an alert's move appends ${transition.event}, not ${event.type}`);
  return event;
}
