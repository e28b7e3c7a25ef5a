import { describe, expect, it } from 'vitest';
import { SMS_OPT_OUT_MOVES, SMS_OPT_OUT_STATES, SmsOptOutMoveRefused, moveSmsOptOut, smsOptOutState, type SmsOptOutMove, type SmsOptOutState } from './sms-opt-out.machine.ts';

const named = (state: SmsOptOutState) => (state.status === 'opted_out' ? `opted_out:${state.source}` : state.status);

describe('the text opt-out state machine', () => {
  it('moves-every-state-by-every-move-as-the-table-says', () => {
    const table = SMS_OPT_OUT_STATES.flatMap((state) =>
      (Object.keys(SMS_OPT_OUT_MOVES) as SmsOptOutMove[]).map((move) => {
        try {
          const moved = moveSmsOptOut(state, move);
          return `${named(state)} ${move}: ${named(moved.to)} (${moved.event})`;
        } catch (error) {
          if (!(error instanceof SmsOptOutMoveRefused)) throw error;
          expect(error).toMatchObject({ code: 'conflict' });
          return `${named(state)} ${move}: refused ${error.refusal}`;
        }
      }),
    );
    expect(table).toEqual([
      'not_opted_out texted_stop: opted_out:keyword (sms.opted_out)',
      'not_opted_out texted_start: refused not_opted_out',
      'not_opted_out record: opted_out:staff (sms.opt_out_recorded)',
      'not_opted_out lift: refused not_opted_out',
      'opted_out:keyword texted_stop: refused already_opted_out',
      'opted_out:keyword texted_start: not_opted_out (sms.opted_in)',
      'opted_out:keyword record: refused already_opted_out',
      'opted_out:keyword lift: refused opted_out_by_keyword',
      'opted_out:staff texted_stop: opted_out:keyword (sms.opted_out)',
      'opted_out:staff texted_start: not_opted_out (sms.opted_in)',
      'opted_out:staff record: refused already_opted_out',
      'opted_out:staff lift: not_opted_out (sms.opt_out_lifted)',
    ]);
  });

  it('refuses-staff-lifting-a-stop-the-person-texted-saying-why', () => {
    expect(() => moveSmsOptOut({ status: 'opted_out', source: 'keyword' }, 'lift')).toThrow(/only their own START lifts it/);
    expect(() => moveSmsOptOut({ status: 'opted_out', source: 'keyword' }, 'record')).toThrow(/already opted out of texts \(the person texted STOP\)/);
    expect(() => moveSmsOptOut({ status: 'not_opted_out' }, 'lift')).toThrow(/not opted out of texts/);
  });

  it('reads-the-state-from-the-row-or-its-absence', () => {
    expect(smsOptOutState(undefined)).toEqual({ status: 'not_opted_out' });
    expect(smsOptOutState({ source: 'staff' })).toEqual({ status: 'opted_out', source: 'staff' });
  });
});
