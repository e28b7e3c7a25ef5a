import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { moveIncident } from './incident.machine.ts';
import { loadIncident, lockIncident, requireKnownCapabilities } from './incidents.service.ts';
import { incidentMoveEvent } from './incidents.events.ts';
import type { IncidentView, UpdateIncidentBody } from './incidents.schema.ts';
import { requireActiveCode } from './control-room-lists.service.ts';

type Changes = {
  type?: { from: string; to: string };
  summary?: { from: string; to: string };
  requiredCapabilities?: { from: string[]; to: string[] };
};

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Corrects an incident as information arrives: its type (one of the force's active types), its
 * summary, the capabilities a unit needs (each one some unit of the force has). One
 * `incident.updated` names each field that changed with its value before and after; a request
 * that changes nothing (the same values, a retry) is answered with the incident as it is and
 * records nothing. Refused once the incident has ended. The grade and its countdown stay: grading
 * is its own move.
 */
export async function updateIncident(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, incidentId: string, body: UpdateIncidentBody): Promise<IncidentView> {
  return withForce(deps.db, forceId, async (tx) => {
    const incident = await lockIncident(tx, forceId, incidentId);
    const transition = moveIncident(incident.state, { type: 'update' });
    const changes: Changes = {};
    if (body.type !== undefined && body.type !== incident.type) {
      await requireActiveCode(tx, forceId, 'incident_types', body.type, 'type');
      changes.type = { from: incident.type, to: body.type };
    }
    if (body.summary !== undefined && body.summary !== incident.summary) changes.summary = { from: incident.summary, to: body.summary };
    if (body.requiredCapabilities !== undefined) {
      const wanted = [...new Set(body.requiredCapabilities)];
      if (!sameSet(wanted, incident.required_capabilities)) {
        await requireKnownCapabilities(tx, forceId, wanted);
        changes.requiredCapabilities = { from: incident.required_capabilities, to: wanted };
      }
    }
    if (Object.keys(changes).length === 0) return loadIncident(tx, forceId, incidentId);
    await tx
      .updateTable('incidents')
      .set({
        ...(changes.type ? { type: changes.type.to } : {}),
        ...(changes.summary ? { summary: changes.summary.to } : {}),
        ...(changes.requiredCapabilities ? { required_capabilities: changes.requiredCapabilities.to } : {}),
        updated_at: deps.clock.now(),
      })
      .where('force_id', '=', forceId)
      .where('id', '=', incidentId)
      .execute();
    record(tx, forceId, deps.clock, incidentMoveEvent(transition, { actor: { type: 'staff', id: staffId }, incidentId, data: { changes } }));
    return loadIncident(tx, forceId, incidentId);
  });
}
