import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffOrIntegrationRoute } from '../../platform/http/integration-routes.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { createUnit, getUnit, listUnits, reinstateUnit, retireUnit, updateUnit } from './units.service.ts';
import { ingestPositions, listPositionTrail } from './unit-positions.service.ts';
import { authenticateTrackingFeed } from './tracking-tokens.service.ts';
import {
  createUnitBody,
  positionBatchBody,
  positionIngestResult,
  positionTrailQuery,
  positionTrailView,
  retireUnitBody,
  unitListQuery,
  unitView,
  updateUnitBody,
} from './units.schema.ts';

const unitParams = z.object({ id: idField('must be a unit id') });

/** Units, and the positions vehicle tracking sends for them. */
export function registerUnitRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/units',
    permission: 'incidents:read',
    audit: 'unit.list',
    summary: "The force's units with their status and latest position (stale when old); retired units only when asked for",
    tags: ['units'],
    query: unitListQuery,
    response: { 200: z.object({ units: z.array(unitView) }) },
    handler: async ({ staff, query }) => ({ units: await listUnits(deps, staff.forceId, query.which) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/units',
    permission: 'units:manage',
    audit: 'unit.create',
    summary: 'Add a unit (call sign unique within the force); it starts available',
    tags: ['units'],
    body: createUnitBody,
    response: { 201: z.object({ unit: unitView }) },
    handler: async ({ staff, body, reply }) => reply.status(201).send({ unit: await createUnit(deps, staff.forceId, staff.staffId, body) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/units/:id',
    permission: 'incidents:read',
    audit: 'unit.view',
    summary: 'One unit with its status and latest position',
    tags: ['units'],
    params: unitParams,
    response: { 200: z.object({ unit: unitView }) },
    handler: async ({ staff, params }) => ({ unit: await getUnit(deps, staff.forceId, params.id) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/units/:id',
    permission: 'units:manage',
    audit: 'unit.update',
    summary: "Change a unit's type, capabilities or home (its status moves by its own actions)",
    tags: ['units'],
    params: unitParams,
    body: updateUnitBody,
    response: { 200: z.object({ unit: unitView }) },
    handler: async ({ staff, params, body }) => ({ unit: await updateUnit(deps, staff.forceId, staff.staffId, params.id, body) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/units/:id/retire',
    permission: 'units:manage',
    audit: 'unit.retire',
    summary:
      'Retire a unit booked off duty, with the reason: off the unit board, never recommended nor sent, kept in past incidents, its call sign still taken. 409 saying what to do for a unit at work, unavailable or available',
    tags: ['units'],
    params: unitParams,
    body: retireUnitBody,
    response: { 200: z.object({ unit: unitView }) },
    handler: async ({ staff, params, body }) => ({ unit: await retireUnit(deps, staff.forceId, staff.staffId, params.id, body.reason) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/units/:id/reinstate',
    permission: 'units:manage',
    audit: 'unit.reinstate',
    summary: 'Bring a retired unit back into the fleet, off duty (the control room books it on); 409 for a unit not retired',
    tags: ['units'],
    params: unitParams,
    response: { 200: z.object({ unit: unitView }) },
    handler: async ({ staff, params }) => ({ unit: await reinstateUnit(deps, staff.forceId, staff.staffId, params.id) }),
  });
  // Vehicle tracking posts with its force's tracking token (decision 0203); staff may still post as before.
  staffOrIntegrationRoute(app, deps, {
    method: 'POST',
    url: '/api/units/positions',
    permission: 'positions:ingest',
    audit: 'unit.positions',
    summary:
      "A batch of unit positions from vehicle tracking (Authorization: Bearer <the force's tracking token>, or a member of staff with positions:ingest); late and out-of-order positions are ignored, and a retired unit's refused on their own, with the reason",
    tags: ['units'],
    body: positionBatchBody,
    response: { 200: positionIngestResult },
    integration: 'tracking',
    authenticate: (authorization) => authenticateTrackingFeed(deps, authorization),
    handler: async ({ caller, body }) => ingestPositions(deps, caller.forceId, body),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/units/:id/positions',
    permission: 'incidents:read',
    audit: 'unit.trail',
    summary: "A unit's past positions in a window (default the last hour), oldest first, kept for the force's retention",
    tags: ['units'],
    params: unitParams,
    query: positionTrailQuery,
    response: { 200: positionTrailView },
    handler: async ({ staff, params, query }) => listPositionTrail(deps, staff.forceId, params.id, query),
  });
}
