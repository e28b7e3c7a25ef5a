import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { AttemptLimiter, attemptKeySecret } from '../platform/http/attempt-limiter.ts';
import {
  getPublicTimeline,
  normaliseReference,
  requestAccessCode,
  verifyAccessCode,
  type PublicTimelineItem,
  type ReportStatusDeps,
} from '../capabilities/report-status/report-status.service.ts';
import { endCaseSignIn, requestCaseAccessCode, verifyCaseAccessCode } from '../capabilities/victim-portal/case-access.service.ts';
import { checkReportSignIn, endReportSignIn } from '../capabilities/report-status/report-sign-in.service.ts';
import { format, formatDateTime, type Locale, type Messages } from './i18n.ts';
import { checkForm, codeForm, describeErrors, formBody, langQuery, parseForm, typedValues, type FieldErrors } from './forms.ts';
import {
  ACCESS_MS,
  CHECK_COOKIE_MS,
  PORTAL_COOKIES,
  clearCookie,
  decodeAccess,
  decodeCaseAccess,
  encodeAccess,
  encodeCaseAccess,
  readSignedCookie,
  setSignedCookie,
} from './security.ts';
import type { PortalDeps } from './portal-pages.ts';
import { formPost, guarded, page200, type PortalKit } from './portal-kit.ts';
import { HELD_FORM_LIMIT } from './held-message.ts';
import { registerSignOut, signedOutHref, signedOutNotice } from './sign-out.ts';
import type { CasePageHooks } from './case-page.routes.ts';
import { htmlPage } from '../platform/http/responses.ts';

const WINDOW_MS = 15 * 60 * 1000;

/**
 * `?lang=` and the note of what just happened: `held-report` a message held from a case page that
 * could not be sent because the sign-in was to the report (decision 0142).
 */
const reportPageQuery = langQuery.extend({ sent: z.union([z.string(), z.array(z.string())]).optional() });

/**
 * `?lang=` and why a report's or a case's sign-in is no more (decisions 0167, 0170): the visitor
 * signed out, or the sign-in had ended already (`signedOutNotice`).
 */
const checkFormQuery = langQuery.extend({ signedOut: z.union([z.string(), z.array(z.string())]).optional() });

/** Where a report's cookie goes once its sign-in has ended: the reference form, saying so. */
const REPORT_SIGN_IN_ENDED = signedOutHref('ended');

/**
 * "Check on my report": a reference, a one-time code sent to the reporter's address, then the
 * report's status and timeline, with allowances per address and per reference against guessing.
 * A case reference works the same way: the code goes to each victim's own address and opens that
 * case's page for that victim (case-page.routes.ts).
 */
export function registerCheckReport(deps: PortalDeps, kit: PortalKit, casePage: CasePageHooks): void {
  const { config } = deps;
  const { page, send, portalRoute, tooManyAttempts, secure, held } = kit;
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

  portalRoute({
    method: 'GET',
    url: '/check',
    audit: 'portal.check.form',
    summary: 'Asks for a reference to send a code for',
    query: checkFormQuery,
    response: page200('The reference form (saying why, when a report or case sign-in has just ended)'),
    handler: async ({ request, reply, query }) => {
      const p = await page(request, reply, { csrf: true });
      return send(reply, 200, 'check.njk', { ...p, title: p.t.check.title, backLink: '/', values: {}, fieldErrors: {}, signedOutNotice: signedOutNotice(p.t, query.signedOut) });
    },
  });

  portalRoute({
    method: 'POST',
    url: '/check',
    audit: 'portal.check.request_code',
    summary: 'Emails a code if the reference is known (and says the same either way)',
    body: formBody,
    // A message held from the case page travels sealed with this form (decision 0142).
    bodyLimit: HELD_FORM_LIMIT,
    response: { ...formPost('To the code form'), 200: htmlPage('The code form itself, carrying a held message; or the reference form, when the report is still being received') },
    handler: async ({ request, reply, body }) => {
      const p = await page(request, reply, { csrf: true });
      const heldMessage = held.carried(body.heldMessage);
      // One written on a page that had run out is shown to check after signing in, not sent (decision 0146).
      const isToCheck = heldMessage !== null && held.isToCheck(heldMessage, deps.clock.now());
      const heldNotice = heldMessage ? (isToCheck ? p.t.check.heldExpired : p.t.check.heldNotice) : null;
      const parsed = parseForm(checkForm, body, p.t);
      if (!parsed.ok) {
        return send(reply, 400, 'check.njk', {
          ...p,
          title: p.t.check.title,
          backLink: '/',
          values: typedValues(body, ['reference']),
          heldMessage,
          heldNotice,
          ...describeErrors(parsed.errors, p.t, ['reference']),
        });
      }
      if (!(await codeRequestsPerIp.take(request.ip))) throw tooManyAttempts(request);
      const reference = normaliseReference(parsed.data.reference);
      // A report acknowledged moments ago may still be waiting to be processed (decision 0022):
      // it is processed first; if it cannot be yet, the visitor is told it was received.
      if (!(await deps.reports.awaitProcessed(p.force.id, reference))) {
        return send(reply, 200, 'check.njk', {
          ...p,
          title: p.t.check.title,
          backLink: '/',
          values: { reference },
          fieldErrors: {},
          heldMessage,
          heldNotice,
          receivedNotice: format(p.t.check.received, { reference }),
        });
      }
      // A reference is a report's or a case's; each request is quiet when the reference is not its kind.
      await requestAccessCode(reportStatusDeps, p.force.id, reference, p.locale);
      await requestCaseAccessCode(reportStatusDeps, p.force.id, reference, p.locale);
      setSignedCookie(reply, PORTAL_COOKIES.check, reference, secure, CHECK_COOKIE_MS);
      // The report or case sign-in this browser holds ends with its cookie, here and on any copy (decisions 0167, 0180).
      const reportAccess = decodeAccess(readSignedCookie(request, PORTAL_COOKIES.access), deps.clock.now());
      if (reportAccess) await endReportSignIn(deps, p.force.id, reportAccess, 'code_asked');
      const caseAccess = decodeCaseAccess(readSignedCookie(request, PORTAL_COOKIES.caseAccess), deps.clock.now());
      if (caseAccess) await endCaseSignIn(deps, p.force.id, caseAccess, 'code_asked');
      clearCookie(reply, PORTAL_COOKIES.access, secure);
      clearCookie(reply, PORTAL_COOKIES.caseAccess, secure);
      // A held message cannot ride a redirect: the code form is this answer, the message in it.
      if (heldMessage) return send(reply, 200, 'check-code.njk', { ...p, title: p.t.checkCode.title, backLink: '/check', values: {}, fieldErrors: {}, heldMessage, isToCheck });
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
    bodyLimit: HELD_FORM_LIMIT,
    response: formPost('To the report or the case, once the code is right (or to the reference form when no code was asked for)'),
    handler: async ({ request, reply, body }) => {
      const reference = readSignedCookie(request, PORTAL_COOKIES.check);
      if (!reference) return reply.redirect('/check', 303);
      const p = await page(request, reply, { csrf: true });
      const heldMessage = held.carried(body.heldMessage);
      const rerender = (errors: FieldErrors) =>
        send(reply, 400, 'check-code.njk', {
          ...p,
          title: p.t.checkCode.title,
          backLink: '/check',
          values: typedValues(body, ['code']),
          heldMessage,
          isToCheck: heldMessage !== null && held.isToCheck(heldMessage, deps.clock.now()),
          ...describeErrors(errors, p.t, ['code']),
        });
      const parsed = parseForm(codeForm, body, p.t);
      if (!parsed.ok) return rerender(parsed.errors);
      // Both allowances are spent on every try, known reference or not, so neither the answer
      // nor the moment it turns to 429 says whether the reference exists.
      const ipAllowed = await codeChecksPerIp.take(request.ip);
      const referenceAllowed = await codeChecksPerReference.take(reference);
      if (!ipAllowed || !referenceAllowed) throw tooManyAttempts(request);
      const expiresAt = new Date(deps.clock.now().getTime() + ACCESS_MS);
      const granted = await verifyAccessCode(reportStatusDeps, p.force.id, reference, parsed.data.code, expiresAt);
      if (granted) {
        setSignedCookie(reply, PORTAL_COOKIES.access, encodeAccess(granted, expiresAt), secure, ACCESS_MS);
        clearCookie(reply, PORTAL_COOKIES.check, secure);
        // A report's sign-in opens the report, never a case (its reporter need not be the case's
        // victim), so a message held from a case page cannot go: the report page says so (decision 0142).
        return reply.redirect(heldMessage ? '/check/report?sent=held-report' : '/check/report', 303);
      }
      const caseGranted = await verifyCaseAccessCode(reportStatusDeps, p.force.id, reference, parsed.data.code, expiresAt);
      if (!caseGranted) return rerender({ code: 'codeWrong' });
      setSignedCookie(reply, PORTAL_COOKIES.caseAccess, encodeCaseAccess(caseGranted, expiresAt), secure, ACCESS_MS);
      clearCookie(reply, PORTAL_COOKIES.check, secure);
      if (heldMessage) return casePage.deliverHeldMessage(request, reply, { ...caseGranted, expiresAt }, heldMessage);
      return reply.redirect('/check/case', 303);
    },
  });

  portalRoute({
    method: 'GET',
    url: '/check/report',
    audit: 'portal.check.view_report',
    summary: 'Shows the reporter the status and timeline of their report',
    query: reportPageQuery,
    response: guarded('The status and timeline of the report', 'To the reference form, when access has ended (saying so when the server ended it)'),
    handler: async ({ request, reply, query }) => {
      const access = decodeAccess(readSignedCookie(request, PORTAL_COOKIES.access), deps.clock.now());
      if (!access) {
        clearCookie(reply, PORTAL_COOKIES.access, secure);
        return reply.redirect('/check', 303);
      }
      const p = await page(request, reply, { csrf: true });
      // Within its half hour, the cookie holds only while the server holds its sign-in for this
      // report (decision 0167): a copy outlives neither signing in again nor signing out.
      if ((await checkReportSignIn(deps, p.force.id, access)) !== 'current') {
        clearCookie(reply, PORTAL_COOKIES.access, secure);
        return reply.redirect(REPORT_SIGN_IN_ENDED, 303);
      }
      const timeline = await getPublicTimeline(deps, p.force.id, access.contactId);
      if (!timeline) {
        clearCookie(reply, PORTAL_COOKIES.access, secure);
        return reply.redirect('/check', 303);
      }
      return send(reply, 200, 'check-report.njk', {
        ...p,
        title: p.t.checkReport.title,
        heldNotSent: query.sent === 'held-report',
        report: {
          reference: timeline.reference,
          status: timeline.status,
          receivedAt: formatDateTime(p.locale, timeline.receivedAt),
          items: timeline.items.map((item) => describeItem(p.locale, p.t, p.forceName, item)),
          // A report that became a case is followed from then on with the case's reference.
          caseReference: timeline.items.findLast((item) => item.kind === 'case_created')?.caseReference ?? null,
        },
      });
    },
  });

  registerSignOut(deps, kit, {
    url: '/check/report/sign-out',
    audit: 'portal.check.sign_out',
    summary: 'Ends the reporter’s sign-in to their report, on this device and any copy of its cookie',
    cookie: PORTAL_COOKIES.access,
    read: decodeAccess,
    end: (forceId, access) => endReportSignIn(deps, forceId, access, 'signed_out'),
    notes: { signedOut: 'yes', ended: 'ended' },
  });
}

/** One timeline entry in words. A reply's text and the reporter's own stay plain text; the template escapes them. */
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
    case 'sent':
      title = item.isReport ? r.itemReported : r.itemSent;
      break;
    case 'closed': {
      const code = item.outcome ?? '';
      const outcomes: Record<string, string> = t.outcomes;
      title = format(r.itemClosed, { outcome: Object.hasOwn(outcomes, code) ? (outcomes[code] ?? code) : code.replace(/_/g, ' ') });
      break;
    }
  }
  return { kind: item.kind, title, when: formatDateTime(locale, item.at), isoTime: item.at.toISOString(), text: item.text ?? '' };
}
