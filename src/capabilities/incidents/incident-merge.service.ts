import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { INCIDENT_ENDINGS, moveIncident, requireUnfinishedIncident } from './incident.machine.ts';
import { isMoreUrgent, setIncidentGrade } from './incident-grades.service.ts';
import { incidentMerged, incidentMoveEvent } from './incidents.events.ts';
import { loadIncident, lockIncident, writeIncidentState } from './incidents.service.ts';
import { incidentReference } from './incidents.schema.ts';
import type { IncidentView, NearbyIncident } from './incidents.schema.ts';
import { requireActiveCode } from './control-room-lists.service.ts';
import { syncResponseClock } from './response-clocks.service.ts';
import { incidentBreachAlertAcknowledged } from './response-clocks.events.ts';
import { acknowledgeIncidentAlerts } from '../queue/alerts.service.ts';
import { alertMoveEvent } from '../queue/alert.machine.ts';
import { listCallSignsCommittedTo } from '../units/unit-assignments.service.ts';

const EARTH_RADIUS_KM = 6371;

/**
 * What the duplicate brings to the one kept, in the merge's transaction: the capabilities it
 * needed that the kept one did not, and its summary as a note. Returns what the merge event
 * records, and both grades for the caller to regrade with.
 */
async function carryOver(tx: Tx, forceId: ForceId, staffId: StaffId, now: Date, input: { duplicateId: string; intoId: string; reference: string }) {
  const rows = await tx.selectFrom('incidents').select(['id', 'summary', 'grade', 'required_capabilities']).where('force_id', '=', forceId).where('id', 'in', [input.duplicateId, input.intoId]).execute();
  const duplicate = rows.find((row) => row.id === input.duplicateId);
  const into = rows.find((row) => row.id === input.intoId);
  if (!duplicate || !into) throw new Error('merge lost an incident it locked');
  const capabilitiesAdded = duplicate.required_capabilities.filter((capability) => !into.required_capabilities.includes(capability));
  if (capabilitiesAdded.length > 0) {
    await tx
      .updateTable('incidents')
      .set({ required_capabilities: [...into.required_capabilities, ...capabilitiesAdded], updated_at: now })
      .where('force_id', '=', forceId)
      .where('id', '=', input.intoId)
      .execute();
  }
  const noteId = newId();
  const body = duplicate.summary.trim() === '' ? `Merged from ${input.reference}.` : `Merged from ${input.reference}: ${duplicate.summary}`;
  await tx.insertInto('incident_notes').values({ id: noteId, force_id: forceId, incident_id: input.intoId, body, author_id: staffId, created_at: now }).execute();
  return { capabilitiesAdded, noteId, grades: { duplicate: duplicate.grade, into: into.grade } };
}

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
      .where('status', 'not in', INCIDENT_ENDINGS)
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
 * `merged`, naming the one it went into. Nothing the duplicate said is lost (decision 0061): the
 * one kept takes its grade when that is more urgent (regraded, so its countdown is recomputed as
 * any regrade's), the capabilities it needed, and a note with its summary. A duplicate with units
 * still committed is refused: clear them first, so no unit is left on an incident nobody watches;
 * so is a merge into an incident resolved or ended, whose job is done. The duplicate's countdown
 * stops, and any alert still open about a target it missed is closed (decision 0076).
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
    requireUnfinishedIncident(into.state, 'merging into it');
    await requireActiveCode(tx, forceId, 'closing_codes', 'merged', 'intoIncidentId');
    const committed = await listCallSignsCommittedTo(tx, forceId, duplicateId);
    if (committed.length > 0) throw conflict(`${incidentReference(duplicate.number)} still has ${committed.join(', ')} committed; clear or resolve them before merging`);
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
    const { grades, ...carried } = await carryOver(tx, forceId, staffId, now, { duplicateId, intoId, reference: incidentReference(duplicate.number) });
    record(
      tx,
      forceId,
      deps.clock,
      incidentMoveEvent({ ...transition, event: 'incident.cancelled' }, { actor, incidentId: duplicateId, data: { closingCode: 'merged', clearedUnitIds: [] } }),
      incidentMerged.of({ actor, subjectId: intoId, data: { fromIncidentId: duplicateId, contactIds, ...carried } }),
    );
    await syncResponseClock(tx, forceId, deps.clock, duplicateId, 'cancelled');
    // The duplicate's response is now the kept incident's, measured there (and left out of the
    // response report): an alert still asking why the duplicate was late would put one late
    // response before supervisors twice, so it is closed, saying where the response is measured.
    const note = `Merged into ${incidentReference(into.number)}; the response is measured there`;
    const closedAlerts = await acknowledgeIncidentAlerts(tx, forceId, deps.clock, { incidentId: duplicateId, staffId, note });
    if (closedAlerts.length > 0) {
      record(tx, forceId, deps.clock, ...closedAlerts.map(({ event, ...closed }) => alertMoveEvent({ event }, incidentBreachAlertAcknowledged.of({ actor, subjectId: duplicateId, data: { ...closed, note } }))));
    }
    // The more urgent grade wins, through the regrade every grade change takes (event, countdown).
    if (grades.duplicate && isMoreUrgent(grades.duplicate, grades.into)) {
      await setIncidentGrade(tx, forceId, deps.clock, staffId, intoId, { grade: grades.duplicate, reason: `merged with ${incidentReference(duplicate.number)}`, contactId: null });
    }
    return loadIncident(tx, forceId, intoId);
  });
}
