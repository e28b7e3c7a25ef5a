import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';

/**
 * An area's life (decision 0098). Pure. An area is drawn (imported), then live: an import of the
 * same kind and name gives it a new shape, and it may be renamed or given another setting. Removed,
 * it is out of every look-up for good but kept, so the incidents and units that name it keep its
 * name; it makes no other move. An import of its name later draws a new area.
 */

export type AreaStatus = 'new' | 'live' | 'removed';

export type AreaMove =
  /** Drawn from a boundary file. */
  | { type: 'draw' }
  /** A new shape from a boundary file, by the same kind and name. */
  | { type: 'reshape' }
  /** Renamed or given another setting. */
  | { type: 'change' }
  /** Out of every look-up; kept for the records that name it. */
  | { type: 'remove' };

/**
 * The one event type each move appends. An import is one event naming every area it drew and every
 * one it reshaped (decision 0098), so both of those moves append `area.imported`.
 */
export const AREA_MOVE_EVENTS = {
  draw: 'area.imported',
  reshape: 'area.imported',
  change: 'area.changed',
  remove: 'area.removed',
} as const satisfies Record<AreaMove['type'], string>;

/** The machine as the house test reads it. */
export const MACHINE = describeMachine({
  states: ['new', 'live', 'removed'],
  initial: ['new'],
  moves: {
    draw: { from: ['new'], to: ['live'], event: AREA_MOVE_EVENTS.draw },
    reshape: { from: ['live'], to: 'same', event: AREA_MOVE_EVENTS.reshape },
    change: { from: ['live'], to: 'same', event: AREA_MOVE_EVENTS.change },
    remove: { from: ['live'], to: ['removed'], event: AREA_MOVE_EVENTS.remove },
  } satisfies Record<AreaMove['type'], MoveDescription<AreaStatus>>,
  owns: ['area.'],
  otherEvents: {},
});

export type AreaRefusal = 'already_drawn' | 'not_drawn' | 'removed';

/** A move the area's machine refuses: 409, with what to do instead. */
export class AreaMoveRefused extends MoveRefused<AreaRefusal> {}

/** The status after the move, or AreaMoveRefused. */
export function moveArea(status: AreaStatus, move: AreaMove, name: string): Exclude<AreaStatus, 'new'> {
  if (move.type === 'draw') {
    if (status !== 'new') throw new AreaMoveRefused('already_drawn', `${name} is already drawn; import it again to give it a new shape`);
    return 'live';
  }
  if (status === 'new') throw new AreaMoveRefused('not_drawn', `${name} is not drawn yet`);
  if (status === 'removed') throw new AreaMoveRefused('removed', `${name} was removed; import it again to draw it anew`);
  return move.type === 'remove' ? 'removed' : 'live';
}
