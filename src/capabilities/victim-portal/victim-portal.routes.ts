import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField, instantField, nameField, publicTextField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { CASE_EVENTS } from '../cases/case.events.ts';
import { createHelpArticle, listHelpArticles, updateHelpArticle } from './help-articles.service.ts';
import { satisfactionByTeam } from './satisfaction.service.ts';

// Staff routes of the victim portal: force admins write the help articles; supervisors and
// investigators read the closure survey's results by team.

const milestoneType = z.enum(CASE_EVENTS.map((entry) => entry.type) as [string, ...string[]]);

const helpArticle = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    titleCy: z.string(),
    body: z.string(),
    bodyCy: z.string(),
    milestoneTypes: z.array(z.string()),
    published: z.boolean(),
    updatedAt: z.string().describe('ISO 8601 date and time (UTC)'),
  })
  .meta({ id: 'HelpArticle' });

const articleFields = {
  // The public reads them: one visible line for a title, paragraphs for a body, none hiding text or reordering it.
  title: nameField('must be the title', 200),
  titleCy: nameField('must be the Welsh title', 200),
  body: publicTextField('must be the text', 20_000).describe('plain text; a blank line starts a new paragraph'),
  bodyCy: publicTextField('must be the Welsh text', 20_000),
  milestoneTypes: z.array(milestoneType).max(20).optional().describe('case updates of these types link to the article'),
  published: z.boolean().optional(),
};

const createBody = z.strictObject({
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters and digits joined by hyphens')
    .max(80),
  ...articleFields,
});
const updateBody = z.strictObject({
  title: articleFields.title.optional(),
  titleCy: articleFields.titleCy.optional(),
  body: articleFields.body.optional(),
  bodyCy: articleFields.bodyCy.optional(),
  milestoneTypes: articleFields.milestoneTypes,
  published: articleFields.published,
});

const teamSatisfaction = z
  .object({
    team: z.string().nullable().describe("the case's team when the victim answered; null for none"),
    responses: z.number().int(),
    counts: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }),
    average: z.number(),
    satisfiedPercent: z.number().describe('answers of 4 or 5, per cent'),
  })
  .meta({ id: 'TeamSatisfaction' });

/** Help articles (force admins) and the satisfaction report. */
export function registerVictimPortalRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/help-articles',
    permission: 'force:settings',
    audit: 'help.list',
    summary: "The force's help articles for the public, published or not",
    tags: ['admin'],
    response: { 200: z.object({ articles: z.array(helpArticle) }) },
    handler: async ({ staff }) => ({ articles: await listHelpArticles(deps, staff.forceId) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/help-articles',
    permission: 'force:settings',
    audit: 'help.create',
    summary: 'Add a help article, in English and Welsh, linked from case updates of the types given',
    tags: ['admin'],
    body: createBody,
    response: { 201: z.object({ article: helpArticle }) },
    handler: async ({ staff, body, reply }) => reply.status(201).send({ article: await createHelpArticle(deps, staff.forceId, staff.staffId, body) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/help-articles/:id',
    permission: 'force:settings',
    audit: 'help.update',
    summary: 'Change a help article (or unpublish it); fields left out keep their value',
    tags: ['admin'],
    params: z.object({ id: idField('must be an article id') }),
    body: updateBody,
    response: { 200: z.object({ article: helpArticle }) },
    handler: async ({ staff, params, body }) => ({ article: await updateHelpArticle(deps, staff.forceId, staff.staffId, params.id, body) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/reports/satisfaction',
    permission: 'cases:read',
    audit: 'report.satisfaction',
    summary: 'Closure survey answers given between from (inclusive) and to (exclusive), by team',
    tags: ['reports'],
    query: z.object({
      from: instantField('must be a date and time (ISO 8601)'),
      to: instantField('must be a date and time (ISO 8601)'),
    }),
    response: { 200: z.object({ from: z.string(), to: z.string(), teams: z.array(teamSatisfaction) }) },
    handler: async ({ staff, query }) => {
      const from = new Date(query.from);
      const to = new Date(query.to);
      return { from: from.toISOString(), to: to.toISOString(), teams: await satisfactionByTeam(deps, staff.forceId, from, to) };
    },
  });
}
