import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { unitState, type UnitState, type UnitStatus } from './unit.machine.ts';

// The questions other rooms ask about units and their assignments, each one query in the caller's
// transaction (decision 0192): only this room reads or writes `units` and `unit_assignments`, so a
// change to how a unit or its assignment is stored stays inside it.

/** A unit sent to an incident: when, when it cleared from it (null while committed), and the unit as it stands now. */
export type UnitSent = { unitId: string; callSign: string; state: UnitState; assignedAt: Date; clearedAt: Date | null };

/**
 * Every unit sent to an incident, once for each time it was sent, in the order they were sent:
 * by time, then call sign, then (a unit stood down and sent again in one instant has two
 * assignments at one time, decision 0178) the order they were stored, ending in id.
 */
export async function listUnitsSentTo(tx: Tx, forceId: ForceId, incidentId: string): Promise<UnitSent[]> {
  const rows = await tx
    .selectFrom('unit_assignments as a')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .select(['a.unit_id', 'u.call_sign', 'u.status', 'u.status_reason', 'u.incident_id', 'a.assigned_at', 'a.cleared_at'])
    .where('a.force_id', '=', forceId)
    .where('a.incident_id', '=', incidentId)
    .orderBy('a.assigned_at')
    .orderBy('u.call_sign')
    .orderBy(sql`a.seq nulls first`)
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({ unitId: row.unit_id, callSign: row.call_sign, state: unitState(row), assignedAt: row.assigned_at, clearedAt: row.cleared_at }));
}

/** What each of the force's units named is, for a document about them: its type, capabilities and status. Units it has no such one of are left out. */
export async function describeUnits(tx: Tx, forceId: ForceId, unitIds: readonly string[]): Promise<{ id: string; type: string; capabilities: string[]; status: UnitStatus }[]> {
  if (unitIds.length === 0) return [];
  return tx.selectFrom('units').select(['id', 'type', 'capabilities', 'status']).where('force_id', '=', forceId).where('id', 'in', unitIds).execute();
}

/** The call signs of the units committed to an incident now, sorted. */
export async function listCallSignsCommittedTo(tx: Tx, forceId: ForceId, incidentId: string): Promise<string[]> {
  const rows = await tx.selectFrom('units').select('call_sign').where('force_id', '=', forceId).where('incident_id', '=', incidentId).orderBy('call_sign').execute();
  return rows.map((row) => row.call_sign);
}
