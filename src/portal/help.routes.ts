import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { findPublishedArticle, searchHelpArticles } from '../capabilities/victim-portal/help-articles.service.ts';
import { format } from './i18n.ts';
import type { PortalDeps } from './portal-pages.ts';
import { page200, type PortalKit } from './portal-kit.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const lang = z.union([z.string(), z.array(z.string())]).optional();

/** A body of plain text as paragraphs: a blank line starts a new one. The template escapes each. */
function paragraphs(body: string): string[] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * Self-service help: the force's articles, searched by words (plain text in, parameterised
 * patterns out, nothing the visitor typed ever rendered as markup), and each article on its page.
 */
export function registerHelpPages(deps: PortalDeps, kit: PortalKit): void {
  const { page, send, portalRoute } = kit;

  portalRoute({
    method: 'GET',
    url: '/help',
    audit: 'portal.help.search',
    summary: 'Help articles: all of them, or those matching a search',
    // A search box: one string; anything else (a list, a very long one) reads as no search.
    query: z.object({ q: z.union([z.string(), z.array(z.string())]).optional(), lang }),
    response: page200('The help articles, or the search results'),
    handler: async ({ request, reply, query }) => {
      const p = await page(request, reply);
      const q = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
      const articles = await searchHelpArticles(deps, p.force.id, q, p.locale);
      return send(reply, 200, 'help.njk', {
        ...p,
        title: p.t.help.title,
        query: q,
        resultsHeading: q ? format(p.t.help.resultsFor, { query: q }) : p.t.help.allArticles,
        noResults: q && articles.length === 0 ? format(p.t.help.noResults, { query: q }) : '',
        articles: articles.map((article) => ({ href: `/help/${article.slug}`, title: article.title, summary: paragraphs(article.body)[0] ?? '' })),
      });
    },
  });

  portalRoute({
    method: 'GET',
    url: '/help/:slug',
    audit: 'portal.help.article',
    summary: 'One help article',
    params: z.object({ slug: z.string().max(80) }),
    query: z.object({ lang }),
    response: page200('The article'),
    handler: async ({ request, reply, params }) => {
      const slug = SLUG.test(params.slug) ? params.slug : null;
      const p = await page(request, reply, slug ? { pagePath: `/help/${slug}` } : {});
      const article = slug ? await findPublishedArticle(deps, p.force.id, slug, p.locale) : null;
      if (!article) throw new AppError('not_found', 'no such help article', { publicMessage: p.t.errorPages.notFoundTitle });
      return send(reply, 200, 'help-article.njk', { ...p, title: article.title, backLink: '/help', paragraphs: paragraphs(article.body) });
    },
  });
}
