import type { FastifyInstance } from 'fastify';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { liftSmsOptOut, listSmsOptOuts, recordSmsOptOut } from './sms-opt-outs.service.ts';
import { smsOptOutChangeBody, smsOptOutLiftedView, smsOptOutPage, smsOptOutQuery, smsOptOutView } from './sms-opt-outs.schema.ts';

/**
 * The numbers not to be texted, for supervisors and force admins (the outbox's readers: decision
 * 0059), who may also record one by hand for a person who asked another way and lift what staff
 * recorded (`sms_opt_outs:manage`, the same two roles: decision 0071). A STOP the person texted is
 * lifted only by their own START. The number travels in the body, so it never reaches a URL or a log.
 */
export function registerSmsOptOutRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/sms-opt-outs',
    permission: 'outbox:read',
    audit: 'sms_opt_out.list',
    summary: 'Numbers not to be texted (they replied STOP, or staff recorded it), newest first, or whether one number is (written any way)',
    tags: ['admin'],
    query: smsOptOutQuery,
    response: { 200: smsOptOutPage },
    handler: async ({ staff, query }) => listSmsOptOuts(deps, staff.forceId, query),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/sms-opt-outs',
    permission: 'sms_opt_outs:manage',
    audit: 'sms_opt_out.record',
    summary: 'Record that a number is not to be texted, and why (the person asked by phone, or in words that are not a keyword); 409 if it already is',
    tags: ['admin'],
    body: smsOptOutChangeBody,
    response: { 201: smsOptOutView },
    handler: async ({ staff, body, reply }) => reply.status(201).send(await recordSmsOptOut(deps, staff.forceId, staff.staffId, body)),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/sms-opt-outs/lift',
    permission: 'sms_opt_outs:manage',
    audit: 'sms_opt_out.lift',
    summary: 'Lift an opt-out staff recorded, and say why: the number may be texted again; 409 if it has none, or if the person texted STOP (only their START lifts that)',
    tags: ['admin'],
    body: smsOptOutChangeBody,
    response: { 200: smsOptOutLiftedView },
    handler: async ({ staff, body }) => liftSmsOptOut(deps, staff.forceId, staff.staffId, body),
  });
}
