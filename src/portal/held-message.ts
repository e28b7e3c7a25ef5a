import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { SecretBox } from '../platform/secrets.ts';
import { isId } from '../platform/ids.ts';
import { ACCESS_MS } from './security.ts';

// A secure message written on the case page after the victim's sign-in lapsed is carried, sealed,
// through signing in again and sent once the code is right (decision 0142). Sealed (AES-256-GCM
// under a key only the server holds) so the page, its copy in the browser and the posts between
// hold nothing a later user of the device can read; bound to the case and victim the page was
// for, so it is only ever sent on a fresh sign-in to that same case by that same victim.

/** How long after the lapsed post a held message may still be sent. */
export const HELD_MESSAGE_MS = 30 * 60 * 1000;
/**
 * How long a case page's form outlives the sign-in it was shown under: as long as a message written
 * on it is held, so words written when the sign-in lapsed are still sent (decision 0146). Past that
 * the page is not trusted to post; its words are kept for the victim to check and send.
 */
export const CASE_FORM_GRACE_MS = HELD_MESSAGE_MS;
/** The longest a case form's token can be good for from the moment its page is shown. */
const CASE_FORM_MAX_MS = ACCESS_MS + CASE_FORM_GRACE_MS;
/** The largest sealed message a sign-in form carries; a longer one is not held (the victim is told). */
const HELD_PAYLOAD_BYTES = 32 * 1024;
/** The body limit of the sign-in forms that may carry a held message. */
export const HELD_FORM_LIMIT = 64 * 1024;
/** A sealed value as `SecretBox` writes it: `v2.<key id>.<iv>.<tag>.<ciphertext>`, all base64url. */
const SEALED = /^v2(\.[A-Za-z0-9_-]+){4}$/;

/** The one case and victim a case page was shown for. */
export type CaseBinding = { caseId: string; personId: string };
/**
 * A case sign-in, and a page shown under it: its case and victim, the victim row they were on (null
 * for a reporter with none) and the sign-in's id. A victim removed from the case loses that row;
 * added again they are on a new one, and nothing granted under the old one holds (decision 0155).
 */
export type CaseGrant = CaseBinding & { victimRowId: string | null; signInId: string };
/**
 * A message opened after signing in again: what was typed, as typed, the form's submission id and
 * the victim row its page was shown under (undefined for one held before pages named it); `toCheck`
 * when its page had run out, so it is shown in the box to check and send, never sent by itself.
 */
export type HeldMessage = CaseBinding & { message: string; submissionId: string | null; toCheck: boolean; victimRowId: string | null | undefined };
/**
 * The case and victim a posted case form names, the sign-in it was shown under (null for a form
 * from before pages named it, which has run out), and whether the form had run out when posted.
 */
export type CaseForm = CaseBinding & { grant: CaseGrant | null; hasExpired: boolean };

// `until` is absent from a token sealed before case forms ran out, the victim row and sign-in from
// one sealed before they were named (decision 0155): such a form has run out.
const binding = z.object({
  purpose: z.literal('case-form'),
  caseId: z.string().refine(isId),
  personId: z.string().refine(isId),
  victimRowId: z.string().refine(isId).nullable().optional(),
  signInId: z.string().refine(isId).optional(),
  until: z.number().optional(),
});
const held = z.object({
  purpose: z.literal('held-message'),
  caseId: z.string().refine(isId),
  personId: z.string().refine(isId),
  message: z.string(),
  submissionId: z.string().refine(isId).nullable(),
  until: z.number(),
  toCheck: z.boolean().optional(),
  victimRowId: z.string().refine(isId).nullable().optional(),
});

/** Seals and opens the case form's binding and held messages with a key derived from the session secret. */
export type HeldMessages = ReturnType<typeof createHeldMessages>;

/** The sealing of held messages for one portal, its key derived from `sessionSecret` under its own label. */
export function createHeldMessages(sessionSecret: string) {
  const box = new SecretBox(createHmac('sha256', sessionSecret).update('bluelamp:portal-held-message:v1').digest('hex'));

  function open(value: unknown): unknown {
    if (typeof value !== 'string' || value.length > HELD_FORM_LIMIT || !SEALED.test(value)) return null;
    try {
      return JSON.parse(box.open(value));
    } catch {
      // Altered, sealed under another secret, or not ours: nothing is held.
      return null;
    }
  }

  /** The held message, if it opens and has not run out by `now`; null otherwise. */
  function release(value: unknown, now: Date): HeldMessage | null {
    const parsed = held.safeParse(open(value));
    if (!parsed.success || parsed.data.until <= now.getTime() || parsed.data.until > now.getTime() + HELD_MESSAGE_MS) return null;
    const { caseId, personId, message, submissionId, toCheck, victimRowId } = parsed.data;
    return { caseId, personId, message, submissionId, toCheck: toCheck === true, victimRowId };
  }

  return {
    /**
     * The case page form's token naming its case and victim, and the victim row and sign-in it was
     * shown under, so a post after the sign-in lapsed still knows them; good until `CASE_FORM_GRACE_MS`
     * after `accessEnds`, when the sign-in it was shown under ends.
     */
    caseFormToken(access: CaseGrant, accessEnds: Date): string {
      const { caseId, personId, victimRowId, signInId } = access;
      return box.seal(JSON.stringify({ purpose: 'case-form', caseId, personId, victimRowId, signInId, until: accessEnds.getTime() + CASE_FORM_GRACE_MS }));
    },

    /**
     * The case and victim a case form's token names, and whether it had run out by `now` (as one
     * claiming longer than any sign-in gives has), or null when it is missing or not ours.
     */
    formOf(token: unknown, now: Date): CaseForm | null {
      const parsed = binding.safeParse(open(token));
      if (!parsed.success) return null;
      const { caseId, personId, victimRowId, signInId, until } = parsed.data;
      const grant = victimRowId !== undefined && signInId !== undefined ? { caseId, personId, victimRowId, signInId } : null;
      const hasExpired = grant === null || until === undefined || until <= now.getTime() || until > now.getTime() + CASE_FORM_MAX_MS;
      return { caseId, personId, grant, hasExpired };
    },

    /**
     * `message` sealed for `access` (its victim row null when not known) until `HELD_MESSAGE_MS` from
     * `now`, or null when it is too long to carry; with `toCheck` it is shown to check and send after
     * signing in, not sent.
     */
    hold(access: CaseBinding & { victimRowId?: string | null }, message: string, submissionId: string | null, now: Date, toCheck = false): string | null {
      const { caseId, personId } = access;
      const payload = JSON.stringify({ purpose: 'held-message', caseId, personId, victimRowId: access.victimRowId, message, submissionId, until: now.getTime() + HELD_MESSAGE_MS, toCheck });
      return Buffer.byteLength(payload) > HELD_PAYLOAD_BYTES ? null : box.seal(payload);
    },

    /** A posted held message to carry on to the next sign-in step, unopened, or null when it is not a sealed value. */
    carried(value: unknown): string | null {
      return typeof value === 'string' && value.length <= HELD_FORM_LIMIT && SEALED.test(value) ? value : null;
    },

    /** Whether a held message that still opens by `now` is one to check and send rather than send. */
    isToCheck(value: unknown, now: Date): boolean {
      return release(value, now)?.toCheck === true;
    },

    release,
  };
}
