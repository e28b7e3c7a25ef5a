import { CUE } from './triage.cues.ts';
import { collectContext, treatmentOf, type ContextFacts } from './triage.context.ts';
import { buildWordIndex, patternAnchorWords, PERSON_OR_PLACE, type WordEntry } from './triage.lexicon-index.ts';
import { NEVER_TYPOS } from './triage.lexicon.ts';
import { normaliseText, type Normalised, type Token, type Vocabulary } from './triage.normalise.ts';
import { matchSpec, mayMatch } from './triage.patterns.ts';
import { assembleResult, RANK, type Hit, type Occurrence } from './triage.result.ts';
import { SlipIndex } from './triage.slips.ts';
import type { MatchReading, MatchTreatment, TriageContext, TriageMatch, TriageResult, TriageRule } from './triage.schema.ts';

/**
 * How much of a message is read. Scoring is linear, so this bounds the time one message can
 * hold the event loop: 100,000 characters score in about 30 ms on one shared core (see
 * bench/RESULTS.md), and a longer message is scored on its first 100,000, which the
 * explanation says. A message that long is a pasted document or an attack, not a plea.
 */
export const MAX_SCORED_CHARS = 100_000;

/** A rule's weight below which it is context ("my partner"): points, but a category only beside harm. */
const CONTEXT_WEIGHT = 20;
/** Categories whose single words lean on idiom ("dying", "kms", "killing me"). */
const HYPERBOLE_PRONE = new Set(['threat_to_life', 'self_harm', 'violence', 'weapons']);

function readingOf(tokens: readonly Token[], from: number, to: number): MatchReading | undefined {
  for (let k = from; k < to; k += 1) {
    const origin = tokens[k]?.origin;
    if (origin === 'typo' || origin === 'leet' || origin === 'spaced' || origin === 'emoji') return origin;
  }
  return undefined;
}

/**
 * A compiled rule set. Pure: no I/O and no clock of its own (the time comes in the context).
 * The text is normalised once (see triage.normalise.ts); each token's entry (its cues, sentiment,
 * the patterns anchored on it and the rules that start with it) is looked up once; rules are
 * matched as whole token sequences through a trie, leftmost-longest, and the built-in phrase
 * patterns from their anchor words. Every step is linear in the length of the message.
 */
export class TriageEngine {
  private readonly words: Map<string, WordEntry>;
  private readonly vocabulary: Vocabulary;

  constructor(
    readonly version: number,
    readonly rules: readonly TriageRule[],
  ) {
    const { words, ruleTerms } = buildWordIndex(rules);
    this.words = words;
    const slips = new SlipIndex([...ruleTerms, ...patternAnchorWords()].filter((w) => !NEVER_TYPOS.has(w)));
    // Known: a word of the rule set, or one a cue, class or pattern names (see triage.lexicon-index.ts).
    this.vocabulary = { knows: (word) => words.get(word)?.isKnown === true, correct: (word) => slips.correct(word) };
  }

  private normalise(text: string): Normalised {
    return normaliseText(text, this.vocabulary, MAX_SCORED_CHARS);
  }

  /** Each token's entry in the word index (undefined for a word it has nothing on), looked up once a message. */
  private entriesOf(tokens: readonly Token[]): (WordEntry | undefined)[] {
    const entries = new Array<WordEntry | undefined>(tokens.length);
    for (let i = 0; i < tokens.length; i += 1) entries[i] = this.words.get(tokens[i]?.text ?? '');
    return entries;
  }

  /** Rule occurrences, leftmost-longest over tokens so highlights never overlap. */
  private occurrences(tokens: readonly Token[], entries: readonly (WordEntry | undefined)[]): Occurrence[] {
    const found: Occurrence[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node = entries[i]?.rule ?? null;
      if (node === null) {
        i += 1;
        continue;
      }
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
    const match: TriageMatch = {
      ruleId: rule.id,
      phrase: rule.phrase,
      category: rule.category,
      weight: rule.weight,
      start,
      end,
      matchedText: text.slice(start, end),
      treatment,
    };
    if (readAs) match.readAs = readAs;
    return match;
  }

  /** Every rule occurrence in the text, leftmost-longest so highlights never overlap; all `counted`. */
  findMatches(text: string): TriageMatch[] {
    if (this.rules.length === 0 || text.length === 0) return [];
    const { tokens } = this.normalise(text);
    return this.occurrences(tokens, this.entriesOf(tokens)).map((occurrence) => this.toMatch(text, tokens, occurrence, 'counted'));
  }

  private namesSomeone(facts: ContextFacts, occurrence: Occurrence): boolean {
    for (let k = occurrence.from; k < occurrence.to; k += 1) if (((facts.tokenFlags[k] ?? 0) & CUE.PERSON) !== 0) return true;
    return false;
  }

  /** Marks each sentence holding an idiom ("mum will kill me if…") as hyperbole, before anything is treated. */
  private markIdioms(tokens: readonly Token[], entries: readonly (WordEntry | undefined)[], facts: ContextFacts): void {
    for (let i = 0; i < tokens.length; i += 1) {
      const idioms = entries[i]?.idioms;
      if (!idioms) continue;
      for (const spec of idioms) {
        if (!mayMatch(entries, spec, i) || !matchSpec(tokens, entries, spec, i)) continue;
        const sentence = tokens[i]?.sentence ?? 0;
        facts.sentenceFlags[sentence] = (facts.sentenceFlags[sentence] ?? 0) | CUE.HYPERBOLE;
      }
    }
  }

  /** Built-in pattern hits, one per pattern (the best treated), in the order found. */
  private patternHits(tokens: readonly Token[], entries: readonly (WordEntry | undefined)[], facts: ContextFacts): Hit[] {
    let best: Map<string, Hit> | null = null;
    for (let i = 0; i < tokens.length; i += 1) {
      const anchors = entries[i]?.anchors;
      if (!anchors) continue;
      for (const spec of anchors) {
        if (!mayMatch(entries, spec, i)) continue;
        const { pattern } = spec;
        const current = best?.get(pattern.id);
        if (current?.treatment === 'counted') continue;
        if (pattern.requires === 'partner' && (facts.messageFlags & CUE.PARTNER) === 0) continue;
        if (pattern.requires === 'child' && (facts.messageFlags & CUE.CHILD) === 0) continue;
        const hit = matchSpec(tokens, entries, spec, i);
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
          const chosen: Hit = { pattern, from: hit.from, to: hit.to, treatment };
          if (negatedBy) chosen.negatedBy = negatedBy;
          (best ??= new Map()).set(pattern.id, chosen);
        }
      }
    }
    return best === null ? [] : [...best.values()];
  }

  /** Scores a text and says why. Each rule and each pattern counts once, at its best occurrence. */
  score(text: string, context: TriageContext = {}): TriageResult {
    const normalised = this.normalise(text);
    const { tokens } = normalised;
    const entries = this.entriesOf(tokens);
    const facts = collectContext(text, normalised, entries);
    this.markIdioms(tokens, entries, facts);

    // Rules: how each occurrence would count on its own, then one per rule (the best).
    const all = this.rules.length === 0 ? [] : this.occurrences(tokens, entries);
    const matches: TriageMatch[] = [];
    for (const occurrence of all) {
      const { rule } = occurrence;
      const firstStart = tokens[occurrence.from]?.start;
      let isSingleWord = true;
      for (let k = occurrence.from; k < occurrence.to; k += 1) {
        if (tokens[k]?.start !== firstStart) {
          isSingleWord = false;
          break;
        }
      }
      const { treatment, negatedBy } = treatmentOf(tokens, facts, {
        from: occurrence.from,
        to: occurrence.to,
        // A single word needs a person or place nearby; "missing" (or "ar goll") always needs someone.
        isSingleWord: (isSingleWord && rule.weight >= CONTEXT_WEIGHT) || (rule.category === 'missing_person' && !this.namesSomeone(facts, occurrence)),
        needs: rule.category === 'missing_person' ? CUE.PERSON : PERSON_OR_PLACE,
        isHyperboleProne: HYPERBOLE_PRONE.has(rule.category),
        isExclusion: rule.weight <= 0,
      });
      const match = this.toMatch(text, tokens, occurrence, treatment);
      if (negatedBy) match.negatedBy = negatedBy;
      matches.push(match);
    }
    const hits = this.patternHits(tokens, entries, facts);
    return assembleResult({ version: this.version, text, normalised, entries, facts, matches, occurrences: all, hits, context });
  }
}
