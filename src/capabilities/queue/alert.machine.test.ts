import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, ALERT_MOVES, ALERT_STATUSES, AlertMoveRefused, alertMoveEvent, alertStatus, canMoveAlert, moveAlert, type AlertMove } from './alert.machine.ts';
import { EVENT_CATALOGUE } from '../audit/catalogue.events.ts';

/** Every status and kind against every move: where it leads and what it appends, or the refusal's words. */
function table(move: AlertMove): string[] {
  return ALERT_STATUSES.flatMap((status) =>
    ALERT_KINDS.map((kind) => {
      try {
        const transition = moveAlert(status, kind, move);
        return `${status} ${kind}: ${transition.to} ${transition.event}`;
      } catch (error) {
        if (!(error instanceof AlertMoveRefused)) throw error;
        expect(error).toMatchObject({ code: 'conflict', status: 409 });
        return `${status} ${kind}: refused ${error.refusal}: ${error.message}`;
      }
    }),
  );
}

const WRONG_KIND = (what: string) => `refused wrong_kind: this alert cannot be ${what}: only the alert of an incident's missed response target can`;

describe('the supervisors’ alert state machine', () => {
  it('raises-only-an-alert-not-yet-stored-open-with-the-event-of-its-subject', () => {
    expect(table('raise')).toEqual([
      'new threat_to_life: open alert.raised',
      'new sla_breach: open alert.raised',
      'new response_breach: open incident.clock_breached',
      'new victim_updates_unopened: open case.victim_updates_not_opened',
      'open threat_to_life: refused already_raised: this alert has already been raised',
      'open sla_breach: refused already_raised: this alert has already been raised',
      'open response_breach: refused already_raised: this alert has already been raised',
      'open victim_updates_unopened: refused already_raised: this alert has already been raised',
      'put_right threat_to_life: refused already_raised: this alert has already been raised',
      'put_right sla_breach: refused already_raised: this alert has already been raised',
      'put_right response_breach: refused already_raised: this alert has already been raised',
      'put_right victim_updates_unopened: refused already_raised: this alert has already been raised',
      'acknowledged threat_to_life: refused already_raised: this alert has already been raised',
      'acknowledged sla_breach: refused already_raised: this alert has already been raised',
      'acknowledged response_breach: refused already_raised: this alert has already been raised',
      'acknowledged victim_updates_unopened: refused already_raised: this alert has already been raised',
    ]);
  });

  it('acknowledges-an-open-alert-once-and-refuses-a-second-in-the-words-supervisors-have-always-had', () => {
    expect(table('acknowledge')).toEqual([
      'new threat_to_life: refused not_raised: this alert has not been raised',
      'new sla_breach: refused not_raised: this alert has not been raised',
      'new response_breach: refused not_raised: this alert has not been raised',
      'new victim_updates_unopened: refused not_raised: this alert has not been raised',
      'open threat_to_life: acknowledged alert.acknowledged',
      'open sla_breach: acknowledged alert.acknowledged',
      'open response_breach: acknowledged incident.breach_alert_acknowledged',
      'open victim_updates_unopened: acknowledged case.victim_updates_alert_acknowledged',
      // Put right, it still waits for a supervisor: only a case's alert is ever put right.
      'put_right threat_to_life: acknowledged alert.acknowledged',
      'put_right sla_breach: acknowledged alert.acknowledged',
      'put_right response_breach: acknowledged incident.breach_alert_acknowledged',
      'put_right victim_updates_unopened: acknowledged case.victim_updates_alert_acknowledged',
      'acknowledged threat_to_life: refused already_acknowledged: this alert has already been acknowledged',
      'acknowledged sla_breach: refused already_acknowledged: this alert has already been acknowledged',
      'acknowledged response_breach: refused already_acknowledged: this alert has already been acknowledged',
      'acknowledged victim_updates_unopened: refused already_acknowledged: this alert has already been acknowledged',
    ]);
  });

  it('closes-only-an-open-breach-alert-by-its-reason-or-a-merge', () => {
    for (const [move, words, event] of [
      ['close_with_reason', 'closed by a reason', 'incident.breach_reason_recorded'],
      ['close_merged', 'closed by a merge', 'incident.breach_alert_acknowledged'],
    ] as const) {
      expect(table(move), move).toEqual([
        `new threat_to_life: ${WRONG_KIND(words)}`,
        `new sla_breach: ${WRONG_KIND(words)}`,
        'new response_breach: refused not_raised: this alert has not been raised',
        `new victim_updates_unopened: ${WRONG_KIND(words)}`,
        `open threat_to_life: ${WRONG_KIND(words)}`,
        `open sla_breach: ${WRONG_KIND(words)}`,
        `open response_breach: acknowledged ${event}`,
        `open victim_updates_unopened: ${WRONG_KIND(words)}`,
        `put_right threat_to_life: ${WRONG_KIND(words)}`,
        `put_right sla_breach: ${WRONG_KIND(words)}`,
        'put_right response_breach: refused already_acknowledged: this alert has already been acknowledged',
        `put_right victim_updates_unopened: ${WRONG_KIND(words)}`,
        `acknowledged threat_to_life: ${WRONG_KIND(words)}`,
        `acknowledged sla_breach: ${WRONG_KIND(words)}`,
        'acknowledged response_breach: refused already_acknowledged: this alert has already been acknowledged',
        `acknowledged victim_updates_unopened: ${WRONG_KIND(words)}`,
      ]);
    }
  });

  it('moves-a-breach-alert-open-or-closed-to-the-clock-a-regrade-carried-its-breach-onto-keeping-its-state', () => {
    expect(table('follow_breach')).toEqual([
      `new threat_to_life: ${WRONG_KIND('moved to another clock')}`,
      `new sla_breach: ${WRONG_KIND('moved to another clock')}`,
      'new response_breach: refused not_raised: this alert has not been raised',
      `new victim_updates_unopened: ${WRONG_KIND('moved to another clock')}`,
      `open threat_to_life: ${WRONG_KIND('moved to another clock')}`,
      `open sla_breach: ${WRONG_KIND('moved to another clock')}`,
      'open response_breach: open incident.clock_started',
      `open victim_updates_unopened: ${WRONG_KIND('moved to another clock')}`,
      `put_right threat_to_life: ${WRONG_KIND('moved to another clock')}`,
      `put_right sla_breach: ${WRONG_KIND('moved to another clock')}`,
      'put_right response_breach: refused already_acknowledged: this alert has already been acknowledged',
      `put_right victim_updates_unopened: ${WRONG_KIND('moved to another clock')}`,
      `acknowledged threat_to_life: ${WRONG_KIND('moved to another clock')}`,
      `acknowledged sla_breach: ${WRONG_KIND('moved to another clock')}`,
      'acknowledged response_breach: acknowledged incident.clock_started',
      `acknowledged victim_updates_unopened: ${WRONG_KIND('moved to another clock')}`,
    ]);
  });

  it('puts-right-only-an-open-case-alert-which-stays-for-a-supervisor-and-opens-it-again-if-the-clocks-fail-again', () => {
    const ONLY_CASES = (what: string) => `refused wrong_kind: this alert cannot be ${what}: only the alert of a case whose Victims' Code clocks could not be opened can`;
    expect(table('put_right')).toEqual([
      `new threat_to_life: ${ONLY_CASES('put right')}`,
      `new sla_breach: ${ONLY_CASES('put right')}`,
      `new response_breach: ${ONLY_CASES('put right')}`,
      'new victim_updates_unopened: refused not_raised: this alert has not been raised',
      `open threat_to_life: ${ONLY_CASES('put right')}`,
      `open sla_breach: ${ONLY_CASES('put right')}`,
      `open response_breach: ${ONLY_CASES('put right')}`,
      'open victim_updates_unopened: put_right case.victim_updates_put_right',
      `put_right threat_to_life: ${ONLY_CASES('put right')}`,
      `put_right sla_breach: ${ONLY_CASES('put right')}`,
      `put_right response_breach: ${ONLY_CASES('put right')}`,
      'put_right victim_updates_unopened: refused already_put_right: this alert has already been put right',
      `acknowledged threat_to_life: ${ONLY_CASES('put right')}`,
      `acknowledged sla_breach: ${ONLY_CASES('put right')}`,
      `acknowledged response_breach: ${ONLY_CASES('put right')}`,
      'acknowledged victim_updates_unopened: refused already_acknowledged: this alert has already been acknowledged',
    ]);
    expect(table('fail_again')).toEqual([
      `new threat_to_life: ${ONLY_CASES('opened again')}`,
      `new sla_breach: ${ONLY_CASES('opened again')}`,
      `new response_breach: ${ONLY_CASES('opened again')}`,
      'new victim_updates_unopened: refused not_raised: this alert has not been raised',
      `open threat_to_life: ${ONLY_CASES('opened again')}`,
      `open sla_breach: ${ONLY_CASES('opened again')}`,
      `open response_breach: ${ONLY_CASES('opened again')}`,
      'open victim_updates_unopened: refused not_put_right: this alert has not been put right',
      `put_right threat_to_life: ${ONLY_CASES('opened again')}`,
      `put_right sla_breach: ${ONLY_CASES('opened again')}`,
      `put_right response_breach: ${ONLY_CASES('opened again')}`,
      'put_right victim_updates_unopened: open case.victim_updates_not_opened',
      `acknowledged threat_to_life: ${ONLY_CASES('opened again')}`,
      `acknowledged sla_breach: ${ONLY_CASES('opened again')}`,
      `acknowledged response_breach: ${ONLY_CASES('opened again')}`,
      'acknowledged victim_updates_unopened: refused already_acknowledged: this alert has already been acknowledged',
    ]);
  });

  it('keeps-acknowledged-final-and-reads-a-row-s-state-from-its-acknowledgement', () => {
    const leaving = Object.entries(ALERT_MOVES).filter(([, move]) => (move.from as readonly string[]).includes('acknowledged') && move.to !== null);
    expect(leaving).toEqual([]);
    expect(alertStatus({ acknowledged_at: null })).toBe('open');
    expect(alertStatus({ acknowledged_at: new Date('2026-03-02T09:00:00Z') })).toBe('acknowledged');
    expect(alertStatus({ acknowledged_at: null, put_right_at: new Date('2026-03-02T09:00:00Z') })).toBe('put_right');
    expect(alertStatus({ acknowledged_at: new Date('2026-03-02T09:05:00Z'), put_right_at: new Date('2026-03-02T09:00:00Z') })).toBe('acknowledged');
    expect(canMoveAlert('open', 'sla_breach', 'acknowledge')).toBe(true);
    expect(canMoveAlert('acknowledged', 'response_breach', 'close_with_reason')).toBe(false);
  });

  it('names-only-events-in-the-catalogue-and-checks-the-one-recorded', () => {
    const types = new Set(EVENT_CATALOGUE.map((definition) => definition.type));
    const named = Object.values(ALERT_MOVES).flatMap((move) => Object.values(move.events));
    expect(named.filter((type) => !types.has(type))).toEqual([]);
    const transition = moveAlert('open', 'sla_breach', 'acknowledge');
    expect(alertMoveEvent(transition, { type: 'alert.acknowledged' })).toEqual({ type: 'alert.acknowledged' });
    expect(() => alertMoveEvent(transition, { type: 'alert.raised' })).toThrow("an alert's move appends alert.acknowledged, not alert.raised");
  });
});
