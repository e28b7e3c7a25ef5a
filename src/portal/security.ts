import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { isId } from '../platform/ids.ts';

/** Every cookie the portal sets. All are HttpOnly; all but the language are signed. */
export const PORTAL_COOKIES = {
  /** The chosen language, `en` or `cy`. */
  lang: 'bl_lang',
  /** The double-submit CSRF token; the same value travels in each form's `csrfToken` field. */
  csrf: 'bl_csrf',
  /** The reference of the report just sent, for the confirmation page. */
  reference: 'bl_ref',
  /** The reference someone asked a code for, between /check and /check/code. */
  check: 'bl_check',
  /** Proof of a right code: `contactId.signInId.expiresAtMs`, for /check/report, held by the server (decision 0167). */
  access: 'bl_access',
  /** Proof of a right code for a case: `caseId.personId.victimRowId.signInId.expiresAtMs`, for /check/case and nothing else. */
  caseAccess: 'bl_case',
} as const;

export const REFERENCE_COOKIE_MS = 20 * 60 * 1000;
export const CHECK_COOKIE_MS = 30 * 60 * 1000;
export const ACCESS_MS = 30 * 60 * 1000;
const LANG_COOKIE_MS = 365 * 24 * 60 * 60 * 1000;

export function cookieOptions(secure: boolean, maxAgeMs?: number): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    // @fastify/cookie takes maxAge in seconds.
    ...(maxAgeMs !== undefined ? { maxAge: Math.floor(maxAgeMs / 1000) } : {}),
  };
}

/** A signed cookie's value, or null when it is missing or its signature does not hold. */
export function readSignedCookie(request: FastifyRequest, name: string): string | null {
  const raw = request.cookies[name];
  if (!raw) return null;
  const result = request.unsignCookie(raw);
  return result.valid && result.value !== null ? result.value : null;
}

export function setSignedCookie(reply: FastifyReply, name: string, value: string, secure: boolean, maxAgeMs?: number): void {
  reply.setCookie(name, value, { ...cookieOptions(secure, maxAgeMs), signed: true });
}

export function clearCookie(reply: FastifyReply, name: string, secure: boolean): void {
  reply.clearCookie(name, cookieOptions(secure));
}

export function setLanguageCookie(reply: FastifyReply, locale: string, secure: boolean): void {
  reply.setCookie(PORTAL_COOKIES.lang, locale, cookieOptions(secure, LANG_COOKIE_MS));
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The visitor's CSRF token, issued on first sight. The cookie is signed with the server secret,
 * so a sibling site that can plant cookies cannot choose a token that will pass.
 */
export function ensureCsrfToken(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = readSignedCookie(request, PORTAL_COOKIES.csrf);
  if (existing && TOKEN_PATTERN.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  // A session cookie: it goes when the browser closes, like the form it protects.
  setSignedCookie(reply, PORTAL_COOKIES.csrf, token, secure);
  // Later reads in this request (a form re-rendered after an error) see the same token.
  request.cookies[PORTAL_COOKIES.csrf] = reply.signCookie(token);
  return token;
}

/** True when the form's `csrfToken` field equals the token in the signed cookie. */
export function csrfTokenMatches(request: FastifyRequest, given: unknown): boolean {
  const expected = readSignedCookie(request, PORTAL_COOKIES.csrf);
  if (!expected || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A report sign-in as its cookie carries it: the report (its contact) and the sign-in's id. */
export type ReportCookieGrant = { contactId: string; signInId: string };

/** `contactId.signInId.expiresAtMs`, signed by the cookie layer: one report, under the sign-in the server holds (decision 0167). */
export function encodeAccess(access: ReportCookieGrant, expiresAt: Date): string {
  return `${access.contactId}.${access.signInId}.${expiresAt.getTime()}`;
}

/**
 * The report and sign-in a valid, unexpired access cookie names, or null (as for a cookie from
 * before it named its sign-in). Whether the sign-in still holds is the server's to say.
 */
export function decodeAccess(value: string | null, now: Date): ReportCookieGrant | null {
  if (!value) return null;
  const match = /^([0-9a-f-]{36})\.([0-9a-f-]{36})\.(\d{1,15})$/i.exec(value);
  if (!match) return null;
  const [, contactId = '', signInId = ''] = match;
  const expiresAt = Number(match[3]);
  if (!isId(contactId) || !isId(signInId) || !Number.isFinite(expiresAt) || expiresAt <= now.getTime()) return null;
  // A cookie can never claim more than the allowed window, whatever it says.
  if (expiresAt > now.getTime() + ACCESS_MS) return null;
  return { contactId, signInId };
}

/** A case sign-in as its cookie carries it: the case, the victim, their victim row (null for a reporter with none) and the sign-in's id. */
export type CaseCookieGrant = { caseId: string; personId: string; victimRowId: string | null; signInId: string };

/**
 * `caseId.personId.victimRowId.signInId.expiresAtMs` (`-` for no victim row), signed by the cookie
 * layer: one victim, one case, under the victim row and sign-in it was granted (decision 0155).
 */
export function encodeCaseAccess(access: CaseCookieGrant, expiresAt: Date): string {
  return `${access.caseId}.${access.personId}.${access.victimRowId ?? '-'}.${access.signInId}.${expiresAt.getTime()}`;
}

/**
 * The case, victim, victim row and sign-in a valid, unexpired case cookie names, and when that
 * sign-in ends; or null (as for a cookie from before it named its victim row and sign-in).
 */
export function decodeCaseAccess(value: string | null, now: Date): (CaseCookieGrant & { expiresAt: Date }) | null {
  if (!value) return null;
  const match = /^([0-9a-f-]{36})\.([0-9a-f-]{36})\.([0-9a-f-]{36}|-)\.([0-9a-f-]{36})\.(\d{1,15})$/i.exec(value);
  if (!match) return null;
  const [, caseId = '', personId = '', row = '', signInId = ''] = match;
  const victimRowId = row === '-' ? null : row;
  const expiresAt = Number(match[5]);
  if (!isId(caseId) || !isId(personId) || (victimRowId !== null && !isId(victimRowId)) || !isId(signInId)) return null;
  if (!Number.isFinite(expiresAt) || expiresAt <= now.getTime() || expiresAt > now.getTime() + ACCESS_MS) return null;
  return { caseId, personId, victimRowId, signInId, expiresAt: new Date(expiresAt) };
}

/** Paths that belong to other parts of the product (the API, the staff console, probes). */
const NOT_PORTAL = /^\/(api|console|webhooks|healthz|readyz)(\/|\?|$)/;

export function isPortalPath(url: string): boolean {
  return !NOT_PORTAL.test(url);
}
