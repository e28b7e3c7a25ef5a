// What staff read about WhatsApp's customer service window (decision 0097): a business may send
// free-form messages within 24 hours of the person's last message to it; outside it, WhatsApp
// delivers only a template the business had approved. Imports nothing, so adapters share it.

/** The hours of WhatsApp's customer service window. */
export const WHATSAPP_WINDOW_HOURS = 24;

/** Why a reply was not sent: the window had closed and the account has no approved template. */
export const WHATSAPP_WINDOW_CLOSED =
  'Not sent: WhatsApp’s 24-hour window has closed; the person has not written to this number in the last 24 hours, and WhatsApp then delivers only the force’s approved template, which is not set for this number. A force admin can set one on the channel; otherwise reach the person another way.';

/** Why the provider did not deliver a reply: it found the window closed (Twilio's 63016, Meta's 131047). */
export function whatsAppWindowClosedAtProvider(code: string): string {
  return `Not delivered: WhatsApp’s 24-hour window had closed (${code}); the person had not written in the last 24 hours, so only the force’s approved template reaches them.`;
}

/** Shown beside a reply that went as the account's template carrying the message. */
export const SENT_AS_TEMPLATE = 'Sent as the force’s approved WhatsApp template, as WhatsApp’s 24-hour window had closed.';

/** Shown beside a reply for which only the template's notice went. */
export const SENT_AS_TEMPLATE_NOTICE =
  'WhatsApp’s 24-hour window had closed: the force’s approved WhatsApp template went, telling the person there is an update and to reply, not the message itself. Send it again once they reply.';

/**
 * The most characters WhatsApp delivers in a template's body once its placeholder is filled in,
 * the template's own words included (Twilio's error 63021). Only the placeholder is known here, so
 * a reply longer than this alone cannot go; one a little shorter may still be refused.
 */
export const WHATSAPP_TEMPLATE_MAX_CHARACTERS = 1024;

/** A reply as a template's placeholder: WhatsApp refuses new lines, tabs and more than four spaces in a row there. */
export function asTemplateParameter(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/ {5,}/g, '    ').trim();
}

/** Why a placeholder is too long for any template, and what staff can do instead; null when it fits. */
export function tooLongForTemplate(parameter: string): string | null {
  // Characters as WhatsApp counts them (an emoji is one), not UTF-16 units.
  const length = [...parameter].length;
  if (length <= WHATSAPP_TEMPLATE_MAX_CHARACTERS) return null;
  return (
    `Not sent: WhatsApp’s 24-hour window has closed, and this reply (${length.toLocaleString('en-GB')} characters) is too long for the approved template, ` +
    `which takes at most ${WHATSAPP_TEMPLATE_MAX_CHARACTERS.toLocaleString('en-GB')} with its own words. Send a shorter reply, or ask the person to write again: ` +
    'their message reopens the window for a reply of any length.'
  );
}

