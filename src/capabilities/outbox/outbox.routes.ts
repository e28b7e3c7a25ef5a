import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { withForce } from '../../platform/db/database.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { noContent } from '../../platform/http/responses.ts';
import { listLettersToPrint, markLetterPrinted } from './outbox.service.ts';

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

const letterView = z
  .object({
    id: z.string(),
    caseId: z.string().nullable(),
    recipient: z.string().describe('The postal address, as the journey rendered it'),
    subject: z.string(),
    body: z.string(),
    purpose: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'LetterToPrint' });

/** The print queue: victims' letters wait here until a member of staff prints and posts them. */
export function registerOutboxRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/outbox/letters',
    permission: 'cases:read',
    audit: 'outbox.letters.list',
    summary: 'Letters waiting to be printed and posted, oldest first',
    tags: ['cases'],
    response: { 200: z.object({ letters: z.array(letterView) }) },
    handler: async ({ staff }) => ({ letters: await withForce(deps.db, staff.forceId, (tx) => listLettersToPrint(tx, staff.forceId)) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/outbox/letters/:id/printed',
    permission: 'cases:investigate',
    audit: 'outbox.letter.printed',
    summary: 'Mark a letter printed and posted: it is delivered, and the case timeline shows who sent it',
    tags: ['cases'],
    params: z.object({ id: idField('must be an outbox message id') }),
    response: { 204: noContent },
    handler: async ({ staff, params, reply }) => {
      await withForce(deps.db, staff.forceId, (tx) => markLetterPrinted(tx, staff.forceId, deps.clock, staff.staffId, params.id));
      return reply.status(204).send();
    },
  });
}
