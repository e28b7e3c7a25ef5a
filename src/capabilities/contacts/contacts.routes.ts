import type { FastifyInstance } from 'fastify';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import {
  contactDetail,
  contactIdParams,
  contactSearchPage,
  contactSummary,
  closeBody,
  listContactsQuery,
  reopenBody,
  replyBody,
  searchContactsQuery,
  sentReply,
} from './contacts.schema.ts';
import { searchContacts } from './contact-search.service.ts';
import { closeContact, getContactDetail, listContacts } from './contacts.service.ts';
import { replyToContact } from './contact-replies.service.ts';
import { reopenContact } from './reopen.service.ts';
import { z } from 'zod';
import type { ReplyWindowFinder } from '../channels/reply-window.service.ts';
import { triageForOperator } from '../triage/triage.service.ts';

/** The contact work of the staff console: the queue, one contact, reply, close (a case is created from a contact by the cases room's routes). */
/** `replyWindows`: the channels room's reading of a contact's reply window, from settings only it opens. */
export function registerContactRoutes(app: FastifyInstance, deps: ServiceDeps & { replyWindows: ReplyWindowFinder }): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/contacts',
    permission: 'contacts:read',
    audit: 'contact.list',
    summary: 'The queue: contacts by priority, then waiting time',
    tags: ['contacts'],
    query: listContactsQuery,
    response: { 200: z.object({ contacts: z.array(contactSummary) }) },
    handler: async ({ staff, query }) => ({
      contacts: await listContacts(deps, staff.forceId, { status: query.status, limit: query.limit, assigned: query.assigned, queueId: query.queue }, staff.staffId),
    }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/contacts/search',
    permission: 'contacts:read',
    audit: 'contact.search',
    summary: 'Find contacts, open and closed: filters, text search and pages newest first, with the total found',
    tags: ['contacts'],
    query: searchContactsQuery,
    response: { 200: contactSearchPage },
    handler: async ({ staff, query }) => searchContacts(deps, staff.forceId, query, staff.staffId),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/contacts/:id',
    permission: 'contacts:read',
    audit: 'contact.view',
    summary: 'One contact with its thread, triage explanation, person and timeline',
    tags: ['contacts'],
    params: contactIdParams,
    response: { 200: contactDetail },
    handler: async ({ staff, params, request }) => {
      const detail = await getContactDetail(deps, staff.forceId, params.id, staff.staffId);
      // The triage explanation in the operator's language (Accept-Language: cy for Welsh).
      return detail.triage ? { ...detail, triage: triageForOperator(detail.triage, request.headers['accept-language']) } : detail;
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/replies',
    permission: 'contacts:reply',
    audit: 'contact.reply',
    summary: 'Reply to the person on the contact',
    tags: ['contacts'],
    params: contactIdParams,
    body: replyBody,
    bodyLimit: 64 * 1024,
    response: { 201: z.object({ message: sentReply }) },
    handler: async ({ staff, params, body, reply }) => {
      const message = await replyToContact(deps, staff.forceId, params.id, staff.staffId, body.body, body.quoteMessageId);
      return reply.status(201).send({ message });
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/close',
    permission: 'contacts:close',
    audit: 'contact.close',
    summary: 'Close the contact with an outcome',
    tags: ['contacts'],
    params: contactIdParams,
    body: closeBody,
    response: { 200: z.object({ contact: contactSummary }) },
    handler: async ({ staff, params, body }) => ({
      contact: await closeContact(deps, staff.forceId, params.id, staff.staffId, body),
    }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/contacts/:id/reopen',
    // Whoever may close a contact may open it again.
    permission: 'contacts:close',
    audit: 'contact.reopen',
    summary: 'Open a closed contact again: it goes back into its queue with fresh clocks',
    tags: ['contacts'],
    params: contactIdParams,
    body: reopenBody,
    response: { 200: z.object({ contact: contactSummary }) },
    handler: async ({ staff, params, body }) => ({
      contact: await reopenContact(deps, staff.forceId, params.id, staff.staffId, { reason: body?.reason }),
    }),
  });
}
