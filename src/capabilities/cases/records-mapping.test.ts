import { describe, expect, it } from 'vitest';
import { DEFAULT_STATUS_MAPPINGS, findStatusMapping, planMoves } from './records-mapping.schema.ts';
import type { CaseState } from './case.machine.ts';

const recorded: CaseState = { status: 'recorded', suspect: 'none', charged: false };
const types = (plan: ReturnType<typeof planMoves>) => plan.moves.map((step) => `${step.move.type}${step.implied ? '*' : ''}`);

describe('planning the moves a records system status means', () => {
  it('adds the identified suspect a charge implies, marked implied', () => {
    expect(types(planMoves(recorded, ['charged'], null))).toEqual(['suspect_identified*', 'charged']);
  });

  it('adds the charge a court date implies', () => {
    expect(types(planMoves(recorded, ['court_date_set'], null))).toEqual(['suspect_identified*', 'charged*', 'court_date_set']);
    const charged: CaseState = { status: 'charged', suspect: 'arrested', charged: true };
    expect(types(planMoves(charged, ['court_date_set'], null))).toEqual(['court_date_set']);
  });

  it('skips what is already true: a second charge, reopening an open case, closing with the same outcome', () => {
    const charged: CaseState = { status: 'charged', suspect: 'arrested', charged: true };
    expect(planMoves(charged, ['charged'], null)).toMatchObject({ moves: [], skipped: [{ move: 'charged' }] });
    expect(planMoves(recorded, ['reopen'], null)).toMatchObject({ moves: [], skipped: [{ move: 'reopen' }] });
    const closed: CaseState = { status: 'closed', suspect: 'none', charged: false, outcomeCode: '18' };
    expect(planMoves(closed, ['close'], '18')).toMatchObject({ moves: [], skipped: [{ move: 'close' }] });
  });

  it('reopens a closed case before a later milestone, and before closing it with another outcome', () => {
    const closed: CaseState = { status: 'closed', suspect: 'none', charged: false, outcomeCode: '18' };
    expect(types(planMoves(closed, ['suspect_arrested'], null))).toEqual(['reopen*', 'suspect_arrested']);
    expect(types(planMoves(closed, ['close'], '20'))).toEqual(['reopen*', 'close']);
    // Outcome 15 says a suspect was identified: that is implied, as a charge implies one.
    expect(types(planMoves(closed, ['close'], '15'))).toEqual(['reopen*', 'suspect_identified*', 'close']);
  });

  it('implies the charge outcome 1 speaks of, and skips an outcome the case contradicts rather than telling the victim it', () => {
    expect(types(planMoves(recorded, ['close'], '1'))).toEqual(['suspect_identified*', 'charged*', 'close']);
    const charged: CaseState = { status: 'charged', suspect: 'arrested', charged: true };
    expect(planMoves(charged, ['close'], '18')).toEqual({ moves: [], skipped: [{ move: 'close', reason: expect.stringContaining('outcome is 1') }] });
    const suspect: CaseState = { status: 'under_investigation', suspect: 'identified', charged: false };
    expect(planMoves(suspect, ['close'], '18')).toEqual({ moves: [], skipped: [{ move: 'close', reason: expect.stringContaining('nobody was identified') }] });
    // A closed charged case is not reopened for an outcome it would refuse.
    const closedCharged: CaseState = { status: 'closed', suspect: 'arrested', charged: true, outcomeCode: '1' };
    expect(planMoves(closedCharged, ['close'], '18').moves).toEqual([]);
  });

  it('does not close without an outcome code', () => {
    expect(planMoves(recorded, ['close'], null).skipped).toEqual([{ move: 'close', reason: expect.stringContaining('outcome') }]);
  });

  it("finds a system's own entry before the one for any system, whatever the case of the code", () => {
    const own = { system: 'athena', code: 'ARR', label: 'Athena arrest', moves: ['suspect_interviewed' as const], outcomeCode: null, reason: null, reasonCy: null };
    const mappings = [...DEFAULT_STATUS_MAPPINGS, own];
    expect(findStatusMapping(mappings, 'athena', 'arr')).toBe(own);
    expect(findStatusMapping(mappings, 'niche', 'ARR')?.moves).toEqual(['suspect_arrested']);
    expect(findStatusMapping(mappings, 'niche', 'NOPE')).toBeUndefined();
  });

  it('gives every reason a victim is told in English and Welsh', () => {
    const closing = DEFAULT_STATUS_MAPPINGS.filter((m) => m.moves.includes('close'));
    expect(closing.length).toBeGreaterThan(0);
    for (const entry of closing) {
      expect(entry.reason?.trim(), entry.code).toBeTruthy();
      expect(entry.reasonCy?.trim(), entry.code).toBeTruthy();
      expect(entry.reasonCy, entry.code).not.toBe(entry.reason);
    }
    // A status that does not close the case tells the victim no reason, in either language.
    expect(DEFAULT_STATUS_MAPPINGS.filter((m) => !m.moves.includes('close')).every((m) => m.reason === null && m.reasonCy === null)).toBe(true);
  });
});
