import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { listTemplates, previewTemplate, saveTemplate } from './templates.service.ts';
import { TEMPLATE_LOCALES, TEMPLATE_PLACEHOLDERS, templatePreview, templateView, templatesResponse } from './templates.schema.ts';

const keyParams = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'must be a template key such as case.report_received').max(80) });
const text = {
  subject: z.string().trim().min(1, 'enter a subject').max(200, 'must be 200 characters or fewer'),
  body: z.string().trim().min(1, 'enter the message').max(10_000, 'must be 10,000 characters or fewer'),
};

/** A force admin's message templates: read, save one language of one, preview. */
export function registerTemplateRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/templates',
    permission: 'force:settings',
    audit: 'template.list',
    summary: "The force's message templates in English and Welsh, and the placeholders each message fills",
    tags: ['admin'],
    response: { 200: templatesResponse },
    handler: async ({ staff }) => ({
      templates: await listTemplates(deps, staff.forceId),
      keys: Object.entries(TEMPLATE_PLACEHOLDERS).map(([key, p]) => ({ key, purpose: p.purpose, placeholders: [...p.fills], required: [...p.requires] })),
    }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/templates/:key',
    permission: 'force:settings',
    audit: 'template.save',
    summary: 'Save one language of a message template (placeholders are checked); later messages use it',
    tags: ['admin'],
    params: keyParams,
    body: z.strictObject({ channel: z.enum(['email']).default('email'), locale: z.enum(TEMPLATE_LOCALES, 'must be en or cy'), ...text }),
    bodyLimit: 64 * 1024,
    response: { 200: z.object({ template: templateView }) },
    handler: async ({ staff, params, body }) => ({
      template: await saveTemplate(deps, staff.forceId, { key: params.key, ...body, actorStaffId: staff.staffId }),
    }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/templates/:key/preview',
    permission: 'force:settings',
    audit: 'template.preview',
    summary: 'Render a template text with made-up values, as a person would receive it; nothing is stored',
    tags: ['admin'],
    params: keyParams,
    body: z.strictObject(text),
    bodyLimit: 64 * 1024,
    response: { 200: z.object({ preview: templatePreview }) },
    handler: async ({ params, body }) => ({ preview: previewTemplate(params.key, body) }),
  });
}
