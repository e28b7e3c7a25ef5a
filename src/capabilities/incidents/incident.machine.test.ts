import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { MACHINE as INCIDENT_MACHINE, INCIDENT_STATUSES, type IncidentStatus } from './incident.machine.ts';
import {
  INCIDENT_MOVE_EVENTS,
  IncidentMoveRefused,
  incidentRow,
  incidentState,
  furthestProgress,
  isIncidentLive,
  moveIncident,
  nextIncidentState,
  requireLiveIncident,
  requireUnfinishedIncident,
  type IncidentMove,
  type IncidentState,
} from './incident.machine.ts';

const S: Record<string, IncidentState> = {
  new: { status: 'new' },
  open: { status: 'open' },
  dispatched: { status: 'dispatched' },
  en_route: { status: 'en_route' },
  on_scene: { status: 'on_scene' },
  resolved: { status: 'resolved' },
  closed: { status: 'closed', closingCode: 'C1' },
  cancelled: { status: 'cancelled', closingCode: 'DUP' },
  rwd: { status: 'resolved_without_deployment', closingCode: 'ADV' },
};

const MOVES: Record<string, IncidentMove> = {
  create: { type: 'create' },
  dispatch: { type: 'dispatch' },
  unit_en_route: { type: 'unit_en_route' },
  unit_on_scene: { type: 'unit_on_scene' },
  unit_cleared: { type: 'unit_cleared', furthest: null },
  resolve: { type: 'resolve' },
  close: { type: 'close', closingCode: 'C9' },
  cancel: { type: 'cancel', closingCode: 'X9' },
  rwd: { type: 'resolve_without_deployment', closingCode: 'A9' },
  update: { type: 'update' },
};

const CLOSED9: IncidentState = { status: 'closed', closingCode: 'C9' };
const CANCELLED9: IncidentState = { status: 'cancelled', closingCode: 'X9' };
const RWD9: IncidentState = { status: 'resolved_without_deployment', closingCode: 'A9' };

/** A state's name in `S`, a refusal, or a state written out. */
type Outcome = string | IncidentState;
const FINISHED: Record<string, Outcome> = Object.fromEntries(Object.keys(MOVES).map((m) => [m, m === 'create' ? 'exists' : 'finished']));

/** Every state against every move: the state it leads to, or the refusal. */
const TABLE: Record<keyof typeof S, Record<keyof typeof MOVES, Outcome>> = {
  new: { create: 'open', dispatch: 'not_stored', unit_en_route: 'not_stored', unit_on_scene: 'not_stored', unit_cleared: 'not_stored', resolve: 'not_stored', close: 'not_stored', cancel: 'not_stored', rwd: 'not_stored', update: 'not_stored' },
  open: { create: 'exists', dispatch: 'dispatched', unit_en_route: 'not_dispatched', unit_on_scene: 'not_dispatched', unit_cleared: 'not_dispatched', resolve: 'not_dispatched', close: 'not_resolved', cancel: CANCELLED9, rwd: RWD9, update: 'open' },
  dispatched: { create: 'exists', dispatch: 'dispatched', unit_en_route: 'en_route', unit_on_scene: 'on_scene', unit_cleared: 'open', resolve: 'resolved', close: 'not_resolved', cancel: CANCELLED9, rwd: 'deployed', update: 'dispatched' },
  en_route: { create: 'exists', dispatch: 'en_route', unit_en_route: 'en_route', unit_on_scene: 'on_scene', unit_cleared: 'open', resolve: 'resolved', close: 'not_resolved', cancel: CANCELLED9, rwd: 'deployed', update: 'en_route' },
  on_scene: { create: 'exists', dispatch: 'on_scene', unit_en_route: 'on_scene', unit_on_scene: 'on_scene', unit_cleared: 'open', resolve: 'resolved', close: 'not_resolved', cancel: CANCELLED9, rwd: 'deployed', update: 'on_scene' },
  resolved: { create: 'exists', dispatch: 'already_resolved', unit_en_route: 'already_resolved', unit_on_scene: 'already_resolved', unit_cleared: 'already_resolved', resolve: 'already_resolved', close: CLOSED9, cancel: 'already_resolved', rwd: 'deployed', update: 'resolved' },
  closed: FINISHED,
  cancelled: FINISHED,
  rwd: FINISHED,
};

describe('the incident machine', () => {
  for (const [stateName, row] of Object.entries(TABLE)) {
    for (const [moveName, outcome] of Object.entries(row)) {
      const state = S[stateName] as IncidentState;
      const move = MOVES[moveName] as IncidentMove;
      const expected = typeof outcome === 'string' && outcome in S ? S[outcome] : outcome;
      it(`${stateName} × ${moveName} → ${typeof expected === 'string' ? `refused (${expected})` : expected?.status}`, () => {
        const next = nextIncidentState(state, move);
        if (typeof expected === 'string') {
          expect(next).toBeInstanceOf(IncidentMoveRefused);
          expect((next as IncidentMoveRefused).refusal).toBe(expected);
          expect((next as IncidentMoveRefused).code).toBe('conflict');
          expect(() => moveIncident(state, move)).toThrow(IncidentMoveRefused);
        } else {
          expect(next).toEqual(expected);
          expect(moveIncident(state, move)).toEqual({ from: state, to: expected, event: INCIDENT_MOVE_EVENTS[move.type] });
        }
      });
    }
  }

  it('covers every state and every move', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(S).sort());
    for (const row of Object.values(TABLE)) expect(Object.keys(row).sort()).toEqual(Object.keys(MOVES).sort());
    expect(new Set(Object.values(MOVES).map((m) => m.type)).size).toBe(Object.keys(INCIDENT_MOVE_EVENTS).length);
  });

  it('reads and writes rows: the closing code only on an ending', () => {
    for (const state of Object.values(S)) {
      if (state.status === 'new') continue;
      expect(incidentState(incidentRow(state))).toEqual(state);
    }
    expect(incidentRow({ status: 'open' })).toEqual({ status: 'open', closing_code: null });
  });

  it('says whether it is live, and refuses work on an ended incident with a sentence', () => {
    expect(isIncidentLive(S.on_scene as IncidentState)).toBe(true);
    expect(isIncidentLive(S.cancelled as IncidentState)).toBe(false);
    expect(() => requireLiveIncident(S.closed as IncidentState, 'linking a contact')).toThrow(/has ended \(closed\); create a new one rather than linking a contact/);
    expect(() => requireLiveIncident(S.resolved as IncidentState, 'linking a contact')).not.toThrow();
  });

  it('follows the furthest unit still committed when one clears, back as well as forward', () => {
    expect(nextIncidentState(S.on_scene as IncidentState, { type: 'unit_cleared', furthest: 'en_route' })).toEqual(S.en_route);
    expect(nextIncidentState(S.en_route as IncidentState, { type: 'unit_cleared', furthest: 'en_route' })).toEqual(S.en_route);
    expect(nextIncidentState(S.dispatched as IncidentState, { type: 'unit_cleared', furthest: 'dispatched' })).toEqual(S.dispatched);
    expect(furthestProgress(['dispatched', 'on_scene', 'en_route'])).toBe('on_scene');
    expect(furthestProgress(['returning', 'available'])).toBeNull();
    expect(furthestProgress([])).toBeNull();
  });

  it('treats an incident open again after its units stood down as deployed to: resolved, never resolved without deployment', () => {
    expect(nextIncidentState(S.open as IncidentState, { type: 'resolve', unitsSentBefore: true })).toEqual(S.resolved);
    expect((nextIncidentState(S.open as IncidentState, { type: 'resolve_without_deployment', closingCode: 'A9', unitsSentBefore: true }) as IncidentMoveRefused).refusal).toBe('deployed');
    expect(nextIncidentState(S.open as IncidentState, { type: 'resolve_without_deployment', closingCode: 'A9', unitsSentBefore: false })).toEqual(RWD9);
  });

  it('corrects an incident in any state until it ends, its status unchanged, as one event', () => {
    expect(moveIncident(S.on_scene as IncidentState, { type: 'update' })).toEqual({ from: S.on_scene, to: S.on_scene, event: 'incident.updated' });
    const refused = nextIncidentState(S.closed as IncidentState, { type: 'update' }) as IncidentMoveRefused;
    expect(refused.refusal).toBe('finished');
    expect(refused.message).toMatch(/has ended \(closed\)/);
  });

  it('takes no merge into an incident resolved or ended, but still a note on a resolved one', () => {
    expect(() => requireUnfinishedIncident(S.resolved as IncidentState, 'merging into it')).toThrow(/is resolved; close it, and create a new one rather than merging into it/);
    expect(() => requireUnfinishedIncident(S.closed as IncidentState, 'merging into it')).toThrow(/has ended/);
    expect(() => requireUnfinishedIncident(S.on_scene as IncidentState, 'merging into it')).not.toThrow();
  });
});

describe("an incident's description", () => {
  it('is-described-as-it-moves', () => {
    const samples: Record<IncidentMove['type'], readonly IncidentMove[]> = {
      create: [{ type: 'create' }],
      dispatch: [{ type: 'dispatch' }],
      unit_en_route: [{ type: 'unit_en_route' }],
      unit_on_scene: [{ type: 'unit_on_scene' }],
      unit_cleared: ([null, 'dispatched', 'en_route', 'on_scene'] as const).map((furthest) => ({ type: 'unit_cleared', furthest }) as const),
      resolve: [{ type: 'resolve' }, { type: 'resolve', unitsSentBefore: true }],
      close: [{ type: 'close', closingCode: 'C9' }],
      cancel: [{ type: 'cancel', closingCode: 'X9' }],
      resolve_without_deployment: [{ type: 'resolve_without_deployment', closingCode: 'A9' }, { type: 'resolve_without_deployment', closingCode: 'A9', unitsSentBefore: true }],
      update: [{ type: 'update' }],
    };
    const states = Object.fromEntries(['new', ...INCIDENT_STATUSES].map((status) => [status, Object.values(S).filter((state) => state.status === status)])) as Record<IncidentStatus | 'new', IncidentState[]>;
    const findings = machineDisagreements(INCIDENT_MACHINE, {
      states,
      moves: samples,
      apply: (state: IncidentState, move: IncidentMove) => {
        const to = nextIncidentState(state, move);
        return to instanceof IncidentMoveRefused ? null : { to: to.status, event: INCIDENT_MOVE_EVENTS[move.type] };
      },
    });
    expect(findings).toEqual([]);
  });
});
