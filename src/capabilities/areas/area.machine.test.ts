import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { AREA_MOVE_EVENTS, AreaMoveRefused, MACHINE, moveArea, type AreaMove, type AreaStatus } from './area.machine.ts';
import { areaChanged, areaRemoved, areasImported } from './areas.events.ts';

describe("an area's machine", () => {
  it('refuses-every-move-of-a-removed-area', () => {
    for (const type of ['draw', 'reshape', 'change', 'remove'] as const) {
      expect(() => moveArea('removed', { type }, 'North')).toThrow(AreaMoveRefused);
    }
  });

  it('names-the-events-its-service-records', () => {
    expect(AREA_MOVE_EVENTS).toEqual({ draw: areasImported.type, reshape: areasImported.type, change: areaChanged.type, remove: areaRemoved.type });
  });

  it('is-described-as-it-moves', () => {
    const findings = machineDisagreements(MACHINE, {
      states: { new: ['new'], live: ['live'], removed: ['removed'] } satisfies Record<AreaStatus, readonly AreaStatus[]>,
      moves: { draw: [{ type: 'draw' }], reshape: [{ type: 'reshape' }], change: [{ type: 'change' }], remove: [{ type: 'remove' }] } satisfies Record<AreaMove['type'], readonly AreaMove[]>,
      apply: (status: AreaStatus, move: AreaMove) => {
        try {
          return { to: moveArea(status, move, 'North'), event: AREA_MOVE_EVENTS[move.type] };
        } catch (error) {
          if (error instanceof AreaMoveRefused) return null;
          throw error;
        }
      },
    });
    expect(findings).toEqual([]);
  });
});
