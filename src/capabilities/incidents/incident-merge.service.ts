import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { moveIncident, requireLiveIncident } from './incident.machine.ts';
import { incidentMerged, incidentMoveEvent } from './incidents.events.ts';
import { loadIncident, lockIncident, writeIncidentState } from './incidents.service.ts';
import { incidentReference } from './incidents.schema.ts';
import type { IncidentView, NearbyIncident } from './incidents.schema.ts';
import { requireActiveCode } from './control-room-lists.service.ts';
import { syncResponseClock } from './response-clocks.service.ts';

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in kilometres. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Live incidents of the same type near a place, nearest first: shown while creating one, so a
 * second caller about the same event is linked rather than duplicated.
 */
export async function findNearbyIncidents(deps: ServiceDeps, forceId: ForceId, input: { lat: number; lon: number; type: string; radiusKm: number }): Promise<NearbyIncident[]> {
  return withForce(deps.db, forceId, async (tx) => {
    // A box around the place narrows the rows; the exact distance decides.
    const dLat = input.radiusKm / 111;
    const dLon = input.radiusKm / (111 * Math.max(0.01, Math.cos((input.lat * Math.PI) / 180)));
    const rows = await tx
      .selectFrom('incidents')
      .select(['id', 'number', 'type', 'summary', 'grade', 'status', 'lat', 'lon', 'location_text', 'created_at'])
      .where('force_id', '=', forceId)
      .where('type', '=', input.type)
      .where('status', 'not in', ['closed', 'cancelled', 'resolved_without_deployment'])
      .where('lat', '>=', input.lat - dLat)
      .where('lat', '<=', input.lat + dLat)
      .where('lon', '>=', input.lon - dLon)
      .where('lon', '<=', input.lon + dLon)
      .limit(500)
      .execute();
    return rows
      .flatMap((row) => {
        if (row.lat === null || row.lon === null) return [];
        const km = distanceKm(input, { lat: row.lat, lon: row.lon });
        if (km > input.radiusKm) return [];
        return [{ id: row.id, reference: incidentReference(row.number), type: row.type, summary: row.summary, grade: row.grade, status: row.status, locationText: row.location_text, distanceMetres: Math.round(km * 1000), createdAt: row.created_at.toISOString() }];
      })
      .sort((a, b) => a.distanceMetres - b.distanceMetres || a.createdAt.localeCompare(b.createdAt))
      .slice(0, 10);
  });
}

/**
 * Merges a duplicate incident into another: its contacts are linked to the one kept (each link in
 * the duplicate is ended, not deleted), and the duplicate is cancelled with the closing code
 * `merged`, naming the one it went into. A duplicate with units still committed is refused: clear
 * them first, so no unit is left on an incident nobody watches.
 */
export async function mergeIncident(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, duplicateId: string, intoId: string): Promise<IncidentView> {
  if (duplicateId === intoId) throw invalid('intoIncidentId', 'an incident cannot be merged into itself');
  const actor: Actor = { type: 'staff', id: staffId };
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    // Locked in id order, as dispatch locks units, so two merges of the same pair queue.
    const [first, second] = [duplicateId, intoId].sort();
    const locked = new Map([[first ?? '', await lockIncident(tx, forceId, first ?? '')], [second ?? '', await lockIncident(tx, forceId, second ?? '')]]);
    const duplicate = locked.get(duplicateId);
    const into = locked.get(intoId);
    if (!duplicate || !into) throw new Error('merge lost an incident it locked');
    requireLiveIncident(into.state, 'merging into it');
    await requireActiveCode(tx, forceId, 'closing_codes', 'merged', 'intoIncidentId');
    const committed = await tx.selectFrom('units').select('call_sign').where('force_id', '=', forceId).where('incident_id', '=', duplicateId).orderBy('call_sign').execute();
    if (committed.length > 0) throw conflict(`${incidentReference(duplicate.number)} still has ${committed.map((u) => u.call_sign).join(', ')} committed; clear or resolve them before merging`);
    const transition = moveIncident(duplicate.state, { type: 'cancel', closingCode: 'merged' });

    const links = await tx
      .updateTable('incident_contacts')
      .set({ unlinked_at: now, unlinked_by: staffId })
      .where('force_id', '=', forceId)
      .where('incident_id', '=', duplicateId)
      .where('unlinked_at', 'is', null)
      .returning('contact_id')
      .execute();
    const contactIds = links.map((l) => l.contact_id).sort();
    if (contactIds.length > 0) {
      await tx.insertInto('incident_contacts').values(contactIds.map((contactId) => ({ id: newId(), force_id: forceId, incident_id: intoId, contact_id: contactId, linked_by: staffId, linked_at: now }))).execute();
    }
    await writeIncidentState(tx, forceId, duplicateId, transition.to, now);
    await tx.updateTable('incidents').set({ merged_into_id: intoId }).where('force_id', '=', forceId).where('id', '=', duplicateId).execute();
    record(
      tx,
      forceId,
      deps.clock,
      incidentMoveEvent({ ...transition, event: 'incident.cancelled' }, { actor, incidentId: duplicateId, data: { closingCode: 'merged', clearedUnitIds: [] } }),
      incidentMerged.of({ actor, subjectId: intoId, data: { fromIncidentId: duplicateId, contactIds } }),
    );
    await syncResponseClock(tx, forceId, deps.clock, duplicateId, 'ended');
    return loadIncident(tx, forceId, intoId);
  });
}
