import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { CLOCK_STOP_CAUSES, CLOCK_STOP_EVENTS, MACHINE as RESPONSE_CLOCK_MACHINE, stopMoveName } from './response-clock.machine.ts';
import { ResponseClockMoveRefused, nextResponseClockState, responseClockState, type ResponseClockMove, type ResponseClockState } from './response-clock.machine.ts';

const at = new Date('2026-03-02T10:00:00Z');
const row = { kind: 'deploy' as const, stopped_at: null, stop_reason: null, warned_at: null, breached_at: null };
/** Where a move leads from a state, or `refused: ` and the refusal's code. */
const outcome = (state: ResponseClockState | 'new', move: ResponseClockMove) => {
  const result = nextResponseClockState(state, move);
  return result instanceof ResponseClockMoveRefused ? `refused: ${result.refusal}` : result.to;
};

describe("a response clock's machine", () => {
  it('warns once, and only a clock still running unbreached', () => {
    expect(outcome('running', { type: 'warn' })).toBe('warned');
    expect(outcome('warned', { type: 'warn' })).toBe('refused: warned');
    expect(outcome('breached', { type: 'warn' })).toBe('refused: breached');
    for (const stopped of ['met', 'missed', 'stopped'] as const) expect(outcome(stopped, { type: 'warn' })).toBe('refused: stopped');
  });

  it('breaches once, and only a clock still running', () => {
    expect(outcome('running', { type: 'breach' })).toBe('breached');
    expect(outcome('warned', { type: 'breach' })).toBe('breached');
    expect(outcome('breached', { type: 'breach' })).toBe('refused: breached');
    for (const stopped of ['met', 'missed', 'stopped'] as const) expect(outcome(stopped, { type: 'breach' })).toBe('refused: stopped');
  });

  it('is met only by the milestone its kind measures, before it breached', () => {
    expect(outcome('warned', { type: 'stop', cause: 'dispatched', kind: 'deploy' })).toBe('met');
    expect(outcome('running', { type: 'stop', cause: 'arrived', kind: 'arrive' })).toBe('met');
    expect(outcome('running', { type: 'stop', cause: 'dispatched', kind: 'arrive' })).toBe('stopped');
    expect(outcome('running', { type: 'stop', cause: 'regraded', kind: 'deploy' })).toBe('stopped');
    expect(outcome('running', { type: 'stop', cause: 'cancelled', kind: 'deploy' })).toBe('stopped');
    expect(outcome('breached', { type: 'stop', cause: 'dispatched', kind: 'deploy' })).toBe('missed');
    expect(outcome('met', { type: 'stop', cause: 'resolved', kind: 'deploy' })).toBe('refused: stopped');
  });

  it('hands a breach on only from a clock stopped past its target', () => {
    expect(outcome('missed', { type: 'hand_over_breach' })).toBe('stopped');
    expect(outcome('breached', { type: 'hand_over_breach' })).toBe('refused: not_missed');
    expect(outcome('stopped', { type: 'hand_over_breach' })).toBe('refused: not_missed');
  });

  it('starts once, breached when it carries a missed target', () => {
    expect(outcome('new', { type: 'start', carriesBreach: false })).toBe('running');
    expect(outcome('new', { type: 'start', carriesBreach: true })).toBe('breached');
    expect(outcome('running', { type: 'start', carriesBreach: false })).toBe('refused: exists');
    expect(outcome('new', { type: 'warn' })).toBe('refused: not_started');
  });

  it('reads a stored clock: stopped before breached before warned', () => {
    expect(responseClockState(row)).toBe('running');
    expect(responseClockState({ ...row, warned_at: at })).toBe('warned');
    expect(responseClockState({ ...row, warned_at: at, breached_at: at })).toBe('breached');
    expect(responseClockState({ ...row, stopped_at: at, stop_reason: 'dispatched' })).toBe('met');
    expect(responseClockState({ ...row, kind: 'arrive', stopped_at: at, stop_reason: 'dispatched' })).toBe('stopped');
    expect(responseClockState({ ...row, stopped_at: at, stop_reason: 'ended' })).toBe('stopped');
    expect(responseClockState({ ...row, stopped_at: at, stop_reason: 'dispatched', breached_at: at })).toBe('missed');
  });
});

describe("a response clock's description", () => {
  it('is-described-as-it-moves', () => {
    const stops = (cause: (typeof CLOCK_STOP_CAUSES)[number]): ResponseClockMove[] => [
      { type: 'stop', cause, kind: 'deploy' },
      { type: 'stop', cause, kind: 'arrive' },
    ];
    const findings = machineDisagreements(RESPONSE_CLOCK_MACHINE, {
      states: { new: ['new'], running: ['running'], warned: ['warned'], breached: ['breached'], met: ['met'], missed: ['missed'], stopped: ['stopped'] },
      moves: {
        start: [
          { type: 'start', carriesBreach: false },
          { type: 'start', carriesBreach: true },
        ],
        warn: [{ type: 'warn' }],
        breach: [{ type: 'breach' }],
        ...Object.fromEntries(CLOCK_STOP_CAUSES.map((cause) => [stopMoveName(cause), stops(cause)])),
        hand_over_breach: [{ type: 'hand_over_breach' }],
      },
      apply: (state: ResponseClockState | 'new', move: ResponseClockMove) => {
        const result = nextResponseClockState(state, move);
        return result instanceof ResponseClockMoveRefused ? null : result;
      },
    });
    expect(findings).toEqual([]);
  });

  it('records each stop by the event of the incident move that stopped it', () => {
    expect(CLOCK_STOP_EVENTS).toMatchObject({ dispatched: 'incident.dispatched', arrived: 'incident.unit_on_scene', regraded: 'incident.regraded', cancelled: 'incident.cancelled' });
  });
});
