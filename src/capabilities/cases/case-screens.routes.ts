import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { listCaseAppointments, listCaseMessages } from './case-messages.service.ts';
import { wentAfterAllView } from '../admin/admin.schema.ts';

// What the investigator's case screen reads beside the case itself: what each victim has been
// told, and the appointments its milestones add up to.

const caseParams = z.object({ id: idField('must be a case id') });

const caseMessage = z
  .object({
    id: z.string(),
    kind: z.enum(['outbox', 'not_sent']).describe('A message in the outbox, or one a journey did not send (with the reason)'),
    victim: z.object({ id: z.string(), name: z.string() }).nullable(),
    channel: z.string(),
    recipient: z.string().nullable().describe('Masked: j***@example.com, •••• 0123'),
    purpose: z.string(),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    status: z.enum(['pending', 'sent', 'delivered', 'failed', 'held', 'suppressed']),
    queuedAt: z.string(),
    notBefore: z.string().nullable(),
    sentAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    attempts: z.number().int(),
    reason: z.string().nullable(),
    wentAfterAll: wentAfterAllView,
  })
  .meta({ id: 'CaseMessage' });

const appointment = z
  .object({
    id: z.string().describe('The id of the milestone that made it; give it as appointmentId to change or cancel it'),
    status: z.enum(['current', 'cancelled']),
    at: z.string().nullable(),
    isDateOnly: z.boolean().describe('Only its day is known (no time was given, by the records system or by staff): `at` is the UK midnight that begins it'),
    place: z.string().nullable(),
    note: z.string().nullable(),
    madeAt: z.string(),
    changedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
  })
  .meta({ id: 'CaseAppointment' });

/** The case screen's reads: messages to victims and appointments. */
export function registerCaseScreenRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases/:id/messages',
    permission: 'cases:read',
    audit: 'case.messages',
    summary: 'What each victim on the case has been told and when: messages with their delivery proof, and those not sent with the reason',
    tags: ['cases'],
    params: caseParams,
    response: { 200: z.object({ messages: z.array(caseMessage) }) },
    handler: async ({ staff, params }) => ({ messages: await listCaseMessages(deps, staff.forceId, params.id) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases/:id/appointments',
    permission: 'cases:read',
    audit: 'case.appointments',
    summary: "The case's appointments (made, changed, cancelled), from its appointment milestones",
    tags: ['cases'],
    params: caseParams,
    response: { 200: z.object({ appointments: z.array(appointment) }) },
    handler: async ({ staff, params }) => ({ appointments: await listCaseAppointments(deps, staff.forceId, params.id) }),
  });
}
