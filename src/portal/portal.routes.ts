import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { textBody } from '../platform/http/responses.ts';
import { format } from './i18n.ts';
import { dangerForm, describeErrors, detailsForm, formBody, langQuery, parseForm, postedSubmissionId, typedValues } from './forms.ts';
import { languageItems, renderView } from './render.ts';
import { loadStaticFiles, type StaticFile } from './static-files.ts';
import { FORM_LIMIT, createPortalKit, formAnswered, formPost, guarded, page200, type Page } from './portal-kit.ts';
import { registerCheckReport } from './check-report.routes.ts';
import { registerCasePage } from './case-page.routes.ts';
import { registerHelpPages } from './help.routes.ts';
import { registerExit } from './exit.routes.ts';
import { PORTAL_COOKIES, REFERENCE_COOKIE_MS, isPortalPath, readSignedCookie, setSignedCookie } from './security.ts';
import { DETAIL_FIELDS, ForceCache, MARKER, cachedPage, escapeLikeTemplates, marker, rememberPortalState, type PortalDeps, type PortalState } from './portal-pages.ts';

/**
 * Registers the public portal: the report journey, "check on my report", the GOV.UK Frontend
 * files, the security headers of every portal response, and the state the error pages use.
 */
export async function registerPortal(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  const { config } = deps;
  const secure = config.cookieSecure;
  const force = new ForceCache(deps, config.portalForce);
  const state: PortalState = { force, publicUrl: config.publicUrl, clock: deps.clock };
  rememberPortalState(app, state);
  // Read the force now so that even the first error page can name it; a missing force is not
  // fatal here (an operator may create it later) and every page will say so until it exists.
  await force.get().catch((error: unknown) => deps.logger.warn({ err: error }, 'portal force not found'));

  const kit = createPortalKit(app, deps, force);
  const { page, send, portalRoute } = kit;

  const files = await loadStaticFiles();

  /**
   * The confirmation with its reference. Every report ends here, so the page is rendered once per
   * language, force name and origin, with a marker where the reference goes (the rest of the page
   * is the same for all). Its language switch always leads to /report/done, even when the page
   * answers the form's POST.
   */
  const sendDone = (reply: FastifyReply, p: Page, reference: string) => {
    const { force: _force, ...rest } = p;
    const skeleton = cachedPage(`done\u0000${p.locale}\u0000${p.forceName}\u0000${config.publicUrl ?? ''}`, () =>
      renderView('done.njk', { ...rest, languageItems: languageItems(p.locale, '/report/done'), title: p.t.done.title, reference: marker('reference') }),
    );
    const html = skeleton.replace(MARKER, (_match, name: string) => escapeLikeTemplates(name === 'reference' ? reference : ''));
    return reply.status(200).type('text/html; charset=utf-8').send(html);
  };

  // The security headers (CSP with the inline script's hash, nosniff, no framing) come from
  // registerSecurityHeaders, for every face of the product alike.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isPortalPath(request.url)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    // Pages can show a reference or a reply: no shared or back-button cache may keep them.
    if (type.startsWith('text/html') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

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
    bodyLimit: FORM_LIMIT,
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
        allowsAnonymous: p.force.allowsAnonymousReports,
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
    response: formAnswered('The confirmation with the reference, once the report is stored'),
    handler: async ({ request, reply, body }) => {
      const p = await page(request, reply, { csrf: true });
      const posted = postedSubmissionId(body);
      const parsed = parseForm(detailsForm(p.force.allowsAnonymousReports, body), body, p.t);
      // A report without its form's id goes back with what was typed and a fresh id: stored under an
      // id made here, the same post sent again would be two reports (decision 0119).
      if (!parsed.ok || !posted) {
        return send(reply, 400, 'details.njk', {
          ...p,
          title: p.t.details.title,
          backLink: '/report/danger',
          allowsAnonymous: p.force.allowsAnonymousReports,
          submissionId: posted ?? randomUUID(),
          values: typedValues(body, DETAIL_FIELDS),
          ...describeErrors(parsed.ok ? { whatHappened: 'reportResend' } : parsed.errors, p.t, DETAIL_FIELDS),
        });
      }
      const submissionId = posted;
      // Acknowledged once received and committed; the contact follows in the background (decision 0022).
      const result = await deps.reports.accept(p.force.id, { submissionId, ...parsed.data, language: p.locale });
      setSignedCookie(reply, PORTAL_COOKIES.reference, result.reference, secure, REFERENCE_COOKIE_MS);
      // The answer is the confirmation itself, not a redirect to it: one request per report
      // instead of two. Sending the form again (a refresh) stores nothing new and shows the same
      // reference; the page's own links and language switch lead to /report/done.
      return sendDone(reply, p, result.reference);
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
      return sendDone(reply, await page(request, reply), reference);
    },
  });

  registerCheckReport(deps, kit, registerCasePage(deps, kit));
  registerHelpPages(deps, kit);
  registerExit(kit);
}
