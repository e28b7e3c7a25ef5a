import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { openAttachment } from './attachment-views.service.ts';
import { retryAttachment } from './attachment-retry.service.ts';

/**
 * The file a member of the public sent with a message, for staff who may read contacts; a download
 * the provider kept failing, tried again by staff who may answer the contact.
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/attachments/:id',
    permission: 'contacts:read',
    audit: 'attachment.open',
    summary:
      "A file the public sent with a message: JPEG, PNG and GIF images shown in the browser, anything else downloaded as application/octet-stream; each opening is recorded on the contact's timeline",
    tags: ['contacts'],
    params: z.object({ id: idField('must be an attachment id') }),
    response: {
      200: {
        description: 'The bytes as received; X-Content-SHA256 is their SHA-256 at capture',
        content: { 'application/octet-stream': { schema: z.string() }, 'image/jpeg': { schema: z.string() }, 'image/png': { schema: z.string() }, 'image/gif': { schema: z.string() } },
      },
    },
    handler: async ({ staff, params, reply }) => {
      const file = await openAttachment(deps, staff.forceId, staff.staffId, params.id);
      return reply
        .header('content-disposition', file.disposition)
        .header('x-content-sha256', file.sha256)
        // The sender's bytes: never run, never framed, never kept in a shared cache.
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .header('cross-origin-resource-policy', 'same-origin')
        .header('cache-control', 'private, no-store')
        .type(file.contentType)
        .send(file.content);
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/attachments/:id/retry',
    permission: 'contacts:reply',
    audit: 'attachment.retry',
    summary:
      "Try again the download of a file the provider could not be reached for: its fetch job is queued anew and consoles hear how it went. 409 with the reason for a file a check refused (a link into our own network, a hash that does not match, too large, a kind the channel does not carry), one already downloaded, or one already being fetched",
    tags: ['contacts'],
    params: z.object({ id: idField('must be an attachment id') }),
    response: { 202: z.object({ state: z.literal('fetching').describe('The file is being fetched from the provider again') }) },
    handler: async ({ staff, params, reply }) => reply.status(202).send(await retryAttachment(deps, staff.forceId, staff.staffId, params.id)),
  });
}
