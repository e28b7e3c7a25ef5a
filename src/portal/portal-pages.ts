import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config/config.ts';
import type { ServiceDeps } from '../platform/deps.ts';
import type { ReportIntake } from '../capabilities/intake/received-reports.service.ts';
import { withSystem } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import type { ForceId } from '../platform/ids.ts';
import { isLocale, messagesFor, type Locale, type Messages } from './i18n.ts';
import { postedSubmissionId, typedValues } from './forms.ts';
import { pageBase, renderView } from './render.ts';
import { PORTAL_COOKIES, csrfTokenMatches, decodeCaseAccess, isPortalPath, readSignedCookie } from './security.ts';

/** What the portal's pages are built from. */
export type PortalDeps = ServiceDeps & { config: Config; reports: ReportIntake };

// What every portal page and error page shares: the force the portal serves, the language of a
// request, error and busy pages that never wait on the database, and the pages cached with markers.

/** How long a force's name is trusted before it is read again (a rename shows within a minute). */
const FORCE_CACHE_MS = 60 * 1000;
/** A name for the header when the force cannot be read (an error page during an outage). */
const FALLBACK_FORCE_NAME = 'Bluelamp';

/** The force the portal serves. */
/** The portal's force: who it is, and whether it takes reports with no way to contact the reporter. */
export type PortalForce = { id: ForceId; name: string; allowsAnonymousReports: boolean };

/** The force the portal serves, read by slug and kept for a minute. */
export class ForceCache {
  private cached: (PortalForce & { at: number }) | null = null;
  constructor(
    private readonly deps: PortalDeps,
    private readonly slug: string,
  ) {}

  /** The last name read, for error pages, which must not wait on the database. */
  get lastKnownName(): string | null {
    return this.cached?.name ?? null;
  }

  /** Whether the force took anonymous reports when last read (false until read). */
  get lastKnownAllowsAnonymous(): boolean {
    return this.cached?.allowsAnonymousReports ?? false;
  }

  async get(): Promise<PortalForce> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && now - this.cached.at < FORCE_CACHE_MS && now >= this.cached.at) return this.cached;
    const row = await withSystem(this.deps.db, (tx) =>
      tx.selectFrom('forces').select(['id', 'name', 'settings']).where('slug', '=', this.slug).executeTakeFirst(),
    );
    if (!row) {
      throw new AppError('unavailable', `the portal force "${this.slug}" does not exist (PORTAL_FORCE)`, {
        publicMessage: messagesFor('en').errorPages.serverTitle,
      });
    }
    this.cached = { id: row.id as ForceId, name: row.name, allowsAnonymousReports: row.settings.anonymousPortalReports === true, at: now };
    return this.cached;
  }
}

/** What pages built without the database need: the force as last read, the public address, and the clock case sessions are checked by. */
export type PortalState = { force: ForceCache; publicUrl: string | undefined; clock: Clock };

// renderPortalError is called by the server's error handler with only the request, so it finds
// its app's state through the server instance (tests build several apps in one process).
const states = new WeakMap<FastifyInstance, PortalState>();
// Held weakly: a closed app's state must not keep the app alive.
let latestState: WeakRef<PortalState> | null = null;

/** Records the portal state of one server, for its error pages. */
export function rememberPortalState(app: FastifyInstance, state: PortalState): void {
  states.set(app, state);
  latestState = new WeakRef(state);
}

/** The request as far as it exists: error pages must cope with a half-built or missing one. */
function partial(request: FastifyRequest | null | undefined): Partial<FastifyRequest> {
  return request !== null && typeof request === 'object' ? request : {};
}

function stateFor(request: FastifyRequest): PortalState | null {
  const server = partial(request).server;
  return (server && states.get(server)) ?? latestState?.deref() ?? null;
}

/** The route's own pattern (never the raw request URL), or `/`. */
export function routePathOf(request: FastifyRequest): string {
  const url = partial(request).routeOptions?.url;
  return typeof url === 'string' && /^\/[a-z/-]*$/.test(url) && !url.startsWith('//') ? url : '/';
}

/**
 * The page a request's links lead back to (language links, "try again"): its route's pattern when
 * that can be opened, else the nearest page above it that can (a form that only takes posts, such
 * as the case page's message, leads to the case page), else `/`.
 */
export function pagePathOf(request: FastifyRequest): string {
  const server = partial(request).server;
  let path = routePathOf(request);
  if (!server) return path;
  while (path !== '/' && !server.hasRoute({ method: 'GET', url: path })) path = path.slice(0, path.lastIndexOf('/')) || '/';
  return path;
}

/** `?lang=` wins (and is remembered), then the cookie, then English. */
export function localeOf(request: FastifyRequest): Locale {
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

/**
 * A full GOV.UK-styled error page for any HTML request that failed: what happened and what to do,
 * chosen by its status and worded in the visitor's language. The refusal's own message is never
 * shown: it is English written for the log and the API, and tells a person nothing the heading
 * does not. It never throws: if the templates themselves fail, a minimal page is built by hand.
 */
export function renderPortalError(request: FastifyRequest, status: number): string {
  try {
    const state = stateFor(request);
    const locale = localeOf(request);
    const t = messagesFor(locale);
    const { title, body } = errorText(t, status);
    return renderView('error.njk', {
      ...pageBase({
        locale,
        forceName: state?.force.lastKnownName ?? FALLBACK_FORCE_NAME,
        pagePath: status === 404 ? '/' : pagePathOf(request),
        publicUrl: state?.publicUrl,
      }),
      title,
      body,
    });
  } catch {
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error ${Number(status) || 500}</title></head><body><p><a href="https://www.bbc.co.uk/weather" rel="nofollow noreferrer">Exit this page</a></p><main><h1>Sorry, there is a problem</h1><p><a href="/">Go to the start</a></p></main></body></html>`;
  }
}

/** The report form's fields, in the order the form shows them. */
export const DETAIL_FIELDS = ['whatHappened', 'where', 'when', 'name', 'email', 'phone', 'anonymous'] as const;

/**
 * Pages for shed requests and the report confirmation, rendered once per language, force name and
 * page, with markers where a request's own values go. Shedding must cost next to nothing: a full
 * template render per shed request took half of a starved server's CPU in the surge benchmark.
 */
const busyPages = new Map<string, string>();
const MARK = `bl${randomUUID().replace(/-/g, '')}`;
/** Finds the markers in a cached page. */
export const MARKER = new RegExp(`${MARK}([A-Za-z]+)${MARK}`, 'g');
/** The marker standing for a request's own value `name` in a cached page. */
export const marker = (name: string) => `${MARK}${name}${MARK}`;

/** The same escaping the templates apply to every value (nunjucks autoescape, `lib.escape`). */
const TEMPLATE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '\\': '&#92;' };

/** Escapes a value as the templates would, for putting into a cached page. */
export function escapeLikeTemplates(text: string): string {
  return text.replace(/[&"'<>\\]/g, (c) => TEMPLATE_ESCAPES[c] ?? c);
}

/** A page rendered once per key and reused. */
export function cachedPage(key: string, render: () => string): string {
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
 * What a page built without the database knows of its request: the force as last read, the
 * language, the page its links lead back to (`pagePathOf`).
 */
function cachedPageContext(request: FastifyRequest) {
  const state = stateFor(request);
  const pagePath = pagePathOf(request);
  const locale = localeOf(request);
  const forceName = state?.force.lastKnownName ?? FALLBACK_FORCE_NAME;
  return { state, pagePath, locale, forceName, base: () => pageBase({ locale, forceName, pagePath, publicUrl: state?.publicUrl }) };
}

/** The fields of a posted form as parsed (an empty record when there are none). */
function postedForm(request: FastifyRequest): Record<string, unknown> {
  const body = partial(request).body;
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/** A kept form's submission id: the one posted, or a new one when it was not an id (the handler stores nothing under such a one, decision 0119). */
function keptSubmissionId(form: Record<string, unknown>): string {
  return postedSubmissionId(form) ?? randomUUID();
}

/** A cached page with a request's own values where its markers are, escaped as the templates would. */
function fillMarkers(skeleton: string, values: Record<string, string>): string {
  // One pass over the page: what a person typed is inserted, never scanned for markers.
  return skeleton.replace(MARKER, (_match, name: string) => escapeLikeTemplates(values[name] ?? ''));
}

/**
 * The report form as its post left it, with everything the person wrote and a banner saying to
 * send it again in a minute (same submission id, so a double send still stores one report); null
 * when the request is not the report form posted with its own CSRF token, as the portal's
 * handlers would refuse to show back anything else.
 */
function keptReportForm(request: FastifyRequest): string | null {
  const { state, locale, forceName, base } = cachedPageContext(request);
  const form = postedForm(request);
  if (request.method !== 'POST' || routePathOf(request) !== '/report/details' || !csrfTokenMatches(request, form.csrfToken)) return null;
  const allowsAnonymous = state?.force.lastKnownAllowsAnonymous ?? false;
  // The "do not contact me" box is not kept (a box cannot be marked); what was typed is.
  const skeleton = cachedPage(`details\u0000${locale}\u0000${forceName}\u0000${String(allowsAnonymous)}`, () => {
    const page = base();
    return renderView('details.njk', {
      ...page,
      title: page.t.details.title,
      backLink: '/report/danger',
      busy: true,
      allowsAnonymous,
      csrfToken: marker('csrfToken'),
      submissionId: marker('submissionId'),
      values: Object.fromEntries(DETAIL_FIELDS.filter((field) => field !== 'anonymous').map((field) => [field, marker(field)])),
      fieldErrors: {},
    });
  });
  return fillMarkers(skeleton, { ...typedValues(form, DETAIL_FIELDS), csrfToken: String(form.csrfToken), submissionId: keptSubmissionId(form) });
}

/**
 * The case page's secure message form as its post left it: the victim's words, the same
 * submission id (so a message that was in fact stored is stored once however often it is sent
 * again) and an error summary saying to send it again in a minute. Null when the request is not
 * that form posted with its own CSRF token by a victim whose case session still holds, as the
 * handler would refuse to show back anything else. Built without the database, the page shows
 * nothing of the case; its back link leads there.
 */
function keptCaseMessageForm(request: FastifyRequest): string | null {
  const state = stateFor(request);
  const form = postedForm(request);
  if (request.method !== 'POST' || routePathOf(request) !== '/check/case/message' || !state || !csrfTokenMatches(request, form.csrfToken)) return null;
  if (!decodeCaseAccess(readSignedCookie(request, PORTAL_COOKIES.caseAccess), state.clock.now())) return null;
  // The form's own address takes only posts: the language links lead to the case page.
  const { locale, forceName, base } = cachedPageContext(request);
  const skeleton = cachedPage(`case-message\u0000${locale}\u0000${forceName}`, () => {
    const page = base();
    const notSent = page.t.busy.messageKept;
    return renderView('case-message.njk', {
      ...page,
      title: page.t.casePage.messageHeading,
      backLink: '/check/case',
      csrfToken: marker('csrfToken'),
      submissionId: marker('submissionId'),
      caseToken: marker('caseToken'),
      values: { message: marker('message') },
      fieldErrors: { message: notSent },
      errorList: [{ text: notSent, href: '#message' }],
    });
  });
  // The sealed case token goes back as it came, so a sign-in that lapses before the retry still keeps the words (decision 0142).
  return fillMarkers(skeleton, { ...typedValues(form, ['message', 'caseToken']), csrfToken: String(form.csrfToken), submissionId: keptSubmissionId(form) });
}

/** A public form given back as its post left it (the report form, the case page's message), or null for any other request. */
function keptForm(request: FastifyRequest): string | null {
  return keptReportForm(request) ?? keptCaseMessageForm(request);
}

/** The short "busy, try again in a minute" page, with a link back to the page asked for. */
function busyPage(request: FastifyRequest): string {
  const { pagePath, locale, forceName, base } = cachedPageContext(request);
  return cachedPage(`busy\u0000${locale}\u0000${forceName}\u0000${pagePath}`, () => {
    const page = base();
    return renderView('busy.njk', { ...page, title: page.t.busy.title, retryHref: pagePath });
  });
}

/**
 * Sends a 503 page built without the database for a portal request: true if it was sent; false
 * when the request is not the portal's, `build` has no page for it (null) or the page cannot be
 * built, so the caller falls back to its own answer.
 */
function sendPortalUnavailable(request: FastifyRequest, reply: FastifyReply, build: () => string | null): boolean {
  if (!isPortalPath(request.url)) return false;
  try {
    const html = build();
    if (html === null) return false;
    reply.status(503).type('text/html; charset=utf-8').send(html);
    return true;
  } catch {
    return false;
  }
}

/**
 * Answers a portal request shed under load with 503 and a page, never touching the database. A
 * shed report or case message comes back as its form with everything the person wrote
 * (`keptForm`); anything else gets a short "busy, try again" page.
 */
export function respondPortalBusy(request: FastifyRequest, reply: FastifyReply): boolean {
  return sendPortalUnavailable(request, reply, () => keptForm(request) ?? busyPage(request));
}

/**
 * Answers a portal request the database could not serve (its connection lost, out of resources,
 * too busy) when that request is the report form's or the case page message's post: 503 and the
 * form back with everything the person wrote, as when it is shed under load, instead of an error
 * page that loses it. Any other request gets the error page (`renderPortalError`).
 */
export function respondPortalFormUnavailable(request: FastifyRequest, reply: FastifyReply): boolean {
  return sendPortalUnavailable(request, reply, () => keptForm(request));
}

/** Refuses anything but an HTML form post: JSON, multipart and the rest get 415, never a 500. */
export function requireFormPost(request: FastifyRequest): void {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new AppError('unsupported_media_type', `portal form posted as ${type || 'nothing'}`, {
      publicMessage: messagesFor(localeOf(request)).errorPages.badRequestTitle,
    });
  }
}
