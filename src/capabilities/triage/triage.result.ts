import { CUE } from './triage.cues.ts';
import type { ContextFacts } from './triage.context.ts';
import { explain, categoryName, type PriorityReason } from './triage.explain.ts';
import type { Normalised } from './triage.normalise.ts';
import type { PatternDef } from './triage.patterns.ts';
import { emergencyLineOf, readSentiment, signalContributions, type BilingualContribution, type SentimentEntry } from './triage.signals.ts';
import {
  PRIORITY_LABELS,
  THRESHOLDS,
  type Contribution,
  type MatchTreatment,
  type PatternMatch,
  type Priority,
  type TriageContext,
  type TriageMatch,
  type TriageResult,
  type TriageRule,
} from './triage.schema.ts';

// From what matched in a message to the result an operator reads: each rule and pattern counted
// once at its best occurrence, the points, the categories, the priority and the explanation in
// English and Welsh. Plain loops over what matched, so a message with nothing in it costs little.

export type Occurrence = { rule: TriageRule; from: number; to: number };
export type Hit = { pattern: PatternDef; from: number; to: number; treatment: MatchTreatment; negatedBy?: string };

export const RANK: Record<MatchTreatment, number> = { counted: 0, reported: 1, uncorroborated: 2, hyperbole: 3, negated: 4, repeat: 5 };

/** A rule's weight below which it is context ("my partner"): points, but a category only beside harm. */
const CONTEXT_WEIGHT = 20;
const LIFE_CATEGORIES = new Set(['threat_to_life', 'self_harm']);

const half = (points: number) => Math.trunc(points / 2);

export type ResultInput = {
  version: number;
  text: string;
  normalised: Normalised;
  /** Each token's sentiment (its entry in the word index), as the engine looked it up. */
  entries: readonly (SentimentEntry | undefined)[];
  facts: ContextFacts;
  /** Every rule occurrence, in order, with how it counts on its own. */
  matches: TriageMatch[];
  occurrences: readonly Occurrence[];
  /** One hit per pattern, the best treated, in the order found. */
  hits: readonly Hit[];
  context: TriageContext;
};

/** Any rule or pattern that counted in full with a positive weight. */
function hasCountedHarm(fired: readonly TriageMatch[], hits: readonly Hit[]): boolean {
  for (const m of fired) if (m.treatment === 'counted' && m.weight > 0) return true;
  for (const h of hits) if (h.treatment === 'counted' && h.pattern.points > 0) return true;
  return false;
}

/** The score, priority, categories and explanation of what matched. */
export function assembleResult(input: ResultInput): TriageResult {
  const { text, normalised, facts, matches, hits, context } = input;
  const { tokens } = normalised;

  // One per rule: the best treated, the first of equals.
  const best = new Map<string, TriageMatch>();
  for (const match of matches) {
    const current = best.get(match.ruleId);
    if (!current || RANK[match.treatment] < RANK[current.treatment]) best.set(match.ruleId, match);
  }
  // Harm that counted in full: what corroborates single words and context rules of its category.
  const strong = new Set<string>();
  for (const m of best.values()) if (m.treatment === 'counted' && m.weight >= CONTEXT_WEIGHT) strong.add(m.category);
  // Violence by a partner or ex is domestic abuse, and said so instead.
  const partnerNamed = (facts.messageFlags & CUE.PARTNER) !== 0;
  const categoryOf = (h: Hit) => (h.pattern.partnerCategory && partnerNamed ? h.pattern.partnerCategory : h.pattern.category);
  for (const h of hits) {
    const category = categoryOf(h);
    if (h.treatment === 'counted' && category) strong.add(category);
  }
  if (strong.size > 0) {
    for (const [id, m] of best) {
      if (m.treatment === 'uncorroborated' && strong.has(m.category)) best.set(id, { ...m, treatment: 'counted' });
    }
  }
  const negatedMatches: TriageMatch[] = [];
  for (let index = 0; index < matches.length; index += 1) {
    const match = matches[index] as TriageMatch;
    const chosen = best.get(match.ruleId);
    if (chosen && chosen.start === match.start && chosen.end === match.end) matches[index] = chosen;
    else if (match.treatment !== 'negated') matches[index] = { ...match, treatment: 'repeat' };
    if (matches[index]?.treatment === 'negated') negatedMatches.push(matches[index] as TriageMatch);
  }
  const fired: TriageMatch[] = [];
  const hyperbole: string[] = [];
  for (const m of best.values()) {
    if (m.treatment === 'counted' || m.treatment === 'reported' || m.treatment === 'uncorroborated') fired.push(m);
    else if (m.treatment === 'hyperbole') hyperbole.push(m.matchedText);
  }

  const contributions: BilingualContribution[] = [];
  const claimed: { start: number; end: number; points: number }[] = [];
  const reported: string[] = [];
  const uncorroborated: string[] = [];
  for (const match of fired) {
    const points = match.treatment === 'counted' ? match.weight : half(match.weight);
    const variant = match.matchedText.toLowerCase() === match.phrase.toLowerCase() ? '' : ` as "${match.matchedText}"`;
    const variantCy = variant === '' ? '' : ` fel "${match.matchedText}"`;
    const why = match.treatment === 'reported' ? ', quoted or reported: half' : match.treatment === 'uncorroborated' ? ', a single word alone: half' : '';
    const whyCy = match.treatment === 'reported' ? ', wedi’i ddyfynnu neu ei adrodd: hanner' : match.treatment === 'uncorroborated' ? ', un gair ar ei ben ei hun: hanner' : '';
    contributions.push({
      label: `"${match.phrase}"${variant} (${categoryName(match.category, 'en')}${why})`,
      labelCy: `"${match.phrase}"${variantCy} (${categoryName(match.category, 'cy')}${whyCy})`,
      points,
      signal: 'keyword',
    });
    if (points > 0) claimed.push({ start: match.start, end: match.end, points });
    if (match.treatment === 'reported') reported.push(match.matchedText);
    else if (match.treatment === 'uncorroborated') uncorroborated.push(match.matchedText);
  }
  const patterns: PatternMatch[] = [];
  const countedPatterns: { text: string; label: { en: string; cy: string } }[] = [];
  const negated: { text: string; by: string }[] = [];
  for (const m of negatedMatches) negated.push({ text: m.matchedText, by: m.negatedBy ?? 'no' });
  for (const hit of hits) {
    const start = tokens[hit.from]?.start ?? 0;
    const end = tokens[hit.to - 1]?.end ?? start;
    const matchedText = text.slice(start, end);
    const full = hit.treatment === 'counted' ? hit.pattern.points : hit.treatment === 'reported' ? half(hit.pattern.points) : 0;
    let overlap = 0;
    for (const c of claimed) if (c.start < end && c.end > start) overlap += c.points;
    const points = Math.max(0, full - overlap);
    const found: PatternMatch = { patternId: hit.pattern.id, category: hit.pattern.category, points, start, end, matchedText, treatment: hit.treatment };
    if (hit.negatedBy) found.negatedBy = hit.negatedBy;
    patterns.push(found);
    if (hit.treatment === 'counted') countedPatterns.push({ text: matchedText, label: hit.pattern.label });
    else if (hit.treatment === 'negated') negated.push({ text: matchedText, by: hit.negatedBy ?? 'no' });
    else if (hit.treatment === 'reported') reported.push(matchedText);
    else if (hit.treatment === 'hyperbole') hyperbole.push(matchedText);
    if (points === 0) continue;
    claimed.push({ start, end, points });
    const half_ = hit.treatment === 'reported';
    contributions.push({
      label: `${hit.pattern.label.en} ("${matchedText}"${half_ ? ', quoted or reported: half' : ''})`,
      labelCy: `${hit.pattern.label.cy} ("${matchedText}"${half_ ? ', wedi’i ddyfynnu neu ei adrodd: hanner' : ''})`,
      points,
      signal: 'pattern',
    });
  }

  const sentiment = readSentiment(normalised, facts, input.entries);
  const signals = signalContributions(text, normalised, facts, sentiment, context);
  for (const c of signals.contributions) contributions.push(c);

  let raw = 0;
  for (const c of contributions) raw += c.points;
  const score = Math.max(0, Math.min(100, raw));
  const categories = new Set<string>();
  for (const m of best.values()) {
    if (m.treatment !== 'counted' || m.weight <= 0) continue;
    // Context ("my ex") names a category only beside harm of that category or a threat to life.
    if (m.weight >= CONTEXT_WEIGHT || strong.has(m.category) || strong.has('threat_to_life')) categories.add(m.category);
  }
  let floorHit: Hit | undefined;
  for (const h of hits) {
    if (h.treatment !== 'counted') continue;
    const category = categoryOf(h);
    if (category) categories.add(category);
    // The most urgent floor; the first of equals.
    if (h.pattern.floor !== undefined && (floorHit === undefined || h.pattern.floor < (floorHit.pattern.floor ?? 4))) floorHit = h;
  }

  const line = emergencyLineOf(context);
  const lifeAtRisk = fired.find((m) => m.treatment === 'counted' && m.weight > 0 && LIFE_CATEGORIES.has(m.category));
  const byScore = THRESHOLDS.find((t) => score >= t.min)?.priority ?? 4;
  const floor = floorHit?.pattern.floor ?? 4;
  // Words only quoted or reported (the news, a headline, sympathy) never make a contact urgent alone.
  const onlyReported = contributions.some((c) => (c.signal === 'keyword' || c.signal === 'pattern') && c.points > 0) && !hasCountedHarm(fired, hits);
  const priority: Priority = line || lifeAtRisk ? 1 : (Math.max(Math.min(byScore, floor), onlyReported ? 3 : 1) as Priority);

  let reason: PriorityReason;
  if (line) reason = { kind: 'line', line };
  else if (lifeAtRisk) reason = { kind: 'life', text: lifeAtRisk.matchedText };
  else if (floorHit && floor < byScore) {
    const start = tokens[floorHit.from]?.start ?? 0;
    const end = tokens[floorHit.to - 1]?.end ?? start;
    reason = { kind: 'pattern', priority, text: text.slice(start, end), label: floorHit.pattern.label };
  } else if (byScore < 4) reason = { kind: 'score', priority, min: THRESHOLDS.find((t) => t.priority === priority)?.min ?? 0 };
  else reason = { kind: 'below', min: THRESHOLDS[THRESHOLDS.length - 1]?.min ?? 0 };

  const readings: { text: string; as: string; reading: NonNullable<TriageMatch['readAs']> }[] = [];
  let byStart: Map<number, Occurrence> | null = null;
  for (const m of fired) {
    if (!m.readAs) continue;
    // The last occurrence starting where the match does (a contraction's words share a start).
    byStart ??= new Map(input.occurrences.map((o) => [tokens[o.from]?.start ?? -1, o]));
    const occurrence = byStart.get(m.start);
    let as = m.phrase;
    if (occurrence) {
      as = tokens[occurrence.from]?.text ?? '';
      for (let k = occurrence.from + 1; k < occurrence.to; k += 1) as += ` ${tokens[k]?.text ?? ''}`;
    }
    readings.push({ text: m.matchedText, as, reading: m.readAs });
  }
  const scoredLength = normalised.readLength < text.length ? normalised.readLength : undefined;
  const explanations = explain({
    version: input.version,
    counted: fired.length,
    negated,
    reported,
    uncorroborated,
    hyperbole,
    readings,
    patterns: countedPatterns,
    contributions,
    score,
    raw,
    reason,
    ...(scoredLength !== undefined ? { scoredLength } : {}),
  });
  const plain: Contribution[] = new Array<Contribution>(contributions.length);
  for (let i = 0; i < contributions.length; i += 1) {
    const { label, points, signal } = contributions[i] as BilingualContribution;
    plain[i] = { label, points, signal };
  }
  const result: TriageResult = {
    score,
    priority,
    priorityLabel: PRIORITY_LABELS[priority],
    ruleSetVersion: input.version,
    matches,
    negatedMatches,
    patterns,
    categories: [...categories],
    contributions: plain,
    signals: {
      sentiment: sentiment.total,
      sentimentWindow: sentiment.window,
      capsRatio: signals.capsRatio,
      exclamationRuns: normalised.exclamationRuns,
      localHour: signals.localHour,
    },
    explanation: explanations[context.explainIn ?? 'en'],
    explanations,
  };
  if (scoredLength !== undefined) result.scoredLength = scoredLength;
  return result;
}
