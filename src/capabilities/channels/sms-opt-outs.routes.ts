import type { FastifyInstance } from 'fastify';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { listSmsOptOuts } from './sms-opt-outs.service.ts';
import { smsOptOutPage, smsOptOutQuery } from './sms-opt-outs.schema.ts';

/**
 * The numbers that replied STOP to the force's texts, for supervisors and force admins (the
 * outbox's readers: decision 0059). There is no route to remove one: only the person's START does.
 */
export function registerSmsOptOutRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/sms-opt-outs',
    permission: 'outbox:read',
    audit: 'sms_opt_out.list',
    summary: 'Numbers that replied STOP to our texts, newest first, or whether one number did (written any way)',
    tags: ['admin'],
    query: smsOptOutQuery,
    response: { 200: smsOptOutPage },
    handler: async ({ staff, query }) => listSmsOptOuts(deps, staff.forceId, query),
  });
}
