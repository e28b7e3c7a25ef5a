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
