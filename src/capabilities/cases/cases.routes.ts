import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { dayOrTimeField, idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { CASE_MOVE_TYPES, CASE_STATUSES } from './case.machine.ts';
import { caseCatalogues, createCase, createCaseFromContact, getCase, listCases } from './cases.service.ts';
import { recordCaseMilestone } from './case-milestones.service.ts';
import { registerCaseScreenRoutes } from './case-screens.routes.ts';
import { registerCasePeopleRoutes } from './case-people.routes.ts';
import { postalAddressView } from './postal-address.schema.ts';
import { contactIdParams } from '../contacts/contacts.schema.ts';

const caseParams = z.object({ id: idField('must be a case id') });
/** A case created from a contact: the console opens it by its id. */
const createdCase = z.object({ id: z.string(), reference: z.string() }).meta({ id: 'CreatedCase' });
const text = (max: number) => z.string().trim().max(max);
/** One reason for either form refused, so the person reading it sees both forms it may take. */
const DAY_OR_TIME = 'must be a date and time with its offset (2026-03-17T10:00:00Z), or for an appointment whose time is not known yet a date alone (2026-03-17), from 2000 to 2099';

const caseSummary = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.enum(CASE_STATUSES),
  crimeType: z.string().nullable(),
  summary: z.string(),
  officerInCase: z.string().nullable(),
  team: z.string().nullable(),
  suspect: z.enum(['none', 'identified', 'arrested', 'interviewed']),
  charged: z.boolean(),
  outcomeCode: z.string().nullable(),
  contactId: z.string().nullable(),
  recordsReference: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const caseView = caseSummary.extend({
  closedReason: z.string().nullable(),
  people: z.array(
    z.object({
      id: z.string().describe('The person on the case (case_people): the victimId of their contact preferences'),
      role: z.enum(['victim', 'witness', 'suspect']),
      name: z.string(),
      enhancedRights: z.boolean().describe("A victim's enhanced rights under the Victims' Code: told within one working day, not five"),
      personId: z.string().nullable().describe('The known person they are, or null for someone named only'),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      postalAddress: postalAddressView.nullable().describe("A victim's postal address, where their letters go; null when none is kept"),
      smsOptedOutAt: z
        .string()
        .nullable()
        .describe('When their number replied STOP to our texts, or staff recorded an opt-out (ISO 8601, UTC): no text is sent to it; null when it has not'),
      smsOptOutSource: z
        .enum(['keyword', 'staff'])
        .nullable()
        .describe('keyword: they texted STOP, and only their START lifts it; staff: a member of staff recorded it; null when not opted out'),
    }),
  ),
  timeline: z
    .array(
      z.object({
        at: z.string(),
        type: z.string(),
        actor: z.string(),
        note: z.string().nullable(),
        details: z
          .record(z.string(), z.string())
          .describe(
            "The event's particulars. A victim's sign-in to the case page, and its ending (with how), say who signed in: victim on_case with victimName as the people panel names them, or with no name removed (a victim of the case no longer), reporter (its reporter, never its victim) or unknown (anyone else)",
          ),
      }),
    )
    .describe('The newest events of the case, oldest first'),
  olderEventsLeftOut: z.number().int().describe('How many older events the timeline leaves out (0 when it has them all)'),
}).meta({ id: 'Case' });

const createCaseBody = z.strictObject({
  crimeType: text(40).min(1).nullable().optional(),
  summary: text(4000).optional(),
  victims: z.array(z.strictObject({ name: text(200).min(1), enhancedRights: z.boolean().optional() })).max(50).optional(),
});

const milestoneBody = z.strictObject({
  type: z.enum(CASE_MOVE_TYPES.filter((type) => type !== 'record') as [Exclude<(typeof CASE_MOVE_TYPES)[number], 'record'>]),
  note: text(4000).nullable().optional(),
  officerInCase: idField('must be a staff id').nullable().optional(),
  team: text(200).min(1).nullable().optional(),
  outcomeCode: text(10)
    .min(1)
    .optional()
    .describe('For close: must agree with the case. 1 only after a charge, and a charged case closes with 1; an outcome naming a suspect needs one; 14 and 18 (nobody identified) cannot follow one'),
  reason: text(2000).optional(),
  reasonCy: text(2000).optional().describe('For close: the reason in Welsh, told to a Welsh-speaking victim'),
  at: dayOrTimeField(DAY_OR_TIME)
    .optional()
    .describe(
      'Required for appointment_made, appointment_changed and court_date_set: in the future, within five years. An appointment whose time is not known yet may be a date alone (2026-03-17), today or later: the victim is told the day, reminded at 09:00 UK time, and given an all-day calendar entry',
    ),
  place: text(500).optional().describe('Required for appointment_made and court_date_set; a change without one keeps the place it had'),
  crimeType: text(40).min(1).optional(),
  /** For a change or cancellation: which appointment (the id GET /api/cases/:id/appointments gives); the latest standing one when absent. */
  appointmentId: idField('must be an appointment id').optional(),
  submissionId: idField('must be a UUID the client made for this submission')
    .optional()
    .describe('A UUID the client makes once per milestone it means to record and sends again with any retry: a milestone already recorded on the case with it is not recorded again'),
});

/** Cases: recorded directly or from a contact, moved through their milestones by investigators. */
export function registerCaseRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases',
    permission: 'cases:read',
    audit: 'case.list',
    summary: "Cases, most recently changed first: mine (the investigator's open cases), open, or all",
    tags: ['cases'],
    query: z.object({ which: z.enum(['mine', 'open', 'all']).default('mine') }),
    response: { 200: z.object({ cases: z.array(caseSummary) }) },
    handler: async ({ staff, query }) => ({ cases: await listCases(deps, staff.forceId, staff.staffId, query.which) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/cases',
    permission: 'cases:investigate',
    audit: 'case.record',
    summary: 'Record a case directly, with its crime type and victims',
    tags: ['cases'],
    body: createCaseBody,
    response: { 201: z.object({ case: caseView }) },
    handler: async ({ staff, body, reply }) => {
      const created = await createCase(deps, staff.forceId, staff.staffId, body);
      return reply.status(201).send({ case: await getCase(deps, staff.forceId, created.id) });
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/case',
    permission: 'cases:create',
    audit: 'case.create',
    summary: 'Create the case for this contact and start the victim journey',
    tags: ['cases'],
    params: contactIdParams,
    body: z
      .strictObject({
        reporterIsVictim: z.boolean().optional().describe('Whether the person who made the contact is recorded as the victim (the default: yes)'),
      })
      .nullish(),
    response: { 201: z.object({ case: createdCase }) },
    handler: async ({ staff, params, body, reply }) => {
      const created = await createCaseFromContact(deps, staff.forceId, params.id, staff.staffId, { isReporterVictim: body?.reporterIsVictim });
      return reply.status(201).send({ case: created });
    },
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases/catalogues',
    permission: 'cases:read',
    audit: 'case.catalogues',
    summary: "The force's crime types and Home Office outcome types",
    tags: ['cases'],
    response: {
      200: z.object({
        crimeTypes: z.array(z.object({ code: z.string(), group: z.string(), label: z.string(), labelCy: z.string() })),
        outcomeTypes: z.array(z.object({ code: z.string(), label: z.string(), labelCy: z.string() })),
      }),
    },
    handler: async ({ staff }) => caseCatalogues(deps, staff.forceId),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases/:id',
    permission: 'cases:read',
    audit: 'case.view',
    summary: 'One case with its people and its timeline (milestones and what the victim was sent)',
    tags: ['cases'],
    params: caseParams,
    response: { 200: z.object({ case: caseView }) },
    handler: async ({ staff, params }) => ({ case: await getCase(deps, staff.forceId, params.id) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/cases/:id/milestones',
    permission: 'cases:investigate',
    audit: 'case.milestone',
    summary: 'Record a milestone: allocate, investigate, suspect identified/arrested/interviewed, bail, charge, court, appointment, close, reopen',
    tags: ['cases'],
    params: caseParams,
    body: milestoneBody,
    response: { 200: z.object({ case: caseView }) },
    handler: async ({ staff, params, body }) => ({ case: await recordCaseMilestone(deps, staff.forceId, staff.staffId, params.id, body) }),
  });
  registerCaseScreenRoutes(app, deps);
  registerCasePeopleRoutes(app, deps, caseView);
}
