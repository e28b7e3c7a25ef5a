import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { publicRoute } from './routes.ts';
import { errorBody } from './responses.ts';
import { RETRY_AFTER_SECONDS } from './server.ts';
import { isBearer } from './bearer-token.ts';
import type { Readiness } from './readiness.ts';

const engine = z.enum(['pglite', 'postgres']);

const mailPollers = z
  .object({
    mailboxes: z.number().int().describe('Mailboxes this process polls over IMAP'),
    failing: z.number().int().describe('Of them, those whose last poll failed'),
    restartNeeded: z.boolean().describe('A library the pollers need failed as it loaded; Node keeps that failure until the process is restarted'),
    failingSince: z.string().optional().describe('ISO 8601 date and time (UTC) the longest-failing of them began failing'),
  })
  .optional()
  .describe(
    'Present where this process polls mailboxes, and only to a caller presenting the METRICS_TOKEN bearer token (never without one set). Counts only: failing mailboxes never make the process unready, not even all of them',
  );

const ready = z.object({ status: z.literal('ready'), engine, mailPollers }).meta({ id: 'Ready' });

const notReady = z
  .object({
    status: z.literal('not ready'),
    engine,
    reason: z.string(),
    parts: z.object({
      database: z.enum(['ok', 'unreachable']),
      migrations: z.enum(['applied', 'pending', 'unknown']),
      listener: z.enum(['listening', 'down']).describe('LISTEN: without it, changes made by other processes reach neither consoles nor chat sockets'),
    }),
    listenerDownSince: z.string().optional().describe('ISO 8601 date and time (UTC)'),
    mailPollers,
  })
  .meta({ id: 'NotReady' });

/** The OpenAPI document itself: its top-level fields, and whatever else it holds. */
const openApiDocument = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OpenApiDocument' });

/**
 * What `/readyz` tells a caller: everything to one presenting the metrics bearer token; to anyone
 * else (a load balancer's probe) the same status code and the same body without the mail pollers,
 * which describe every force this process polls for (decision 0158).
 */
function readinessFor(readiness: Readiness, authorization: string | undefined, metricsToken: string | undefined): Readiness {
  if (metricsToken && isBearer(authorization, metricsToken)) return readiness;
  if (readiness.ready) {
    const { mailPollers: _detail, ...body } = readiness.body;
    return { ready: true, body };
  }
  const { mailPollers: _detail, ...body } = readiness.body;
  return { ready: false, body };
}

/**
 * Liveness, readiness and this API's own description, for load balancers and clients. `/readyz`
 * answers anyone; the mail pollers' counts only a caller with `metricsToken` (decision 0158).
 */
export function registerOperationsRoutes(app: FastifyInstance, deps: { readiness: () => Promise<Readiness>; metricsToken: string | undefined }): void {
  publicRoute(app, {
    method: 'GET',
    url: '/healthz',
    permission: 'public',
    audit: 'operations.alive',
    summary: 'The process is alive (it says nothing of the database)',
    tags: ['operations'],
    response: { 200: z.object({ status: z.literal('alive') }) },
    handler: async () => ({ status: 'alive' as const }),
  });
  publicRoute(app, {
    method: 'GET',
    url: '/readyz',
    permission: 'public',
    audit: 'operations.ready',
    summary: 'Whether this process can serve: the database answers, migrations are applied, LISTEN is up (the mail pollers too, behind the metrics bearer token)',
    tags: ['operations'],
    response: { 200: ready, 503: z.union([notReady, errorBody]) },
    handler: async ({ request, reply }) => {
      const readiness = readinessFor(await deps.readiness(), request.headers.authorization, deps.metricsToken);
      if (readiness.ready) return readiness.body;
      return reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send(readiness.body);
    },
  });
  publicRoute(app, {
    method: 'GET',
    url: '/api/openapi.json',
    permission: 'public',
    audit: 'operations.api_document',
    summary: 'This document',
    tags: ['operations'],
    response: { 200: openApiDocument },
    handler: async () => openApiDocument.parse(app.swagger()),
  });
}
