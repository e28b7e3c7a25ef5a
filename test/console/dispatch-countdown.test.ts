// The dispatcher's countdown: the words and colours a dispatcher acts on, on the server's time.
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { readCountdown, type IncidentClock } from '../../web/console/src/screens/dispatch/countdown.ts';
import { Countdown } from '../../web/console/src/screens/dispatch/Countdown.tsx';
import { byTimeLeft, clockOf } from '../../web/console/src/screens/dispatch/incident-clock.ts';
import type { IncidentSummary } from '../../web/console/src/api/dispatch.ts';
import { missedTargetsText } from '../../web/console/src/screens/dispatch/dispatch-text.ts';

const at = (iso: string) => Date.parse(iso);
const deploy: IncidentClock = {
  kind: 'deploy',
  startedAt: '2026-03-01T10:00:00.000Z',
  warnAt: '2026-03-01T10:02:00.000Z',
  dueAt: '2026-03-01T10:03:00.000Z',
  breachedAt: null,
};
const arrive: IncidentClock = { ...deploy, kind: 'arrive', warnAt: '2026-03-01T10:10:00.000Z', dueAt: '2026-03-01T10:15:00.000Z' };

describe('reading a countdown', () => {
  it('counts down to deploy in minutes and seconds, with time in hand', () => {
    expect(readCountdown(deploy, at('2026-03-01T10:00:19.000Z'))).toMatchObject({ state: 'ok', text: 'Deploy in 2:41', spoken: 'Deploy in 2 minutes 41 seconds' });
  });

  it('rounds a part second up, so it never shows 0:00 before it is due', () => {
    expect(readCountdown(deploy, at('2026-03-01T10:02:59.400Z')).text).toBe('Deploy in 0:01');
  });

  it('turns amber at the warning point and says so in words', () => {
    const reading = readCountdown(deploy, at('2026-03-01T10:02:00.000Z'));
    expect(reading).toMatchObject({ state: 'warning', text: 'Deploy in 1:00' });
    expect(reading.spoken).toBe('Deploy in 1 minute 0 seconds, due soon');
  });

  it('turns red at the due time and counts how overdue it is', () => {
    expect(readCountdown(deploy, at('2026-03-01T10:03:00.000Z')).state).toBe('breached');
    const late = readCountdown(arrive, at('2026-03-01T10:16:05.000Z'));
    expect(late).toMatchObject({ state: 'breached', text: 'Arrive overdue 1:05', spoken: 'Arrive overdue by 1 minute 5 seconds, target missed', remainingMs: -65_000 });
  });

  it('is red when the server has recorded a breach, even if this browser reckons time is left', () => {
    expect(readCountdown({ ...deploy, breachedAt: '2026-03-01T10:03:00.000Z' }, at('2026-03-01T10:02:58.000Z')).state).toBe('breached');
  });

  it('shows hours past the hour', () => {
    const long = { ...arrive, warnAt: '2026-03-01T12:00:00.000Z', dueAt: '2026-03-01T12:00:00.000Z' };
    expect(readCountdown(long, at('2026-03-01T10:00:00.000Z')).text).toBe('Arrive in 2:00:00');
  });
});

describe('the Countdown component', () => {
  it('shows the text, marks its state and kind, and gives screen readers the sentence (not colour alone)', () => {
    const html = renderToStaticMarkup(createElement(Countdown, { clock: arrive, now: at('2026-03-01T10:16:05.000Z') }));
    expect(html).toContain('data-state="breached"');
    expect(html).toContain('data-kind="arrive"');
    expect(html).toContain('Arrive overdue 1:05');
    expect(html).toContain('<span class="visually-hidden">Arrive overdue by 1 minute 5 seconds, target missed</span>');
    expect(html).toMatch(/<span class="countdown__icon" aria-hidden="true">■<\/span>/);
    expect(html).not.toContain('style=');
  });

  it('has no icon while time is in hand', () => {
    const html = renderToStaticMarkup(createElement(Countdown, { clock: deploy, now: at('2026-03-01T10:00:00.000Z') }));
    expect(html).toContain('data-state="ok"');
    expect(html).not.toContain('countdown__icon');
  });
});

const GRADE_NAMES = { immediate: 'Immediate', priority: 'Priority', scheduled: 'Scheduled', resolution_without_deployment: 'Resolution without deployment' } as const;

function incident(id: string, grade: keyof typeof GRADE_NAMES, createdAt: string, clock: IncidentClock | null = null): IncidentSummary {
  return {
    id,
    number: 1,
    reference: id.toUpperCase(),
    type: 'crime',
    summary: '',
    grade: { code: grade, label: GRADE_NAMES[grade] },
    clock,
    missedTargets: [],
    status: 'open',
    closingCode: null,
    location: { text: null, lat: null, lon: null, district: null, beat: null },
    requiredCapabilities: [],
    createdAt,
    updatedAt: createdAt,
  };
}

describe("an incident's clock and the board's order", () => {
  it('reads the clock the API gives, and none when none runs', () => {
    expect(clockOf(incident('a', 'immediate', '2026-03-01T10:00:00Z', deploy))).toEqual(deploy);
    expect(clockOf(incident('b', 'immediate', '2026-03-01T10:00:00Z', null))).toBeNull();
  });

  it('puts the least time left first (the most overdue at the top), then those without a clock by grade and age', () => {
    const now = at('2026-03-01T10:05:00.000Z');
    const order = byTimeLeft(
      [
        incident('later', 'priority', '2026-03-01T09:00:00Z', { ...arrive, dueAt: '2026-03-01T11:00:00.000Z' }),
        incident('no-clock-scheduled', 'scheduled', '2026-03-01T08:00:00Z'),
        incident('overdue', 'immediate', '2026-03-01T10:00:00Z', deploy),
        incident('no-clock-immediate-new', 'immediate', '2026-03-01T10:04:00Z'),
        incident('soon', 'immediate', '2026-03-01T10:00:00Z', arrive),
        incident('no-clock-immediate-old', 'immediate', '2026-03-01T09:30:00Z'),
      ],
      now,
    ).map((i) => i.id);
    expect(order).toEqual(['overdue', 'soon', 'later', 'no-clock-immediate-old', 'no-clock-immediate-new', 'no-clock-scheduled']);
  });
});

describe("the board's word on targets met late", () => {
  it('names each kind missed once, and says nothing when none is owed a reason', () => {
    expect(missedTargetsText([])).toBeNull();
    expect(missedTargetsText(['deploy'])).toBe('Deploy target missed: why is not recorded yet');
    expect(missedTargetsText(['deploy', 'arrive', 'deploy'])).toBe('Deploy and arrival targets missed: why is not recorded yet');
  });
});
