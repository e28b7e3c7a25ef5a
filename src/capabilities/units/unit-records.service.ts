import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { UnitState } from './unit.machine.ts';
import * as units from './units.repository.ts';

// What dispatch and incidents read and store of units inside their own transactions, through this
// service rather than the repository (decision 0181). It imports no other room.

/** The capabilities the force's units (not retired) have between them, sorted. */
export function findUnitCapabilities(tx: Tx, forceId: ForceId): Promise<string[]> {
  return units.findUnitCapabilities(tx, forceId);
}

/** One of the force's units, locked (`for update`) for a move of its machine, with its state; not found otherwise. */
export function lockUnit(tx: Tx, forceId: ForceId, unitId: string) {
  return units.lockUnit(tx, forceId, unitId);
}

/** Writes the state a move of the unit's machine led to. */
export function writeUnitState(tx: Tx, forceId: ForceId, unitId: string, state: UnitState, now: Date): Promise<void> {
  return units.writeUnitState(tx, forceId, unitId, state, now);
}
