import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { getContactGrade, gradeContact, listGradeDefinitions } from './grades.service.ts';
import { gradeBody, gradeDefinition, gradeView } from './grading.schema.ts';

const contactIdParams = z.object({ id: idField('must be a contact id') });

/** Grading of contacts, and the force's grade definitions. */
export function registerGradingRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/grades',
    permission: 'contacts:read',
    audit: 'grade.definitions',
    summary: "The force's grade definitions and attendance targets",
    tags: ['thrive'],
    response: { 200: z.object({ grades: z.array(gradeDefinition) }) },
    handler: async ({ staff }) => ({ grades: await listGradeDefinitions(deps, staff.forceId) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/contacts/:id/grade',
    permission: 'contacts:read',
    audit: 'grade.view',
    summary: 'The current grade with its target deadline, and every earlier grade',
    tags: ['thrive'],
    params: contactIdParams,
    response: { 200: gradeView },
    handler: async ({ staff, params }) => getContactGrade(deps, staff.forceId, params.id),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/grade',
    permission: 'grade:set',
    audit: 'grade.set',
    summary: 'Grade the contact; a regrade needs a reason and keeps the earlier grade',
    tags: ['thrive'],
    params: contactIdParams,
    body: gradeBody,
    response: { 201: gradeView },
    handler: async ({ staff, params, body, reply }) =>
      reply.status(201).send(await gradeContact(deps, staff.forceId, params.id, staff.staffId, body)),
  });
}
