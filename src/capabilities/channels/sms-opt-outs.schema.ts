import { z } from 'zod';

// What staff see of the numbers that replied STOP to the force's texts (decision 0059).

/** One number that replied STOP: no text goes to it until it texts START. */
export const smsOptOutView = z
  .object({
    phoneNumber: z.string().describe('The number, in E.164'),
    optedOutAt: z.string().describe('When it texted STOP, ISO 8601 (UTC)'),
    account: z
      .object({ id: z.string(), channel: z.string(), label: z.string() })
      .describe("The force's channel account (its number) that the STOP was sent to"),
  })
  .meta({ id: 'SmsOptOut' });
export type SmsOptOutView = z.infer<typeof smsOptOutView>;

/** The most a page holds. */
export const SMS_OPT_OUT_PAGE_MAX = 200;

export const smsOptOutQuery = z.object({
  number: z
    .string()
    .trim()
    .min(3, 'must be a phone number')
    .max(40, 'must be a phone number')
    .optional()
    .describe('Only this number, written any way (07700 900123, +44 7700 900123, 447700900123)'),
  limit: z.coerce.number().int().min(1).max(SMS_OPT_OUT_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const smsOptOutPage = z.object({
  optOuts: z.array(smsOptOutView).describe('Newest first'),
  total: z.number().int().describe('How many the force holds (of the number searched for, 0 or 1)'),
  number: z.string().nullable().describe('The number searched for, in E.164; null when listing them all'),
});
