import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { SecretBox } from '../platform/secrets.ts';
import { isId } from '../platform/ids.ts';

// A secure message written on the case page after the victim's sign-in lapsed is carried, sealed,
// through signing in again and sent once the code is right (decision 0142). Sealed (AES-256-GCM
// under a key only the server holds) so the page, its copy in the browser and the posts between
// hold nothing a later user of the device can read; bound to the case and victim the page was
// for, so it is only ever sent on a fresh sign-in to that same case by that same victim.

/** How long after the lapsed post a held message may still be sent. */
export const HELD_MESSAGE_MS = 30 * 60 * 1000;
/** The largest sealed message a sign-in form carries; a longer one is not held (the victim is told). */
const HELD_PAYLOAD_BYTES = 32 * 1024;
/** The body limit of the sign-in forms that may carry a held message. */
export const HELD_FORM_LIMIT = 64 * 1024;
/** A sealed value as `SecretBox` writes it: `v2.<key id>.<iv>.<tag>.<ciphertext>`, all base64url. */
const SEALED = /^v2(\.[A-Za-z0-9_-]+){4}$/;

/** The one case and victim a case page was shown for. */
export type CaseBinding = { caseId: string; personId: string };
/** A message opened after signing in again: what was typed, as typed, and the form's submission id. */
export type HeldMessage = CaseBinding & { message: string; submissionId: string | null };

const binding = z.object({ purpose: z.literal('case-form'), caseId: z.string().refine(isId), personId: z.string().refine(isId) });
const held = z.object({
  purpose: z.literal('held-message'),
  caseId: z.string().refine(isId),
  personId: z.string().refine(isId),
  message: z.string(),
  submissionId: z.string().refine(isId).nullable(),
  until: z.number(),
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

  return {
    /** The case page form's token naming its case and victim, so a post after the sign-in lapsed still knows them. */
    caseFormToken(access: CaseBinding): string {
      return box.seal(JSON.stringify({ purpose: 'case-form', caseId: access.caseId, personId: access.personId }));
    },

    /** The case and victim a case form's token names, or null when it is missing or not ours. */
    bindingOf(token: unknown): CaseBinding | null {
      const parsed = binding.safeParse(open(token));
      return parsed.success ? { caseId: parsed.data.caseId, personId: parsed.data.personId } : null;
    },

    /** `message` sealed for `access` until `HELD_MESSAGE_MS` from `now`, or null when it is too long to carry. */
    hold(access: CaseBinding, message: string, submissionId: string | null, now: Date): string | null {
      const payload = JSON.stringify({ purpose: 'held-message', ...access, message, submissionId, until: now.getTime() + HELD_MESSAGE_MS });
      return Buffer.byteLength(payload) > HELD_PAYLOAD_BYTES ? null : box.seal(payload);
    },

    /** A posted held message to carry on to the next sign-in step, unopened, or null when it is not a sealed value. */
    carried(value: unknown): string | null {
      return typeof value === 'string' && value.length <= HELD_FORM_LIMIT && SEALED.test(value) ? value : null;
    },

    /** The held message, if it opens and has not run out by `now`; null otherwise. */
    release(value: unknown, now: Date): HeldMessage | null {
      const parsed = held.safeParse(open(value));
      if (!parsed.success || parsed.data.until <= now.getTime() || parsed.data.until > now.getTime() + HELD_MESSAGE_MS) return null;
      const { caseId, personId, message, submissionId } = parsed.data;
      return { caseId, personId, message, submissionId };
    },
  };
}
