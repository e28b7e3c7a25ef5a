import { CUE } from './triage.cues.ts';
import { collectContext, treatmentOf, type ContextFacts } from './triage.context.ts';
import { explain, categoryName, type PriorityReason } from './triage.explain.ts';
import { buildWordIndex, isKnownWord, patternAnchorWords, PERSON_OR_PLACE, type WordEntry } from './triage.lexicon-index.ts';
import { NEVER_TYPOS } from './triage.lexicon.ts';
import { normaliseText, type Normalised, type Token, type Vocabulary } from './triage.normalise.ts';
import { matchSpec, type PatternDef } from './triage.patterns.ts';
import { emergencyLineOf, readSentiment, signalContributions, type BilingualContribution } from './triage.signals.ts';
import { SlipIndex } from './triage.slips.ts';
import {
  PRIORITY_LABELS,
  THRESHOLDS,
  type MatchReading,
  type MatchTreatment,
  type PatternMatch,
  type Priority,
  type TriageContext,
  type TriageMatch,
  type TriageResult,
  type TriageRule,
} from './triage.schema.ts';


/**
 * How much of a message is read. Scoring is linear, so this bounds the time one message can
 * hold the event loop: 100,000 characters score in about 30 ms on one shared core (see
 * bench/RESULTS.md), and a longer message is scored on its first 100,000, which the
 * explanation says. A message that long is a pasted document or an attack, not a plea.
 */
export const MAX_SCORED_CHARS = 100_000;

/** A rule's weight below which it is context ("my partner"): points, but a category only beside harm. */
const CONTEXT_WEIGHT = 20;
const LIFE_CATEGORIES = new Set(['threat_to_life', 'self_harm']);
const RANK: Record<MatchTreatment, number> = { counted: 0, reported: 1, uncorroborated: 2, hyperbole: 3, negated: 4, repeat: 5 };
/** Categories whose single words lean on idiom ("dying", "kms", "killing me"). */
const HYPERBOLE_PRONE = new Set(['threat_to_life', 'self_harm', 'violence', 'weapons']);

type Occurrence = { rule: TriageRule; from: number; to: number };
type Hit = { pattern: PatternDef; from: number; to: number; treatment: MatchTreatment; negatedBy?: string };

const half = (points: number) => Math.trunc(points / 2);

/** Any rule or pattern that counted in full with a positive weight. */
function hasCountedHarm(fired: readonly TriageMatch[], hits: readonly Hit[]): boolean {
  return fired.some((m) => m.treatment === 'counted' && m.weight > 0) || hits.some((h) => h.treatment === 'counted' && h.pattern.points > 0);
}

function readingOf(tokens: readonly Token[], from: number, to: number): MatchReading | undefined {
  for (let k = from; k < to; k += 1) {
    const origin = tokens[k]?.origin;
    if (origin === 'typo' || origin === 'leet' || origin === 'spaced' || origin === 'emoji') return origin;
  }
  return undefined;
}

/**
 * A compiled rule set. Pure: no I/O and no clock of its own (the time comes in the context).
 * The text is normalised once (see triage.normalise.ts); rules are matched as whole token
 * sequences through a trie, leftmost-longest, and the built-in phrase patterns from their anchor
 * words. Every step is linear in the length of the message.
 */
export class TriageEngine {
  private readonly words: Map<string, WordEntry>;
  private readonly vocabulary: Vocabulary;
  /** Made once, not once a message: the cue trie node and the AFINN score of a word. */
  private readonly cueAt: (word: string) => NonNullable<WordEntry['cue']> | undefined;
  private readonly afinnOf: (word: string) => number;

  constructor(
    readonly version: number,
    readonly rules: readonly TriageRule[],
  ) {
    const { words, ruleTerms } = buildWordIndex(rules);
    this.words = words;
    const slips = new SlipIndex([...ruleTerms, ...patternAnchorWords()].filter((w) => !NEVER_TYPOS.has(w)));
    this.vocabulary = { knows: (word) => words.has(word) || isKnownWord(word), correct: (word) => slips.correct(word) };
    this.cueAt = (word) => words.get(word)?.cue ?? undefined;
    this.afinnOf = (word) => words.get(word)?.afinn ?? 0;
  }

  private normalise(text: string): Normalised {
    return normaliseText(text, this.vocabulary, MAX_SCORED_CHARS);
  }

  /** Rule occurrences, leftmost-longest over tokens so highlights never overlap. */
  private occurrences(tokens: readonly Token[]): Occurrence[] {
    const found: Occurrence[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node = this.words.get(tokens[i]?.text ?? '')?.rule ?? null;
      let best: Occurrence | null = null;
      let j = i;
      while (node) {
        if (node.rule) best = { rule: node.rule, from: i, to: j + 1 };
        const next = tokens[j + 1];
        if (!node.next || !next) break;
        node = node.next.get(next.text) ?? null;
        j += 1;
      }
      if (best) {
        found.push(best);
        i = best.to;
      } else i += 1;
    }
    return found;
  }

  private toMatch(text: string, tokens: readonly Token[], occurrence: Occurrence, treatment: MatchTreatment): TriageMatch {
    const start = tokens[occurrence.from]?.start ?? 0;
    const end = tokens[occurrence.to - 1]?.end ?? start;
    const { rule } = occurrence;
    const readAs = readingOf(tokens, occurrence.from, occurrence.to);
    return {
      ruleId: rule.id,
      phrase: rule.phrase,
      category: rule.category,
      weight: rule.weight,
      start,
      end,
      matchedText: text.slice(start, end),
      treatment,
      ...(readAs ? { readAs } : {}),
    };
  }

  /** Every rule occurrence in the text, leftmost-longest so highlights never overlap; all `counted`. */
  findMatches(text: string): TriageMatch[] {
    if (this.rules.length === 0 || text.length === 0) return [];
    const { tokens } = this.normalise(text);
    return this.occurrences(tokens).map((occurrence) => this.toMatch(text, tokens, occurrence, 'counted'));
  }

  private namesSomeone(facts: ContextFacts, occurrence: Occurrence): boolean {
    for (let k = occurrence.from; k < occurrence.to; k += 1) if (((facts.tokenFlags[k] ?? 0) & CUE.PERSON) !== 0) return true;
    return false;
  }

  /** Marks each sentence holding an idiom ("mum will kill me if…") as hyperbole, before anything is treated. */
  private markIdioms(tokens: readonly Token[], facts: ContextFacts): void {
    for (let i = 0; i < tokens.length; i += 1) {
      const idioms = this.words.get(tokens[i]?.text ?? '')?.idioms;
      if (!idioms) continue;
      for (const spec of idioms) {
        if (!matchSpec(tokens, spec, i)) continue;
        const sentence = tokens[i]?.sentence ?? 0;
        facts.sentenceFlags[sentence] = (facts.sentenceFlags[sentence] ?? 0) | CUE.HYPERBOLE;
      }
    }
  }

  /** Built-in pattern hits, one per pattern (the best treated), in the order found. */
  private patternHits(tokens: readonly Token[], facts: ContextFacts): Hit[] {
    const best = new Map<string, Hit>();
    for (let i = 0; i < tokens.length; i += 1) {
      const anchors = this.words.get(tokens[i]?.text ?? '')?.anchors;
      if (!anchors) continue;
      for (const spec of anchors) {
        const { pattern } = spec;
        const current = best.get(pattern.id);
        if (current?.treatment === 'counted') continue;
        if (pattern.requires === 'partner' && (facts.messageFlags & CUE.PARTNER) === 0) continue;
        if (pattern.requires === 'child' && (facts.messageFlags & CUE.CHILD) === 0) continue;
        const hit = matchSpec(tokens, spec, i);
        if (!hit) continue;
        const { treatment, negatedBy } = treatmentOf(tokens, facts, {
          from: hit.from,
          to: hit.to,
          isSingleWord: false,
          needs: PERSON_OR_PLACE,
          isHyperboleProne: pattern.isHyperboleProne === true,
          isExclusion: false,
        });
        if (!current || RANK[treatment] < RANK[current.treatment]) {
          best.set(pattern.id, { pattern, from: hit.from, to: hit.to, treatment, ...(negatedBy ? { negatedBy } : {}) });
        }
      }
    }
    return [...best.values()];
  }

  /** Scores a text and says why. Each rule and each pattern counts once, at its best occurrence. */
  score(text: string, context: TriageContext = {}): TriageResult {
    const normalised = this.normalise(text);
    const { tokens } = normalised;
    const facts = collectContext(text, normalised, this.cueAt);
    this.markIdioms(tokens, facts);

    // Rules: how each occurrence would count on its own, then one per rule (the best).
    const all = this.rules.length === 0 ? [] : this.occurrences(tokens);
    const matches = all.map((occurrence) => {
      const { rule } = occurrence;
      const firstStart = tokens[occurrence.from]?.start;
      const isSingleWord = tokens.slice(occurrence.from, occurrence.to).every((t) => t.start === firstStart);
      const { treatment, negatedBy } = treatmentOf(tokens, facts, {
        from: occurrence.from,
        to: occurrence.to,
        // A single word needs a person or place nearby; "missing" (or "ar goll") always needs someone.
        isSingleWord: (isSingleWord && rule.weight >= CONTEXT_WEIGHT) || (rule.category === 'missing_person' && !this.namesSomeone(facts, occurrence)),
        needs: rule.category === 'missing_person' ? CUE.PERSON : PERSON_OR_PLACE,
        isHyperboleProne: HYPERBOLE_PRONE.has(rule.category),
        isExclusion: rule.weight <= 0,
      });
      return { ...this.toMatch(text, tokens, occurrence, treatment), ...(negatedBy ? { negatedBy } : {}) };
    });
    const hits = this.patternHits(tokens, facts);

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
    for (const [id, m] of best) {
      if (m.treatment === 'uncorroborated' && strong.has(m.category)) best.set(id, { ...m, treatment: 'counted' });
    }
    for (const [index, match] of matches.entries()) {
      const chosen = best.get(match.ruleId);
      if (chosen && chosen.start === match.start && chosen.end === match.end) matches[index] = chosen;
      else if (match.treatment !== 'negated') matches[index] = { ...match, treatment: 'repeat' };
    }
    const fired = [...best.values()].filter((m) => m.treatment === 'counted' || m.treatment === 'reported' || m.treatment === 'uncorroborated');
    const negatedMatches = matches.filter((m) => m.treatment === 'negated');

    const contributions: BilingualContribution[] = [];
    const claimed: { start: number; end: number; points: number }[] = [];
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
    }
    const patterns: PatternMatch[] = [];
    for (const hit of hits) {
      const start = tokens[hit.from]?.start ?? 0;
      const end = tokens[hit.to - 1]?.end ?? start;
      const matchedText = text.slice(start, end);
      const full = hit.treatment === 'counted' ? hit.pattern.points : hit.treatment === 'reported' ? half(hit.pattern.points) : 0;
      const overlap = claimed.filter((c) => c.start < end && c.end > start).reduce((sum, c) => sum + c.points, 0);
      const points = Math.max(0, full - overlap);
      patterns.push({
        patternId: hit.pattern.id,
        category: hit.pattern.category,
        points,
        start,
        end,
        matchedText,
        treatment: hit.treatment,
        ...(hit.negatedBy ? { negatedBy: hit.negatedBy } : {}),
      });
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

    const sentiment = readSentiment(normalised, facts, this.afinnOf);
    const signals = signalContributions(text, normalised, facts, sentiment, context);
    contributions.push(...signals.contributions);

    const raw = contributions.reduce((sum, c) => sum + c.points, 0);
    const score = Math.max(0, Math.min(100, raw));
    const categories = new Set<string>();
    for (const m of best.values()) {
      if (m.treatment !== 'counted' || m.weight <= 0) continue;
      // Context ("my ex") names a category only beside harm of that category or a threat to life.
      if (m.weight >= CONTEXT_WEIGHT || strong.has(m.category) || strong.has('threat_to_life')) categories.add(m.category);
    }
    for (const h of hits) {
      if (h.treatment !== 'counted') continue;
      const category = categoryOf(h);
      if (category) categories.add(category);
    }

    const line = emergencyLineOf(context);
    const lifeAtRisk = fired.find((m) => m.treatment === 'counted' && m.weight > 0 && LIFE_CATEGORIES.has(m.category));
    const floorHit = hits
      .filter((h) => h.treatment === 'counted' && h.pattern.floor !== undefined)
      .sort((a, b) => (a.pattern.floor ?? 4) - (b.pattern.floor ?? 4))[0];
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

    const byStart = new Map(all.map((o) => [tokens[o.from]?.start ?? -1, o]));
    const readings = fired.flatMap((m) => {
      if (!m.readAs) return [];
      const occurrence = byStart.get(m.start);
      const as = occurrence ? tokens.slice(occurrence.from, occurrence.to).map((t) => t.text).join(' ') : m.phrase;
      return [{ text: m.matchedText, as, reading: m.readAs }];
    });
    const counted = hits.filter((h) => h.treatment === 'counted');
    const explanations = explain({
      version: this.version,
      counted: fired.length,
      negated: [...negatedMatches.map((m) => ({ text: m.matchedText, by: m.negatedBy ?? 'no' })), ...patterns.filter((p) => p.treatment === 'negated').map((p) => ({ text: p.matchedText, by: p.negatedBy ?? 'no' }))],
      reported: [...fired.filter((m) => m.treatment === 'reported').map((m) => m.matchedText), ...patterns.filter((p) => p.treatment === 'reported').map((p) => p.matchedText)],
      uncorroborated: fired.filter((m) => m.treatment === 'uncorroborated').map((m) => m.matchedText),
      hyperbole: [...[...best.values()].filter((m) => m.treatment === 'hyperbole').map((m) => m.matchedText), ...patterns.filter((p) => p.treatment === 'hyperbole').map((p) => p.matchedText)],
      readings,
      patterns: counted.map((h) => ({ text: patterns.find((p) => p.patternId === h.pattern.id)?.matchedText ?? '', label: h.pattern.label })),
      contributions,
      score,
      raw,
      reason,
      ...(normalised.readLength < text.length ? { scoredLength: normalised.readLength } : {}),
    });
    return {
      score,
      priority,
      priorityLabel: PRIORITY_LABELS[priority],
      ruleSetVersion: this.version,
      matches,
      negatedMatches,
      patterns,
      categories: [...categories],
      contributions: contributions.map(({ label, points, signal }) => ({ label, points, signal })),
      signals: {
        sentiment: sentiment.total,
        sentimentWindow: sentiment.window,
        capsRatio: signals.capsRatio,
        exclamationRuns: normalised.exclamationRuns,
        localHour: signals.localHour,
      },
      explanation: explanations[context.explainIn ?? 'en'],
      explanations,
      ...(normalised.readLength < text.length ? { scoredLength: normalised.readLength } : {}),
    };
  }
}
