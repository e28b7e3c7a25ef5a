import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField, openedVersionField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import { summariseFieldIssues, wordFieldIssues } from '../../platform/http/field-wording.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { withForce } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { requestCallback } from './callbacks.service.ts';
import { SKILLS } from '../staff/staff.schema.ts';
import { assignContact, escalateToControlRoom, takeBackContact } from './routing-moves.service.ts';
import { getMyRouting, getRoutingBoard } from './board.service.ts';
import { acknowledgeAlert, listSupervisorAlerts } from './alerts.service.ts';
import { listQueues, replaceQueueRules, updateQueue } from './queues.service.ts';
import { makeDefaultQueue } from './default-queue.service.ts';
import { CONTACT_CHANNEL_NAMES } from './sla.schema.ts';
import type { QueueRule } from './routing.engine.ts';
import { TRIAGE_CATEGORIES } from '../triage/triage.schema.ts';
import {
  supervisorAlertView,
  done,
  myRoutingView,
  queueRuleView,
  queueView,
  queuesResponse,
  routingBoardView,
  rulesVersion,
} from './routing.schema.ts';

const idParams = (what: string) => z.object({ id: idField(`must be a ${what} id`) });
const minutes = z.number().int('must be whole minutes').min(1, 'must be at least 1 minute').max(60 * 24 * 30, 'must be 30 days or less');
const targets = z.strictObject({ firstResponseMinutes: minutes, nextResponseMinutes: minutes, resolutionMinutes: minutes });
const queueBody = z
  .strictObject({
    name: z.string().trim().min(1).max(80).optional(),
    sla: z.strictObject({ '1': targets, '2': targets, '3': targets, '4': targets }).optional(),
    warnAtPercent: z.number().int().min(1).max(99).optional(),
    requiredSkills: z.array(z.enum(SKILLS)).max(SKILLS.length).optional(),
    version: openedVersionField("queue's"),
  })
  .refine((b) => Object.keys(b).some((field) => field !== 'version'), 'say what to change');
/**
 * What a sent or stored value is called in a refusal: text quoted and cut short, a number or flag as
 * written, anything else by its kind. It may be anything a script wrote: a list nested thousands
 * deep, written out as text, would overflow the stack.
 */
const quoted = (value: unknown) => {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
};
/** One rule of a replacement: also what a stored rule is checked against when the rules are read (decision 0095). */
const ruleBody = z
  .strictObject({
    queueId: idField('must be a queue id').meta({ title: 'Queue' }),
    // A misspelt channel would be kept and match nothing, silently.
    channels: z
      .array(
        z.enum(CONTACT_CHANNEL_NAMES, {
          error: (issue) => `is not a channel contacts come in on (${quoted(issue.input)}): must be one of ${CONTACT_CHANNEL_NAMES.join(', ')}`,
        }),
      )
      .max(CONTACT_CHANNEL_NAMES.length)
      .optional(),
    // Named by its value, as a channel is: a stored category triage no longer has must be found to be fixed.
    categories: z
      .array(
        z.enum(TRIAGE_CATEGORIES, {
          error: (issue) => `is not a triage category (${quoted(issue.input)}): must be one of ${TRIAGE_CATEGORIES.join(', ')}`,
        }),
      )
      .max(TRIAGE_CATEGORIES.length)
      .optional(),
    priorities: z.array(z.number().int().min(1).max(4)).max(4).optional(),
  })
  // A rule naming nothing matches every contact: the rules after it and the default queue would never apply (decision 0089).
  .refine((rule) => [rule.channels, rule.categories, rule.priorities].some((list) => list !== undefined && list.length > 0), 'must name at least one channel, category or priority');
const rulesBody = z.strictObject({
  rules: z.array(ruleBody).max(100, 'must be 100 rules or fewer'),
  version: openedVersionField("rules'").describe(
    "The rules' version as read (`rulesVersion` of GET /api/queues): if the force's rules have been replaced since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked",
  ),
});

/**
 * Each rule with why a replacement sending it as it is would be refused, in the words of that
 * refusal but without its place (a rule moves): rules stored before a check was added, which
 * routing still honours, so an admin can see and fix them before saving (decision 0095).
 */
function markRefusedRules(rules: readonly QueueRule[]): (QueueRule & { refusedBecause: string | null })[] {
  return rules.map((rule) => {
    const checked = ruleBody.safeParse({
      queueId: rule.queueId,
      ...(rule.channels ? { channels: rule.channels } : {}),
      ...(rule.categories ? { categories: rule.categories } : {}),
      ...(rule.priorities ? { priorities: rule.priorities } : {}),
    });
    if (checked.success) return { ...rule, refusedBecause: null };
    const issues = checked.error.issues.map((issue) => ({
      path: ['body', ...issue.path.map(String)].join('.'),
      message: issue.message,
      ...(issue.path.length === 0 ? { label: 'This rule' } : {}),
    }));
    return { ...rule, refusedBecause: summariseFieldIssues(wordFieldIssues(issues, { body: ruleBody })) };
  });
}
const reasonText = z.string().trim().min(1, 'must not be empty').max(1000, 'must be 1,000 characters or fewer');

/** Queues, distribution, the supervisor's board, alerts, escalation and callbacks (presence is staff's). */
export function registerRoutingRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/routing/board',
    permission: 'routing:supervise',
    audit: 'routing.board',
    summary: 'Every queue and person live: sizes, oldest wait, SLA states, who holds what, open alerts',
    tags: ['routing'],
    response: { 200: routingBoardView },
    handler: async ({ staff }) => getRoutingBoard(deps, staff.forceId),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/me/routing',
    permission: 'queue:work',
    audit: 'routing.me',
    summary: 'My presence, skills, capacity and load',
    tags: ['routing'],
    response: { 200: myRoutingView },
    handler: async ({ staff }) => getMyRouting(deps, staff.forceId, staff.staffId),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/take',
    permission: 'queue:work',
    audit: 'contact.take',
    summary: 'Take a waiting contact myself',
    tags: ['routing'],
    params: idParams('contact'),
    body: z.strictObject({}).nullish(),
    response: { 200: done },
    handler: async ({ staff, params }) => {
      await assignContact(deps, staff.forceId, { contactId: params.id, toStaffId: staff.staffId, actorStaffId: staff.staffId, mode: 'take' });
      return { ok: true };
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/assign',
    permission: 'routing:supervise',
    audit: 'contact.push',
    summary: 'Push a contact to a person (never to someone offline)',
    tags: ['routing'],
    params: idParams('contact'),
    body: z.strictObject({ staffId: idField('must be a staff id') }),
    response: { 200: done },
    handler: async ({ staff, params, body }) => {
      await assignContact(deps, staff.forceId, { contactId: params.id, toStaffId: body.staffId, actorStaffId: staff.staffId, mode: 'push' });
      return { ok: true };
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/take-back',
    permission: 'routing:supervise',
    audit: 'contact.take_back',
    summary: 'Take a contact back from the person holding it; it returns to its queue',
    tags: ['routing'],
    params: idParams('contact'),
    body: z.strictObject({ reason: reasonText.optional() }).nullish(),
    response: { 200: done },
    handler: async ({ staff, params, body }) => {
      await takeBackContact(deps, staff.forceId, { contactId: params.id, actorStaffId: staff.staffId, reason: body?.reason });
      return { ok: true };
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/escalate',
    permission: 'contacts:escalate',
    audit: 'contact.escalate',
    summary: 'Move the contact to the control-room queue, keeping its history',
    tags: ['routing'],
    params: idParams('contact'),
    body: z.strictObject({ reason: reasonText }),
    response: { 200: z.object({ queue: z.object({ queueId: z.string(), queueName: z.string() }) }) },
    handler: async ({ staff, params, body }) => ({
      queue: await escalateToControlRoom(deps, staff.forceId, { contactId: params.id, actorStaffId: staff.staffId, reason: body.reason }),
    }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/callback',
    permission: 'contacts:reply',
    audit: 'contact.callback',
    summary: 'Record that the person asked to be called back: a new contact with its own clock',
    tags: ['routing'],
    params: idParams('contact'),
    body: z.strictObject({
      number: z
        .string()
        .trim()
        .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number')
        .optional(),
      note: z.string().trim().max(1000, 'must be 1,000 characters or fewer').optional(),
    }),
    response: { 201: z.object({ callback: z.object({ id: z.string(), reference: z.string() }).describe('the new contact for the call back') }) },
    handler: async ({ staff, params, body, reply }) => {
      const created = await requestCallback(deps, staff.forceId, { fromContactId: params.id, number: body.number, note: body.note, staffId: staff.staffId });
      return reply.status(201).send({ callback: { id: created.contactId, reference: created.reference } });
    },
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/alerts',
    permission: 'routing:supervise',
    audit: 'alert.list',
    summary: "Alerts waiting for acknowledgement, about contacts, incidents' missed response targets and cases whose Victims' Code clocks could not be opened; threat to life first",
    tags: ['routing'],
    response: { 200: z.object({ alerts: z.array(supervisorAlertView) }) },
    handler: async ({ staff }) => ({ alerts: await withForce(deps.db, staff.forceId, (tx) => listSupervisorAlerts(tx, staff.forceId)) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/alerts/:id/acknowledge',
    permission: 'routing:supervise',
    audit: 'alert.acknowledge',
    summary: "Acknowledge an alert, once, with an optional note (an incident's breach still asks for its reason)",
    tags: ['routing'],
    params: idParams('alert'),
    body: z.strictObject({ note: z.string().trim().max(1000, 'must be 1,000 characters or fewer').optional() }).nullish(),
    response: { 200: z.object({ alert: supervisorAlertView }) },
    handler: async ({ staff, params, body }) => ({ alert: await acknowledgeAlert(deps, staff.forceId, params.id, staff.staffId, body?.note) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/queues',
    permission: 'contacts:read',
    audit: 'queue.list',
    summary: "The force's queues with their SLA targets, and the rules that feed them",
    tags: ['routing'],
    response: { 200: queuesResponse },
    handler: async ({ staff }) => {
      const listed = await withForce(deps.db, staff.forceId, (tx) => listQueues(tx, staff.forceId, deps.clock));
      return { ...listed, rules: markRefusedRules(listed.rules) };
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/queues/rules',
    permission: 'routing:manage',
    audit: 'queue.rules.replace',
    summary: 'Replace the ordered rules that put new contacts into queues (first match wins; unmatched go to the default queue)',
    tags: ['routing'],
    body: rulesBody,
    response: { 200: z.object({ rules: z.array(queueRuleView), rulesVersion }) },
    handler: async ({ staff, body }) => {
      const saved = await withForce(deps.db, staff.forceId, (tx) => replaceQueueRules(tx, staff.forceId, deps.clock, body, staff.staffId));
      return { ...saved, rules: markRefusedRules(saved.rules) };
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/queues/:id',
    permission: 'routing:manage',
    audit: 'queue.update',
    summary: "Change a queue's name, SLA targets, warning point or required skills (applies to clocks started from now)",
    tags: ['routing'],
    params: idParams('queue'),
    body: queueBody,
    response: { 200: z.object({ queue: queueView }) },
    handler: async ({ staff, params, body }) => {
      const queue = await withForce(deps.db, staff.forceId, async (tx) => {
        const updated = await updateQueue(tx, staff.forceId, deps.clock, params.id, body, staff.staffId);
        if (!updated) throw notFound('queue');
        return updated;
      });
      return { queue };
    },
  });  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/queues/:id/default',
    permission: 'routing:manage',
    audit: 'queue.make_default',
    summary:
      "Make a queue the force's default queue, where new contacts no rule matches go, in place of the one that was (contacts already queued stay; not the control room's queue; queue versions unchanged)",
    tags: ['routing'],
    params: idParams('queue'),
    body: z.strictObject({}).nullish(),
    response: { 200: z.object({ queue: queueView, previousDefault: queueView.nullable().describe('the queue that was the default until now') }) },
    handler: async ({ staff, params }) =>
      withForce(deps.db, staff.forceId, async (tx) => {
        const made = await makeDefaultQueue(tx, staff.forceId, deps.clock, params.id, staff.staffId);
        if (!made) throw notFound('queue');
        return made;
      }),
  });
}
