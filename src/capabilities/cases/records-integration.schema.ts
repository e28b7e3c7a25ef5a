import { z } from 'zod';
import { dayOrTimeField, instantField } from '../../platform/http/request-fields.ts';
import { CASE_MOVE_TYPES } from './case.machine.ts';
import type { MappedMove } from './records-mapping.schema.ts';
import { postalAddressBody, type PostalAddress } from './postal-address.schema.ts';
import { emailAddressField } from '../../platform/email-address.ts';

// What a records system sends, and what it is answered; the mapping a force admin edits.

const text = (max: number) => z.string().trim().max(max);
const when = instantField('must be a date and time (ISO 8601, with its offset)');
/**
 * A hearing's or an appointment's day and time, or its day alone: one whose time is not known yet
 * (decisions 0070, 0077). Midnight UK time is taken as a day alone too, as records systems send it for one.
 */
const dayOrTime = dayOrTimeField('must be a date (2026-03-17), or a date and time with its offset (2026-03-17T10:00:00Z), from 2000 to 2099');
const MAPPED_MOVES = CASE_MOVE_TYPES.filter((type): type is MappedMove => type !== 'record');

type VictimEntry = {
  reference: string;
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  postalAddress?: PostalAddress | undefined;
  language?: 'en' | 'cy' | undefined;
  enhancedRights?: boolean | undefined;
};

const sameVictim = (a: VictimEntry, b: VictimEntry) =>
  a.name === b.name &&
  a.email === b.email &&
  a.phone === b.phone &&
  JSON.stringify(a.postalAddress ?? null) === JSON.stringify(b.postalAddress ?? null) &&
  a.language === b.language &&
  (a.enhancedRights ?? false) === (b.enhancedRights ?? false);

/**
 * A victim's reference given twice must say the same both times: the same entry repeated is one
 * victim, but two different accounts of one victim leave nothing to tell which is true (decision 0070).
 */
function requireOneAccountOfEachVictim(victims: readonly VictimEntry[], ctx: z.RefinementCtx): void {
  const first = new Map<string, VictimEntry>();
  victims.forEach((victim, index) => {
    const earlier = first.get(victim.reference);
    if (!earlier) first.set(victim.reference, victim);
    else if (!sameVictim(earlier, victim)) {
      ctx.addIssue({ code: 'custom', path: [index, 'reference'], message: `names victim ${victim.reference} a second time with different details; give each victim once` });
    }
  });
}

/** One case update from the force's records system. */
export const recordsCaseUpdate = z.strictObject({
  system: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be the records system, e.g. niche, athena or connect')
    .describe('the records system: niche, athena, connect, or another name'),
  reference: text(100).min(1).describe("the records system's own reference for the crime or occurrence"),
  updatedAt: when.describe('when the records system made this change: an update older than the last one applied is ignored'),
  status: text(40).min(1).nullable().optional().describe("the records system's own status code, mapped to case moves by the force's mapping"),
  crimeType: text(40).min(1).nullable().optional().describe("one of the force's crime types, or the records system's crime code mapped to one"),
  summary: text(4000).optional().describe('the occurrence summary'),
  officerInCase: text(200).min(1).nullable().optional().describe("the officer in case: their email address (matched to the force's staff) or collar number"),
  team: text(200).min(1).nullable().optional(),
  victims: z
    .array(
      z.strictObject({
        reference: text(100).min(1).describe("the records system's reference for this person"),
        name: text(200).min(1),
        email: emailAddressField().optional().describe('an IDN domain is kept in ASCII (punycode); an address needing SMTPUTF8 is refused (decision 0146)'),
        phone: text(40).min(5).optional(),
        postalAddress: postalAddressBody.optional().describe('where their letters go (decision 0136); an update without one clears it, as it does an email address or a phone number'),
        language: z.enum(['en', 'cy']).optional(),
        enhancedRights: z.boolean().optional().describe("a victim entitled to enhanced rights under the Victims' Code"),
      }),
    )
    .max(50)
    .superRefine(requireOneAccountOfEachVictim)
    .optional()
    .describe('the same reference twice is one victim when both entries say the same; when they differ the update is refused (400)'),
  appointments: z
    .array(
      z.strictObject({
        reference: text(100).min(1),
        at: dayOrTime.describe('the day of the appointment (a date alone, or midnight UK time, when its time is not known: the victim is told the day only), or its date and time'),
        place: text(500).optional().describe('where it is; without one the victim is told "a place to be confirmed"'),
        isCancelled: z.boolean().optional(),
      }),
    )
    .max(50)
    .optional(),
  courtDate: z
    .strictObject({ at: dayOrTime.describe('the day of the hearing (a date alone, or midnight UK time, when its time is not known: the victim is told the day only), or its date and time'), place: text(500).optional().describe('the court; without one the victim is told "a court to be confirmed"') })
    .nullable()
    .optional()
    .describe('the hearing: a status that sets a court date (CRT) without one records the court date when an update gives it'),
  outcome: z
    .strictObject({
      code: text(10).min(1).describe('a Home Office outcome type number'),
      reason: text(2000).optional(),
      reasonCy: text(2000).optional().describe('the reason in Welsh, told to a Welsh-speaking victim'),
    })
    .nullable()
    .optional()
    .describe("the outcome for a status that closes the case, instead of the mapping's"),
});
export type RecordsCaseUpdate = z.infer<typeof recordsCaseUpdate>;

/** What an update did. */
export const recordsUpdateResult = z.object({
  result: z.enum(['created', 'updated', 'duplicate', 'out_of_order']),
  caseId: z.string(),
  caseReference: z.string(),
  status: z.string(),
  moves: z.array(z.object({ move: z.string(), event: z.string(), implied: z.boolean() })),
  warnings: z.array(z.string()),
  message: z.string(),
});
export type RecordsUpdateResult = z.infer<typeof recordsUpdateResult>;

const statusEntry = z.strictObject({
  system: z.string().trim().toLowerCase().regex(/^(\*|[a-z0-9][a-z0-9_-]{0,39})$/, "must be a records system, or * for any"),
  code: text(40).min(1),
  label: text(200).default(''),
  moves: z.array(z.enum(MAPPED_MOVES)).max(6),
  outcomeCode: text(10).min(1).nullable().default(null),
  reason: text(2000).min(1).nullable().default(null),
  reasonCy: text(2000).min(1).nullable().default(null).describe('the reason in Welsh; a Welsh-speaking victim is told it (null: the English one)'),
});
const crimeTypeEntry = z.strictObject({
  system: statusEntry.shape.system,
  code: text(40).min(1),
  crimeType: text(40).min(1),
});

/** The force's whole mapping, as saved and as read. */
export const recordsMapping = z.strictObject({
  statuses: z.array(statusEntry).max(500),
  crimeTypes: z.array(crimeTypeEntry).max(500).default([]),
});
export type RecordsMappingInput = z.infer<typeof recordsMapping>;

export const recordsMappingView = z.object({
  isDefault: z.boolean().describe('the force has not saved a mapping of its own: this is the default one'),
  statuses: z.array(z.object({ system: z.string(), code: z.string(), label: z.string(), moves: z.array(z.string()), outcomeCode: z.string().nullable(), reason: z.string().nullable(), reasonCy: z.string().nullable() })),
  crimeTypes: z.array(z.object({ system: z.string(), code: z.string(), crimeType: z.string() })),
});
export type RecordsMappingView = z.infer<typeof recordsMappingView>;
