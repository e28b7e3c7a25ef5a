import {
  CASE_MOVE_TYPES,
  CHARGED_OUTCOME,
  OUTCOMES_NAMING_A_SUSPECT,
  closingOutcomeRefusal,
  nextCaseState,
  CaseMoveRefused,
  type CaseMove,
  type CaseMoveType,
  type CaseState,
} from './case.machine.ts';

// How a records system's status codes become moves of the case's machine. Pure: the mapping is
// data (the force's, or the default below), and planning reads only the case's state.
//
// A records system does not tell Bluelamp every step: Niche may go from "recorded" straight to
// "charged". The machine refuses a charge with no suspect, so the plan adds the moves the later
// one implies (a charge names a suspect, so one was identified), each marked `implied`, and skips
// a move that is already true (a second charge, a reopen of an open case). Every move it returns
// is one the machine allows, in order; see docs/decisions/0033.

/** The moves a mapping may name: every move but `record`, which only creating a case makes. */
export type MappedMove = Exclude<CaseMoveType, 'record'>;

const MAPPED_MOVES: ReadonlySet<string> = new Set(CASE_MOVE_TYPES.filter((type) => type !== 'record'));

/** Whether a stored name is a move a mapping may name. */
export function isMappedMove(name: string): name is MappedMove {
  return MAPPED_MOVES.has(name);
}

/** One entry of a force's mapping from a records system's code. */
export type StatusMapping = {
  /** The records system (`niche`, `athena`, `connect`, …) or `*` for any without an entry of its own. */
  system: string;
  code: string;
  /** What the code means, for the admin screen. */
  label: string;
  moves: MappedMove[];
  /** For a code that closes the case: the Home Office outcome, and the reason the victim is told, in English and Welsh. */
  outcomeCode: string | null;
  reason: string | null;
  reasonCy: string | null;
};

/** One entry mapping a records system's crime code to one of the force's crime types. */
export type CrimeTypeMapping = { system: string; code: string; crimeType: string };

const close = (code: string, label: string, outcomeCode: string, reason: { en: string; cy: string }, before: MappedMove[] = []): StatusMapping => ({
  system: '*',
  code,
  label,
  moves: [...before, 'close'],
  outcomeCode,
  reason: reason.en,
  reasonCy: reason.cy,
});
const status = (code: string, label: string, moves: MappedMove[]): StatusMapping => ({ system: '*', code, label, moves, outcomeCode: null, reason: null, reasonCy: null });

/**
 * The mapping a force starts with: status codes in the style of Niche RMS occurrence statuses
 * (each force configures its own in Niche, so these are a starting point, not Niche's list).
 */
export const DEFAULT_STATUS_MAPPINGS: readonly StatusMapping[] = [
  status('REC', 'Recorded', []),
  status('ALLOC', 'Allocated to an officer or team', ['allocate']),
  status('INV', 'Under investigation', ['investigate']),
  status('SUSP', 'Suspect identified', ['suspect_identified']),
  status('ARR', 'Suspect arrested', ['suspect_arrested']),
  status('INT', 'Suspect interviewed', ['suspect_interviewed']),
  status('RUI', 'Released under investigation', ['released_under_investigation']),
  status('BAIL', 'Suspect bailed', ['bailed']),
  status('CHG', 'Charged or summonsed', ['charged']),
  status('CRT', 'Court date set', ['court_date_set']),
  status('RES', 'Court result', ['court_result']),
  status('PROP', 'Property returned', ['property_returned']),
  status('REO', 'Reopened', ['reopen']),
  // The reasons are what the victim is told, so each is written in English and Welsh.
  close('CAU', 'Adult caution', '3', { en: 'The suspect accepted a caution', cy: 'Derbyniodd y sawl a amheuir rybudd' }, ['out_of_court_disposal']),
  close(
    'CR',
    'Community resolution',
    '8',
    { en: 'The matter was dealt with by a community resolution', cy: 'Cafodd y mater ei ddatrys drwy ddatrysiad cymunedol' },
    ['out_of_court_disposal'],
  ),
  close('NFA', 'No further action: no suspect identified', '18', {
    en: 'The investigation is complete and no suspect has been identified',
    cy: 'Mae’r ymchwiliad wedi’i gwblhau ac nid oes neb a amheuir wedi’i adnabod',
  }),
  close('NFA-EV', 'No further action: evidential difficulties', '15', {
    en: 'There is not enough evidence to take further action',
    cy: 'Nid oes digon o dystiolaeth i gymryd camau pellach',
  }),
  close('NFA-PI', 'No further action: not in the public interest', '10', {
    en: 'The police decided formal action is not in the public interest',
    cy: 'Penderfynodd yr heddlu nad yw camau ffurfiol er budd y cyhoedd',
  }),
  close('NFA-CPS', 'Prosecution not in the public interest (CPS)', '9', {
    en: 'The Crown Prosecution Service decided a prosecution is not in the public interest',
    cy: 'Penderfynodd Gwasanaeth Erlyn y Goron nad yw erlyniad er budd y cyhoedd',
  }),
  close('CLS-CHG', 'Closed: charged', '1', { en: 'The suspect was charged', cy: 'Cafodd y sawl a amheuir ei gyhuddo' }),
];

/** A step of a plan: a move, and whether the update asked for it or it was implied by a later one. */
export type PlannedMove = { move: CaseMove; implied: boolean };

/** What planning made of the requested moves: the moves to apply, and those it skipped, with why. */
export type MovePlan = { moves: PlannedMove[]; skipped: { move: MappedMove; reason: string }[] };

const NEEDS_SUSPECT: readonly MappedMove[] = ['released_under_investigation', 'bailed', 'charged', 'out_of_court_disposal'];
const NEEDS_CHARGE: readonly MappedMove[] = ['court_date_set', 'court_result'];

/** The state of an open case; the plan reopens a closed one before anything else. */
function openState(state: CaseState): Extract<CaseState, { charged: boolean }> {
  if (state.status === 'new' || state.status === 'closed') throw new Error(`a plan expected an open case, not ${state.status}`);
  return state;
}

/** The entry for a code: the system's own first, else the one for any system. */
export function findStatusMapping(mappings: readonly StatusMapping[], system: string, code: string): StatusMapping | undefined {
  const wanted = code.trim().toUpperCase();
  const matches = mappings.filter((m) => m.code.toUpperCase() === wanted);
  return matches.find((m) => m.system === system) ?? matches.find((m) => m.system === '*');
}

/**
 * The moves that take a case in `state` through the `requested` moves, with the ones each needs
 * first added as implied, and those already true skipped. `outcomeCode` is the outcome of a
 * `close`. Every move of the result is one the machine allows from the state before it.
 */
export function planMoves(state: CaseState, requested: readonly MappedMove[], outcomeCode: string | null): MovePlan {
  const plan: MovePlan = { moves: [], skipped: [] };
  let current = state;
  const push = (move: CaseMove, implied: boolean) => {
    const next = nextCaseState(current, move);
    if (next instanceof CaseMoveRefused) throw next;
    plan.moves.push({ move, implied });
    current = next;
  };
  for (const type of requested) {
    if (current.status === 'new') throw new Error('a plan is made for a recorded case');
    if (type === 'reopen') {
      if (current.status === 'closed') push({ type: 'reopen' }, false);
      else plan.skipped.push({ move: type, reason: 'the case is not closed' });
      continue;
    }
    if (type === 'close') {
      if (!outcomeCode) {
        plan.skipped.push({ move: type, reason: 'no outcome code was given for closing the case' });
        continue;
      }
      if (current.status === 'closed' && current.outcomeCode === outcomeCode) {
        plan.skipped.push({ move: type, reason: `the case is already closed with outcome ${outcomeCode}` });
        continue;
      }
      // An outcome says what happened before it (outcome 1 a charge, a caution a suspect): those
      // are implied like a charge's suspect; one the case's record contradicts is not recorded.
      const open = current.status === 'closed' ? { suspect: current.suspect, charged: current.charged } : openState(current);
      const needsCharge = outcomeCode === CHARGED_OUTCOME && !open.charged;
      const needsSuspect = (needsCharge || OUTCOMES_NAMING_A_SUSPECT.has(outcomeCode)) && open.suspect === 'none';
      const refusal = closingOutcomeRefusal({ suspect: needsSuspect ? 'identified' : open.suspect, charged: open.charged || needsCharge }, outcomeCode);
      if (refusal) {
        plan.skipped.push({ move: type, reason: refusal.message });
        continue;
      }
      if (current.status === 'closed') push({ type: 'reopen' }, true);
      if (needsSuspect) push({ type: 'suspect_identified' }, true);
      if (needsCharge) push({ type: 'charged' }, true);
      push({ type: 'close', outcomeCode }, false);
      continue;
    }
    // The records system says the case moved on: a closed one was reopened first.
    if (current.status === 'closed') push({ type: 'reopen' }, true);
    const live = openState(current);
    if (type === 'charged' && live.charged) {
      plan.skipped.push({ move: type, reason: 'a charge is already recorded on this case' });
      continue;
    }
    if (NEEDS_CHARGE.includes(type) && !live.charged) {
      if (live.suspect === 'none') push({ type: 'suspect_identified' }, true);
      push({ type: 'charged' }, true);
    } else if (NEEDS_SUSPECT.includes(type) && live.suspect === 'none') {
      push({ type: 'suspect_identified' }, true);
    }
    push({ type }, false);
  }
  return plan;
}
