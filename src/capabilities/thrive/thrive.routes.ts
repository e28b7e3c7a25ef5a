import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { assessContact, getThrive } from './thrive.service.ts';
import { thriveBody, thriveView } from './thrive.schema.ts';

const contactIdParams = z.object({ id: idField('must be a contact id') });

/** THRIVE assessment of contacts (grading is grading/grading.routes.ts). */
export function registerThriveRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/contacts/:id/thrive',
    permission: 'contacts:read',
    audit: 'thrive.view',
    summary: 'The latest THRIVE assessment, its history, a draft from triage, and when re-assessment is due',
    tags: ['thrive'],
    params: contactIdParams,
    response: { 200: thriveView },
    handler: async ({ staff, params }) => getThrive(deps, staff.forceId, params.id),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/thrive',
    permission: 'thrive:assess',
    audit: 'thrive.assess',
    summary: 'Record a THRIVE assessment: all six elements, each with a rating and a rationale',
    tags: ['thrive'],
    params: contactIdParams,
    body: thriveBody,
    bodyLimit: 64 * 1024,
    response: { 201: thriveView },
    handler: async ({ staff, params, body, reply }) =>
      reply.status(201).send(await assessContact(deps, staff.forceId, params.id, staff.staffId, body)),
  });
}
