import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { findPeopleByIdentity, getPerson, linkPeople, unlinkPeople } from './people-links.service.ts';
import { personMatch, personView } from './people.schema.ts';
import { noContent } from '../../platform/http/responses.ts';

const personParams = z.object({ id: idField('must be a person id') });
const reason = z.string().trim().min(3, 'say why (at least 3 characters)').max(500);

/** People: who someone is across channels, and the operator's links between records. */
export function registerPeopleRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/people',
    permission: 'contacts:read',
    audit: 'person.search',
    summary: 'Find people by one of their handles (email, phone in any format, social id)',
    tags: ['people'],
    query: z.object({ kind: z.enum(['email', 'phone', 'social']), value: z.string().trim().min(3).max(254) }),
    response: { 200: z.object({ people: z.array(personMatch) }) },
    handler: async ({ staff, query }) => ({ people: await findPeopleByIdentity(deps, staff.forceId, query.kind, query.value) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/people/:id',
    permission: 'contacts:read',
    audit: 'person.view',
    summary: 'A person with their identities (including linked records) and links',
    tags: ['people'],
    params: personParams,
    response: { 200: z.object({ person: personView }) },
    handler: async ({ staff, params }) => ({ person: await getPerson(deps, staff.forceId, params.id, staff.staffId) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/people/:id/links',
    permission: 'people:link',
    audit: 'person.link',
    summary: 'Record that another person record is the same human (never a destructive merge)',
    tags: ['people'],
    params: personParams,
    body: z.strictObject({ personId: idField('must be a person id'), reason }),
    response: { 201: z.object({ link: z.object({ id: z.string() }) }) },
    handler: async ({ staff, params, body, reply }) =>
      reply.status(201).send({ link: await linkPeople(deps, staff.forceId, staff.staffId, { personId: params.id, otherPersonId: body.personId, reason: body.reason }) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/people/:id/links/:linkId/unlink',
    permission: 'people:link',
    audit: 'person.unlink',
    summary: 'Undo a link between person records',
    tags: ['people'],
    params: z.object({ id: idField('must be a person id'), linkId: idField('must be a link id') }),
    body: z.strictObject({ reason }),
    response: { 204: noContent },
    handler: async ({ staff, params, body, reply }) => {
      await unlinkPeople(deps, staff.forceId, staff.staffId, { personId: params.id, linkId: params.linkId, reason: body.reason });
      return reply.status(204).send();
    },
  });
}
