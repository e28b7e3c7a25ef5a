import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';

/**
 * The case's state machine. Pure: it reads nothing and writes nothing. A case is what a victim
 * follows: recorded, allocated to an officer or team, investigated, perhaps charged and taken to
 * court, then closed with a Home Office outcome, and reopened if new evidence comes. Beside its
 * status it keeps what the victim's updates depend on: whether a suspect is known, and whether
 * one has been charged. Each move appends exactly one event type (`case.<move>`), which is what
 * journeys hang their messages on.
 */

export type CaseStatus = 'recorded' | 'allocated' | 'under_investigation' | 'charged' | 'closed';
export const CASE_STATUSES = ['recorded', 'allocated', 'under_investigation', 'charged', 'closed'] as const satisfies readonly CaseStatus[];

/** What is known of a suspect, in order: a later milestone never moves it back. */
export type SuspectStage = 'none' | 'identified' | 'arrested' | 'interviewed';
const SUSPECT_ORDER: Record<SuspectStage, number> = { none: 0, identified: 1, arrested: 2, interviewed: 3 };

export type CaseState =
  | { status: 'new' }
  | { status: Exclude<CaseStatus, 'closed'>; suspect: SuspectStage; charged: boolean }
  | { status: 'closed'; suspect: SuspectStage; charged: boolean; outcomeCode: string };

export type CaseMove =
  /** It is recorded: from a contact, an online report, or the force's records system. */
  | { type: 'record' }
  /** Allocated (or reallocated) to an officer in case and/or a team. */
  | { type: 'allocate' }
  /** Investigation begins (allocation alone does not say so). */
  | { type: 'investigate' }
  | { type: 'suspect_identified' }
  | { type: 'suspect_arrested' }
  | { type: 'suspect_interviewed' }
  /** Released under investigation, or on bail: the suspect is known and the case goes on. */
  | { type: 'released_under_investigation' }
  | { type: 'bailed' }
  /** Charged (or summonsed): the case waits for court. */
  | { type: 'charged' }
  /** A caution or another out-of-court disposal (community resolution, penalty notice). */
  | { type: 'out_of_court_disposal' }
  | { type: 'court_date_set' }
  | { type: 'court_result' }
  | { type: 'property_returned' }
  | { type: 'appointment_made' }
  | { type: 'appointment_changed' }
  | { type: 'appointment_cancelled' }
  /** Closed with its outcome (a Home Office outcome code) and the reason in words. */
  | { type: 'close'; outcomeCode: string }
  /** New evidence: a closed case is investigated again. */
  | { type: 'reopen' };

export type CaseMoveType = CaseMove['type'];

export const CASE_MOVE_EVENTS = {
  record: 'case.created',
  allocate: 'case.allocated',
  investigate: 'case.investigation_started',
  suspect_identified: 'case.suspect_identified',
  suspect_arrested: 'case.suspect_arrested',
  suspect_interviewed: 'case.suspect_interviewed',
  released_under_investigation: 'case.released_under_investigation',
  bailed: 'case.bailed',
  charged: 'case.charged',
  out_of_court_disposal: 'case.out_of_court_disposal',
  court_date_set: 'case.court_date_set',
  court_result: 'case.court_result',
  property_returned: 'case.property_returned',
  appointment_made: 'case.appointment_made',
  appointment_changed: 'case.appointment_changed',
  appointment_cancelled: 'case.appointment_cancelled',
  close: 'case.closed',
  reopen: 'case.reopened',
} as const satisfies Record<CaseMoveType, string>;

export type CaseMoveEvent = (typeof CASE_MOVE_EVENTS)[CaseMoveType];
export const CASE_MOVE_TYPES = Object.keys(CASE_MOVE_EVENTS) as CaseMoveType[];

const LIVE = ['recorded', 'allocated', 'under_investigation', 'charged'] as const satisfies readonly CaseStatus[];
/** Where anything investigative leads a live case: under investigation, or charged as it was. */
const INVESTIGATED = ['under_investigation', 'charged'] as const satisfies readonly CaseStatus[];
const along = (from: readonly (CaseStatus | 'new')[], to: readonly CaseStatus[] | 'same', move: CaseMoveType): MoveDescription<CaseStatus | 'new'> => ({ from, to, event: CASE_MOVE_EVENTS[move] });

/**
 * The machine as the house test reads it, by status (what is known of a suspect and a charge rides
 * beside it). A court date or result needs a charge, which only a charged case, or one reopened
 * since, has.
 */
export const MACHINE = describeMachine({
  states: ['new', ...CASE_STATUSES],
  initial: ['new'],
  moves: {
    record: along(['new'], ['recorded'], 'record'),
    allocate: along(LIVE, ['allocated', ...INVESTIGATED], 'allocate'),
    investigate: along(LIVE, INVESTIGATED, 'investigate'),
    suspect_identified: along(LIVE, INVESTIGATED, 'suspect_identified'),
    suspect_arrested: along(LIVE, INVESTIGATED, 'suspect_arrested'),
    suspect_interviewed: along(LIVE, INVESTIGATED, 'suspect_interviewed'),
    released_under_investigation: along(LIVE, INVESTIGATED, 'released_under_investigation'),
    bailed: along(LIVE, INVESTIGATED, 'bailed'),
    charged: along(['recorded', 'allocated', 'under_investigation'], ['charged'], 'charged'),
    out_of_court_disposal: along(LIVE, INVESTIGATED, 'out_of_court_disposal'),
    court_date_set: along(INVESTIGATED, 'same', 'court_date_set'),
    court_result: along(INVESTIGATED, 'same', 'court_result'),
    property_returned: along(LIVE, 'same', 'property_returned'),
    appointment_made: along(LIVE, 'same', 'appointment_made'),
    appointment_changed: along(LIVE, 'same', 'appointment_changed'),
    appointment_cancelled: along(LIVE, 'same', 'appointment_cancelled'),
    close: along(LIVE, ['closed'], 'close'),
    reopen: along(['closed'], ['under_investigation'], 'reopen'),
  } satisfies Record<CaseMoveType, MoveDescription<CaseStatus | 'new'>>,
  // The case's own events, its Victims' Code clocks' and its people's share the prefix: each machine lists its own.
  owns: ['case.'],
  otherEvents: {},
});

/** Why a move was refused: stable, for code and tests; the message is for the investigator. */
export type CaseRefusal =
  | 'exists'
  | 'not_stored'
  | 'closed'
  | 'not_closed'
  | 'no_suspect'
  | 'not_charged'
  | 'already_charged'
  /** A closing outcome that says what the case's record does not (see `closingOutcomeRefusal`). */
  | 'outcome_needs_charge'
  | 'outcome_needs_suspect'
  | 'outcome_after_charge'
  | 'outcome_denies_suspect';

/** A move the machine refuses: a 409 `conflict` whose message says what to do instead. */
export class CaseMoveRefused extends MoveRefused<CaseRefusal> {
  override name = 'CaseMoveRefused';
}

type Live = Extract<CaseState, { status: Exclude<CaseStatus, 'closed'> }>;

/** The state of a stored case, from its row. */
export function caseState(row: { status: CaseStatus; suspect_stage: SuspectStage; charged: boolean; outcome_code: string | null }): CaseState {
  const known = { suspect: row.suspect_stage, charged: row.charged };
  if (row.status === 'closed') return { status: 'closed', ...known, outcomeCode: row.outcome_code ?? '' };
  return { status: row.status, ...known };
}

/** The columns a state gives the case's row. */
export function caseRow(state: CaseState): { status: CaseStatus; suspect_stage: SuspectStage; charged: boolean; outcome_code: string | null } {
  if (state.status === 'new') throw new Error('a case not yet recorded has no row');
  return { status: state.status, suspect_stage: state.suspect, charged: state.charged, outcome_code: state.status === 'closed' ? state.outcomeCode : null };
}

/** The suspect stage after a milestone about the suspect: never backwards. */
function suspectAtLeast(state: Live, stage: SuspectStage): SuspectStage {
  return SUSPECT_ORDER[state.suspect] >= SUSPECT_ORDER[stage] ? state.suspect : stage;
}

/** Recorded and allocated cases are under investigation once anything investigative happens. */
function investigating(state: Live): Live['status'] {
  return state.status === 'recorded' || state.status === 'allocated' ? 'under_investigation' : state.status;
}

/**
 * What a Home Office outcome says of the case, for the outcomes the victim's closing message
 * speaks of: 1 that someone was charged or summonsed; 14 and 18 that nobody was identified; the
 * rest but 20 and 21 that a suspect or offender was (a caution, a penalty, a community
 * resolution, evidential difficulties with a suspect identified, prosecution prevented…).
 * 20 (another body acts) and 21 (further investigation not in the public interest) say neither,
 * nor does an outcome a force added itself. See docs/decisions/0062.
 */
export const OUTCOMES_WITH_NO_SUSPECT: ReadonlySet<string> = new Set(['14', '18']);
export const OUTCOMES_NAMING_A_SUSPECT: ReadonlySet<string> = new Set(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '15', '16', '17', '22']);
export const CHARGED_OUTCOME = '1';

/**
 * Why closing a live case with `outcomeCode` would tell its victim something its record
 * contradicts, or null when it would not: a charged case closes with outcome 1 and only a charged
 * one does; an outcome naming a suspect needs one recorded; one saying nobody was identified
 * cannot follow a suspect's identification.
 */
export function closingOutcomeRefusal(state: { suspect: SuspectStage; charged: boolean }, outcomeCode: string): CaseMoveRefused | null {
  if (state.charged && outcomeCode !== CHARGED_OUTCOME) {
    return new CaseMoveRefused('outcome_after_charge', `a charge is recorded on this case, so its outcome is 1 (charged or summonsed); close it with outcome 1 and say in the reason what the court decided`);
  }
  if (!state.charged && outcomeCode === CHARGED_OUTCOME) {
    return new CaseMoveRefused('outcome_needs_charge', 'outcome 1 (charged or summonsed) tells the victim someone was charged, and no charge is recorded on this case; record the charge first, or choose the outcome that fits');
  }
  if (state.suspect === 'none' && OUTCOMES_NAMING_A_SUSPECT.has(outcomeCode)) {
    return new CaseMoveRefused('outcome_needs_suspect', `outcome ${outcomeCode} tells the victim a suspect was identified, and none is recorded on this case; record the suspect as identified first, or choose the outcome that fits`);
  }
  if (state.suspect !== 'none' && OUTCOMES_WITH_NO_SUSPECT.has(outcomeCode)) {
    return new CaseMoveRefused('outcome_denies_suspect', `outcome ${outcomeCode} tells the victim nobody was identified, and a suspect is recorded on this case; choose the outcome that fits`);
  }
  return null;
}

const needsSuspect = (what: string) => new CaseMoveRefused('no_suspect', `no suspect is recorded on this case; record the suspect as identified before ${what}`);

/** The state a move leads to, or the refusal. Never throws. */
export function nextCaseState(state: CaseState, move: CaseMove): CaseState | CaseMoveRefused {
  if (move.type === 'record') {
    return state.status === 'new' ? { status: 'recorded', suspect: 'none', charged: false } : new CaseMoveRefused('exists', 'this case is already recorded');
  }
  if (state.status === 'new') return new CaseMoveRefused('not_stored', 'this case has not been recorded yet');
  if (state.status === 'closed') {
    if (move.type === 'reopen') return { status: 'under_investigation', suspect: state.suspect, charged: state.charged };
    return new CaseMoveRefused('closed', `this case is closed (outcome ${state.outcomeCode}); reopen it first if there is more to record`);
  }
  switch (move.type) {
    case 'reopen':
      return new CaseMoveRefused('not_closed', 'this case is not closed');
    case 'allocate':
      return { ...state, status: state.status === 'recorded' ? 'allocated' : state.status };
    case 'investigate':
      return { ...state, status: investigating(state) };
    case 'suspect_identified':
      return { ...state, status: investigating(state), suspect: suspectAtLeast(state, 'identified') };
    case 'suspect_arrested':
      return { ...state, status: investigating(state), suspect: suspectAtLeast(state, 'arrested') };
    case 'suspect_interviewed':
      return { ...state, status: investigating(state), suspect: suspectAtLeast(state, 'interviewed') };
    case 'released_under_investigation':
    case 'bailed':
      if (state.suspect === 'none') return needsSuspect(move.type === 'bailed' ? 'bail' : 'release under investigation');
      return { ...state, status: investigating(state) };
    case 'charged':
      if (state.suspect === 'none') return needsSuspect('a charge');
      if (state.charged) return new CaseMoveRefused('already_charged', 'a charge is already recorded on this case');
      return { ...state, status: 'charged', charged: true };
    case 'out_of_court_disposal':
      if (state.suspect === 'none') return needsSuspect('an out-of-court disposal');
      return { ...state, status: investigating(state) };
    case 'court_date_set':
    case 'court_result':
      if (!state.charged) return new CaseMoveRefused('not_charged', 'nobody has been charged on this case; record the charge first');
      return state;
    case 'property_returned':
    case 'appointment_made':
    case 'appointment_changed':
    case 'appointment_cancelled':
      return state;
    case 'close':
      return closingOutcomeRefusal(state, move.outcomeCode) ?? { status: 'closed', suspect: state.suspect, charged: state.charged, outcomeCode: move.outcomeCode };
  }
}

/** Applies one move: the new state and the event type to append, or throws the refusal. */
export function moveCase(state: CaseState, move: CaseMove): { to: CaseState; event: CaseMoveEvent } {
  const to = nextCaseState(state, move);
  if (to instanceof CaseMoveRefused) throw to;
  return { to, event: CASE_MOVE_EVENTS[move.type] };
}
