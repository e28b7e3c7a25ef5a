import { z } from 'zod';

// What staff see of the numbers not to be texted (decision 0059), and what they send to record or
// lift one by hand (decision 0071).

/** One number not to be texted: until the person texts START, or staff lift what staff recorded. */
export const smsOptOutView = z
  .object({
    phoneNumber: z.string().describe('The number, in E.164'),
    optedOutAt: z.string().describe('When it texted STOP, or staff recorded it, ISO 8601 (UTC)'),
    source: z.enum(['keyword', 'staff']).describe('keyword: the person texted STOP; staff: a member of staff recorded it'),
    account: z
      .object({ id: z.string(), channel: z.string(), label: z.string() })
      .nullable()
      .describe("The force's channel account (its number) that the STOP was sent to; null for one staff recorded"),
    recordedBy: z.object({ id: z.string(), name: z.string() }).nullable().describe('The member of staff who recorded it; null for a STOP'),
    reason: z.string().nullable().describe('Why staff recorded it; null for a STOP'),
  })
  .meta({ id: 'SmsOptOut' });
export type SmsOptOutView = z.infer<typeof smsOptOutView>;

/** The most a page holds. */
export const SMS_OPT_OUT_PAGE_MAX = 200;

const phoneNumberField = z
  .string()
  .trim()
  .min(3, 'must be a phone number')
  .max(40, 'must be a phone number')
  .describe('The number, written any way (07700 900123, +44 7700 900123, 447700900123)');

export const smsOptOutQuery = z.object({
  number: phoneNumberField.optional().describe('Only this number, written any way (07700 900123, +44 7700 900123, 447700900123)'),
  limit: z.coerce.number().int().min(1).max(SMS_OPT_OUT_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const smsOptOutPage = z.object({
  optOuts: z.array(smsOptOutView).describe('Newest first'),
  total: z.number().int().describe('How many the force holds (of the number searched for, 0 or 1)'),
  number: z.string().nullable().describe('The number searched for, in E.164; null when listing them all'),
});

/** A member of staff records, or lifts, an opt-out by hand: the number and why. */
export const smsOptOutChangeBody = z.strictObject({
  number: phoneNumberField.meta({ title: 'Phone number' }),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500, 'must be 500 characters or fewer').meta({ title: 'Reason' }),
});
export type SmsOptOutChange = z.infer<typeof smsOptOutChangeBody>;

/** What lifting an opt-out answers: the number, now textable again, and when. */
export const smsOptOutLiftedView = z.object({
  phoneNumber: z.string().describe('The number, in E.164'),
  liftedAt: z.string().describe('When staff lifted it, ISO 8601 (UTC)'),
});
