import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { isUniqueViolation, notFound } from '../../platform/errors.ts';
import { UnitMoveRefused, moveNamedUnit, type UnitStatus } from './unit.machine.ts';
import { unitMoveEvent } from './units.events.ts';
import { lockUnit, writeUnitState } from './units.repository.ts';

// What the control room does to a unit, inside the caller's transaction (dispatch's, as it moves
// the incident too): each use case locks the unit, makes one move of its machine, stores the state
// it leads to with the unit's assignment, and records that move's one event (decision 0189). A
// move the machine refuses throws its refusal, a 409 naming the unit by its call sign, and the
// caller's transaction stores nothing. Dispatch moves its incident; the unit is this room's alone.

/** A unit moved for an incident: its call sign, and the incident it was committed to (or is now). */
export type UnitCommitment = { unitId: string; callSign: string; incidentId: string };

/**
 * Sends a unit to an incident by `staffId`: dispatched, with an open assignment, and one
 * `unit.dispatched`. Refused for a unit off duty, unavailable, retired or already committed; two
 * dispatchers at once are kept apart by the unit's lock, and the one-open-assignment index is the
 * last word if anything gets past it.
 */
export async function assignUnit(tx: Tx, forceId: ForceId, clock: Clock, input: { unitId: string; incidentId: string; staffId: StaffId }): Promise<UnitCommitment> {
  const { unitId, incidentId, staffId } = input;
  const now = clock.now();
  const unit = await lockUnit(tx, forceId, unitId);
  const move = moveNamedUnit(unit.call_sign, unit.state, { type: 'dispatch', incidentId });
  await writeUnitState(tx, forceId, unitId, move.to, now);
  try {
    await tx.insertInto('unit_assignments').values({ id: newId(), force_id: forceId, unit_id: unitId, incident_id: incidentId, assigned_by: staffId, assigned_at: now }).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new UnitMoveRefused('committed', `${unit.call_sign} was committed to another incident a moment ago; choose another unit`);
    throw error;
  }
  record(tx, forceId, clock, unitMoveEvent(move, { actor: { type: 'staff', id: staffId }, unitId, data: { incidentId, callSign: unit.call_sign } }));
  return { unitId, callSign: unit.call_sign, incidentId };
}

/** Its crew reports the unit en route to, or on scene at, the incident it is committed to: one `unit.en_route` or `unit.on_scene`. */
export async function reportUnitProgress(tx: Tx, forceId: ForceId, clock: Clock, input: { unitId: string; progress: 'en_route' | 'on_scene'; actor: Actor }): Promise<UnitCommitment> {
  const unit = await lockUnit(tx, forceId, input.unitId);
  const move = moveNamedUnit(unit.call_sign, unit.state, { type: input.progress });
  const incidentId = unit.incident_id ?? '';
  await writeUnitState(tx, forceId, input.unitId, move.to, clock.now());
  record(tx, forceId, clock, unitMoveEvent(move, { actor: input.actor, unitId: input.unitId, data: { incidentId } }));
  return { unitId: input.unitId, callSign: unit.call_sign, incidentId };
}

/**
 * Frees a unit from the incident it is committed to, stood down or because the incident ended:
 * returning, its assignment closed, and one `unit.cleared` naming the incident it left.
 */
export async function releaseUnit(tx: Tx, forceId: ForceId, clock: Clock, input: { unitId: string; actor: Actor }): Promise<UnitCommitment> {
  const now = clock.now();
  const unit = await lockUnit(tx, forceId, input.unitId);
  const move = moveNamedUnit(unit.call_sign, unit.state, { type: 'clear' });
  const incidentId = unit.incident_id ?? '';
  await writeUnitState(tx, forceId, input.unitId, move.to, now);
  await tx.updateTable('unit_assignments').set({ cleared_at: now }).where('force_id', '=', forceId).where('unit_id', '=', input.unitId).where('cleared_at', 'is', null).execute();
  record(tx, forceId, clock, unitMoveEvent(move, { actor: input.actor, unitId: input.unitId, data: { incidentId } }));
  return { unitId: input.unitId, callSign: unit.call_sign, incidentId };
}

/** What a unit not at work is booked as: available, unavailable with a reason, or off duty. */
export type UnitBooking = { status: 'available' | 'off_duty' } | { status: 'unavailable'; reason: string };

/** Books a unit available, unavailable (with the reason) or off duty: one event of that move. Refused for a unit committed to an incident. */
export async function bookUnit(tx: Tx, forceId: ForceId, clock: Clock, input: { unitId: string; booking: UnitBooking; actor: Actor }): Promise<void> {
  const { unitId, booking, actor } = input;
  const unit = await lockUnit(tx, forceId, unitId);
  if (booking.status === 'unavailable') {
    const move = moveNamedUnit(unit.call_sign, unit.state, { type: 'unavailable', reason: booking.reason });
    await writeUnitState(tx, forceId, unitId, move.to, clock.now());
    record(tx, forceId, clock, unitMoveEvent(move, { actor, unitId, data: { reason: booking.reason } }));
    return;
  }
  const move = moveNamedUnit(unit.call_sign, unit.state, { type: booking.status });
  await writeUnitState(tx, forceId, unitId, move.to, clock.now());
  record(tx, forceId, clock, unitMoveEvent(move, { actor, unitId, data: {} }));
}

/**
 * The incident a unit is committed to as it stands, read without a lock: for a caller that locks
 * the incident before the unit (the order dispatch keeps). Null when it is committed to none; 404
 * when the force has no such unit.
 */
export async function findCommittedIncident(tx: Tx, forceId: ForceId, unitId: string): Promise<string | null> {
  const unit = await tx.selectFrom('units').select('incident_id').where('force_id', '=', forceId).where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw notFound('unit');
  return unit.incident_id;
}

/** The units committed to an incident now, each with its status, in id order (the order they are locked in). */
export async function listUnitsCommittedTo(tx: Tx, forceId: ForceId, incidentId: string): Promise<{ id: string; status: UnitStatus }[]> {
  return tx.selectFrom('units').select(['id', 'status']).where('force_id', '=', forceId).where('incident_id', '=', incidentId).orderBy('id').execute();
}

/** Whether any unit was ever sent to the incident, stood down since or not. */
export async function wasAnyUnitSentTo(tx: Tx, forceId: ForceId, incidentId: string): Promise<boolean> {
  const sent = await tx.selectFrom('unit_assignments').select('id').where('force_id', '=', forceId).where('incident_id', '=', incidentId).limit(1).executeTakeFirst();
  return sent !== undefined;
}
