import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { integrationTokenBody, integrationTokenView } from '../../platform/http/integration-routes.ts';
import { idField } from '../../platform/http/request-fields.ts';
import { noContent } from '../../platform/http/responses.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { issueTrackingToken, listTrackingTokens, revokeTrackingToken } from './tracking-tokens.service.ts';

const tokenBody = integrationTokenBody('Vehicle tracking');

/**
 * The admin routes for vehicle tracking's tokens (decision 0203), with the same permission as the
 * records system's: a force admin manages the force's integrations.
 */
export function registerTrackingTokenRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/integrations/tracking/tokens',
    permission: 'force:settings',
    audit: 'tracking.token.list',
    summary: "The force's vehicle-tracking tokens (never the tokens themselves)",
    tags: ['integrations'],
    response: { 200: z.object({ tokens: z.array(integrationTokenView) }) },
    handler: async ({ staff }) => ({ tokens: await listTrackingTokens(deps, staff.forceId) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/integrations/tracking/tokens',
    permission: 'force:settings',
    audit: 'tracking.token.issue',
    summary: 'Make a token for vehicle tracking to post unit positions with; it is shown in this answer only',
    tags: ['integrations'],
    body: tokenBody,
    response: { 201: z.object({ token: z.string(), tokenInfo: integrationTokenView }) },
    handler: async ({ staff, body, reply }) => {
      const issued = await issueTrackingToken(deps, staff.forceId, staff.staffId, body.label);
      return reply.status(201).send({ token: issued.token, tokenInfo: issued.view });
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/integrations/tracking/tokens/:id/revoke',
    permission: 'force:settings',
    audit: 'tracking.token.revoke',
    summary: 'Revoke a vehicle-tracking token: it stops working at once',
    tags: ['integrations'],
    params: z.object({ id: idField('must be a token id') }),
    response: { 204: noContent },
    handler: async ({ staff, params, reply }) => {
      await revokeTrackingToken(deps, staff.forceId, staff.staffId, params.id);
      return reply.status(204).send();
    },
  });
}
