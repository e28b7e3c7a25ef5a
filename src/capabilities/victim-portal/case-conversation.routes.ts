import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { listCaseConversation, replyToCaseVictim } from './case-conversation.service.ts';

// The case screen's side of victims' secure messages: read the conversation, answer it.

const caseParams = z.object({ id: idField('must be a case id') });

const conversationMessage = z
  .object({
    id: z.string(),
    from: z.enum(['victim', 'staff']),
    body: z.string().describe("As written: a victim's text is public input, to be shown as text and never as markup"),
    at: z.string().describe('ISO 8601 date and time (UTC) it reached us, or a reply was written'),
    sentAt: z.string().nullable().describe("ISO 8601 date and time (UTC) the victim sent it, where believed (decision 0172); the thread is ordered by it, else by `at` (decision 0186)"),
    authorName: z.string().nullable().describe('The member of staff who wrote a reply'),
  })
  .meta({ id: 'CaseConversationMessage' });

const conversationThread = z
  .object({
    contactId: z.string().describe('The contact the thread is in the queue as'),
    contactReference: z.string(),
    contactStatus: z.enum(['open', 'closed']).describe('A closed contact takes no reply until it is reopened'),
    victim: z.object({ personId: z.string(), name: z.string().nullable() }),
    messages: z.array(conversationMessage),
  })
  .meta({ id: 'CaseConversationThread' });

const replyBody = z.strictObject({
  contactId: idField('must be the contact id of a thread on this case'),
  body: z.string().trim().min(1, 'Enter your reply').max(5000, 'must be 5,000 characters or fewer'),
  submissionId: idField('must be a UUID the client made for this submission')
    .optional()
    .describe('A UUID the client makes once per reply it means to send and sends again with any retry: the same id again returns the reply it sent and sends nothing more'),
});

/** A case's secure-message conversation with its victims, and replies to it. */
export function registerCaseConversationRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases/:id/conversation',
    permission: 'cases:read',
    audit: 'case.conversation',
    summary: "The victims' secure messages on the case and the replies to them, one thread per victim's contact",
    tags: ['cases'],
    params: caseParams,
    response: { 200: z.object({ threads: z.array(conversationThread).describe("Newest first, each by when its first message was sent where believed, else when it reached us (decision 0186)") }) },
    handler: async ({ staff, params }) => ({ threads: await listCaseConversation(deps, staff.forceId, params.id) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/cases/:id/conversation/replies',
    permission: 'cases:investigate',
    audit: 'case.conversation.reply',
    summary: "Answer a victim's thread from the case: shown on their case page; they are told a message waits by the channels their preferences allow",
    tags: ['cases'],
    params: caseParams,
    body: replyBody,
    response: { 201: z.object({ messageId: z.string(), at: z.string() }) },
    handler: async ({ staff, params, body, reply }) => reply.status(201).send(await replyToCaseVictim(deps, staff.forceId, staff.staffId, { caseId: params.id, contactId: body.contactId, body: body.body, submissionId: body.submissionId })),
  });
}
