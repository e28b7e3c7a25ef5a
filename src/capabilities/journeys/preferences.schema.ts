import { z } from 'zod';
import type { Tables } from '../../platform/db/tables.ts';
import type { Selectable } from 'kysely';
import { CONTACT_CHANNELS, DEFAULT_PREFERENCES, WEEKDAYS, isValidWindow, type ContactChannel, type ContactPreferences, type Weekday } from './safe-contact.schema.ts';
import { VICTIM_CATEGORIES, type JourneyRule } from './journey-rules.schema.ts';

// A victim's contact preferences as the API and the tables hold them, and journey rules from their rows.

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time such as 09:00');

export const safeWindowBody = z
  .strictObject({ days: z.array(z.enum(WEEKDAYS)).min(1, 'choose at least one day').max(7), from: time, to: time })
  .refine(isValidWindow, { message: 'must start before it ends', path: ['to'] });

export const preferencesBody = z.strictObject({
  channels: z
    .array(z.enum(CONTACT_CHANNELS))
    .min(1, 'choose at least one channel')
    .max(4)
    .refine((list) => new Set(list).size === list.length, 'lists a channel twice'),
  language: z.enum(['en', 'cy']).nullable(),
  safeWindows: z.array(safeWindowBody).max(14),
  neverSms: z.boolean(),
  portalOnly: z.boolean(),
  optOutNonStatutory: z.boolean(),
  domesticAbuse: z.boolean(),
});

export const preferencesView = preferencesBody
  .extend({
    victimId: z.string(),
    /** False until someone sets them: the defaults apply. */
    isSet: z.boolean(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'VictimContactPreferences' });

export type PreferencesView = z.infer<typeof preferencesView>;

const isChannel = (value: string): value is ContactChannel => (CONTACT_CHANNELS as readonly string[]).includes(value);
const isWeekday = (value: string): value is Weekday => (WEEKDAYS as readonly string[]).includes(value);

/** The preferences a stored row holds, or the defaults for none. */
export function preferencesOf(row: Selectable<Tables['victim_contact_preferences']> | null): ContactPreferences {
  if (!row) return DEFAULT_PREFERENCES;
  return {
    channels: row.channels.filter(isChannel),
    language: row.language,
    safeWindows: row.safe_windows.map((w) => ({ days: w.days.filter(isWeekday), from: w.from, to: w.to })),
    neverSms: row.never_sms,
    portalOnly: row.portal_only,
    optOutNonStatutory: row.opt_out_non_statutory,
    domesticAbuse: row.domestic_abuse,
  };
}

/** A journey rule from its row. */
export function ruleOf(row: Selectable<Tables['journey_rules']>): JourneyRule {
  return {
    id: row.id,
    milestone: row.milestone,
    crimeType: row.crime_type,
    victimCategory: VICTIM_CATEGORIES.includes(row.victim_category) ? row.victim_category : 'all',
    outcomeCodes: row.outcome_codes,
    templateKey: row.template_key,
    delayMinutes: row.delay_minutes,
    delayFrom: row.delay_from,
    statutory: row.statutory,
    fallback: row.fallback,
    position: row.position,
  };
}
