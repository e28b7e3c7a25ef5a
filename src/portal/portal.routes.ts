import { createHmac, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { publicRoute, type PublicRouteSpec } from '../platform/http/routes.ts';
import { htmlPage, redirect, textBody, type Responses, type WithSuccess } from '../platform/http/responses.ts';
import { AttemptLimiter, attemptKeySecret } from '../platform/http/attempt-limiter.ts';
import { isId } from '../platform/ids.ts';
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
import {
  DETAIL_FIELDS,
  ForceCache,
  MARKER,
  cachedPage,
  escapeLikeTemplates,
  localeOf,
  marker,
  pagePathOf,
  rememberPortalState,
  requireFormPost,
  type PortalDeps,
  type PortalForce,
  type PortalState,
} from './portal-pages.ts';

const WINDOW_MS = 15 * 60 * 1000;

/**
 * Registers the public portal: the report journey, "check on my report", the GOV.UK Frontend
 * files, the security headers of every portal response, and the state the error pages use.
 */
export async function registerPortal(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  const { config } = deps;
  const secure = config.cookieSecure;
  const force = new ForceCache(deps, config.portalForce);
  const state: PortalState = { force, publicUrl: config.publicUrl };
  rememberPortalState(app, state);
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

  /** A page; a form posted back with a mistake is the page again (400); a good one moves on (303). */
  const page200 = (description: string) => ({ 200: htmlPage(description) });
  const formPost = (next: string) => ({ 303: redirect(next), 400: htmlPage('The form again, saying what to correct') });
  const guarded = (description: string, elsewhere: string) => ({ 200: htmlPage(description), 303: redirect(elsewhere) });

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
    response: { 200: textBody('*/*', 'A GOV.UK Frontend font or image') },
    handler: async ({ params, reply }) => serveFile(reply, files.assets.get(params['*']), 24 * 60 * 60),
  });

  portalRoute({
    method: 'GET',
    url: '/portal-static/:file',
    audit: 'portal.static',
    summary: 'Portal stylesheets and scripts',
    params: z.object({ file: z.string().max(100) }),
    response: { 200: textBody('*/*', 'A portal stylesheet or script') },
    handler: async ({ params, reply }) => serveFile(reply, files.portal.get(params.file), 60 * 60),
  });

  // ---- Start --------------------------------------------------------------------------------

  portalRoute({
    method: 'GET',
    url: '/',
    audit: 'portal.start',
    summary: 'Portal start page',
    query: langQuery,
    response: page200('The start page'),
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
    response: page200('The question'),
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
    response: formPost('To 999 advice, or on to the report form'),
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
    response: page200('The advice to call 999'),
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
    response: page200('The report form'),
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
    response: formPost('To the confirmation, once the report is stored'),
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
    response: guarded('The confirmation with the reference', 'To the start, when there is no report to confirm'),
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
    response: page200('The reference form'),
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
    response: formPost('To the code form'),
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
    response: guarded('The code form', 'To the reference form, when no code was asked for'),
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
    response: formPost('To the report, once the code is right (or to the reference form when no code was asked for)'),
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
    response: guarded('The status and timeline of the report', 'To the reference form, when access has ended'),
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
