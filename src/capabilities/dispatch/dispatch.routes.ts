import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import { incidentStatusBody, incidentView } from '../incidents/incidents.schema.ts';
import { unitView } from '../units/units.schema.ts';
import { dispatchUnits, moveIncidentStatus, moveUnitStatus, recommendUnits, type RecommendDeps } from './dispatch.service.ts';
import { dispatchBody, recommendationQuery, recommendationView, unitStatusBody } from './dispatch.schema.ts';

const incidentParams = z.object({ id: idField('must be an incident id') });

/** Recommending and dispatching units, and moving units and incidents through their statuses. */
export function registerDispatchRoutes(app: FastifyInstance, deps: RecommendDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/incidents/:id/recommendation',
    permission: 'incidents:read',
    audit: 'incident.recommend',
    summary: 'Suitable available units, nearest in time first, with the reasons, and why fewer fit',
    tags: ['dispatch'],
    params: incidentParams,
    query: recommendationQuery,
    response: { 200: recommendationView },
    handler: async ({ staff, params, query }) => recommendUnits(deps, staff.forceId, params.id, query.limit),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents/:id/dispatch',
    permission: 'dispatch:act',
    audit: 'incident.dispatch',
    summary: 'Commit one or more units to the incident; a unit already committed elsewhere is refused (409)',
    tags: ['dispatch'],
    params: incidentParams,
    body: dispatchBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => ({ incident: await dispatchUnits(deps, staff.forceId, staff.staffId, params.id, body.unitIds) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents/:id/status',
    permission: 'dispatch:act',
    audit: 'incident.status',
    summary: 'Resolve, close, cancel or resolve without deployment (with a closing code); units still committed clear',
    tags: ['dispatch'],
    params: incidentParams,
    body: incidentStatusBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => ({ incident: await moveIncidentStatus(deps, staff.forceId, staff.staffId, params.id, body) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/units/:id/status',
    permission: 'dispatch:act',
    audit: 'unit.status',
    summary: 'A unit reports en route, on scene or clear, or changes its availability',
    tags: ['dispatch'],
    params: z.object({ id: idField('must be a unit id') }),
    body: unitStatusBody,
    response: { 200: z.object({ unit: unitView }) },
    handler: async ({ staff, params, body }) => ({ unit: await moveUnitStatus(deps, staff.forceId, staff.staffId, params.id, body) }),
  });
}
