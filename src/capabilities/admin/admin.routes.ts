import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { withForce } from '../../platform/db/database.ts';
import { listJobs, retryDeadJob } from '../../platform/jobs/jobs-admin.ts';
import { verifyChain } from '../../platform/events/event-log.ts';
import type { JobId } from '../../platform/ids.ts';
import { listOutbox } from '../outbox/outbox.service.ts';
import { sendOutboxMessageAgain } from '../journeys/send-again.service.ts';
import { chainVerification, jobView as jobSchema, outboxMessageView } from './admin.schema.ts';

function jobView(job: Awaited<ReturnType<typeof listJobs>>[number]) {
  return {
    id: job.id,
    type: job.type,
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.lastError,
    runAt: job.runAt.toISOString(),
    createdAt: job.createdAt.toISOString(),
  };
}

/** What a force admin (and supervisors, for the outbox) sees of the machinery: outbox, jobs, audit. */
export function registerAdminRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/outbox',
    permission: 'outbox:read',
    audit: 'outbox.list',
    summary: 'Recent outbound messages and their delivery state',
    tags: ['admin'],
    response: { 200: z.object({ messages: z.array(outboxMessageView) }) },
    handler: async ({ staff }) => ({ messages: await withForce(deps.db, staff.forceId, (tx) => listOutbox(tx, staff.forceId)) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/outbox/:id/send-again',
    permission: 'outbox:send_again',
    audit: 'outbox.send_again',
    summary:
      'Send a failed message again, once its cause is mended: from the first channel the person allows now, within their safe time; 409 with the reason for a message that has not failed',
    tags: ['admin'],
    params: z.object({ id: idField('must be an outbox message id') }),
    response: { 200: z.object({ message: outboxMessageView }) },
    handler: async ({ staff, params }) => ({ message: await sendOutboxMessageAgain(deps, staff.forceId, staff.staffId, params.id) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/jobs',
    permission: 'jobs:manage',
    audit: 'job.list',
    summary: 'Durable jobs in one state (dead jobs wait here for an admin)',
    tags: ['admin'],
    query: z.object({ state: z.enum(['pending', 'running', 'done', 'dead']).default('dead') }),
    response: { 200: z.object({ jobs: z.array(jobSchema) }) },
    handler: async ({ staff, query }) => ({
      jobs: (await withForce(deps.db, staff.forceId, (tx) => listJobs(tx, staff.forceId, query.state))).map(jobView),
    }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/jobs/:id/retry',
    permission: 'jobs:manage',
    audit: 'job.retry',
    summary: 'Give a dead job a fresh set of attempts',
    tags: ['admin'],
    params: z.object({ id: idField('must be a job id') }),
    response: { 200: z.object({ job: jobSchema }) },
    handler: async ({ staff, params }) => ({
      job: jobView(
        await withForce(deps.db, staff.forceId, (tx) =>
          retryDeadJob(tx, staff.forceId, deps.clock, params.id as JobId, staff.staffId),
        ),
      ),
    }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/audit/verify',
    permission: 'audit:verify',
    audit: 'audit.verify',
    summary: "Walk the force's hash-chained event log and report the first broken link",
    tags: ['admin'],
    response: { 200: chainVerification },
    handler: async ({ staff }) => withForce(deps.db, staff.forceId, (tx) => verifyChain(tx, staff.forceId)),
  });
}
