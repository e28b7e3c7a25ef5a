import { withForce, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { AppError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { fleetUnitMovesFrom, moveNamedUnit, moveUnit, reportedUnitMovesFrom, unitRow, unitState } from './unit.machine.ts';
import { unitDetailsChanged, unitMoveEvent } from './units.events.ts';
import { eidoStatusOf, plainCallSign, type CreateUnitBody, type UnitListWhich, type UnitView, type UpdateUnitBody } from './units.schema.ts';
import { deleteLatestPosition, findUnitCapabilities, lockUnit, writeUnitState } from './units.repository.ts';
import { isPositionStale, loadPositionSettings, type PositionSettings } from './unit-positions.service.ts';

function unitQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('units as u')
    // A retired unit has no position (decision 0094), whatever a batch racing its retirement stored.
    .leftJoin('unit_positions_latest as p', (join) => join.onRef('p.unit_id', '=', 'u.id').on('u.status', '<>', 'retired'))
    .selectAll('u')
    .select(['p.lat', 'p.lon', 'p.recorded_at'])
    .where('u.force_id', '=', forceId);
}
type UnitQueryRow = Awaited<ReturnType<ReturnType<typeof unitQuery>['executeTakeFirstOrThrow']>>;

/** The unit as the API shows it; its position is stale when older than the force's stale age at `now`. */
export function toUnitView(row: UnitQueryRow, now: Date, settings: PositionSettings): UnitView {
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
    moves: reportedUnitMovesFrom(unitState(row)),
    fleetMoves: fleetUnitMovesFrom(unitState(row)),
    position:
      row.lat !== null && row.lon !== null && row.recorded_at !== null
        ? { lat: row.lat, lon: row.lon, recordedAt: row.recorded_at.toISOString(), isStale: isPositionStale(row.recorded_at, now, settings) }
        : null,
  };
}

/** The force's units with their latest positions, by call sign: those in the fleet, or with the retired too. */
export async function listUnits(deps: ServiceDeps, forceId: ForceId, which: UnitListWhich = 'active'): Promise<UnitView[]> {
  return withForce(deps.db, forceId, async (tx) => {
    let query = unitQuery(tx, forceId).orderBy('u.call_sign');
    if (which === 'active') query = query.where('u.status', '<>', 'retired');
    const rows = await query.execute();
    const settings = await loadPositionSettings(tx, forceId);
    const now = deps.clock.now();
    return rows.map((row) => toUnitView(row, now, settings));
  });
}

/** The force's units in the fleet (not retired) with their latest positions, as stored (for the recommendation). */
export async function readUnitsWithPositions(tx: Tx, forceId: ForceId) {
  return unitQuery(tx, forceId).where('u.status', '<>', 'retired').execute();
}

export async function getUnit(deps: ServiceDeps, forceId: ForceId, unitId: string): Promise<UnitView> {
  return withForce(deps.db, forceId, (tx) => loadUnit(tx, forceId, unitId, deps.clock.now()));
}

export async function loadUnit(tx: Tx, forceId: ForceId, unitId: string, now: Date): Promise<UnitView> {
  const row = await unitQuery(tx, forceId).where('u.id', '=', unitId).executeTakeFirst();
  if (!row) throw notFound('unit');
  return toUnitView(row, now, await loadPositionSettings(tx, forceId));
}

/**
 * Another unit of the force has this call sign: a 409 naming the field, so a form shows it by the
 * call sign, in the one form it is compared in (typed "zz 99", it is ZZ99 that is taken).
 */
const callSignTaken = (callSign: string, isRetired: boolean) =>
  new AppError('conflict', `call sign ${callSign} is already in use`, {
    fields: [
      {
        path: 'body.callSign',
        // A retired unit keeps its call sign (decision 0086): the log and past incidents name it.
        message: isRetired ? `is taken: ${callSign} is a retired unit; reinstate it rather than add it again` : `is taken: another unit is already ${callSign}`,
      },
    ],
  });

async function requireArea(tx: Tx, forceId: ForceId, areaId: string | null | undefined): Promise<void> {
  if (!areaId) return;
  const area = await tx.selectFrom('areas').select('id').where('force_id', '=', forceId).where('id', '=', areaId).executeTakeFirst();
  if (!area) throw notFound('area');
}

/**
 * The capabilities the force's units in the fleet (not retired) have between them, sorted: what an
 * incident may ask for, so that one no unit has is refused rather than never recommended.
 */
export function listFleetCapabilities(tx: Tx, forceId: ForceId): Promise<string[]> {
  return findUnitCapabilities(tx, forceId);
}

/**
 * Adds a unit to the force's fleet in the caller's transaction, available, with one `unit.created`
 * by `actor`; returns its id. Call signs are unique within the force, whatever their case and
 * spacing; the home area, if any, is the caller's to check.
 */
export async function addUnit(tx: Tx, forceId: ForceId, clock: Clock, actor: Actor, body: CreateUnitBody): Promise<string> {
  const unitId = newId();
  const now = clock.now();
  const callSign = plainCallSign(body.callSign);
  const taken = await tx.selectFrom('units').select('status').where('force_id', '=', forceId).where('call_sign', '=', callSign).executeTakeFirst();
  if (taken) throw callSignTaken(callSign, taken.status === 'retired');
  const transition = moveUnit({ status: 'new' }, { type: 'create' });
  const capabilities = [...new Set(body.capabilities)];
  try {
    await tx
      .insertInto('units')
      .values({
        id: unitId,
        force_id: forceId,
        call_sign: callSign,
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
    if (isUniqueViolation(error)) throw callSignTaken(callSign, false);
    throw error;
  }
  record(tx, forceId, clock, unitMoveEvent(transition, { actor, unitId, data: { callSign, unitType: body.type, capabilities } }));
  return unitId;
}

/** Adds a unit to the force's fleet, available. Call signs are unique within the force, whatever their case and spacing. */
export async function createUnit(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, body: CreateUnitBody): Promise<UnitView> {
  return withForce(deps.db, forceId, async (tx) => {
    await requireArea(tx, forceId, body.homeAreaId);
    const unitId = await addUnit(tx, forceId, deps.clock, { type: 'staff', id: staffId }, body);
    return loadUnit(tx, forceId, unitId, deps.clock.now());
  });
}

/** Changes a unit's type, capabilities or home. Its status moves only through its machine. */
export async function updateUnit(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, unitId: string, body: UpdateUnitBody): Promise<UnitView> {
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    await requireArea(tx, forceId, body.homeAreaId);
    const unit = await tx
      .selectFrom('units')
      .select(['type', 'capabilities', 'home_station', 'home_area_id'])
      .where('force_id', '=', forceId)
      .where('id', '=', unitId)
      .forUpdate()
      .executeTakeFirst();
    if (!unit) throw notFound('unit');
    // Only what differs is a change: the same values again (a retry, a form saved unchanged) record nothing.
    const asked: { field: keyof UpdateUnitBody; from: unknown; to: unknown; isSame: boolean }[] = [];
    if (body.type !== undefined) asked.push({ field: 'type', from: unit.type, to: body.type, isSame: unit.type === body.type });
    if (body.capabilities !== undefined) {
      const to = [...new Set(body.capabilities)];
      asked.push({ field: 'capabilities', from: unit.capabilities, to, isSame: [...to].sort().join('\n') === [...unit.capabilities].sort().join('\n') });
    }
    if (body.homeStation !== undefined) asked.push({ field: 'homeStation', from: unit.home_station, to: body.homeStation, isSame: unit.home_station === body.homeStation });
    if (body.homeAreaId !== undefined) asked.push({ field: 'homeAreaId', from: unit.home_area_id, to: body.homeAreaId, isSame: unit.home_area_id === body.homeAreaId });
    const changed = asked.filter((change) => !change.isSame);
    if (changed.length === 0) return loadUnit(tx, forceId, unitId, now);
    const COLUMNS = { type: 'type', capabilities: 'capabilities', homeStation: 'home_station', homeAreaId: 'home_area_id' } as const;
    const set = Object.fromEntries(changed.map((change) => [COLUMNS[change.field], change.to]));
    await tx
      .updateTable('units')
      .set({ ...set, updated_at: now })
      .where('force_id', '=', forceId)
      .where('id', '=', unitId)
      .execute();
    const fields = changed.map((change) => change.field).sort();
    const changes = Object.fromEntries(changed.map((change) => [change.field, { from: change.from, to: change.to }]));
    record(tx, forceId, deps.clock, unitDetailsChanged.of({ actor: { type: 'staff', id: staffId }, subjectId: unitId, data: { fields, changes } }));
    return loadUnit(tx, forceId, unitId, now);
  });
}

/**
 * Retires a unit booked off duty (sold, written off, its call sign disbanded): off the unit board,
 * never recommended nor sent, still in past incidents and the log, its call sign still taken. A
 * unit still at work is refused, saying what to do first (decision 0086). Its latest position is
 * deleted with the move (decision 0094).
 */
export async function retireUnit(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, unitId: string, reason: string): Promise<UnitView> {
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const unit = await lockUnit(tx, forceId, unitId);
    const transition = moveNamedUnit(unit.call_sign, unitState(unit), { type: 'retire' });
    await writeUnitState(tx, forceId, unitId, transition.to, now);
    // Its last position is the force's no longer (decision 0094): the board, the map and the
    // recommendation read latest positions, and a reinstated unit has none until it reports.
    await deleteLatestPosition(tx, forceId, unitId);
    record(tx, forceId, deps.clock, unitMoveEvent(transition, { actor: { type: 'staff', id: staffId }, unitId, data: { callSign: unit.call_sign, reason } }));
    return loadUnit(tx, forceId, unitId, now);
  });
}

/** Brings a retired unit back into the fleet, off duty and with no position until its tracker reports a new one (decision 0094). */
export async function reinstateUnit(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, unitId: string): Promise<UnitView> {
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const unit = await lockUnit(tx, forceId, unitId);
    const transition = moveNamedUnit(unit.call_sign, unitState(unit), { type: 'reinstate' });
    await writeUnitState(tx, forceId, unitId, transition.to, now);
    await deleteLatestPosition(tx, forceId, unitId);
    record(tx, forceId, deps.clock, unitMoveEvent(transition, { actor: { type: 'staff', id: staffId }, unitId, data: { callSign: unit.call_sign } }));
    return loadUnit(tx, forceId, unitId, now);
  });
}
