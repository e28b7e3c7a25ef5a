import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type ClockFacts,
  clockState,
  clockTimes,
  DEFAULT_SLA_POLICY,
  effectiveTargetMinutes,
  responseChannelOf,
  parseSlaPolicy,
  remainingMs,
  SLA_KINDS,
  type SlaKind,
  type SlaPolicy,
  type SlaState,
  targetMinutes,
  worstState,
} from './sla.schema.ts';

const start = new Date('2026-11-22T10:00:00Z');
const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

const policy: SlaPolicy = {
  '1': { firstResponseMinutes: 3, nextResponseMinutes: 6, resolutionMinutes: 90 },
  '2': { firstResponseMinutes: 20, nextResponseMinutes: 40, resolutionMinutes: 300 },
  '3': { firstResponseMinutes: 90, nextResponseMinutes: 180, resolutionMinutes: 2880 },
  '4': { firstResponseMinutes: 480, nextResponseMinutes: 960, resolutionMinutes: 10080 },
};

describe('targetMinutes', () => {
  it('reads each kind of clock for each priority from the policy', () => {
    const expected: Record<SlaKind, number[]> = {
      first_response: [3, 20, 90, 480],
      next_response: [6, 40, 180, 960],
      resolution: [90, 300, 2880, 10080],
    };
    for (const kind of SLA_KINDS) {
      expect([1, 2, 3, 4].map((priority) => targetMinutes(policy, priority, kind)), kind).toEqual(expected[kind]);
    }
  });

  it('holds a priority outside 1–4 to the nearest end and drops a fraction', () => {
    expect(targetMinutes(policy, 0, 'first_response')).toBe(3);
    expect(targetMinutes(policy, -3, 'first_response')).toBe(3);
    expect(targetMinutes(policy, 9, 'first_response')).toBe(480);
    expect(targetMinutes(policy, 2.9, 'first_response')).toBe(20);
  });

  it('uses the defaults for a queue that states none', () => {
    expect(targetMinutes(parseSlaPolicy(null), 1, 'first_response')).toBe(2);
    expect(targetMinutes(parseSlaPolicy({}), 4, 'resolution')).toBe(4320);
  });
});

describe('clockTimes', () => {
  it('falls due after the target and warns at the stated share of it', () => {
    expect(clockTimes({ startedAt: start, minutes: 20, warnAtPercent: 75 })).toEqual({
      warnAt: at('2026-11-22T10:15:00Z'),
      dueAt: at('2026-11-22T10:20:00Z'),
    });
    expect(clockTimes({ startedAt: start, minutes: 15, warnAtPercent: 75 }).warnAt).toEqual(at('2026-11-22T10:11:15Z'));
  });

  it('warns no later than a minute before due when the clock is long enough for that', () => {
    // 90% of 3 minutes is 2m42s, only 18s before due: the warning comes at 2 minutes instead.
    expect(clockTimes({ startedAt: start, minutes: 3, warnAtPercent: 90 })).toEqual({
      warnAt: at('2026-11-22T10:02:00Z'),
      dueAt: at('2026-11-22T10:03:00Z'),
    });
    // 99% of a day is 14m24s before due, already earlier than the cap: the share stands.
    expect(clockTimes({ startedAt: start, minutes: 1440, warnAtPercent: 99 }).warnAt).toEqual(at('2026-11-23T09:45:36Z'));
  });

  it('keeps the share when there is no room for a minute of warning', () => {
    expect(clockTimes({ startedAt: start, minutes: 1, warnAtPercent: 75 })).toEqual({
      warnAt: at('2026-11-22T10:00:45Z'),
      dueAt: at('2026-11-22T10:01:00Z'),
    });
  });

  it('never-warns-after-due-or-before-start-for-any-target-and-share', () => {
    for (const minutes of [0.5, 1, 1.5, 2, 3, 5, 15, 60, 240, 1440, 4320]) {
      for (let percent = 1; percent <= 99; percent++) {
        const { warnAt, dueAt } = clockTimes({ startedAt: start, minutes, warnAtPercent: percent });
        const label = `${minutes} min at ${percent}%`;
        expect(dueAt.getTime() - start.getTime(), label).toBe(minutes * MINUTE);
        expect(warnAt.getTime(), label).toBeGreaterThanOrEqual(start.getTime());
        expect(warnAt.getTime(), label).toBeLessThan(dueAt.getTime());
        if (minutes > 1) expect(dueAt.getTime() - warnAt.getTime(), label).toBeGreaterThanOrEqual(MINUTE);
        // The cap only ever brings the warning forward, never pushes it past the share.
        expect(warnAt.getTime() - start.getTime(), label).toBeLessThanOrEqual((minutes * MINUTE * percent) / 100);
      }
    }
  });

  it('does-not-run-a-clock-backwards-for-a-negative-target', () => {
    const { warnAt, dueAt } = clockTimes({ startedAt: start, minutes: -10, warnAtPercent: 75 });
    expect(dueAt).toEqual(start);
    expect(warnAt).toEqual(start);
  });
});

describe('clockState', () => {
  // A 20-minute first response at 75%: warns at 10:15, due at 10:20.
  const times = clockTimes({ startedAt: start, minutes: 20, warnAtPercent: 75 });
  const running: ClockFacts = { ...times, stoppedAt: null, stopReason: null };
  const stopped = (iso: string, stopReason: string | null): ClockFacts => ({ ...times, stoppedAt: at(iso), stopReason });

  it('runs, then warns, then breaches as time passes', () => {
    const timeline: [string, SlaState][] = [
      ['2026-11-22T10:00:00.000Z', 'running'],
      ['2026-11-22T10:14:59.999Z', 'running'],
      ['2026-11-22T10:15:00.000Z', 'warning'],
      ['2026-11-22T10:19:59.999Z', 'warning'],
      ['2026-11-22T10:20:00.000Z', 'breached'],
      ['2026-11-23T10:00:00.000Z', 'breached'],
    ];
    expect(timeline.map(([iso]) => [iso, clockState(running, at(iso))])).toEqual(timeline);
  });

  it('is met when a response or closing stops it before the due moment', () => {
    for (const stopReason of ['responded', 'closed']) {
      expect(clockState(stopped('2026-11-22T10:03:00Z', stopReason), at('2026-11-22T10:03:00Z')), stopReason).toBe('met');
      expect(clockState(stopped('2026-11-22T10:17:00Z', stopReason), at('2026-11-22T10:17:00Z')), stopReason).toBe('met');
      expect(clockState(stopped('2026-11-22T10:19:59.999Z', stopReason), at('2026-11-22T10:20:00Z')), stopReason).toBe('met');
    }
  });

  it('is missed when stopped at the due moment itself, as a running clock is breached then', () => {
    for (const stopReason of ['responded', 'closed']) {
      expect(clockState(stopped('2026-11-22T10:20:00Z', stopReason), at('2026-11-22T10:20:00Z')), stopReason).toBe('missed');
    }
  });

  it('is missed when a response or closing stops it after the due time', () => {
    for (const stopReason of ['responded', 'closed']) {
      expect(clockState(stopped('2026-11-22T10:20:00.001Z', stopReason), at('2026-11-22T10:21:00Z')), stopReason).toBe('missed');
      expect(clockState(stopped('2026-11-22T13:00:00Z', stopReason), at('2026-11-22T13:00:00Z')), stopReason).toBe('missed');
    }
  });

  it('stays as it stopped, whenever it is looked at afterwards', () => {
    const met = stopped('2026-11-22T10:05:00Z', 'responded');
    const missed = stopped('2026-11-22T10:25:00Z', 'responded');
    for (const iso of ['2026-11-22T10:25:00Z', '2026-11-22T12:00:00Z', '2026-12-22T10:00:00Z']) {
      expect(clockState(met, at(iso)), iso).toBe('met');
      expect(clockState(missed, at(iso)), iso).toBe('missed');
    }
  });

  it('never-counts-an-escalated-or-reprioritised-clock-as-met-or-missed', () => {
    for (const stopReason of ['escalated', 'reprioritised', null, '']) {
      expect(clockState(stopped('2026-11-22T10:05:00Z', stopReason), at('2026-11-22T10:05:00Z')), String(stopReason)).toBe('cancelled');
      expect(clockState(stopped('2026-11-22T10:45:00Z', stopReason), at('2026-11-22T11:00:00Z')), String(stopReason)).toBe('cancelled');
    }
  });

  it('goes straight to breached for a clock with no time on it', () => {
    const zero: ClockFacts = { ...clockTimes({ startedAt: start, minutes: 0, warnAtPercent: 75 }), stoppedAt: null, stopReason: null };
    expect(clockState(zero, start)).toBe('breached');
  });
});

describe('remainingMs', () => {
  const times = clockTimes({ startedAt: start, minutes: 20, warnAtPercent: 75 });
  const running: ClockFacts = { ...times, stoppedAt: null, stopReason: null };

  it('counts down to the due time and below zero once overdue', () => {
    expect(remainingMs(running, start)).toBe(20 * MINUTE);
    expect(remainingMs(running, at('2026-11-22T10:19:30Z'))).toBe(30_000);
    expect(remainingMs(running, at('2026-11-22T10:20:00Z'))).toBe(0);
    expect(remainingMs(running, at('2026-11-22T10:25:00Z'))).toBe(-5 * MINUTE);
  });

  it('for a stopped clock, gives how early or late it stopped whenever it is asked', () => {
    const early: ClockFacts = { ...times, stoppedAt: at('2026-11-22T10:12:00Z'), stopReason: 'responded' };
    const late: ClockFacts = { ...times, stoppedAt: at('2026-11-22T10:23:00Z'), stopReason: 'responded' };
    for (const iso of ['2026-11-22T10:30:00Z', '2026-11-23T00:00:00Z']) {
      expect(remainingMs(early, at(iso)), iso).toBe(8 * MINUTE);
      expect(remainingMs(late, at(iso)), iso).toBe(-3 * MINUTE);
    }
  });
});

describe('worstState', () => {
  it('ranks breached, missed, warning, running, met, cancelled', () => {
    const ranked: SlaState[] = ['breached', 'missed', 'warning', 'running', 'met', 'cancelled'];
    for (let i = 0; i < ranked.length; i++) {
      const worst = ranked[i];
      // Every state at or below this one, in an order that puts the worst last.
      const rest = ranked.slice(i).reverse();
      expect(worstState(rest), String(worst)).toBe(worst);
    }
  });

  it('is unaffected by repeats and order', () => {
    expect(worstState(['met', 'running', 'met', 'cancelled', 'running'])).toBe('running');
    expect(worstState(['cancelled', 'warning', 'met'])).toBe('warning');
  });

  it('has-no-worst-state-for-no-clocks', () => {
    expect(worstState([])).toBeNull();
  });
});

describe('parseSlaPolicy', () => {
  it('reads a complete stored policy as it is', () => {
    expect(parseSlaPolicy(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
  });

  it('falls back to the defaults for anything that is not an object', () => {
    for (const value of [null, undefined, 'fast', 42, true]) {
      expect(parseSlaPolicy(value), String(value)).toEqual(DEFAULT_SLA_POLICY);
    }
  });

  it('falls back per priority, and per field within a priority', () => {
    const parsed = parseSlaPolicy({
      '2': { firstResponseMinutes: 10 },
      '3': 'not an entry',
      '4': null,
      '5': { firstResponseMinutes: 1 },
    });
    expect(parsed).toEqual({
      '1': DEFAULT_SLA_POLICY['1'],
      '2': { firstResponseMinutes: 10, nextResponseMinutes: 30, resolutionMinutes: 240 },
      '3': DEFAULT_SLA_POLICY['3'],
      '4': DEFAULT_SLA_POLICY['4'],
    });
  });

  it('keeps a fractional number of minutes', () => {
    expect(parseSlaPolicy({ '1': { firstResponseMinutes: 1.5 } })['1'].firstResponseMinutes).toBe(1.5);
  });

  it('rejects-negative-zero-nan-infinite-and-non-number-targets', () => {
    for (const bad of [-5, 0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '15', null, [15], { minutes: 15 }]) {
      const parsed = parseSlaPolicy({ '1': { firstResponseMinutes: bad, nextResponseMinutes: bad, resolutionMinutes: bad } });
      expect(parsed['1'], inspect(bad)).toEqual(DEFAULT_SLA_POLICY['1']);
    }
  });

  it('does-not-change-the-defaults-when-a-policy-overrides-them', () => {
    const before = JSON.stringify(DEFAULT_SLA_POLICY);
    parseSlaPolicy({ '1': { firstResponseMinutes: 99, nextResponseMinutes: 99, resolutionMinutes: 99 } });
    expect(JSON.stringify(DEFAULT_SLA_POLICY)).toBe(before);
  });
});

describe('effectiveTargetMinutes (decision 0041)', () => {
  const channelTargets = { chat: { firstResponseMinutes: 2, nextResponseMinutes: 5 }, sms: { firstResponseMinutes: 30, nextResponseMinutes: null } };
  const minutes = (channel: string | null, priority: number, kind: SlaKind) => effectiveTargetMinutes({ policy, priority, kind, channel, channelTargets });

  it("gives a chat the channel's minutes when they are tighter than the queue's", () => {
    expect(minutes('chat', 4, 'first_response')).toBe(2);
    expect(minutes('chat', 4, 'next_response')).toBe(5);
  });
  it("keeps the queue's target when it is already tighter than the channel's", () => {
    // Priority 1 allows 3 minutes for a first response; the text target of 30 never loosens it.
    expect(minutes('sms_twilio', 1, 'first_response')).toBe(3);
    expect(minutes('sms_twilio', 2, 'first_response')).toBe(20);
    expect(minutes('sms_twilio', 3, 'first_response')).toBe(30);
  });
  it("keeps the queue's target for channels with none, a target left empty, and resolution", () => {
    expect(minutes('email', 4, 'first_response')).toBe(480);
    expect(minutes('sms_twilio', 4, 'next_response')).toBe(960);
    expect(minutes('chat', 4, 'resolution')).toBe(10080);
    expect(minutes(null, 4, 'first_response')).toBe(480);
    expect(minutes('carrier_pigeon', 4, 'first_response')).toBe(480);
  });
  it('reads texts from either provider as one kind of channel, and social media likewise', () => {
    expect(minutes('sms_notify', 4, 'first_response')).toBe(30);
    expect(responseChannelOf('sms_twilio')).toBe('sms');
    expect(responseChannelOf('meta')).toBe('social');
    expect(responseChannelOf('x')).toBe('social');
    expect(responseChannelOf('api')).toBe('portal');
    expect(responseChannelOf('phone')).toBe('voice');
    expect(responseChannelOf('unknown')).toBeNull();
  });
});
