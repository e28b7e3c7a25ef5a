import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute } from '../../platform/http/routes.ts';
import { idField } from '../../platform/http/request-fields.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { addJourneyRule, changeJourneyRule, listJourneyRules, reorderJourneyRules, setJourneyRuleActive } from './journey-rule-admin.service.ts';
import {
  journeyRuleActiveInput,
  journeyRuleChange,
  journeyRuleInput,
  journeyRuleOrderInput,
  journeyRuleOrderResponse,
  journeyRuleResponse,
  journeyRuleSwitchResponse,
  journeyRulesResponse,
} from './journey-rule-admin.schema.ts';

const ruleParams = z.object({ id: idField('must be a journey rule id') });

/**
 * The force's journey rules: staff who work or supervise cases may read them; a force admin adds,
 * changes, switches off and on, and reorders them (decision 0072). Never deleted.
 */
export function registerJourneyRuleRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/journey-rules',
    permission: 'journeys:read',
    audit: 'journey_rule.list',
    summary: "The force's journey rules in order, switched on and off, and what a rule may name",
    tags: ['admin'],
    response: { 200: journeyRulesResponse },
    handler: async ({ staff }) => listJourneyRules(deps, staff.forceId),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/journey-rules',
    permission: 'force:settings',
    audit: 'journey_rule.add',
    summary: 'Add a journey rule, switched on and last in order; it applies to milestones recorded from now on',
    tags: ['admin'],
    body: journeyRuleInput,
    response: { 201: journeyRuleResponse },
    handler: async ({ staff, body, reply }) => reply.status(201).send(await addJourneyRule(deps, staff.forceId, { staffId: staff.staffId }, body)),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/journey-rules/:id',
    permission: 'force:settings',
    audit: 'journey_rule.change',
    summary: 'Change a journey rule (the fields given); messages it already queued are not rewritten',
    tags: ['admin'],
    params: ruleParams,
    body: journeyRuleChange,
    response: { 200: journeyRuleResponse },
    handler: async ({ staff, params, body }) => changeJourneyRule(deps, staff.forceId, { staffId: staff.staffId }, params.id, body),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/journey-rules/:id/active',
    permission: 'force:settings',
    audit: 'journey_rule.switch',
    summary:
      "Switch a journey rule off or on; the last Victims' Code update of a milestone cannot be switched off. Switching off withdraws the messages it queued that have not gone, unless withdrawQueued is false",
    tags: ['admin'],
    params: ruleParams,
    body: journeyRuleActiveInput,
    response: { 200: journeyRuleSwitchResponse },
    handler: async ({ staff, params, body }) => setJourneyRuleActive(deps, staff.forceId, { staffId: staff.staffId }, params.id, body),
  });
  staffRoute(app, deps, {
    method: 'PUT',
    url: '/api/journey-rules/order',
    permission: 'force:settings',
    audit: 'journey_rule.reorder',
    summary: "Put every journey rule of the force in a new order (each rule's id once), from the order's version as read when given (409 if it has changed since)",
    tags: ['admin'],
    body: journeyRuleOrderInput,
    bodyLimit: 64 * 1024,
    response: { 200: journeyRuleOrderResponse },
    handler: async ({ staff, body }) => reorderJourneyRules(deps, staff.forceId, { staffId: staff.staffId }, body),
  });
}
