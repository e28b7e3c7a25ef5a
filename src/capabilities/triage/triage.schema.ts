import { z } from 'zod';

// What the triage routes answer.

const TREATMENTS = ['counted', 'reported', 'negated', 'repeat'] as const satisfies readonly MatchTreatment[];
const SIGNALS = ['channel', 'keyword', 'sentiment', 'distress', 'time', 'person'] as const satisfies readonly SignalKind[];

/** A version of the force's rules, without the rules. */
export const ruleSetSummary = z
  .object({
    version: z.number().int(),
    isActive: z.boolean(),
    createdAt: z.string().describe('ISO 8601 date and time (UTC)'),
    ruleCount: z.number().int(),
    variantCount: z.number().int(),
  })
  .meta({ id: 'RuleSetSummary' });

/** One version of the rules, in full. */
export const ruleSetView = ruleSetSummary
  .extend({
    rules: z.array(
      z.object({
        id: z.string(),
        phrase: z.string(),
        variants: z.array(z.string()).optional(),
        category: z.string(),
        weight: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'RuleSet' });

/** Whether a version is the one new contacts are scored with. */
export const ruleSetActivation = z.object({ version: z.number().int(), isActive: z.boolean() });

/** One occurrence of a rule's phrase in the text. */
export const triageMatch = z
  .object({
    ruleId: z.string(),
    phrase: z.string().describe("the rule's main phrase, even when a variant matched"),
    category: z.string(),
    weight: z.number().int(),
    start: z.number().int().describe('UTF-16 offset into the text (inclusive)'),
    end: z.number().int().describe('UTF-16 offset into the text (exclusive)'),
    matchedText: z.string(),
    treatment: z.enum(TREATMENTS),
    negatedBy: z.string().optional().describe('the negating word when treatment is negated'),
  })
  .meta({ id: 'TriageMatch' });

/** A text scored as a new contact would be, with the full explanation. */
export const triageResult = z
  .object({
    score: z.number(),
    priority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    priorityLabel: z.string(),
    ruleSetVersion: z.number().int(),
    matches: z.array(triageMatch),
    negatedMatches: z.array(triageMatch).describe('occurrences that did not count because a negation came just before them'),
    categories: z.array(z.string()).describe('categories with at least one occurrence counted at full weight'),
    contributions: z.array(z.object({ label: z.string(), points: z.number(), signal: z.enum(SIGNALS) })),
    signals: z.object({ sentiment: z.number(), capsRatio: z.number(), exclamationRuns: z.number().int(), localHour: z.number().nullable() }),
    explanation: z.array(z.string()),
  })
  .meta({ id: 'TriageResult' });

/** The inputs and results of triage, which intake, routing and contact views read too. */

/** The categories a rule can belong to. `exclusion` rules carry a negative weight. */
export const TRIAGE_CATEGORIES = [
  'weapons',
  'threat_to_life',
  'self_harm',
  'domestic_abuse',
  'child_at_risk',
  'missing_person',
  'hate',
  'road_danger',
  'violence',
  'sexual_offence',
  'fire',
  'exclusion',
] as const;
export type TriageCategory = (typeof TRIAGE_CATEGORIES)[number];

/**
 * One keyword rule a force owns: a phrase and its variants (spellings, misspellings, slang), all
 * matched as whole words. A negative weight is an exclusion ("knife crime statistics").
 */
export type TriageRule = { id: string; phrase: string; variants?: readonly string[]; category: string; weight: number };

/**
 * How one occurrence was treated: `counted` at full weight, `reported` (inside quotation marks or
 * a sentence about the news, a film, statistics) at half weight, `negated` ("no knife") not at
 * all, `repeat` not again because the rule already counted once.
 */
export type MatchTreatment = 'counted' | 'reported' | 'negated' | 'repeat';

export type TriageMatch = {
  ruleId: string;
  /** The rule's main phrase, even when a variant matched. */
  phrase: string;
  category: string;
  weight: number;
  /** UTF-16 offsets into the scored text; `end` is exclusive. */
  start: number;
  end: number;
  matchedText: string;
  treatment: MatchTreatment;
  /** The negating word when `treatment` is `negated`. */
  negatedBy?: string;
};

export type Priority = 1 | 2 | 3 | 4;

/** What the engine knows beyond the text; every field is optional. */
export type TriageContext = {
  /** When the message arrived; drives the night-time signal. Without it there is no time signal. */
  at?: Date;
  /** The channel, e.g. `portal`, `sms`, `phone`. */
  channel?: string;
  /** The line or number called, e.g. `999` or `101`. */
  line?: string;
  isVulnerable?: boolean;
  /** How many contacts the person made in the recent window (not counting this one). */
  repeatContactsInLastDays?: number;
  previousHighRisk?: boolean;
};

export type SignalKind = 'keyword' | 'sentiment' | 'distress' | 'time' | 'channel' | 'person';

export type Contribution = { label: string; points: number; signal: SignalKind };

export type TriageResult = {
  score: number;
  priority: Priority;
  priorityLabel: string;
  ruleSetVersion: number;
  matches: TriageMatch[];
  /** The occurrences that did not count because a negation came just before them. */
  negatedMatches: TriageMatch[];
  /** Categories with at least one occurrence counted at full weight. */
  categories: string[];
  contributions: Contribution[];
  signals: { sentiment: number; capsRatio: number; exclamationRuns: number; localHour: number | null };
  explanation: string[];
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  1: 'Immediate risk',
  2: 'High',
  3: 'Standard',
  4: 'Low',
};
