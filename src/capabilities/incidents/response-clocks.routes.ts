import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { regradeIncident } from './incident-grades.service.ts';
import { getIncident } from './incidents.service.ts';
import { breachReasonBody, incidentView, regradeIncidentBody } from './incidents.schema.ts';
import { recordBreachReason } from './response-clocks.service.ts';
import {
  listBreachReasons,
  listClosingCodes,
  listIncidentTypes,
  listResponseTargets,
  replaceIncidentTypes,
  replaceList,
  replaceResponseTargets,
} from './control-room-lists.service.ts';
import { incidentTypeView, listEntryView, replaceIncidentTypesBody, replaceListBody, replaceResponseTargetsBody, responseTargetView } from './control-room-lists.schema.ts';

const incidentParams = z.object({ id: idField('must be an incident id') });

/** Grades and response clocks of incidents, and the force's control-room lists. */
export function registerResponseClockRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents/:id/grade',
    permission: 'incidents:write',
    audit: 'incident.grade',
    summary: "Grade or regrade the incident; its countdown is recomputed against the new grade's targets",
    tags: ['incidents'],
    params: incidentParams,
    body: regradeIncidentBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => ({ incident: await regradeIncident(deps, staff.forceId, staff.staffId, params.id, body) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents/:id/clocks/:clockId/breach-reason',
    permission: 'dispatch:act',
    audit: 'incident.breach_reason',
    summary: "Say why a response target was missed: a reason from the force's list, and free text; closes the supervisors' alert",
    tags: ['incidents'],
    params: z.object({ id: idField('must be an incident id'), clockId: idField('must be a clock id') }),
    body: breachReasonBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => {
      await recordBreachReason(deps, staff.forceId, staff.staffId, params.id, params.clockId, body);
      return { incident: await getIncident(deps, staff.forceId, params.id) };
    },
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/response-targets',
    permission: 'incidents:read',
    audit: 'response_targets.view',
    summary: 'Deploy and arrival targets per grade and area setting (urban, rural)',
    tags: ['incidents'],
    response: { 200: z.object({ targets: z.array(responseTargetView) }) },
    handler: async ({ staff }) => ({ targets: await listResponseTargets(deps, staff.forceId) }),
  });
  staffRoute(app, deps, {
    method: 'PUT',
    url: '/api/response-targets',
    permission: 'force:settings',
    audit: 'response_targets.set',
    summary: 'Set deploy and arrival targets (those named); running clocks keep theirs',
    tags: ['incidents'],
    body: replaceResponseTargetsBody,
    response: { 200: z.object({ targets: z.array(responseTargetView) }) },
    handler: async ({ staff, body }) => ({ targets: await replaceResponseTargets(deps, staff.forceId, staff.staffId, body.targets) }),
  });
  for (const list of [
    { url: '/api/breach-reasons', name: 'breach_reasons', what: 'Reasons a response target was missed', table: 'breach_reasons', read: listBreachReasons },
    { url: '/api/closing-codes', name: 'closing_codes', what: 'Codes an incident is closed with', table: 'closing_codes', read: listClosingCodes },
  ] as const) {
    staffRoute(app, deps, {
      method: 'GET',
      url: list.url,
      permission: 'incidents:read',
      audit: `${list.name}.list`,
      summary: `${list.what}, in the force's order; retired entries marked`,
      tags: ['incidents'],
      response: { 200: z.object({ entries: z.array(listEntryView) }) },
      handler: async ({ staff }) => ({ entries: await list.read(deps, staff.forceId) }),
    });
    staffRoute(app, deps, {
      method: 'PUT',
      url: list.url,
      permission: 'force:settings',
      audit: `${list.name}.replace`,
      summary: `Replace the list of ${list.what.toLowerCase()}: entries left out are retired, never deleted`,
      tags: ['incidents'],
      body: replaceListBody,
      response: { 200: z.object({ entries: z.array(listEntryView) }) },
      handler: async ({ staff, body }) => ({ entries: await replaceList(deps, staff.forceId, staff.staffId, list.table, body.entries) }),
    });
  }
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/incident-types',
    permission: 'incidents:read',
    audit: 'incident_types.list',
    summary: "The force's incident types (opening codes) under the national incident categories",
    tags: ['incidents'],
    response: { 200: z.object({ entries: z.array(incidentTypeView) }) },
    handler: async ({ staff }) => ({ entries: await listIncidentTypes(deps, staff.forceId) }),
  });
  staffRoute(app, deps, {
    method: 'PUT',
    url: '/api/incident-types',
    permission: 'force:settings',
    audit: 'incident_types.replace',
    summary: 'Replace the incident types: entries left out are retired, never deleted',
    tags: ['incidents'],
    body: replaceIncidentTypesBody,
    response: { 200: z.object({ entries: z.array(incidentTypeView) }) },
    handler: async ({ staff, body }) => ({ entries: await replaceIncidentTypes(deps, staff.forceId, staff.staffId, body.entries) }),
  });
}
