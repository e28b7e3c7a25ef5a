import { describe, expect, it } from 'vitest';
import { buildResponseReport, csvField, judgeTarget, percentile, toCsv, type IncidentResponseFacts } from './response-report.schema.ts';
import { ukDayStart } from './response-report.service.ts';

const T0 = new Date('2026-06-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function incident(number: number, over: Partial<IncidentResponseFacts> = {}): IncidentResponseFacts {
  return {
    incidentId: `i${number}`,
    number,
    areaName: 'Town',
    grade: 'immediate',
    createdAt: T0,
    firstDispatchAt: null,
    firstArrivalAt: null,
    deployTargetMinutes: 3,
    arriveTargetMinutes: 15,
    endedAt: null,
    ...over,
  };
}

describe('response report arithmetic', () => {
  it('interpolates percentiles between ranks and has none for no values', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
  });

  it('judges a target met on time, missed when late or overdue while open, and not at all when ended early or without a target', () => {
    expect(judgeTarget(T0, at(3), 3, null, at(60))).toBe('met');
    expect(judgeTarget(T0, at(3.01), 3, null, at(60))).toBe('missed');
    expect(judgeTarget(T0, null, 3, null, at(4))).toBe('missed');
    expect(judgeTarget(T0, null, 3, null, at(2))).toBeNull();
    // Cancelled after a minute: the target never ran out, so it is not counted either way.
    expect(judgeTarget(T0, null, 3, at(1), at(60))).toBeNull();
    // Cancelled after the target ran out: it was missed while the incident was open.
    expect(judgeTarget(T0, null, 3, at(5), at(60))).toBe('missed');
    expect(judgeTarget(T0, at(1), null, null, at(60))).toBeNull();
  });

  it('groups by area and grade, with totals per grade over all areas, and counts breaches per group', () => {
    const incidents = [
      incident(1, { firstDispatchAt: at(2), firstArrivalAt: at(10) }),
      incident(2, { firstDispatchAt: at(5), firstArrivalAt: at(20) }),
      incident(3, { areaName: 'Hills', firstDispatchAt: at(1), firstArrivalAt: at(18), arriveTargetMinutes: 20 }),
      incident(4, { grade: 'priority', deployTargetMinutes: 20, arriveTargetMinutes: 60, firstDispatchAt: at(10) }),
      incident(5, { areaName: null, firstDispatchAt: null, endedAt: at(1) }),
    ];
    const breach = { incidentId: 'i2', number: 2, areaName: 'Town', grade: 'immediate' as const, dueAt: at(3), breachedAt: at(3), reasonCode: null, reasonLabel: null, reasonText: null };
    const report = buildResponseReport(incidents, [{ ...breach, kind: 'deploy' }, { ...breach, kind: 'arrive', dueAt: at(15), breachedAt: at(15) }], at(120));
    expect(report.rows.map((r) => [r.areaName, r.grade, r.incidents])).toEqual([
      ['Hills', 'immediate', 1],
      ['Town', 'immediate', 2],
      ['Town', 'priority', 1],
      [null, 'immediate', 1],
    ]);
    const town = report.rows[1];
    expect(town?.deploy).toEqual({ measured: 2, withinTarget: 1, withinTargetPercent: 50, medianMinutes: 3.5, p90Minutes: 4.7 });
    expect(town?.arrive).toEqual({ measured: 2, withinTarget: 1, withinTargetPercent: 50, medianMinutes: 15, p90Minutes: 19 });
    expect(town?.breaches).toBe(2);
    // Dispatched at 10 minutes, no arrival yet, 120 minutes in: the 60-minute arrival was missed.
    expect(report.rows[2]?.arrive).toMatchObject({ measured: 1, withinTarget: 0, withinTargetPercent: 0, medianMinutes: null });
    // Ended before its target with no dispatch: counted as an incident, measured for nothing.
    expect(report.rows[3]).toMatchObject({ incidents: 1, deploy: { measured: 0, withinTargetPercent: null }, breaches: 0 });
    expect(report.totals.map((r) => [r.grade, r.incidents, r.deploy.measured, r.deploy.withinTarget, r.breaches])).toEqual([
      ['immediate', 4, 3, 2, 2],
      ['priority', 1, 1, 1, 0],
    ]);
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and never lets a spreadsheet run a typed formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
  });
});

describe('UK days', () => {
  it('starts a day at UK midnight in winter and in summer time', () => {
    expect(ukDayStart('2026-01-15').toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(ukDayStart('2026-07-15').toISOString()).toBe('2026-07-14T23:00:00.000Z');
    // The days the clocks change.
    expect(ukDayStart('2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(ukDayStart('2026-10-25').toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });
});
