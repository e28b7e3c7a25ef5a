import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// A person's "STOP" and "START" to the force's texts (migration 0040), each recorded once against
// the channel account (the force's number) they texted. The event log is kept for ever and cannot
// be edited, so it names the number by its last four digits only; the number itself is in the
// opt-out row and in the provider's request, which are not.

/** Why nothing is texted to a number that opted out: shown wherever a text was passed over. */
export const SMS_OPTED_OUT_REASON = 'replied STOP to our texts';

/** A number replied STOP (or another opt-out keyword): no text goes to it until it texts START. */
export const smsOptedOut = defineEvent({
  type: 'sms.opted_out',
  subject: 'channel_account',
  data: { channel: z.string(), numberEnding: z.string().describe('the last four digits of the number') },
});

/** A number that had opted out texted START (or YES, UNSTOP): it may be texted again. */
export const smsOptedIn = defineEvent({
  type: 'sms.opted_in',
  subject: 'channel_account',
  data: { channel: z.string(), numberEnding: z.string().describe('the last four digits of the number') },
});

export const SMS_OPT_OUT_EVENTS = [smsOptedOut, smsOptedIn] as const;
