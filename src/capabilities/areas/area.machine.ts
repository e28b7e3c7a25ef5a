import { MoveRefused } from '../../platform/errors.ts';

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
