import type { ForceId } from '../platform/ids.ts';
import { redirect } from '../platform/http/responses.ts';
import type { Messages } from './i18n.ts';
import { formBody } from './forms.ts';
import { clearCookie, readSignedCookie } from './security.ts';
import type { PortalDeps } from './portal-pages.ts';
import { FORM_LIMIT, type PortalKit } from './portal-kit.ts';

/**
 * Signing out of a page whose sign-in the server holds: the report page (decision 0167) and the
 * case page (decision 0170) each have a "Sign out" form posting its CSRF token, which ends the
 * sign-in on the server, so no copy of its cookie opens the page again, and clears the cookie.
 * The reference form then says, in English and Welsh, why the sign-in is no more.
 */

/** Why a sign-in is no more, as the reference form's `signedOut` note names it. */
const SIGNED_OUT_NOTICES = {
  /** The reporter signed out of their report. */
  yes: (t: Messages) => t.check.signedOut,
  /** The report's sign-in had ended: a new code was entered for it, or asked for holding it, or it was signed out of, here or elsewhere. */
  ended: (t: Messages) => t.check.reportSignInEnded,
  /** The victim signed out of their case. */
  case: (t: Messages) => t.check.caseSignedOut,
  /** The case's sign-in had ended: the victim signed in to it again, signed out of it, or asked for a new code holding it, here or elsewhere. */
  'case-ended': (t: Messages) => t.check.caseSignInEnded,
} as const;

/** A `signedOut` note of the reference form. */
export type SignedOutNote = keyof typeof SIGNED_OUT_NOTICES;

/** The reference form saying why a sign-in is no more. */
export function signedOutHref(note: SignedOutNote): string {
  return `/check?signedOut=${note}`;
}

function isSignedOutNote(note: unknown): note is SignedOutNote {
  return typeof note === 'string' && Object.hasOwn(SIGNED_OUT_NOTICES, note);
}

/** What the reference form says for a `signedOut` note; nothing for any other value. */
export function signedOutNotice(t: Messages, note: unknown): string | null {
  return isSignedOutNote(note) ? SIGNED_OUT_NOTICES[note](t) : null;
}

/** One page's sign-out: its address, its cookie, and how its sign-in is read and ended. */
export type SignOutSpec<S> = {
  url: string;
  audit: string;
  summary: string;
  /** The signed cookie naming the sign-in. */
  cookie: string;
  /** The sign-in a cookie's value names, when the value is sound and not past its own end. */
  read: (value: string | null, now: Date) => S | null;
  /** Ends the sign-in on the server; whether it still held until now. */
  end: (forceId: ForceId, signIn: S) => Promise<boolean>;
  /** The note when this sign-out ended the sign-in, and when it had ended already. */
  notes: { signedOut: SignedOutNote; ended: SignedOutNote };
};

/**
 * Registers a page's sign-out. The page posts nothing else, so nothing written is lost: a sign-out
 * from a page whose sign-in had ended already is answered with the note that it had ended.
 */
export function registerSignOut<S>(deps: PortalDeps, kit: PortalKit, spec: SignOutSpec<S>): void {
  kit.portalRoute({
    method: 'POST',
    url: spec.url,
    audit: spec.audit,
    summary: spec.summary,
    body: formBody,
    bodyLimit: FORM_LIMIT,
    response: { 303: redirect('To the reference form, saying the visitor has signed out (or that the sign-in had already ended)') },
    handler: async ({ request, reply }) => {
      const signIn = spec.read(readSignedCookie(request, spec.cookie), deps.clock.now());
      clearCookie(reply, spec.cookie, kit.secure);
      if (!signIn) return reply.redirect('/check', 303);
      const p = await kit.page(request, reply);
      const wasHeld = await spec.end(p.force.id, signIn);
      return reply.redirect(signedOutHref(wasHeld ? spec.notes.signedOut : spec.notes.ended), 303);
    },
  });
}
