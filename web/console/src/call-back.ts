// How a contact is answered, decided from what the API says about it: in writing, or by calling
// the person back. Kept apart from the screens so it can be tested without a browser.
import type { ContactDetail } from './api/types.ts';

/** `write`: the reply box; `call_back`: the number to call and what to know before calling. */
export type AnswerMode = 'write' | 'call_back';

export function answerModeOf(detail: Pick<ContactDetail, 'contact'>): AnswerMode {
  return detail.contact.canReplyInWriting ? 'write' : 'call_back';
}

/** The number to call: the one asked for on a callback, otherwise the person's phone number. */
export function numberToCall(detail: Pick<ContactDetail, 'routing' | 'person'>): string | null {
  const asked = detail.routing.callback?.number;
  if (asked) return asked;
  const phone = detail.person?.identities.find((identity) => identity.kind === 'phone' && !identity.isLinked);
  return phone?.value ?? null;
}

/** A `tel:` link for a number, keeping only what a dialler understands. */
export function telHref(number: string): string {
  return `tel:${number.replace(/[^\d+]/g, '')}`;
}
