import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine } from '../../platform/state-machine.ts';

/**
 * Whether a number may be texted: the opt-out's state machine. Pure: it reads nothing and writes
 * nothing. A number is opted out (a row in `sms_opt_outs`) or not (no row); an opt-out is made by
 * the person's own STOP (a keyword) or recorded by staff (decision 0071). The person's START
 * lifts either. Staff lift only what staff recorded: a STOP is the person's decision about their
 * phone, and Twilio blocks the number until they text START whatever we do (decision 0059). A STOP
 * texted after staff recorded an opt-out makes it the person's own. Each move appends exactly one
 * event type.
 */

export const SMS_OPT_OUT_STATUSES = ['not_opted_out', 'opted_out'] as const;
export type SmsOptOutStatus = (typeof SMS_OPT_OUT_STATUSES)[number];

/** How an opt-out was made. */
export type SmsOptOutSource = 'keyword' | 'staff';

/** Where a number stands: not opted out, or opted out and how. */
export type SmsOptOutState = { status: 'not_opted_out' } | { status: 'opted_out'; source: SmsOptOutSource };

/** Every state a number can be in, for table tests and refusals. */
export const SMS_OPT_OUT_STATES: readonly SmsOptOutState[] = [
  { status: 'not_opted_out' },
  { status: 'opted_out', source: 'keyword' },
  { status: 'opted_out', source: 'staff' },
];

/** Each move, the states it may start from, the state it leads to, and the one event it appends. */
export const SMS_OPT_OUT_MOVES = {
  /** The person texted STOP (or another opt-out keyword). */
  texted_stop: { from: ['not_opted_out', 'opted_out:staff'], to: { status: 'opted_out', source: 'keyword' }, event: 'sms.opted_out' },
  /** The person texted START (or another opt-in keyword). */
  texted_start: { from: ['opted_out:keyword', 'opted_out:staff'], to: { status: 'not_opted_out' }, event: 'sms.opted_in' },
  /** A member of staff recorded that the number is not to be texted, with why. */
  record: { from: ['not_opted_out'], to: { status: 'opted_out', source: 'staff' }, event: 'sms.opt_out_recorded' },
  /** A member of staff lifted an opt-out staff recorded, with why. */
  lift: { from: ['opted_out:staff'], to: { status: 'not_opted_out' }, event: 'sms.opt_out_lifted' },
} as const satisfies Record<string, { from: readonly StateKey[]; to: SmsOptOutState; event: `sms.${string}` }>;

export type SmsOptOutMove = keyof typeof SMS_OPT_OUT_MOVES;

type StateKey = 'not_opted_out' | `opted_out:${SmsOptOutSource}`;

/** The machine as the house test reads it, by state key (`opted_out:staff`): a number is not opted out until a move. */
export const MACHINE = describeMachine({
  states: SMS_OPT_OUT_STATES.map(keyOf),
  initial: ['not_opted_out'],
  moves: Object.fromEntries(Object.entries(SMS_OPT_OUT_MOVES).map(([name, spec]) => [name, { from: spec.from, to: [keyOf(spec.to)], event: spec.event }])),
  owns: ['sms.'],
  otherEvents: {},
});

/** Why a move was refused, stable for code and tests; the message is for the member of staff. */
export type SmsOptOutRefusal = 'already_opted_out' | 'not_opted_out' | 'opted_out_by_keyword';

/** A move the machine refuses: a 409 `conflict` whose message says why. */
export class SmsOptOutMoveRefused extends MoveRefused<SmsOptOutRefusal> {
  override name = 'SmsOptOutMoveRefused';
}

function keyOf(state: SmsOptOutState): StateKey {
  return state.status === 'opted_out' ? `opted_out:${state.source}` : 'not_opted_out';
}

/** The state of a number from its row (or none). */
export function smsOptOutState(row: { source: SmsOptOutSource } | undefined): SmsOptOutState {
  return row ? { status: 'opted_out', source: row.source } : { status: 'not_opted_out' };
}

/** Whether the move may start from this state. */
export function canMoveSmsOptOut(state: SmsOptOutState, move: SmsOptOutMove): boolean {
  return (SMS_OPT_OUT_MOVES[move].from as readonly StateKey[]).includes(keyOf(state));
}

/** Applies one move: the state it leads to and the event type to append, or throws the refusal. */
export function moveSmsOptOut<M extends SmsOptOutMove>(state: SmsOptOutState, move: M): (typeof SMS_OPT_OUT_MOVES)[M] {
  if (canMoveSmsOptOut(state, move)) return SMS_OPT_OUT_MOVES[move];
  if (state.status === 'not_opted_out') {
    throw new SmsOptOutMoveRefused('not_opted_out', 'This number is not opted out of texts: there is no opt-out to lift.');
  }
  if (move === 'record' || move === 'texted_stop') {
    const how = state.source === 'keyword' ? 'the person texted STOP' : 'staff recorded it';
    throw new SmsOptOutMoveRefused('already_opted_out', `This number is already opted out of texts (${how}).`);
  }
  throw new SmsOptOutMoveRefused(
    'opted_out_by_keyword',
    'This opt-out cannot be lifted by staff: the person texted STOP, and only their own START lifts it. Reach them another way.',
  );
}
