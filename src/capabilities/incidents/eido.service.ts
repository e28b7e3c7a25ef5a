import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { notFound } from '../../platform/errors.ts';
import { loadIncident } from './incidents.service.ts';
import { incidentReference } from './incidents.schema.ts';
import { buildEido } from './eido.schema.ts';
import { describeUnits } from '../units/unit-assignments.service.ts';

/**
 * The force's agency identifier in EIDO documents (NENA-STA-010: a domain the agency holds). The
 * public address belongs to the force its portal serves (`PORTAL_FORCE`): that force is named by
 * its host, and every other force of the deployment by its short name under that host, so two
 * forces never export the same identifier. Without a public address, the short name under
 * `.invalid`, a name reserved never to resolve (RFC 2606), so a receiver never mistakes it for a
 * real one.
 */
export function agencyDomain(slug: string, publicUrl: string | undefined, portalForce?: string): string {
  if (publicUrl) {
    try {
      const host = new URL(publicUrl).hostname;
      return slug === portalForce ? host : `${slug}.${host}`;
    } catch {
      // A malformed setting falls back like an unset one.
    }
  }
  return `${slug}.invalid`;
}

/** One incident as an EIDO JSON document, with its units, notes, location and merges. */
export async function incidentEido(deps: ServiceDeps & { publicUrl?: string | undefined; portalForce?: string | undefined }, forceId: ForceId, incidentId: string): Promise<Record<string, unknown>> {
  return withForce(deps.db, forceId, async (tx) => {
    const incident = await loadIncident(tx, forceId, incidentId);
    const force = await tx.selectFrom('forces').select(['slug', 'name']).where('id', '=', forceId).executeTakeFirst();
    if (!force) throw notFound('force');
    const [type, units, mergedFrom] = await Promise.all([
      tx.selectFrom('incident_types').select(['code', 'label', 'category']).where('force_id', '=', forceId).where('code', '=', incident.type).executeTakeFirst(),
      describeUnits(tx, forceId, [...new Set(incident.units.map((u) => u.unitId))]),
      tx.selectFrom('incidents').select(['id', 'number', 'updated_at']).where('force_id', '=', forceId).where('merged_into_id', '=', incidentId).orderBy('number').execute(),
    ]);
    const byId = new Map(units.map((u) => [u.id, u]));
    return buildEido({
      incident,
      agency: { name: force.name, domain: agencyDomain(force.slug, deps.publicUrl, deps.portalForce) },
      incidentType: type ?? null,
      units: incident.units.flatMap((assignment) => {
        const unit = byId.get(assignment.unitId);
        return unit
          ? [{ unitId: assignment.unitId, callSign: assignment.callSign, type: unit.type, capabilities: unit.capabilities, status: unit.status, assignedAt: assignment.assignedAt, clearedAt: assignment.clearedAt }]
          : [];
      }),
      mergedFrom: mergedFrom.map((m) => ({ id: m.id, reference: incidentReference(m.number), mergedAt: m.updated_at.toISOString() })),
      issuedAt: deps.clock.now(),
    });
  });
}
