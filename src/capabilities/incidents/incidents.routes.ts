import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { addIncidentNote, createIncident, getIncident, linkContact, listIncidents, unlinkContact } from './incidents.service.ts';
import { updateIncident } from './incident-update.service.ts';
import { createIncidentBody, updateIncidentBody, incidentListQuery, incidentLocationBody, incidentSummary, incidentView, linkContactBody, mergeIncidentBody, nearbyIncident, nearbyQuery, noteBody, unlinkContactBody } from './incidents.schema.ts';
import { findNearbyIncidents, mergeIncident } from './incident-merge.service.ts';
import { setIncidentLocation } from './incident-location.service.ts';

const incidentParams = z.object({ id: idField('must be an incident id') });

/** Incidents: created from contacts or directly, with their contacts and running log. */
export function registerIncidentRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/incidents',
    permission: 'incidents:read',
    audit: 'incident.list',
    summary: "The force's incidents, newest first: every live one, or the latest 200 of all",
    tags: ['incidents'],
    query: incidentListQuery,
    response: { 200: z.object({ incidents: z.array(incidentSummary) }) },
    handler: async ({ staff, query }) => ({ incidents: await listIncidents(deps, staff.forceId, query.which) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents',
    permission: 'incidents:write',
    audit: 'incident.create',
    summary: 'Create an incident from one or more contacts, or directly; its place is put in a district and beat',
    tags: ['incidents'],
    body: createIncidentBody,
    response: { 201: z.object({ incident: incidentView }) },
    handler: async ({ staff, body, reply }) => reply.status(201).send({ incident: await createIncident(deps, staff.forceId, staff.staffId, body) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/incidents/nearby',
    permission: 'incidents:read',
    audit: 'incident.nearby',
    summary: 'Live incidents of the same type near a place, nearest first: link the caller to one rather than create a duplicate',
    tags: ['incidents'],
    query: nearbyQuery,
    response: { 200: z.object({ incidents: z.array(nearbyIncident) }) },
    handler: async ({ staff, query }) => ({ incidents: await findNearbyIncidents(deps, staff.forceId, query) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents/:id/merge',
    permission: 'incidents:write',
    audit: 'incident.merge',
    summary: "Merge this duplicate into another incident: its contacts move there, it is cancelled as 'merged'; nothing is deleted",
    tags: ['incidents'],
    params: incidentParams,
    body: mergeIncidentBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => ({ incident: await mergeIncident(deps, staff.forceId, staff.staffId, params.id, body.intoIncidentId) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/incidents/:id',
    permission: 'incidents:read',
    audit: 'incident.view',
    summary: 'One incident with its contacts, notes and units',
    tags: ['incidents'],
    params: incidentParams,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params }) => ({ incident: await getIncident(deps, staff.forceId, params.id) }),
  });
  staffRoute(app, deps, {
    method: 'PATCH',
    url: '/api/incidents/:id',
    permission: 'incidents:write',
    audit: 'incident.update',
    summary:
      "Correct an incident as information arrives: its type (one of the force's), summary or the capabilities a unit needs (each one some unit of the force has). One `incident.updated` names each field changed, before and after; the same values again change nothing and record nothing. The grade and its countdown stay (grading is its own route). Refused (409) once the incident has ended",
    tags: ['incidents'],
    params: incidentParams,
    body: updateIncidentBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => ({ incident: await updateIncident(deps, staff.forceId, staff.staffId, params.id, body) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents/:id/contacts',
    permission: 'incidents:write',
    audit: 'incident.link_contact',
    summary: 'Link another contact about the same event (linked, not duplicated)',
    tags: ['incidents'],
    params: incidentParams,
    body: linkContactBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => ({ incident: await linkContact(deps, staff.forceId, staff.staffId, params.id, body.contactId) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents/:id/contacts/:contactId/unlink',
    permission: 'incidents:write',
    audit: 'incident.unlink_contact',
    summary: 'Unlink a contact linked by mistake; the link stays on record',
    tags: ['incidents'],
    params: z.object({ id: idField('must be an incident id'), contactId: idField('must be a contact id') }),
    body: unlinkContactBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => ({ incident: await unlinkContact(deps, staff.forceId, staff.staffId, params.id, params.contactId, body.reason) }),
  });
  staffRoute(app, deps, {
    method: 'PUT',
    url: '/api/incidents/:id/location',
    permission: 'incidents:write',
    audit: 'incident.location',
    summary: 'Set where the incident is (address and map position, replacing both); the position puts it in a district and beat and lets units be recommended',
    tags: ['incidents'],
    params: incidentParams,
    body: incidentLocationBody,
    response: { 200: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body }) => ({ incident: await setIncidentLocation(deps, staff.forceId, staff.staffId, params.id, body) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/incidents/:id/notes',
    permission: 'incidents:write',
    audit: 'incident.note',
    summary: "Add a note to the incident's running log",
    tags: ['incidents'],
    params: incidentParams,
    body: noteBody,
    response: { 201: z.object({ incident: incidentView }) },
    handler: async ({ staff, params, body, reply }) => reply.status(201).send({ incident: await addIncidentNote(deps, staff.forceId, staff.staffId, params.id, body.body) }),
  });
}
