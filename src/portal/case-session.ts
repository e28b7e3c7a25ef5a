import type { FastifyReply, FastifyRequest } from 'fastify';
import { htmlPage } from '../platform/http/responses.ts';
import { checkCaseSignIn, isCaseGrantCurrent, mayFollowCase } from '../capabilities/victim-portal/case-access.service.ts';
import { hasVisibleText } from '../platform/visible-text.ts';
import { PORTAL_COOKIES, clearCookie, decodeCaseAccess, readSignedCookie } from './security.ts';
import type { PortalDeps } from './portal-pages.ts';
import type { Page, PortalKit } from './portal-kit.ts';
import { signedOutHref } from './sign-out.ts';
import type { CaseForm, CaseGrant } from './held-message.ts';

/** A case sign-in: the case, victim, victim row and sign-in a right code opened, and when it ends. */
export type CaseSession = CaseGrant & { expiresAt: Date };

/** The answer of a case page whose victim has been taken off the case since signing in. */
export const removedFromCase = { 403: htmlPage('The page saying the victim has been taken off the case and can no longer see it (their words given back, unsent)') };

/**
 * The case sign-in a request carries, checked on every request against the sign-in the server holds
 * (decision 0158) and the case (decision 0155): a sign-in that has ended (the victim signed in to
 * the case again or signed out, it ran out, or it is not this force's, case's or victim's) is no sign-in, as an
 * expired cookie is; one whose victim row has been removed since (taken off the case, even if added
 * again on a new row) holds no longer, so the victim loses the page at once and signs in again if added back.
 */
export function createCaseSessions(deps: PortalDeps, kit: PortalKit) {
  const { send, secure } = kit;

  /**
   * This visitor's case sign-in; null when there is none (a stale cookie cleared), `ended` when the
   * cookie is still within its half hour but the server no longer holds its sign-in (the victim
   * signed in to the case again, signed out, decision 0170, or asked for a new code, decision 0180),
   * `removed` when its victim row has been taken off the case; the cookie cleared whenever the
   * sign-in does not hold.
   */
  async function caseSession(request: FastifyRequest, reply: FastifyReply, p: Page): Promise<CaseSession | 'removed' | 'ended' | null> {
    const access = decodeCaseAccess(readSignedCookie(request, PORTAL_COOKIES.caseAccess), deps.clock.now());
    const state = access ? await checkCaseSignIn(deps, p.force.id, access) : null;
    if (access && state === 'current') return access;
    clearCookie(reply, PORTAL_COOKIES.caseAccess, secure);
    return state === 'current' ? null : state;
  }

  /** The reference form, for a visitor with no case sign-in; saying why when the server ended it. */
  function toReferenceForm(reply: FastifyReply, session: 'ended' | null) {
    return reply.redirect(session === 'ended' ? signedOutHref('case-ended') : '/check', 303);
  }

  /**
   * Whether the page a case form was shown on still stands: its victim row is on the case. A form
   * from before pages named their sign-in (it has run out, decision 0146) stands while its victim
   * may follow the case.
   */
  async function isFormCurrent(p: Page, form: CaseForm): Promise<boolean> {
    return form.grant ? isCaseGrantCurrent(deps, p.force.id, form.grant) : mayFollowCase(deps, p.force.id, form.caseId, form.personId);
  }

  /** Says the victim has been taken off the case, giving back as plain text any words they had written, unsent. */
  function sendRemoved(reply: FastifyReply, p: Page, typed?: unknown) {
    const keptMessage = typeof typed === 'string' && hasVisibleText(typed) ? typed : null;
    return send(reply, 403, 'case-removed.njk', { ...p, title: p.t.caseRemoved.title, keptMessage });
  }

  return { caseSession, toReferenceForm, isFormCurrent, sendRemoved };
}
