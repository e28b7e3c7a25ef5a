import { createHmac, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServiceDeps } from '../platform/deps.ts';
import type { Config } from '../platform/config/config.ts';
import { withSystem } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { publicRoute, type PublicRouteSpec } from '../platform/http/routes.ts';
import { AttemptLimiter, attemptKeySecret } from '../platform/http/attempt-limiter.ts';
import { isId, type ForceId } from '../platform/ids.ts';
import { submitPublicReport } from '../capabilities/intake/intake.service.ts';
import {
  getPublicTimeline,
  normaliseReference,
  requestAccessCode,
  verifyAccessCode,
  type PublicTimelineItem,
  type ReportStatusDeps,
} from '../capabilities/report-status/report-status.service.ts';
import { format, formatDateTime, isLocale, messagesFor, type Locale, type Messages } from './i18n.ts';
import { checkForm, codeForm, dangerForm, describeErrors, detailsForm, formBody, langQuery, parseForm, typedValues, type FieldErrors } from './forms.ts';
import { pageBase, renderView, type PageBase } from './render.ts';
import { loadStaticFiles, type StaticFile } from './static-files.ts';
import {
  ACCESS_MS,
  CHECK_COOKIE_MS,
  PORTAL_COOKIES,
  REFERENCE_COOKIE_MS,
  clearCookie,
  csrfTokenMatches,
  decodeAccess,
  encodeAccess,
  ensureCsrfToken,
  isPortalPath,
  readSignedCookie,
  setLanguageCookie,
  setSignedCookie,
} from './security.ts';

export type PortalDeps = ServiceDeps & { config: Config };

const WINDOW_MS = 15 * 60 * 1000;
/** How long a force's name is trusted before it is read again (a rename shows within a minute). */
const FORCE_CACHE_MS = 60 * 1000;
/** A name for the header when the force cannot be read (an error page during an outage). */
const FALLBACK_FORCE_NAME = 'Bluelamp';

type PortalForce = { id: ForceId; name: string };

/** The force the portal serves, read by slug and kept for a minute. */
class ForceCache {
  private cached: (PortalForce & { at: number }) | null = null;
  constructor(
    private readonly deps: PortalDeps,
    private readonly slug: string,
  ) {}

  /** The last name read, for error pages, which must not wait on the database. */
  get lastKnownName(): string | null {
    return this.cached?.name ?? null;
  }

  async get(): Promise<PortalForce> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && now - this.cached.at < FORCE_CACHE_MS && now >= this.cached.at) return this.cached;
    const row = await withSystem(this.deps.db, (tx) =>
      tx.selectFrom('forces').select(['id', 'name']).where('slug', '=', this.slug).executeTakeFirst(),
    );
    if (!row) {
      throw new AppError('unavailable', `the portal force "${this.slug}" does not exist (PORTAL_FORCE)`, {
        publicMessage: messagesFor('en').errorPages.serverTitle,
      });
    }
    this.cached = { id: row.id as ForceId, name: row.name, at: now };
    return this.cached;
  }
}

type PortalState = { force: ForceCache; publicUrl: string | undefined };

// renderPortalError is called by the server's error handler with only the request, so it finds
// its app's state through the server instance (tests build several apps in one process).
const states = new WeakMap<FastifyInstance, PortalState>();
let latestState: PortalState | null = null;

/** The request as far as it exists: error pages must cope with a half-built or missing one. */
function partial(request: FastifyRequest | null | undefined): Partial<FastifyRequest> {
  return request !== null && typeof request === 'object' ? request : {};
}

function stateFor(request: FastifyRequest): PortalState | null {
  const server = partial(request).server;
  return (server && states.get(server)) ?? latestState;
}

/** The page's own path for the language links: the route's pattern, never the raw request URL. */
function pagePathOf(request: FastifyRequest): string {
  const url = partial(request).routeOptions?.url;
  return typeof url === 'string' && /^\/[a-z/-]*$/.test(url) && !url.startsWith('//') ? url : '/';
}

/** `?lang=` wins (and is remembered), then the cookie, then English. */
function localeOf(request: FastifyRequest): Locale {
  const query = partial(request).query;
  const asked = query !== null && typeof query === 'object' ? (query as Record<string, unknown>).lang : undefined;
  if (isLocale(asked)) return asked;
  const remembered = partial(request).cookies?.[PORTAL_COOKIES.lang];
  return isLocale(remembered) ? remembered : 'en';
}

function errorText(t: Messages, status: number): { title: string; body: string } {
  const e = t.errorPages;
  if (status === 404) return { title: e.notFoundTitle, body: e.notFoundBody };
  if (status === 403) return { title: e.forbiddenTitle, body: e.forbiddenBody };
  if (status === 429) return { title: e.tooManyTitle, body: e.tooManyBody };
  if (status === 413) return { title: e.tooLargeTitle, body: e.tooLargeBody };
  if (status === 503) return { title: e.unavailableTitle, body: e.unavailableBody };
  if (status >= 500) return { title: e.serverTitle, body: e.serverBody };
  return { title: e.badRequestTitle, body: e.badRequestBody };
}

// Messages that say nothing beyond the page's heading are not repeated under it.
const GENERIC_MESSAGES = new Set(['Something went wrong', 'Page not found', '']);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A full GOV.UK-styled error page for any HTML request that failed. It never throws: if the
 * templates themselves fail, a minimal page is built by hand, with the message escaped.
 */
export function renderPortalError(request: FastifyRequest, status: number, message: string): string {
  try {
    const state = stateFor(request);
    const locale = localeOf(request);
    const t = messagesFor(locale);
    const { title, body } = errorText(t, status);
    const text = typeof message === 'string' ? message : '';
    // A 503's page says all there is to say, in the visitor's language.
    const detail = status === 503 || GENERIC_MESSAGES.has(text) || text === title || Object.values(t.errorPages).includes(text) ? '' : text;
    return renderView('error.njk', {
      ...pageBase({
        locale,
        forceName: state?.force.lastKnownName ?? FALLBACK_FORCE_NAME,
        pagePath: status === 404 ? '/' : pagePathOf(request),
        publicUrl: state?.publicUrl,
      }),
      title,
      body,
      detail,
    });
  } catch {
    const safe = escapeHtml(String(message ?? ''));
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error ${Number(status) || 500}</title></head><body><p><a href="https://www.bbc.co.uk/weather" rel="nofollow noreferrer">Exit this page</a></p><main><h1>Sorry, there is a problem</h1><p>${safe}</p><p><a href="/">Go to the start</a></p></main></body></html>`;
  }
}

/** The report form's fields, in the order the form shows them. */
const DETAIL_FIELDS = ['whatHappened', 'where', 'when', 'name', 'email'] as const;

/**
 * Pages for shed requests and the report confirmation, rendered once per language, force name and
 * page, with markers where a request's own values go. Shedding must cost next to nothing: a full
 * template render per shed request took half of a starved server's CPU in the surge benchmark.
 */
const busyPages = new Map<string, string>();
const MARK = `bl${randomUUID().replace(/-/g, '')}`;
const MARKER = new RegExp(`${MARK}([A-Za-z]+)${MARK}`, 'g');
const marker = (name: string) => `${MARK}${name}${MARK}`;

/** The same escaping the templates apply to every value (nunjucks autoescape, `lib.escape`). */
const TEMPLATE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '\\': '&#92;' };
function escapeLikeTemplates(text: string): string {
  return text.replace(/[&"'<>\\]/g, (c) => TEMPLATE_ESCAPES[c] ?? c);
}

function cachedPage(key: string, render: () => string): string {
  let page = busyPages.get(key);
  if (page === undefined) {
    page = render();
    // Keys are bounded (two languages, one force, the portal's own route patterns); the guard
    // only keeps a renamed force from growing the map for ever.
    if (busyPages.size > 200) busyPages.clear();
    busyPages.set(key, page);
  }
  return page;
}

/**
 * Answers a portal request shed under load with 503 and a page, never touching the database. A
 * shed report comes back as the report form with everything the person wrote and a banner saying
 * to send it again in a minute (same submission id, so a double send still stores one report);
 * anything else gets a short "busy, try again" page. Returns false if the request is not the
 * portal's or the page cannot be built, so the caller falls back to its plain answer.
 */
export function respondPortalBusy(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!isPortalPath(request.url)) return false;
  try {
    const state = stateFor(request);
    const pagePath = pagePathOf(request);
    const locale = localeOf(request);
    const forceName = state?.force.lastKnownName ?? FALLBACK_FORCE_NAME;
    const base = () => pageBase({ locale, forceName, pagePath, publicUrl: state?.publicUrl });
    const body = partial(request).body;
    const form = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    // Only a form posted with its own CSRF token is shown back, as the portal's handlers would.
    const isOwnReport = request.method === 'POST' && pagePath === '/report/details' && csrfTokenMatches(request, form.csrfToken);
    let html: string;
    if (isOwnReport) {
      const skeleton = cachedPage(`details\u0000${locale}\u0000${forceName}`, () => {
        const page = base();
        return renderView('details.njk', {
          ...page,
          title: page.t.details.title,
          backLink: '/report/danger',
          busy: true,
          csrfToken: marker('csrfToken'),
          submissionId: marker('submissionId'),
          values: Object.fromEntries(DETAIL_FIELDS.map((field) => [field, marker(field)])),
          fieldErrors: {},
        });
      });
      const values: Record<string, string> = {
        ...typedValues(form, DETAIL_FIELDS),
        csrfToken: String(form.csrfToken),
        submissionId: typeof form.submissionId === 'string' && isId(form.submissionId) ? form.submissionId : randomUUID(),
      };
      // One pass over the page: what a person typed is inserted, never scanned for markers.
      html = skeleton.replace(MARKER, (_match, name: string) => escapeLikeTemplates(values[name] ?? ''));
    } else {
      html = cachedPage(`busy\u0000${locale}\u0000${forceName}\u0000${pagePath}`, () => {
        const page = base();
        return renderView('busy.njk', { ...page, title: page.t.busy.title, retryHref: pagePath });
      });
    }
    reply.status(503).type('text/html; charset=utf-8').send(html);
    return true;
  } catch {
    return false;
  }
}

/** Refuses anything but an HTML form post: JSON, multipart and the rest get 415, never a 500. */
function requireFormPost(request: FastifyRequest): void {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new AppError('unsupported_media_type', `portal form posted as ${type || 'nothing'}`, {
      publicMessage: messagesFor(localeOf(request)).errorPages.badRequestTitle,
    });
  }
}

/**
 * Registers the public portal: the report journey, "check on my report", the GOV.UK Frontend
 * files, the security headers of every portal response, and the state the error pages use.
 */
export async function registerPortal(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  const { config } = deps;
  const secure = config.cookieSecure;
  const force = new ForceCache(deps, config.portalForce);
  const state: PortalState = { force, publicUrl: config.publicUrl };
  states.set(app, state);
  latestState = state;
  // Read the force now so that even the first error page can name it; a missing force is not
  // fatal here (an operator may create it later) and every page will say so until it exists.
  await force.get().catch((error: unknown) => deps.logger.warn({ err: error }, 'portal force not found'));

  // A key of its own for the one-time codes, derived from the session secret so that one setting
  // covers both, yet a code hash never doubles as a cookie signature.
  const reportStatusDeps: ReportStatusDeps = {
    ...deps,
    codeSecret: createHmac('sha256', config.sessionSecret).update('bluelamp:portal-code:v1').digest('hex'),
  };
  // Per-address allowances, counted in the database so every node shares them; the database
  // also caps codes per report.
  const attemptKeys = attemptKeySecret(config.sessionSecret);
  const codeRequestsPerIp = new AttemptLimiter(deps, attemptKeys, { scope: 'portal.code_request.address', max: 10, windowMs: WINDOW_MS });
  const codeChecksPerIp = new AttemptLimiter(deps, attemptKeys, { scope: 'portal.code_check.address', max: 20, windowMs: WINDOW_MS });
  // Per reference too, so many addresses cannot share out the guessing of one report's code.
  const codeChecksPerReference = new AttemptLimiter(deps, attemptKeys, { scope: 'portal.code_check.reference', max: 10, windowMs: WINDOW_MS });

  const files = await loadStaticFiles();

  // The security headers (CSP with the inline script's hash, nosniff, no framing) come from
  // registerSecurityHeaders, for every face of the product alike.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isPortalPath(request.url)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    // Pages can show a reference or a reply: no shared or back-button cache may keep them.
    if (type.startsWith('text/html') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  type Page = PageBase & { force: PortalForce };

  async function page(request: FastifyRequest, reply: FastifyReply, options: { csrf?: boolean } = {}): Promise<Page> {
    const portalForce = await force.get();
    const query = request.query as { lang?: unknown } | undefined;
    const locale = localeOf(request);
    if (isLocale(query?.lang)) setLanguageCookie(reply, locale, secure);
    const base = pageBase({ locale, forceName: portalForce.name, pagePath: pagePathOf(request), publicUrl: config.publicUrl });
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

  const formLimit = 16 * 1024;

  /**
   * Every portal route: open to the public, kept out of the API document, and every form post is
   * checked (a form content type, a matching CSRF token) before its handler sees it.
   */
  function portalRoute<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined>(
    spec: Omit<PublicRouteSpec<P, Q, B>, 'permission' | 'tags' | 'hideFromDocs'>,
  ): void {
    publicRoute(app, {
      ...spec,
      permission: 'public',
      tags: ['portal'],
      hideFromDocs: true,
      handler: async (input) => {
        if (spec.method === 'POST') {
          requireFormPost(input.request);
          // Every portal POST declares `formBody`, a record of strings; an absent body has no token.
          requireCsrf(input.request, (input.body ?? {}) as Record<string, unknown>);
        }
        return spec.handler(input);
      },
    });
  }

  // ---- Static files -------------------------------------------------------------------------

  const serveFile = (reply: FastifyReply, file: StaticFile | undefined, cacheSeconds: number) => {
    if (!file) throw new AppError('not_found', 'no such portal file', { publicMessage: 'Page not found' });
    return reply.header('cache-control', `public, max-age=${cacheSeconds}`).type(file.type).send(file.body);
  };

  portalRoute({
    method: 'GET',
    url: '/assets/*',
    audit: 'portal.asset',
    summary: 'GOV.UK Frontend fonts and images',
    params: z.object({ '*': z.string().max(300) }),
    handler: async ({ params, reply }) => serveFile(reply, files.assets.get(params['*']), 24 * 60 * 60),
  });

  portalRoute({
    method: 'GET',
    url: '/portal-static/:file',
    audit: 'portal.static',
    summary: 'Portal stylesheets and scripts',
    params: z.object({ file: z.string().max(100) }),
    handler: async ({ params, reply }) => serveFile(reply, files.portal.get(params.file), 60 * 60),
  });

  // ---- Start --------------------------------------------------------------------------------

  portalRoute({
    method: 'GET',
    url: '/',
    audit: 'portal.start',
    summary: 'Portal start page',
    query: langQuery,
    handler: async ({ request, reply }) => {
      const p = await page(request, reply);
      return send(reply, 200, 'start.njk', { ...p, title: format(p.t.start.title, { force: p.forceName }), isServiceStart: true });
    },
  });

  // ---- Is anyone in danger? -----------------------------------------------------------------

  portalRoute({
    method: 'GET',
    url: '/report/danger',
    audit: 'portal.report.danger.view',
    summary: 'Asks whether anyone is in immediate danger',
    query: langQuery,
    handler: async ({ request, reply }) => {
      const p = await page(request, reply, { csrf: true });
      return send(reply, 200, 'danger.njk', { ...p, title: p.t.danger.title, backLink: '/', values: {}, fieldErrors: {} });
    },
  });

  portalRoute({
    method: 'POST',
    url: '/report/danger',
    audit: 'portal.report.danger.answer',
    summary: 'Routes to 999 advice or to the report form',
    body: formBody,
    bodyLimit: formLimit,
    handler: async ({ request, reply, body }) => {
      const p = await page(request, reply, { csrf: true });
      const parsed = parseForm(dangerForm, body, p.t);
      if (!parsed.ok) {
        return send(reply, 400, 'danger.njk', {
          ...p,
          title: p.t.danger.title,
          backLink: '/',
          values: typedValues(body, ['danger']),
          ...describeErrors(parsed.errors, p.t, ['danger']),
        });
      }
      return reply.redirect(parsed.data.danger === 'yes' ? '/report/emergency' : '/report/details', 303);
    },
  });

  portalRoute({
    method: 'GET',
    url: '/report/emergency',
    audit: 'portal.report.emergency',
    summary: 'Tells someone in danger to call 999',
    query: langQuery,
    handler: async ({ request, reply }) => {
      const p = await page(request, reply);
      return send(reply, 200, 'emergency.njk', { ...p, title: p.t.emergency.title, backLink: '/report/danger' });
    },
  });

  // ---- The report ---------------------------------------------------------------------------

  portalRoute({
    method: 'GET',
    url: '/report/details',
    audit: 'portal.report.form',
    summary: 'The report form',
    query: langQuery,
    handler: async ({ request, reply }) => {
      const p = await page(request, reply, { csrf: true });
      return send(reply, 200, 'details.njk', {
        ...p,
        title: p.t.details.title,
        backLink: '/report/danger',
        // Rendered into the form, so posting the same form twice stores one report.
        submissionId: randomUUID(),
        values: {},
        fieldErrors: {},
      });
    },
  });

  portalRoute({
    method: 'POST',
    url: '/report/details',
    audit: 'portal.report.submit',
    summary: 'Stores a report from the public',
    body: formBody,
    // 10,000 characters of Welsh or emoji can take 12 bytes each once url-encoded.
    bodyLimit: 160 * 1024,
    handler: async ({ request, reply, body }) => {
      const p = await page(request, reply, { csrf: true });
      const submissionId = typeof body.submissionId === 'string' && isId(body.submissionId) ? body.submissionId : randomUUID();
      const parsed = parseForm(detailsForm, body, p.t);
      if (!parsed.ok) {
        return send(reply, 400, 'details.njk', {
          ...p,
          title: p.t.details.title,
          backLink: '/report/danger',
          submissionId,
          values: typedValues(body, DETAIL_FIELDS),
          ...describeErrors(parsed.errors, p.t, DETAIL_FIELDS),
        });
      }
      const result = await submitPublicReport(deps, p.force.id, { submissionId, ...parsed.data, language: p.locale });
      setSignedCookie(reply, PORTAL_COOKIES.reference, result.reference, secure, REFERENCE_COOKIE_MS);
      return reply.redirect('/report/done', 303);
    },
  });

  portalRoute({
    method: 'GET',
    url: '/report/done',
    audit: 'portal.report.done',
    summary: 'Confirms a report with its reference',
    query: langQuery,
    handler: async ({ request, reply }) => {
      const reference = readSignedCookie(request, PORTAL_COOKIES.reference);
      if (!reference || reference.length > 64) return reply.redirect('/', 303);
      const p = await page(request, reply);
      // Every report ends here, so the page is rendered once per language, force name and
      // origin, with a marker where the reference goes (the rest of the page is the same for all).
      const { force: _force, ...rest } = p;
      const skeleton = cachedPage(`done\u0000${p.locale}\u0000${p.forceName}\u0000${config.publicUrl ?? ''}`, () =>
        renderView('done.njk', { ...rest, title: p.t.done.title, reference: marker('reference') }),
      );
      const html = skeleton.replace(MARKER, (_match, name: string) => escapeLikeTemplates(name === 'reference' ? reference : ''));
      return reply.status(200).type('text/html; charset=utf-8').send(html);
    },
  });

  // ---- Check on a report --------------------------------------------------------------------

  portalRoute({
    method: 'GET',
    url: '/check',
    audit: 'portal.check.form',
    summary: 'Asks for a reference to send a code for',
    query: langQuery,
    handler: async ({ request, reply }) => {
      const p = await page(request, reply, { csrf: true });
      return send(reply, 200, 'check.njk', { ...p, title: p.t.check.title, backLink: '/', values: {}, fieldErrors: {} });
    },
  });

  portalRoute({
    method: 'POST',
    url: '/check',
    audit: 'portal.check.request_code',
    summary: 'Emails a code if the reference is known (and says the same either way)',
    body: formBody,
    bodyLimit: formLimit,
    handler: async ({ request, reply, body }) => {
      const p = await page(request, reply, { csrf: true });
      const parsed = parseForm(checkForm, body, p.t);
      if (!parsed.ok) {
        return send(reply, 400, 'check.njk', {
          ...p,
          title: p.t.check.title,
          backLink: '/',
          values: typedValues(body, ['reference']),
          ...describeErrors(parsed.errors, p.t, ['reference']),
        });
      }
      if (!(await codeRequestsPerIp.take(request.ip))) throw tooManyAttempts(request);
      const reference = normaliseReference(parsed.data.reference);
      await requestAccessCode(reportStatusDeps, p.force.id, reference);
      setSignedCookie(reply, PORTAL_COOKIES.check, reference, secure, CHECK_COOKIE_MS);
      clearCookie(reply, PORTAL_COOKIES.access, secure);
      return reply.redirect('/check/code', 303);
    },
  });

  portalRoute({
    method: 'GET',
    url: '/check/code',
    audit: 'portal.check.code_form',
    summary: 'Asks for the emailed code',
    query: langQuery,
    handler: async ({ request, reply }) => {
      if (!readSignedCookie(request, PORTAL_COOKIES.check)) return reply.redirect('/check', 303);
      const p = await page(request, reply, { csrf: true });
      return send(reply, 200, 'check-code.njk', { ...p, title: p.t.checkCode.title, backLink: '/check', values: {}, fieldErrors: {} });
    },
  });

  portalRoute({
    method: 'POST',
    url: '/check/code',
    audit: 'portal.check.verify_code',
    summary: 'Checks the emailed code and opens the report',
    body: formBody,
    bodyLimit: formLimit,
    handler: async ({ request, reply, body }) => {
      const reference = readSignedCookie(request, PORTAL_COOKIES.check);
      if (!reference) return reply.redirect('/check', 303);
      const p = await page(request, reply, { csrf: true });
      const rerender = (errors: FieldErrors) =>
        send(reply, 400, 'check-code.njk', {
          ...p,
          title: p.t.checkCode.title,
          backLink: '/check',
          values: typedValues(body, ['code']),
          ...describeErrors(errors, p.t, ['code']),
        });
      const parsed = parseForm(codeForm, body, p.t);
      if (!parsed.ok) return rerender(parsed.errors);
      // Both allowances are spent on every try, known reference or not, so neither the answer
      // nor the moment it turns to 429 says whether the reference exists.
      const ipAllowed = await codeChecksPerIp.take(request.ip);
      const referenceAllowed = await codeChecksPerReference.take(reference);
      if (!ipAllowed || !referenceAllowed) throw tooManyAttempts(request);
      const granted = await verifyAccessCode(reportStatusDeps, p.force.id, reference, parsed.data.code);
      if (!granted) return rerender({ code: 'codeWrong' });
      const expiresAt = new Date(deps.clock.now().getTime() + ACCESS_MS);
      setSignedCookie(reply, PORTAL_COOKIES.access, encodeAccess(granted.contactId, expiresAt), secure, ACCESS_MS);
      clearCookie(reply, PORTAL_COOKIES.check, secure);
      return reply.redirect('/check/report', 303);
    },
  });

  portalRoute({
    method: 'GET',
    url: '/check/report',
    audit: 'portal.check.view_report',
    summary: 'Shows the reporter the status and timeline of their report',
    query: langQuery,
    handler: async ({ request, reply }) => {
      const contactId = decodeAccess(readSignedCookie(request, PORTAL_COOKIES.access), deps.clock.now());
      if (!contactId) {
        clearCookie(reply, PORTAL_COOKIES.access, secure);
        return reply.redirect('/check', 303);
      }
      const p = await page(request, reply);
      const timeline = await getPublicTimeline(deps, p.force.id, contactId);
      if (!timeline) {
        clearCookie(reply, PORTAL_COOKIES.access, secure);
        return reply.redirect('/check', 303);
      }
      return send(reply, 200, 'check-report.njk', {
        ...p,
        title: p.t.checkReport.title,
        report: {
          reference: timeline.reference,
          status: timeline.status,
          receivedAt: formatDateTime(p.locale, timeline.receivedAt),
          items: timeline.items.map((item) => describeItem(p.locale, p.t, p.forceName, item)),
        },
      });
    },
  });
}

/** One timeline entry in words. The reply text stays plain text; the template escapes it. */
function describeItem(locale: Locale, t: Messages, forceName: string, item: PublicTimelineItem) {
  const r = t.checkReport;
  let title: string;
  switch (item.kind) {
    case 'received':
      title = r.itemReceived;
      break;
    case 'reply':
      title = format(r.itemReply, { force: forceName });
      break;
    case 'case_created':
      title = format(r.itemCaseCreated, { reference: item.caseReference ?? '' });
      break;
    case 'closed': {
      const code = item.outcome ?? '';
      const outcomes: Record<string, string> = t.outcomes;
      title = format(r.itemClosed, { outcome: Object.hasOwn(outcomes, code) ? (outcomes[code] ?? code) : code.replace(/_/g, ' ') });
      break;
    }
  }
  return { title, when: formatDateTime(locale, item.at), isoTime: item.at.toISOString(), text: item.text ?? '' };
}
