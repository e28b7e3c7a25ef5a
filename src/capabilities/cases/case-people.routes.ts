import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { addCasePerson, changeCasePerson, removeCasePerson } from './case-people.service.ts';
import { getCase } from './cases.service.ts';
import { postalAddressBody } from './postal-address.schema.ts';
import { emailAddressField } from '../../platform/email-address.ts';

// The people on a case: an investigator adds a victim, witness or suspect, changes a victim's
// details (their enhanced rights re-time their Victims' Code clocks) and removes someone. Each
// answers with the case as it now is.

const caseParams = z.object({ id: idField('must be a case id') });
const personParams = z.object({ id: idField('must be a case id'), casePersonId: idField('must be the id of a person on the case') });
const text = (max: number) => z.string().trim().max(max);
// An IDN domain is kept in ASCII, as our senders need it; a part before the @ they cannot send to is refused (decision 0146).
const email = emailAddressField().transform((address) => address.toLowerCase());
const phone = text(40).regex(/^[+\d][\d ()-]{5,}$/, 'must be a phone number');
const postalAddress = postalAddressBody.nullable().optional().describe("A victim's postal address, for their letters; null clears it");

const addBody = z.strictObject({
  role: z.enum(['victim', 'witness', 'suspect']),
  name: text(200).optional().describe("Their name; a known person's own by default"),
  personId: idField('must be a person id').optional().describe('The known person they are (their email and phone by default)'),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  postalAddress,
  enhancedRights: z.boolean().optional().describe("A victim with enhanced rights under the Victims' Code (vulnerable, intimidated, persistently targeted, or of the most serious crime)"),
  note: text(2000).nullable().optional(),
});

const changeBody = z.strictObject({
  name: text(200).min(1).optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  postalAddress,
  enhancedRights: z.boolean().optional().describe("A victim's enhanced rights: their clocks not yet met fall due in one working day, or five"),
  note: text(2000).nullable().optional(),
});

/** The case's people: add, change, remove. `caseView` is the case's response schema (cases.routes.ts). */
export function registerCasePeopleRoutes(app: FastifyInstance, deps: ServiceDeps, caseView: z.ZodType): void {
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/cases/:id/people',
    permission: 'cases:investigate',
    audit: 'case.person.add',
    summary: 'Add a victim, witness or suspect to the case; a victim added is owed the updates of its recent milestones',
    tags: ['cases'],
    params: caseParams,
    body: addBody,
    response: { 201: z.object({ case: caseView, casePersonId: z.string() }) },
    handler: async ({ staff, params, body, reply }) => {
      const added = await addCasePerson(deps, staff.forceId, staff.staffId, params.id, body);
      return reply.status(201).send({ case: await getCase(deps, staff.forceId, params.id), casePersonId: added.id });
    },
  });
  staffRoute(app, deps, {
    method: 'PATCH',
    url: '/api/cases/:id/people/:casePersonId',
    permission: 'cases:investigate',
    audit: 'case.person.change',
    summary: "Change a person's details on the case; a victim's enhanced rights re-time their Victims' Code updates not yet given",
    tags: ['cases'],
    params: personParams,
    body: changeBody,
    response: { 200: z.object({ case: caseView, retimed: z.number().int().describe('How many of their open updates were re-timed') }) },
    handler: async ({ staff, params, body }) => {
      const { retimed } = await changeCasePerson(deps, staff.forceId, staff.staffId, params.id, params.casePersonId, body);
      return { case: await getCase(deps, staff.forceId, params.id), retimed };
    },
  });
  staffRoute(app, deps, {
    method: 'DELETE',
    url: '/api/cases/:id/people/:casePersonId',
    permission: 'cases:investigate',
    audit: 'case.person.remove',
    summary: 'Remove a person from the case (kept in its history); a victim removed is told nothing more, and stays removed when the records system still lists them',
    tags: ['cases'],
    params: personParams,
    response: { 200: z.object({ case: caseView }) },
    handler: async ({ staff, params }) => {
      await removeCasePerson(deps, staff.forceId, staff.staffId, params.id, params.casePersonId);
      return { case: await getCase(deps, staff.forceId, params.id) };
    },
  });
}
