import { describe, expect, it } from 'vitest';
import { JOURNEY_RULE_MOVES, JOURNEY_RULE_STATUSES, JourneyRuleMoveRefused, moveJourneyRule } from './journey-rule.machine.ts';

describe('the journey rule state machine', () => {
  it('moves-every-status-as-the-table-says', () => {
    const table = (['new', ...JOURNEY_RULE_STATUSES] as const).flatMap((status) =>
      (Object.keys(JOURNEY_RULE_MOVES) as (keyof typeof JOURNEY_RULE_MOVES)[]).map((move) => {
        try {
          const { to, event } = moveJourneyRule(status, move);
          return `${status} ${move}: ${to} (${event})`;
        } catch (error) {
          expect(error).toBeInstanceOf(JourneyRuleMoveRefused);
          expect(error).toMatchObject({ code: 'conflict', refusal: 'wrong_status' });
          return `${status} ${move}: refused`;
        }
      }),
    );
    expect(table).toEqual([
      'new add: active (journey_rule.added)',
      'new change: refused',
      'new switch_off: refused',
      'new switch_on: refused',
      'active add: refused',
      'active change: active (journey_rule.changed)',
      'active switch_off: inactive (journey_rule.switched_off)',
      'active switch_on: refused',
      'inactive add: refused',
      'inactive change: inactive (journey_rule.changed)',
      'inactive switch_off: refused',
      'inactive switch_on: active (journey_rule.switched_on)',
    ]);
  });
});
