import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { notFound } from '../../platform/errors.ts';
import { unitRow, unitState, type UnitState } from './unit.machine.ts';

/**
 * Every capability some unit of the force has (off duty or not, but not retired), sorted: what an
 * incident may require, so that a misspelt one, or one only a retired unit had, is refused rather
 * than leaving no unit ever recommended.
 */
export async function findUnitCapabilities(tx: Tx, forceId: ForceId): Promise<string[]> {
  const rows = await tx
    .selectFrom('units')
    .select(sql<string>`unnest(capabilities)`.as('capability'))
    .distinct()
    .where('force_id', '=', forceId)
    .where('status', '<>', 'retired')
    .execute();
  return [...new Set(rows.map((row) => row.capability))].sort();
}

/** A unit's row locked for a move of its machine, with its state; 404 when the force has no such unit. */
export async function lockUnit(tx: Tx, forceId: ForceId, unitId: string) {
  const row = await tx.selectFrom('units').select(['id', 'call_sign', 'status', 'status_reason', 'incident_id']).where('force_id', '=', forceId).where('id', '=', unitId).forUpdate().executeTakeFirst();
  if (!row) throw notFound('unit');
  return { ...row, state: unitState(row) };
}

/** Writes the state a move of the unit's machine led to. */
export async function writeUnitState(tx: Tx, forceId: ForceId, unitId: string, state: UnitState, now: Date): Promise<void> {
  await tx.updateTable('units').set({ ...unitRow(state), updated_at: now }).where('force_id', '=', forceId).where('id', '=', unitId).execute();
}

/**
 * Deletes a unit's latest position. A retired unit's is not kept (decision 0094): retiring runs it
 * after the unit's row is locked and moved, and reinstating runs it again, so a position stored by
 * a batch that read the unit as not yet retired is never shown as where the reinstated unit is.
 */
export async function deleteLatestPosition(tx: Tx, forceId: ForceId, unitId: string): Promise<void> {
  await tx.deleteFrom('unit_positions_latest').where('force_id', '=', forceId).where('unit_id', '=', unitId).execute();
}
