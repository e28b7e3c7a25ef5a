import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute } from '../../platform/http/routes.ts';
import { openedVersionField } from '../../platform/http/request-fields.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { listTemplateVersions, listTemplates, previewTemplate, saveTemplate, sendTestTemplate } from './templates.service.ts';
import { TEMPLATE_LOCALES, TEMPLATE_PLACEHOLDERS, templatePreview, templateVersionView, templateView, templatesResponse } from './templates.schema.ts';

const keyParams = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'must be a template key such as case.report_received').max(80) });
const channel = z.enum(['email', 'sms'], 'must be email or sms');
const locale = z.enum(TEMPLATE_LOCALES, 'must be en or cy');
const text = {
  /** A text message has none; an email's is required (the service says so). */
  subject: z.string().trim().max(200, 'must be 200 characters or fewer').default(''),
  body: z.string().trim().min(1, 'cannot be empty').max(10_000, 'must be 10,000 characters or fewer').meta({ title: 'Message' }),
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
    summary:
      'Save one language of a message template (placeholders are checked); the text it replaces is kept as a version; later messages use it. Sent with the version it was read at, it is refused (409) if the template has been saved since',
    tags: ['admin'],
    params: keyParams,
    body: z.strictObject({ channel: channel.default('email'), locale, ...text, version: openedVersionField("template's", 0) }),
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
    handler: async ({ staff, params, body }) => ({ preview: previewTemplate(params.key, body, { name: staff.forceName, code: staff.forceCode, year: deps.clock.now().getUTCFullYear() }) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/templates/:key/versions',
    permission: 'force:settings',
    audit: 'template.versions',
    summary: 'The earlier texts of one language of a template, newest first',
    tags: ['admin'],
    params: keyParams,
    query: z.object({ channel: channel.default('email'), locale }),
    response: { 200: z.object({ versions: z.array(templateVersionView) }) },
    handler: async ({ staff, params, query }) => ({ versions: await listTemplateVersions(deps, staff.forceId, { key: params.key, ...query }) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/templates/:key/test-send',
    permission: 'force:settings',
    audit: 'template.test_send',
    summary: "Send the stored template, with made-up values, to the admin's own email address",
    tags: ['admin'],
    params: keyParams,
    body: z.strictObject({ channel: channel.default('email'), locale }),
    response: { 200: z.object({ outboxId: z.string(), preview: templatePreview }) },
    handler: async ({ staff, params, body }) => {
      const sent = await sendTestTemplate(deps, staff.forceId, { staffId: staff.staffId, email: staff.email, forceName: staff.forceName, forceCode: staff.forceCode }, { key: params.key, ...body });
      return { outboxId: sent.outboxId, preview: { subject: sent.subject, body: sent.body } };
    },
  });
}
