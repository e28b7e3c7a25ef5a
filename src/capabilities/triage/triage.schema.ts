import { z } from 'zod';
import type { MatchTreatment, SignalKind } from './triage.engine.ts';

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
