import { z } from 'zod';

// What the triage routes answer.

const TREATMENTS = ['counted', 'reported', 'uncorroborated', 'hyperbole', 'negated', 'repeat'] as const satisfies readonly MatchTreatment[];
const READINGS = ['plain', 'leet', 'spaced', 'emoji', 'expanded', 'typo'] as const satisfies readonly MatchReading[];
const SIGNALS = ['channel', 'keyword', 'pattern', 'sentiment', 'distress', 'time', 'person'] as const satisfies readonly SignalKind[];

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
    readAs: z.enum(READINGS).optional().describe('how the words were read when not as written: a misspelling, leetspeak, spaced letters, an emoji'),
  })
  .meta({ id: 'TriageMatch' });

/** A built-in phrase pattern that matched (a threat, intent, coercive control, a missing person). */
export const triagePatternMatch = z
  .object({
    patternId: z.string(),
    category: z.string().nullable(),
    points: z.number(),
    start: z.number().int().describe('UTF-16 offset into the text (inclusive)'),
    end: z.number().int().describe('UTF-16 offset into the text (exclusive)'),
    matchedText: z.string(),
    treatment: z.enum(TREATMENTS),
    negatedBy: z.string().optional(),
  })
  .meta({ id: 'TriagePatternMatch' });

/** A text scored as a new contact would be, with the full explanation. */
export const triageResult = z
  .object({
    score: z.number(),
    priority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    priorityLabel: z.string(),
    ruleSetVersion: z.number().int(),
    matches: z.array(triageMatch),
    negatedMatches: z.array(triageMatch).describe('occurrences that did not count because a negation came just before them'),
    patterns: z.array(triagePatternMatch).describe('built-in phrase patterns that matched, with how each was treated'),
    categories: z.array(z.string()).describe('categories with at least one occurrence counted at full weight'),
    contributions: z.array(z.object({ label: z.string(), points: z.number(), signal: z.enum(SIGNALS) })),
    signals: z.object({
      sentiment: z.number(),
      sentimentWindow: z.number().describe('the most negative AFINN sum over any 25 words'),
      capsRatio: z.number(),
      exclamationRuns: z.number().int(),
      localHour: z.number().nullable(),
    }),
    explanation: z.array(z.string()).describe("in the language asked for (English unless the operator's is Welsh)"),
    explanations: z.object({ en: z.array(z.string()), cy: z.array(z.string()) }).describe('the explanation in English and in Welsh'),
    scoredLength: z.number().int().optional().describe('set when the text was longer than is scored: only this many characters were read'),
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
 * One keyword rule a force owns: a phrase and its variants (spellings, misspellings, slang, Welsh
 * mutations), all matched as whole words after normalisation. A negative weight is an exclusion.
 */
export type TriageRule = { id: string; phrase: string; variants?: readonly string[]; category: string; weight: number };

/** A rule as the default rule set holds it: no id yet, and one of the categories. */
export type DefaultRule = Omit<TriageRule, 'id'> & { category: TriageCategory };

/**
 * How one occurrence was treated: `counted` at full weight; `reported` (quoted from the news, a
 * film, statistics, a share or a message of sympathy) at half; `uncorroborated` (a single word
 * with no person or place near it) at half, with no category; `hyperbole` (an idiom or a joke:
 * "kms this exam") and `negated` ("no knife") not at all; `repeat` not again because the rule
 * already counted once.
 */
export type MatchTreatment = 'counted' | 'reported' | 'uncorroborated' | 'hyperbole' | 'negated' | 'repeat';

/** How the matched words were read: as written, or through a misspelling, leetspeak, spacing or an emoji. */
export type MatchReading = 'plain' | 'leet' | 'spaced' | 'emoji' | 'expanded' | 'typo';

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
  /** Present when the words were not read as written (`typo`, `leet`, `spaced`, `emoji`). */
  readAs?: MatchReading;
};

/** A built-in phrase pattern that matched: a threat, intent, control, a missing person. */
export type PatternMatch = {
  patternId: string;
  category: string | null;
  points: number;
  start: number;
  end: number;
  matchedText: string;
  treatment: MatchTreatment;
  negatedBy?: string;
};

export type Priority = 1 | 2 | 3 | 4;

/** The languages an explanation is written in. */
export type ExplanationLanguage = 'en' | 'cy';

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
  /** The language `explanation` is written in (both are always in `explanations`). Default English. */
  explainIn?: ExplanationLanguage;
};

export type SignalKind = 'keyword' | 'pattern' | 'sentiment' | 'distress' | 'time' | 'channel' | 'person';

export type Contribution = { label: string; points: number; signal: SignalKind };

export type TriageResult = {
  score: number;
  priority: Priority;
  priorityLabel: string;
  ruleSetVersion: number;
  matches: TriageMatch[];
  /** The occurrences that did not count because a negation came just before them. */
  negatedMatches: TriageMatch[];
  /** Built-in phrase patterns that matched, with how each was treated. */
  patterns: PatternMatch[];
  /** Categories with at least one occurrence counted at full weight. */
  categories: string[];
  contributions: Contribution[];
  signals: { sentiment: number; sentimentWindow: number; capsRatio: number; exclamationRuns: number; localHour: number | null };
  /** The explanation in `context.explainIn` (English unless asked otherwise). */
  explanation: string[];
  /** The same explanation in every language an operator may read. */
  explanations: Record<ExplanationLanguage, string[]>;
  /** Set when the message was longer than the engine reads; only the first `scoredLength` characters were scored. */
  scoredLength?: number;
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  1: 'Immediate risk',
  2: 'High',
  3: 'Standard',
  4: 'Low',
};

export const PRIORITY_LABELS_CY: Record<Priority, string> = {
  1: 'Risg uniongyrchol',
  2: 'Uchel',
  3: 'Safonol',
  4: 'Isel',
};

/** Score thresholds for priorities 1 to 3; below the last is priority 4. */
export const THRESHOLDS: readonly { min: number; priority: Priority }[] = [
  { min: 60, priority: 1 },
  { min: 30, priority: 2 },
  { min: 10, priority: 3 },
];

/** Every fixed number of the non-keyword signals, in one place so docs/triage.md can quote it. */
export const SIGNAL_POINTS = {
  /** AFINN sentiment over the most negative window of `sentimentWindow` words: one point per 2 below -3, at most this many. */
  sentimentMax: 10,
  sentimentFloor: -3,
  sentimentWindow: 25,
  help: 5,
  urgency: 5,
  exclamationRun: 3,
  shouting: 5,
  /** The distress signals together never add more than this. */
  distressMax: 15,
  night: 5,
  /** 22:00 to 05:59 local time. */
  nightStartHour: 22,
  nightEndHour: 6,
  emergencyLine: 30,
  vulnerable: 10,
  repeatContact: 5,
  repeatContactMany: 10,
  repeatThreshold: 3,
  repeatManyThreshold: 5,
  previousHighRisk: 10,
} as const;

export const FORCE_TIME_ZONE = 'Europe/London';
