import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { CASE_STATUSES, MACHINE as CASE_MACHINE, type CaseStatus, type SuspectStage } from './case.machine.ts';
import {
  CASE_MOVE_EVENTS,
  CASE_MOVE_TYPES,
  CaseMoveRefused,
  caseRow,
  caseState,
  moveCase,
  nextCaseState,
  type CaseMove,
  type CaseMoveType,
  type CaseState,
} from './case.machine.ts';

const S = {
  new: { status: 'new' },
  recorded: { status: 'recorded', suspect: 'none', charged: false },
  allocated: { status: 'allocated', suspect: 'none', charged: false },
  investigating: { status: 'under_investigation', suspect: 'none', charged: false },
  suspect: { status: 'under_investigation', suspect: 'identified', charged: false },
  interviewed: { status: 'under_investigation', suspect: 'interviewed', charged: false },
  charged: { status: 'charged', suspect: 'arrested', charged: true },
  closed: { status: 'closed', suspect: 'none', charged: false, outcomeCode: '18' },
} satisfies Record<string, CaseState>;

// Outcome 20 (another body acts) says nothing of a suspect, so it closes any case not charged.
const move = (type: CaseMoveType): CaseMove => (type === 'close' ? { type, outcomeCode: '20' } : ({ type }));

/** What each state does with a move: the state it leads to, or the refusal's code. */
type Outcome = CaseState | CaseMoveRefused['refusal'];
const expected = (state: keyof typeof S, type: CaseMoveType): Outcome => {
  const from = S[state];
  if (type === 'record') return state === 'new' ? S.recorded : 'exists';
  if (from.status === 'new') return 'not_stored';
  if (from.status === 'closed') return type === 'reopen' ? { status: 'under_investigation', suspect: 'none', charged: false } : 'closed';
  const live = from;
  const investigating = live.status === 'recorded' || live.status === 'allocated' ? 'under_investigation' : live.status;
  const order = ['none', 'identified', 'arrested', 'interviewed'] as const;
  const atLeast = (stage: (typeof order)[number]) => (order.indexOf(live.suspect) >= order.indexOf(stage) ? live.suspect : stage);
  switch (type) {
    case 'reopen':
      return 'not_closed';
    case 'allocate':
      return { ...live, status: live.status === 'recorded' ? 'allocated' : live.status };
    case 'investigate':
      return { ...live, status: investigating };
    case 'suspect_identified':
      return { ...live, status: investigating, suspect: atLeast('identified') };
    case 'suspect_arrested':
      return { ...live, status: investigating, suspect: atLeast('arrested') };
    case 'suspect_interviewed':
      return { ...live, status: investigating, suspect: atLeast('interviewed') };
    case 'released_under_investigation':
    case 'bailed':
    case 'out_of_court_disposal':
      return live.suspect === 'none' ? 'no_suspect' : { ...live, status: investigating };
    case 'charged':
      if (live.suspect === 'none') return 'no_suspect';
      return live.charged ? 'already_charged' : { ...live, status: 'charged', charged: true };
    case 'court_date_set':
    case 'court_result':
      return live.charged ? live : 'not_charged';
    case 'property_returned':
    case 'appointment_made':
    case 'appointment_changed':
    case 'appointment_cancelled':
      return live;
    case 'close':
      return live.charged ? 'outcome_after_charge' : { status: 'closed', suspect: live.suspect, charged: live.charged, outcomeCode: '20' };
  }
};

describe('the case machine', () => {
  for (const stateName of Object.keys(S) as (keyof typeof S)[]) {
    for (const type of CASE_MOVE_TYPES) {
      const outcome = expected(stateName, type);
      it(`${stateName} + ${type} → ${typeof outcome === 'string' ? `refused (${outcome})` : outcome.status}`, () => {
        const next = nextCaseState(S[stateName], move(type));
        if (typeof outcome === 'string') {
          expect(next).toBeInstanceOf(CaseMoveRefused);
          const refusal = next as CaseMoveRefused;
          expect(refusal.refusal).toBe(outcome);
          expect(refusal.code).toBe('conflict');
          // A person can act on it: it says what is wrong, not a code.
          expect(refusal.message.length).toBeGreaterThan(20);
          expect(() => moveCase(S[stateName], move(type))).toThrow(refusal.message);
        } else {
          expect(next).toEqual(outcome);
          expect(moveCase(S[stateName], move(type))).toEqual({ to: outcome, event: CASE_MOVE_EVENTS[type] });
        }
      });
    }
  }

  it('names one distinct event per move', () => {
    const events = Object.values(CASE_MOVE_EVENTS);
    expect(new Set(events).size).toBe(events.length);
    for (const event of events) expect(event).toMatch(/^case\.[a-z_]+$/);
  });

  it('never moves what is known of the suspect backwards', () => {
    const arrested = moveCase(S.suspect, { type: 'suspect_arrested' }).to;
    expect(moveCase(arrested, { type: 'suspect_identified' }).to).toMatchObject({ suspect: 'arrested' });
  });

  it('keeps the suspect and the charge through closing and reopening', () => {
    const closed = moveCase(S.charged, { type: 'close', outcomeCode: '1' }).to;
    expect(closed).toEqual({ status: 'closed', suspect: 'arrested', charged: true, outcomeCode: '1' });
    expect(moveCase(closed, { type: 'reopen' }).to).toEqual({ status: 'under_investigation', suspect: 'arrested', charged: true });
  });

  it('refuses-a-closing-outcome-the-case-contradicts: a charge only with a charge, nobody identified only without a suspect', () => {
    const refusal = (state: CaseState, outcomeCode: string) => {
      const next = nextCaseState(state, { type: 'close', outcomeCode });
      return next instanceof CaseMoveRefused ? next.refusal : next.status;
    };
    // Outcome 1 tells the victim someone was charged.
    expect(refusal(S.recorded, '1')).toBe('outcome_needs_charge');
    expect(refusal(S.interviewed, '1')).toBe('outcome_needs_charge');
    expect(refusal(S.charged, '1')).toBe('closed');
    // A charged case's outcome is the charge, whatever the court decides.
    for (const code of ['18', '14', '3', '15', '20', '21']) expect(refusal(S.charged, code)).toBe('outcome_after_charge');
    // Nobody identified, after a suspect was: refused; before one: it is what happened.
    for (const code of ['14', '18']) {
      expect(refusal(S.suspect, code)).toBe('outcome_denies_suspect');
      expect(refusal(S.investigating, code)).toBe('closed');
    }
    // A caution, a penalty, evidential difficulties with a suspect: only with one recorded.
    for (const code of ['2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '15', '16', '17', '22']) {
      expect(refusal(S.investigating, code)).toBe('outcome_needs_suspect');
      expect(refusal(S.interviewed, code)).toBe('closed');
    }
    // Another body acting, or no further investigation, says neither; nor does a force's own code.
    for (const code of ['20', '21', 'X1']) {
      expect(refusal(S.recorded, code)).toBe('closed');
      expect(refusal(S.suspect, code)).toBe('closed');
    }
    const refused = nextCaseState(S.recorded, { type: 'close', outcomeCode: '1' });
    expect(refused instanceof CaseMoveRefused && refused.message).toContain('record the charge first');
  });

  it('round-trips every stored state through its row', () => {
    for (const state of Object.values(S)) {
      if (state.status === 'new') {
        expect(() => caseRow(state)).toThrow();
        continue;
      }
      expect(caseState(caseRow(state))).toEqual(state);
    }
  });
});

describe("a case's description", () => {
  it('is-described-as-it-moves', () => {
    // Each status with every suspect stage, charged or not where moves can lead (a charge needs a
    // suspect; a charged case is charged, or reopened since, or closed with outcome 1).
    const known = (['none', 'identified', 'arrested', 'interviewed'] as const).flatMap((suspect: SuspectStage) => (suspect === 'none' ? [false] : [false, true]).map((charged) => ({ suspect, charged })));
    const canBe = (status: CaseStatus, charged: boolean) => (status === 'charged' ? charged : !charged || status === 'under_investigation' || status === 'closed');
    const states = Object.fromEntries([
      ['new', [{ status: 'new' }]],
      ...CASE_STATUSES.map((status) => [
        status,
        known.filter((k) => canBe(status, k.charged)).map((k): CaseState => (status === 'closed' ? { status, ...k, outcomeCode: k.charged ? '1' : '20' } : { status, ...k })),
      ]),
    ]) as Record<CaseStatus | 'new', CaseState[]>;
    const moves = Object.fromEntries(CASE_MOVE_TYPES.map((type) => [type, type === 'close' ? ['1', '2', '14', '20'].map((outcomeCode) => ({ type, outcomeCode })) : [{ type }]])) as Record<CaseMoveType, CaseMove[]>;
    const findings = machineDisagreements(CASE_MACHINE, {
      states,
      moves,
      apply: (state: CaseState, move: CaseMove) => {
        const to = nextCaseState(state, move);
        return to instanceof CaseMoveRefused ? null : { to: to.status, event: CASE_MOVE_EVENTS[move.type] };
      },
    });
    expect(findings).toEqual([]);
  });
});
