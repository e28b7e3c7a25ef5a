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
