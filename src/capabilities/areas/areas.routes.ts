import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { withForce } from '../../platform/db/database.ts';
import { idField } from '../../platform/http/request-fields.ts';
import { listAreas } from './areas.service.ts';
import { areaView, mapBaseView, type MapBaseView } from './areas.schema.ts';
import { changeArea, importAreas, previewAreaImport, readAreaFile, removeArea } from './area-admin.service.ts';
import { areaImportBody, areaImportPreview, areaImportResult, changeAreaBody } from './area-admin.schema.ts';
import { CheckWork, type Pause } from './ring-crossings.schema.ts';

const areaParams = z.object({ id: idField('must be an area id') });
/** A boundary file of five million characters, with room for JSON's escapes. */
const IMPORT_BODY_LIMIT = 12 * 1024 * 1024;

/**
 * The force's areas, and what the dispatcher's map draws them on. `checkTurn` is how a boundary
 * file's check gives the event loop a turn (by default the next turn; tests watch them).
 */
export function registerAreaRoutes(app: FastifyInstance, deps: ServiceDeps & { mapBase: MapBaseView; checkTurn?: Pause }): void {
  const checkWork = () => new CheckWork(deps.checkTurn ? { pause: deps.checkTurn } : {});
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
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/areas/import/preview',
    permission: 'areas:manage',
    audit: 'area.import.preview',
    summary: 'Read a boundary file (GeoJSON or KML) and say which areas it would draw and which it would give a new shape, changing nothing',
    tags: ['areas'],
    bodyLimit: IMPORT_BODY_LIMIT,
    body: areaImportBody,
    response: { 200: areaImportPreview },
    handler: async ({ staff, body }) => {
      // Read and checked outside the transaction: a large file takes many turns of the event loop.
      const read = await readAreaFile(body, checkWork());
      return withForce(deps.db, staff.forceId, async (tx) => {
        const { features, warnings, ready } = await previewAreaImport(tx, staff.forceId, body, read);
        return { features, warnings, ready };
      });
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/areas/import',
    permission: 'areas:manage',
    audit: 'area.import',
    summary: 'Import a boundary file as previewed, all or nothing: new areas are drawn, a live area of the same kind and name gets the new shape and setting',
    tags: ['areas'],
    bodyLimit: IMPORT_BODY_LIMIT,
    body: areaImportBody,
    response: { 200: areaImportResult },
    handler: async ({ staff, body }) => {
      const read = await readAreaFile(body, checkWork());
      return withForce(deps.db, staff.forceId, (tx) => importAreas(tx, staff.forceId, deps.clock, body, read, staff.staffId));
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/areas/:id',
    permission: 'areas:manage',
    audit: 'area.change',
    summary: 'Rename an area or set it urban or rural (the response targets of incidents created after follow the new setting)',
    tags: ['areas'],
    params: areaParams,
    body: changeAreaBody,
    response: { 200: z.object({ area: areaView }) },
    handler: async ({ staff, params, body }) => ({ area: await withForce(deps.db, staff.forceId, (tx) => changeArea(tx, staff.forceId, deps.clock, params.id, body, staff.staffId)) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/areas/:id/remove',
    permission: 'areas:manage',
    audit: 'area.remove',
    summary: 'Remove an area from every look-up and list; incidents recorded in it keep its name',
    tags: ['areas'],
    params: areaParams,
    body: z.object({}),
    response: { 200: z.object({ areas: z.array(areaView) }) },
    handler: async ({ staff, params }) => {
      await withForce(deps.db, staff.forceId, (tx) => removeArea(tx, staff.forceId, deps.clock, params.id, staff.staffId));
      return { areas: await listAreas(deps, staff.forceId) };
    },
  });
}
