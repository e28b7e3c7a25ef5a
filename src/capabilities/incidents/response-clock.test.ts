import { describe, expect, it } from 'vitest';
import { DEFAULT_RESPONSE_TARGETS, planResponseClock, responseClockKindFor, responseTargetMinutes, settingOf, type ResponseTarget } from './response-clock.schema.ts';

const T0 = new Date('2026-03-02T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();

describe('response targets', () => {
  it('seeds Immediate deploy 3 and arrive 15 urban / 20 rural, Priority deploy 20 and arrive 60', () => {
    expect(responseTargetMinutes(DEFAULT_RESPONSE_TARGETS, 'immediate', 'urban', 'deploy')).toBe(3);
    expect(responseTargetMinutes(DEFAULT_RESPONSE_TARGETS, 'immediate', 'rural', 'deploy')).toBe(3);
    expect(responseTargetMinutes(DEFAULT_RESPONSE_TARGETS, 'immediate', 'urban', 'arrive')).toBe(15);
    expect(responseTargetMinutes(DEFAULT_RESPONSE_TARGETS, 'immediate', 'rural', 'arrive')).toBe(20);
    expect(responseTargetMinutes(DEFAULT_RESPONSE_TARGETS, 'priority', 'urban', 'deploy')).toBe(20);
    expect(responseTargetMinutes(DEFAULT_RESPONSE_TARGETS, 'priority', 'rural', 'arrive')).toBe(60);
    expect(responseTargetMinutes(DEFAULT_RESPONSE_TARGETS, 'resolution_without_deployment', 'urban', 'arrive')).toBeNull();
  });

  it("uses the force's own targets, and the seeded one for a grade the force left out", () => {
    const force: ResponseTarget[] = [{ grade: 'immediate', setting: 'rural', deployMinutes: 5, arriveMinutes: 25 }];
    expect(responseTargetMinutes(force, 'immediate', 'rural', 'arrive')).toBe(25);
    expect(responseTargetMinutes(force, 'priority', 'rural', 'deploy')).toBe(20);
  });

  it('puts a place in no district under the tighter urban targets', () => {
    expect(settingOf(null)).toBe('urban');
    expect(settingOf('rural')).toBe('rural');
  });
});

describe('which countdown runs', () => {
  const targets = DEFAULT_RESPONSE_TARGETS;
  it('runs deploy while open, arrive once units are dispatched or en route, and none from on scene', () => {
    expect(responseClockKindFor('open', 'immediate', 'urban', targets)).toEqual({ kind: 'deploy', minutes: 3 });
    expect(responseClockKindFor('dispatched', 'immediate', 'rural', targets)).toEqual({ kind: 'arrive', minutes: 20 });
    expect(responseClockKindFor('en_route', 'immediate', 'urban', targets)).toEqual({ kind: 'arrive', minutes: 15 });
    for (const status of ['on_scene', 'resolved', 'closed', 'cancelled', 'resolved_without_deployment'] as const) {
      expect(responseClockKindFor(status, 'immediate', 'urban', targets)).toBeNull();
    }
  });

  it('keeps to the first dispatch and first arrival once reached, whatever state a stand-down leaves', () => {
    expect(responseClockKindFor('open', 'immediate', 'urban', targets, { dispatched: true, arrived: false })).toEqual({ kind: 'arrive', minutes: 15 });
    expect(responseClockKindFor('open', 'immediate', 'urban', targets, { dispatched: true, arrived: true })).toBeNull();
    expect(responseClockKindFor('en_route', 'immediate', 'urban', targets, { dispatched: true, arrived: true })).toBeNull();
    expect(responseClockKindFor('resolved', 'immediate', 'urban', targets, { dispatched: false, arrived: false })).toBeNull();
  });

  it('runs none for an ungraded incident or a grade without targets', () => {
    expect(responseClockKindFor('open', null, 'urban', targets)).toBeNull();
    expect(responseClockKindFor('open', 'resolution_without_deployment', 'urban', targets)).toBeNull();
  });

  it('runs the arrival countdown from the start for a grade with no deploy target', () => {
    expect(responseClockKindFor('open', 'scheduled', 'urban', targets)).toEqual({ kind: 'arrive', minutes: 48 * 60 });
  });
});

describe('planResponseClock', () => {
  it('falls due the target after the incident was created and warns a minute before, for a 3-minute deploy', () => {
    const plan = planResponseClock({ measuredFrom: T0, minutes: 3 });
    expect(plan.dueAt.toISOString()).toBe(at(3));
    expect(plan.warnAt.toISOString()).toBe(at(2));
  });

  it('warns a fifth of the target before due for longer targets (arrive 15 urban at 12, 20 rural at 16)', () => {
    expect(planResponseClock({ measuredFrom: T0, minutes: 15 }).warnAt.toISOString()).toBe(at(12));
    expect(planResponseClock({ measuredFrom: T0, minutes: 20 }).warnAt.toISOString()).toBe(at(16));
  });

  it('measures a regraded clock from the same creation time, so time already gone counts', () => {
    // Regraded from Priority to Immediate eight minutes in: the 3-minute deploy target is already past.
    const plan = planResponseClock({ measuredFrom: T0, minutes: 3 });
    expect(plan.dueAt.getTime()).toBeLessThan(new Date(at(8)).getTime());
  });

  it('never warns before the measure starts, even for a one-minute target', () => {
    expect(planResponseClock({ measuredFrom: T0, minutes: 1 }).warnAt.toISOString()).toBe(at(0));
  });
});
