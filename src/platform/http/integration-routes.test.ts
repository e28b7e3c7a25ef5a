// The routes an integration calls go through the same steps as every other route: a blank query
// value is as if not given, whichever caller, token or session, makes the request.
import pino from 'pino';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { staffOrIntegrationRoute } from './integration-routes.ts';
import { createServer } from './server.ts';

describe('staffOrIntegrationRoute', () => {
  let app: TestApp;
  let server: FastifyInstance;

  beforeAll(async () => {
    app = await createTestApp();
    server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: false, cookieSecret: 'x'.repeat(32) });
    staffOrIntegrationRoute(server, app.deps, {
      method: 'GET',
      url: '/api/integration-route-probe',
      permission: 'positions:ingest',
      audit: 'test.integration_probe',
      summary: 'A probe',
      query: z.object({ limit: z.coerce.number().int().min(1).optional() }),
      response: { 200: z.object({ limit: z.number().nullable(), kind: z.string() }) },
      integration: 'tracking',
      authenticate: async () => ({ forceId: app.demoForceId, tokenId: 'probe-token' }),
      handler: async ({ query, caller }) => ({ limit: query.limit ?? null, kind: caller.kind }),
    });
    await server.ready();
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
  });

  it('drops-blank-query-values-on-the-integration-path-as-the-staff-path-does', async () => {
    const response = await server.inject({ method: 'GET', url: '/api/integration-route-probe?limit=', headers: { authorization: 'Bearer bltrk_probe-token' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ limit: null, kind: 'integration' });
  });
});
