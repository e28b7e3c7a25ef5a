import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';
import { smsOptOutLiftedJob } from '../journeys/journey.events.ts';

// A person's "STOP" and "START" to the force's texts (migration 0040), each recorded once against
// the channel account (the force's number) they texted. The event log is kept for ever and cannot
// be edited, so it names the number by its last four digits only; the number itself is in the
// opt-out row and in the provider's request, which are not. An opt-out lifted gives the number to
// its job alone (`unlogged`): the journey decides again what the opt-out kept from the victims whose
// number it is (decision 0143), and the job's row goes with housekeeping.

/** Why nothing is texted to a number that opted out: shown wherever a text was passed over. */
export const SMS_OPTED_OUT_REASON = 'replied STOP to our texts';

/** Why nothing is texted to a number whose opt-out staff recorded (decision 0071). */
export const SMS_OPT_OUT_RECORDED_REASON = 'asked us not to text it (recorded by staff)';

/** Why a text was passed over, for an opt-out made this way. */
export function smsOptedOutReason(source: 'keyword' | 'staff'): string {
  return source === 'staff' ? SMS_OPT_OUT_RECORDED_REASON : SMS_OPTED_OUT_REASON;
}

/** A number replied STOP (or another opt-out keyword): no text goes to it until it texts START. */
export const smsOptedOut = defineEvent({
  type: 'sms.opted_out',
  subject: 'channel_account',
  data: { channel: z.string(), numberEnding: z.string().describe('the last four digits of the number') },
});

/** What the job of an opt-out lifted is given, never logged: the number (E.164), and when its opt-out began. */
const liftedNumber = { phoneNumber: z.string(), optedOutAt: z.iso.datetime() };

/** A number that had opted out texted START (or YES, UNSTOP): it may be texted again. */
export const smsOptedIn = defineEvent({
  type: 'sms.opted_in',
  subject: 'channel_account',
  data: { channel: z.string(), numberEnding: z.string().describe('the last four digits of the number') },
  unlogged: liftedNumber,
  jobs: (e) => [smsOptOutLiftedJob(e.unlogged)],
});

// Staff record or lift an opt-out by hand (decision 0071). The actor is the member of staff; the
// subject is the opt-out's own id, so the two events of one opt-out read together.
const staffChange = {
  numberEnding: z.string().describe('the last four digits of the number'),
  reason: z.string().describe('why, in the words of the member of staff'),
};

/** A member of staff recorded that a number is not to be texted (the person asked another way). */
export const smsOptOutRecorded = defineEvent({ type: 'sms.opt_out_recorded', subject: 'sms_opt_out', data: staffChange });

/** A member of staff lifted an opt-out that staff had recorded: the number may be texted again. */
export const smsOptOutLifted = defineEvent({ type: 'sms.opt_out_lifted', subject: 'sms_opt_out', data: staffChange, unlogged: liftedNumber, jobs: (e) => [smsOptOutLiftedJob(e.unlogged)] });

export const SMS_OPT_OUT_EVENTS = [smsOptedOut, smsOptedIn, smsOptOutRecorded, smsOptOutLifted] as const;
