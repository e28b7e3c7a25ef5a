import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { withForce } from '../../platform/db/database.ts';
import { LARGEST_STORED_INTEGER } from '../../platform/http/request-fields.ts';
import { TRIAGE_CATEGORIES } from './triage.schema.ts';
import { activateRuleSet, createRuleSet, getRuleSet, listRuleSets, tryTriage } from './triage.service.ts';
import { ruleSetActivation, ruleSetSummary, ruleSetView, triageResult } from './triage.schema.ts';

const phrase = z.string().trim().min(1).max(200);
const NO_SUCH_VERSION = 'no version of the rules is that large';
const versionParams = z.object({ version: z.coerce.number().int().min(1).max(LARGEST_STORED_INTEGER, NO_SUCH_VERSION) });

/** The rules a force submits: each phrase, its variants, category and weight. */
export const ruleInput = z.strictObject({
  phrase,
  variants: z.array(phrase).max(20).default([]),
  category: z.enum(TRIAGE_CATEGORIES),
  weight: z.number().int().min(-100).max(100),
});

/** Rules the force owns, versioned; a "try it" box that scores without storing. */
export function registerTriageRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/triage/rule-sets',
    permission: 'rules:manage',
    audit: 'triage.rule_set.list',
    summary: "Every version of the force's triage rules, with the active flag and counts",
    tags: ['triage'],
    response: { 200: z.object({ ruleSets: z.array(ruleSetSummary), categories: z.array(z.enum(TRIAGE_CATEGORIES)) }) },
    handler: async ({ staff }) => ({
      ruleSets: await withForce(deps.db, staff.forceId, (tx) => listRuleSets(tx, staff.forceId)),
      categories: TRIAGE_CATEGORIES,
    }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/triage/rule-sets/:version',
    permission: 'rules:manage',
    audit: 'triage.rule_set.read',
    summary: 'One version of the triage rules',
    tags: ['triage'],
    params: versionParams,
    response: { 200: z.object({ ruleSet: ruleSetView }) },
    handler: async ({ staff, params }) => ({
      ruleSet: await withForce(deps.db, staff.forceId, (tx) => getRuleSet(tx, staff.forceId, params.version)),
    }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/triage/rule-sets',
    permission: 'rules:manage',
    audit: 'triage.rule_set.create',
    summary: 'Save rules as a new version (not active until activated)',
    tags: ['triage'],
    body: z.strictObject({ rules: z.array(ruleInput).max(5000) }),
    bodyLimit: 2 * 1024 * 1024,
    response: { 201: ruleSetActivation },
    handler: async ({ staff, body, reply }) => {
      const version = await withForce(deps.db, staff.forceId, (tx) =>
        createRuleSet(tx, staff.forceId, deps.clock, body.rules, { type: 'staff', id: staff.staffId }, { activate: false }),
      );
      return reply.status(201).send({ version, isActive: false });
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/triage/rule-sets/:version/activate',
    permission: 'rules:manage',
    audit: 'triage.rule_set.activate',
    summary: 'Make a version the active rule set; new contacts are scored with it from now on',
    tags: ['triage'],
    params: versionParams,
    response: { 200: ruleSetActivation },
    handler: async ({ staff, params }) => {
      await withForce(deps.db, staff.forceId, (tx) =>
        activateRuleSet(tx, staff.forceId, deps.clock, params.version, { type: 'staff', id: staff.staffId }),
      );
      return { version: params.version, isActive: true };
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/triage/try',
    permission: 'rules:manage',
    audit: 'triage.try',
    summary: 'Score a text as a new contact would be scored, with the full explanation; stores nothing',
    tags: ['triage'],
    body: z.strictObject({
      text: z.string().min(1).max(20_000),
      version: z.number().int().min(1).max(LARGEST_STORED_INTEGER, NO_SUCH_VERSION).optional(),
      channel: z.string().trim().min(1).max(40).optional(),
      line: z.string().trim().min(1).max(20).optional(),
      /** The language the operator reads the explanation in. */
      language: z.enum(['en', 'cy']).optional(),
    }),
    bodyLimit: 128 * 1024,
    response: { 200: z.object({ result: triageResult }) },
    handler: async ({ staff, body }) => ({
      result: await withForce(deps.db, staff.forceId, (tx) =>
        tryTriage(tx, staff.forceId, deps.clock, {
          text: body.text,
          ...(body.version !== undefined ? { version: body.version } : {}),
          context: {
            ...(body.channel !== undefined ? { channel: body.channel } : {}),
            ...(body.line !== undefined ? { line: body.line } : {}),
            ...(body.language !== undefined ? { explainIn: body.language } : {}),
          },
        }),
      ),
    }),
  });
}
