import { z } from 'zod';
import { JOURNEY_MESSAGES, JOURNEY_PLACEHOLDERS } from './journey-messages.schema.ts';

// Message templates as force admins edit them: one per key, channel and language.

/** Languages a template is written in: every outbound message exists in English and Welsh. */
export const TEMPLATE_LOCALES = ['en', 'cy'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

/**
 * The placeholders each message fills, and those it cannot do without (a code email without its
 * code, a reply without its text, would be sent empty-handed). Keys not listed here are edited
 * without a placeholder check.
 */
export const TEMPLATE_PLACEHOLDERS: Record<string, { fills: readonly string[]; requires: readonly string[]; purpose: string }> = {
  ...Object.fromEntries(JOURNEY_MESSAGES.map((m) => [m.key, { fills: JOURNEY_PLACEHOLDERS, requires: [], purpose: m.purpose }])),
  'contact.reply': { fills: ['name', 'reference', 'body', 'forceName'], requires: ['body'], purpose: 'A reply from staff by email' },
  'portal.access_code': { fills: ['reference', 'code', 'forceName'], requires: ['code'], purpose: 'The code to check a report online' },
};

/**
 * What a preview fills placeholders with: plainly made up, never a real person's details. The
 * force's name, and its references' form (its own code), are the previewing force's own
 * (`previewValues`).
 */
export const PREVIEW_VALUES: Record<string, string> = {
  name: 'Alex Example',
  body: 'Thank you for getting in touch. An officer will call you tomorrow morning.',
  code: '••••••',
  officerName: 'PC 1234 Sam Example',
  team: 'CID North',
  date: 'Tuesday 3 March 2026',
  time: '10:30',
  place: 'Demoton Police Station',
  outcome: 'Investigation complete: no suspect identified',
  reason: 'We checked the CCTV from the street and spoke to your neighbours, but nobody saw who did it.',
  note: 'An officer will call you tomorrow morning.',
  crimeType: 'Residential burglary',
};

export const templateView = z
  .object({
    key: z.string(),
    channel: z.string(),
    locale: z.enum(TEMPLATE_LOCALES),
    subject: z.string(),
    body: z.string(),
    version: z.number().int().describe('Counts the saves of this language of the template; send it back with a save to have it refused if the text has been saved since (decision 0082)'),
  })
  .meta({ id: 'MessageTemplate' });

export const templateVersionView = z
  .object({ version: z.number().int(), subject: z.string(), body: z.string(), replacedAt: z.string(), replacedBy: z.string().nullable() })
  .meta({ id: 'MessageTemplateVersion' });

export const templateKeyView = z
  .object({
    key: z.string(),
    purpose: z.string(),
    placeholders: z.array(z.string()),
    required: z.array(z.string()),
  })
  .meta({ id: 'MessageTemplateKey' });

export const templatesResponse = z.object({ templates: z.array(templateView), keys: z.array(templateKeyView) });

export const templatePreview = z.object({ subject: z.string(), body: z.string() });
