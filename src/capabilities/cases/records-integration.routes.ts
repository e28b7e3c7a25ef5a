import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { integrationRoute, integrationTokenBody, integrationTokenView } from '../../platform/http/integration-routes.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { noContent } from '../../platform/http/responses.ts';
import { applyRecordsUpdate } from './records-integration.service.ts';
import { getRecordsMapping, saveRecordsMapping } from './records-mapping.service.ts';
import { authenticateRecordsSystem, issueRecordsToken, listRecordsTokens, revokeRecordsToken } from './records-tokens.service.ts';
import { recordsCaseUpdate, recordsMapping, recordsMappingView, recordsUpdateResult } from './records-integration.schema.ts';

const tokenBody = integrationTokenBody('Records system');

/**
 * The records-system integration: the endpoint the force's records system sends case updates to
 * (a bearer token of the force's, no staff session), and the admin routes for its tokens and its
 * mapping of codes. See docs/integrations/records-system.md.
 */
export async function registerRecordsIntegrationRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  integrationRoute(app, {
    method: 'POST',
    url: '/api/integrations/records/cases',
    audit: 'records.case_update',
    summary:
      "A case update from the force's records system (Authorization: Bearer <integration token>): creates or updates the case by the system's reference; a duplicate or an older update changes nothing",
    tags: ['integrations'],
    body: recordsCaseUpdate,
    response: { 200: recordsUpdateResult, 201: recordsUpdateResult },
    integration: 'records',
    authenticate: (authorization) => authenticateRecordsSystem(deps, authorization),
    handler: async ({ request, body, reply, caller }) => {
      const result = await applyRecordsUpdate(deps, caller.forceId, caller.tokenId, body);
      request.log.info({ audit: 'records.case_update', forceId: caller.forceId, caseId: result.caseId, result: result.result }, 'records update');
      return reply.status(result.result === 'created' ? 201 : 200).send(result);
    },
  });

  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/integrations/records/tokens',
    permission: 'force:settings',
    audit: 'records.token.list',
    summary: "The force's records-system tokens (never the tokens themselves)",
    tags: ['integrations'],
    response: { 200: z.object({ tokens: z.array(integrationTokenView) }) },
    handler: async ({ staff }) => ({ tokens: await listRecordsTokens(deps, staff.forceId) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/integrations/records/tokens',
    permission: 'force:settings',
    audit: 'records.token.issue',
    summary: 'Make a token for the records system; it is shown in this answer only',
    tags: ['integrations'],
    body: tokenBody,
    response: { 201: z.object({ token: z.string(), tokenInfo: integrationTokenView }) },
    handler: async ({ staff, body, reply }) => {
      const issued = await issueRecordsToken(deps, staff.forceId, staff.staffId, { label: body.label, isRotation: false });
      return reply.status(201).send({ token: issued.token, tokenInfo: issued.view });
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/integrations/records/tokens/rotate',
    permission: 'force:settings',
    audit: 'records.token.rotate',
    summary: 'Make a new token and revoke every other one at once; the new token is shown in this answer only',
    tags: ['integrations'],
    body: tokenBody,
    response: { 201: z.object({ token: z.string(), tokenInfo: integrationTokenView, revoked: z.array(z.string()) }) },
    handler: async ({ staff, body, reply }) => {
      const issued = await issueRecordsToken(deps, staff.forceId, staff.staffId, { label: body.label, isRotation: true });
      return reply.status(201).send({ token: issued.token, tokenInfo: issued.view, revoked: issued.revoked });
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/integrations/records/tokens/:id/revoke',
    permission: 'force:settings',
    audit: 'records.token.revoke',
    summary: 'Revoke a records-system token: it stops working at once',
    tags: ['integrations'],
    params: z.object({ id: idField('must be a token id') }),
    response: { 204: noContent },
    handler: async ({ staff, params, reply }) => {
      await revokeRecordsToken(deps, staff.forceId, staff.staffId, params.id);
      return reply.status(204).send();
    },
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/integrations/records/mapping',
    permission: 'force:settings',
    audit: 'records.mapping.view',
    summary: "The force's mapping from the records system's status codes to case moves, and its crime codes to crime types",
    tags: ['integrations'],
    response: { 200: recordsMappingView },
    handler: async ({ staff }) => getRecordsMapping(deps, staff.forceId),
  });
  staffRoute(app, deps, {
    method: 'PUT',
    url: '/api/integrations/records/mapping',
    permission: 'force:settings',
    audit: 'records.mapping.change',
    summary: "Replace the force's mapping (an empty one goes back to the default)",
    tags: ['integrations'],
    body: recordsMapping,
    response: { 200: recordsMappingView },
    handler: async ({ staff, body }) => saveRecordsMapping(deps, staff.forceId, staff.staffId, body),
  });
}
