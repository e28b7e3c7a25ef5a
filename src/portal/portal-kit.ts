import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { publicRoute, type PublicRouteSpec } from '../platform/http/routes.ts';
import { htmlPage, redirect, type Responses, type WithSuccess } from '../platform/http/responses.ts';
import { isLocale, messagesFor } from './i18n.ts';
import { pageBase, renderView, type PageBase } from './render.ts';
import { csrfTokenMatches, ensureCsrfToken, setLanguageCookie } from './security.ts';
import { createHeldMessages } from './held-message.ts';
import { localeOf, pagePathOf, requireFormPost, type ForceCache, type PortalDeps, type PortalForce } from './portal-pages.ts';

/** What every portal page is rendered with: the common page parts and the portal's force. */
export type Page = PageBase & { force: PortalForce };

/** The largest form body a portal page accepts. */
export const FORM_LIMIT = 16 * 1024;

/** A page; a form posted back with a mistake is the page again (400); a good one moves on (303). */
export const page200 = (description: string) => ({ 200: htmlPage(description) });
export const formPost = (next: string) => ({ 303: redirect(next), 400: htmlPage('The form again, saying what to correct') });
/** A form whose answer is the next page itself (200), or the form again (400). */
export const formAnswered = (description: string) => ({ 200: htmlPage(description), 400: htmlPage('The form again, saying what to correct') });
export const guarded = (description: string, elsewhere: string) => ({ 200: htmlPage(description), 303: redirect(elsewhere) });

/** The pieces every portal journey is built from, bound to one app and the portal's force. */
export type PortalKit = ReturnType<typeof createPortalKit>;

/** Builds the portal's page, rendering and route helpers for `app`. */
export function createPortalKit(app: FastifyInstance, deps: PortalDeps, force: ForceCache) {
  const secure = deps.config.cookieSecure;

  /**
   * The page's common parts. `pagePath` overrides the route's pattern for the language links, for
   * a page whose address has a part of its own (a help article's slug); it must be a checked path.
   */
  async function page(request: FastifyRequest, reply: FastifyReply, options: { csrf?: boolean; pagePath?: string } = {}): Promise<Page> {
    const portalForce = await force.get();
    const query = request.query as { lang?: unknown } | undefined;
    const locale = localeOf(request);
    if (isLocale(query?.lang)) setLanguageCookie(reply, locale, secure);
    const pagePath = options.pagePath !== undefined && /^\/[a-z0-9/-]*$/.test(options.pagePath) && !options.pagePath.startsWith('//') ? options.pagePath : pagePathOf(request);
    const base = pageBase({ locale, forceName: portalForce.name, pagePath, publicUrl: deps.config.publicUrl });
    return {
      ...base,
      force: portalForce,
      ...(options.csrf ? { csrfToken: ensureCsrfToken(request, reply, secure) } : {}),
    };
  }

  function send(reply: FastifyReply, status: number, view: string, context: Page & Record<string, unknown>) {
    const { force: _force, ...rest } = context;
    return reply.status(status).type('text/html; charset=utf-8').send(renderView(view, rest));
  }

  function requireCsrf(request: FastifyRequest, body: Record<string, unknown>): void {
    if (!csrfTokenMatches(request, body.csrfToken)) {
      throw new AppError('csrf_failed', 'portal form without a matching CSRF token', {
        publicMessage: messagesFor(localeOf(request)).errorPages.forbiddenTitle,
      });
    }
  }

  function tooManyAttempts(request: FastifyRequest): AppError {
    return new AppError('rate_limited', `too many portal code attempts from ${request.ip}`, {
      publicMessage: messagesFor(localeOf(request)).errorPages.tooManyTitle,
    });
  }

  /**
   * Every portal route: open to the public, kept out of the API document, and every form post is
   * checked (a form content type, a matching CSRF token) before its handler sees it.
   */
  function portalRoute<
    P extends z.ZodType | undefined,
    Q extends z.ZodType | undefined,
    B extends z.ZodType | undefined,
    R extends Responses & WithSuccess,
  >(spec: Omit<PublicRouteSpec<P, Q, B, R>, 'permission' | 'tags' | 'undocumentedBecause' | 'errors'>): void {
    publicRoute(app, {
      ...spec,
      permission: 'public',
      tags: ['portal'],
      undocumentedBecause: 'a page for people, not an API',
      errors: 'html',
      handler: async (input) => {
        if (spec.method === 'POST') {
          requireFormPost(input.request);
          // Every portal POST declares `formBody`, a record of strings; an absent body has no token.
          requireCsrf(input.request, input.body ?? {});
        }
        return spec.handler(input);
      },
    });
  }

  // Messages written after a case sign-in lapsed, carried sealed through signing in again (decision 0142).
  const held = createHeldMessages(deps.config.sessionSecret);

  return { page, send, portalRoute, tooManyAttempts, secure, held };
}
