import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { locatePlace } from '../areas/areas.service.ts';
import { requireLiveIncident } from './incident.machine.ts';
import { loadIncident, lockIncident } from './incidents.service.ts';
import { incidentLocationSet } from './incidents.events.ts';
import type { IncidentLocationBody, IncidentView } from './incidents.schema.ts';

/**
 * Sets where a live incident is: the address as given and the map position, replacing both (one
 * left out is cleared). The position puts it in the force's district and beat again, and is what
 * lets units be recommended by arrival time; an incident made by grading a contact has none until
 * someone sets it. A countdown already running keeps the target it started with.
 */
export async function setIncidentLocation(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, incidentId: string, body: IncidentLocationBody): Promise<IncidentView> {
  return withForce(deps.db, forceId, async (tx) => {
    const incident = await lockIncident(tx, forceId, incidentId);
    requireLiveIncident(incident.state, 'moving it');
    const text = body.locationText ?? null;
    const lat = body.lat ?? null;
    const lon = body.lon ?? null;
    const place = lat !== null && lon !== null ? await locatePlace(tx, forceId, lat, lon) : { district: null, beat: null };
    await tx
      .updateTable('incidents')
      .set({ location_text: text, lat, lon, district_id: place.district?.id ?? null, beat_id: place.beat?.id ?? null, updated_at: deps.clock.now() })
      .where('force_id', '=', forceId)
      .where('id', '=', incidentId)
      .execute();
    record(
      tx,
      forceId,
      deps.clock,
      incidentLocationSet.of({
        actor: { type: 'staff', id: staffId },
        subjectId: incidentId,
        data: { locationText: text, lat, lon, districtId: place.district?.id ?? null, beatId: place.beat?.id ?? null },
      }),
    );
    return loadIncident(tx, forceId, incidentId);
  });
}
