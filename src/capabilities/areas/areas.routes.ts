import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { listAreas } from './areas.service.ts';
import { areaView, mapBaseView, type MapBaseView } from './areas.schema.ts';

/** The force's areas, and what the dispatcher's map draws them on. */
export function registerAreaRoutes(app: FastifyInstance, deps: ServiceDeps & { mapBase: MapBaseView }): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/areas',
    permission: 'incidents:read',
    audit: 'area.list',
    summary: "The force's districts and beats with their shapes (GeoJSON, longitude first)",
    tags: ['areas'],
    response: { 200: z.object({ areas: z.array(areaView) }) },
    handler: async ({ staff }) => ({ areas: await listAreas(deps, staff.forceId) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/map',
    permission: 'incidents:read',
    audit: 'map.base',
    summary: "The base of the dispatcher's map: the configured tiles, or none (a plain background)",
    tags: ['areas'],
    response: { 200: mapBaseView },
    handler: async () => deps.mapBase,
  });
}
