import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { AppError, conflict, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { moveUnit, unitRow } from './unit.machine.ts';
import { unitDetailsChanged, unitMoveEvent } from './units.events.ts';
import { eidoStatusOf, type CreateUnitBody, type PositionBatch, type UnitView, type UpdateUnitBody } from './units.schema.ts';

/** A position older than this is stale: shown so, and not used to recommend the unit. */
export const POSITION_STALE_AFTER_MS = 5 * 60_000;

function unitQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('units as u')
    .leftJoin('unit_positions_latest as p', 'p.unit_id', 'u.id')
    .selectAll('u')
    .select(['p.lat', 'p.lon', 'p.recorded_at'])
    .where('u.force_id', '=', forceId);
}
type UnitQueryRow = Awaited<ReturnType<ReturnType<typeof unitQuery>['executeTakeFirstOrThrow']>>;

/** The unit as the API shows it; its position is stale when older than `staleAfterMs` at `now`. */
export function toUnitView(row: UnitQueryRow, now: Date, staleAfterMs = POSITION_STALE_AFTER_MS): UnitView {
  return {
    id: row.id,
    callSign: row.call_sign,
    type: row.type,
    capabilities: row.capabilities,
    homeStation: row.home_station,
    homeAreaId: row.home_area_id,
    status: row.status,
    eidoStatus: eidoStatusOf(row.status),
    statusReason: row.status_reason,
    incidentId: row.incident_id,
    position:
      row.lat !== null && row.lon !== null && row.recorded_at !== null
        ? { lat: row.lat, lon: row.lon, recordedAt: row.recorded_at.toISOString(), isStale: now.getTime() - row.recorded_at.getTime() > staleAfterMs }
        : null,
  };
}

/** Every unit of the force with its latest position, by call sign. */
export async function listUnits(deps: ServiceDeps, forceId: ForceId): Promise<UnitView[]> {
  return withForce(deps.db, forceId, async (tx) => {
    const rows = await unitQuery(tx, forceId).orderBy('u.call_sign').execute();
    const now = deps.clock.now();
    return rows.map((row) => toUnitView(row, now));
  });
}

/** The force's units with their latest positions, as stored (for the recommendation). */
export async function readUnitsWithPositions(tx: Tx, forceId: ForceId) {
  return unitQuery(tx, forceId).execute();
}

export async function getUnit(deps: ServiceDeps, forceId: ForceId, unitId: string): Promise<UnitView> {
  return withForce(deps.db, forceId, (tx) => loadUnit(tx, forceId, unitId, deps.clock.now()));
}

export async function loadUnit(tx: Tx, forceId: ForceId, unitId: string, now: Date): Promise<UnitView> {
  const row = await unitQuery(tx, forceId).where('u.id', '=', unitId).executeTakeFirst();
  if (!row) throw notFound('unit');
  return toUnitView(row, now);
}

async function requireArea(tx: Tx, forceId: ForceId, areaId: string | null | undefined): Promise<void> {
  if (!areaId) return;
  const area = await tx.selectFrom('areas').select('id').where('force_id', '=', forceId).where('id', '=', areaId).executeTakeFirst();
  if (!area) throw notFound('area');
}

/** Adds a unit to the force's fleet, available. Call signs are unique within the force. */
export async function createUnit(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, body: CreateUnitBody): Promise<UnitView> {
  const unitId = newId();
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    await requireArea(tx, forceId, body.homeAreaId);
    const taken = await tx.selectFrom('units').select('id').where('force_id', '=', forceId).where('call_sign', '=', body.callSign).executeTakeFirst();
    if (taken) throw conflict(`call sign ${body.callSign} is already in use`);
    const transition = moveUnit({ status: 'new' }, { type: 'create' });
    const capabilities = [...new Set(body.capabilities)];
    try {
      await tx
        .insertInto('units')
        .values({
          id: unitId,
          force_id: forceId,
          call_sign: body.callSign,
          type: body.type,
          capabilities,
          home_station: body.homeStation ?? null,
          home_area_id: body.homeAreaId ?? null,
          ...unitRow(transition.to),
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (error) {
      // Added by someone else since the check above.
      if (isUniqueViolation(error)) throw conflict(`call sign ${body.callSign} is already in use`);
      throw error;
    }
    record(tx, forceId, deps.clock, unitMoveEvent(transition, { actor: { type: 'staff', id: staffId }, unitId, data: { callSign: body.callSign, unitType: body.type, capabilities } }));
    return loadUnit(tx, forceId, unitId, now);
  });
}

/** Changes a unit's type, capabilities or home. Its status moves only through its machine. */
export async function updateUnit(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, unitId: string, body: UpdateUnitBody): Promise<UnitView> {
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    await requireArea(tx, forceId, body.homeAreaId);
    const changes = {
      ...(body.type !== undefined ? { type: body.type } : {}),
      ...(body.capabilities !== undefined ? { capabilities: [...new Set(body.capabilities)] } : {}),
      ...(body.homeStation !== undefined ? { home_station: body.homeStation } : {}),
      ...(body.homeAreaId !== undefined ? { home_area_id: body.homeAreaId } : {}),
    };
    const updated = await tx.updateTable('units').set({ ...changes, updated_at: now }).where('force_id', '=', forceId).where('id', '=', unitId).executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw notFound('unit');
    record(tx, forceId, deps.clock, unitDetailsChanged.of({ actor: { type: 'staff', id: staffId }, subjectId: unitId, data: { fields: Object.keys(body).sort() } }));
    return loadUnit(tx, forceId, unitId, now);
  });
}

/**
 * Stores a batch of positions from vehicle tracking: for each unit the newest one only, and only
 * when it is newer than the one held (late and out-of-order positions are ignored, in the same
 * statement, so two batches racing cannot put an older position back). A position for a unit
 * the force does not have refuses the whole batch, naming it, so a misconfigured feed is seen.
 */
export async function ingestPositions(deps: ServiceDeps, forceId: ForceId, batch: PositionBatch): Promise<{ stored: number; ignored: number }> {
  const now = deps.clock.now();
  const newest = new Map<string, { lat: number; lon: number; recordedAt: Date }>();
  batch.positions.forEach((position, index) => {
    const recordedAt = new Date(position.recordedAt);
    if (recordedAt.getTime() > now.getTime() + 60_000) {
      throw new AppError('validation_failed', `positions.${index}.recordedAt: is in the future`, { fields: [{ path: `positions.${index}.recordedAt`, message: 'is in the future; check the tracker clock' }] });
    }
    const held = newest.get(position.unitId);
    if (!held || held.recordedAt < recordedAt) newest.set(position.unitId, { lat: position.lat, lon: position.lon, recordedAt });
  });
  return withForce(deps.db, forceId, async (tx) => {
    const ids = [...newest.keys()];
    const known = new Set((await tx.selectFrom('units').select('id').where('force_id', '=', forceId).where('id', 'in', ids).execute()).map((row) => row.id));
    const unknown = batch.positions.flatMap((position, index) => (known.has(position.unitId) ? [] : [{ path: `positions.${index}.unitId`, message: 'is not a unit of this force' }]));
    if (unknown.length > 0) throw new AppError('validation_failed', `${unknown.length} positions name no unit of this force`, { fields: unknown.slice(0, 20) });
    const stored = await tx
      .insertInto('unit_positions_latest')
      .values(ids.map((unitId) => {
        const position = newest.get(unitId) as { lat: number; lon: number; recordedAt: Date };
        return { unit_id: unitId, force_id: forceId, lat: position.lat, lon: position.lon, recorded_at: position.recordedAt, received_at: now };
      }))
      .onConflict((oc) =>
        oc
          .column('unit_id')
          .doUpdateSet({ lat: sql`excluded.lat`, lon: sql`excluded.lon`, recorded_at: sql`excluded.recorded_at`, received_at: sql`excluded.received_at` })
          .where('unit_positions_latest.recorded_at', '<', sql<Date>`excluded.recorded_at`),
      )
      .returning('unit_id')
      .execute();
    return { stored: stored.length, ignored: batch.positions.length - stored.length };
  });
}
