import { createRequire } from 'node:module';
import { CUE, CUE_PHRASES } from './triage.cues.ts';
import type { CueNode } from './triage.context.ts';
import { phraseTokens } from './triage.normalise.ts';
import { compilePatterns, numberSlotTries, type CompiledSpec, type PatternDef } from './triage.patterns.ts';
import { PATTERN_CLASSES } from './triage.patterns-classes.ts';
import { IDIOM_PATTERNS, THREAT_PATTERNS } from './triage.patterns-threats.ts';
import { SELF_HARM_PATTERNS } from './triage.patterns-self-harm.ts';
import { CARE_PATTERNS } from './triage.patterns-care.ts';
import type { TriageRule } from './triage.schema.ts';

// Everything the engine knows about a word, in one map, so reading a token costs one lookup:
// its cues (and the cue phrases that start with it), its AFINN sentiment, the patterns anchored
// on it and, per rule set, the rules that start with it.

/** A node of the token trie over a rule set's phrases and variants. */
export type RuleNode = { next: Map<string, RuleNode> | null; rule: TriageRule | null };

export type WordEntry = {
  cue: CueNode | null;
  afinn: number;
  anchors: readonly CompiledSpec[] | null;
  /** Idiom patterns anchored on the word ("mum will kill me if…"), read before anything is treated. */
  idioms: readonly CompiledSpec[] | null;
  rule: RuleNode | null;
  /** The pattern slot tries whose phrases start with the word (see SlotEntry in triage.patterns.ts). */
  starts: Uint32Array | null;
  /**
   * Whether the word counts as known to the rule set (never read as a slip, joined when spaced
   * out): false for a word with an entry only because a pattern slot starts with it.
   */
  isKnown: boolean;
};

/** Every built-in pattern, English first. */
export const ALL_PATTERNS: readonly PatternDef[] = [...IDIOM_PATTERNS, ...THREAT_PATTERNS, ...SELF_HARM_PATTERNS, ...CARE_PATTERNS];

/** AFINN's word scores, read when the tables are built rather than when the module is imported. */
const readAfinn = () => createRequire(import.meta.url)('sentiment/languages/en/labels.json') as Record<string, number>;

function buildStatic(): Map<string, WordEntry> {
  const map = new Map<string, WordEntry>();
  const entry = (word: string): WordEntry => {
    let found = map.get(word);
    if (!found) {
      found = { cue: null, afinn: 0, anchors: null, idioms: null, rule: null, starts: null, isKnown: true };
      map.set(word, found);
    }
    return found;
  };
  for (const [word, score] of Object.entries(readAfinn())) {
    if (/^[a-z]+$/u.test(word)) entry(word).afinn = score;
  }
  for (const [flag, phrases] of CUE_PHRASES) {
    for (const phrase of phrases) {
      const [first, ...rest] = phraseTokens(phrase);
      if (first === undefined) continue;
      const start = entry(first);
      start.cue ??= { flags: 0, next: null };
      let node = start.cue;
      for (const word of rest) {
        node.next ??= new Map();
        let child = node.next.get(word);
        if (!child) {
          child = { flags: 0, next: null };
          node.next.set(word, child);
        }
        node = child;
      }
      node.flags |= flag;
    }
  }
  const compiled = compilePatterns(ALL_PATTERNS, PATTERN_CLASSES);
  for (const [word, specs] of compiled) {
    const scoring = specs.filter((spec) => !spec.pattern.isIdiom);
    const idioms = specs.filter((spec) => spec.pattern.isIdiom);
    if (scoring.length > 0) entry(word).anchors = scoring;
    if (idioms.length > 0) entry(word).idioms = idioms;
  }
  // Which slot tries each word starts, so a slot is tried only where its first word is written.
  const slotStarts: [string, number][] = [];
  const tries = numberSlotTries(compiled, (word, id) => slotStarts.push([word, id]));
  for (const [word, id] of slotStarts) {
    let found = map.get(word);
    if (!found) {
      found = { cue: null, afinn: 0, anchors: null, idioms: null, rule: null, starts: null, isKnown: false };
      map.set(word, found);
    }
    found.starts ??= new Uint32Array(Math.ceil(tries / 32));
    found.starts[id >>> 5] = (found.starts[id >>> 5] ?? 0) | (1 << (id & 31));
  }
  // Every word a cue, a class or a pattern names is a real word: never read as a slip for another.
  const texts = [...CUE_PHRASES.flatMap(([, phrases]) => phrases), ...Object.values(PATTERN_CLASSES).flat(), ...ALL_PATTERNS.flatMap((p) => p.specs)];
  for (const text of texts) {
    for (const word of text.split(/[\s|_^?!~*@]+/u)) if (/^[a-z]{4,}$/u.test(word)) KNOWN_WORDS.add(word);
  }
  // Their entries say so, so whether a word is known costs one lookup.
  for (const word of KNOWN_WORDS) {
    const found = map.get(word);
    if (found) found.isKnown = true;
    else map.set(word, { cue: null, afinn: 0, anchors: null, idioms: null, rule: null, starts: null, isKnown: true });
  }
  return map;
}

/** Words the engine has a use for, beyond those with an entry. */
const KNOWN_WORDS = new Set<string>();

let built: Map<string, WordEntry> | undefined;

/**
 * The static entries (cues, lexicon, pattern anchors), built on first use rather than at import:
 * a command that never triages (the CLI's, say) does not pay for them.
 */
function staticWords(): Map<string, WordEntry> {
  built ??= buildStatic();
  return built;
}

/**
 * Builds the static entries now. A serving process calls this before it takes requests: built on
 * the first report instead, they held the event loop for about half a second, long enough for the
 * admission gate to turn the public away.
 */
export function prepareStaticWords(): void {
  staticWords();
}

/** Whether the static entries are built (for the test that a serving process builds them first). */
export function areStaticWordsBuilt(): boolean {
  return built !== undefined;
}

/** Drops the static entries so the next use builds them again (tests share one process per worker). */
export function forgetStaticWords(): void {
  built = undefined;
}

/** The static entries plus a trie over the rule set's phrases (leftmost-longest is the caller's). */
export function buildWordIndex(rules: readonly TriageRule[]): { words: Map<string, WordEntry>; ruleTerms: Set<string> } {
  const statics = staticWords();
  const words = new Map(statics);
  const ruleTerms = new Set<string>();
  for (const rule of rules) {
    const seen = new Set<string>();
    for (const pattern of [rule.phrase, ...(rule.variants ?? [])]) {
      if (pattern.trim() === '') continue;
      const tokens = phraseTokens(pattern);
      const key = tokens.join(' ');
      if (tokens.length === 0 || seen.has(key)) continue;
      seen.add(key);
      const [first, ...rest] = tokens;
      if (first === undefined) continue;
      for (const token of tokens) ruleTerms.add(token);
      const base = words.get(first);
      const own: WordEntry = base && base === statics.get(first) ? { ...base } : (base ?? { cue: null, afinn: 0, anchors: null, idioms: null, rule: null, starts: null, isKnown: true });
      own.isKnown = true;
      words.set(first, own);
      own.rule ??= { next: null, rule: null };
      let node = own.rule;
      for (const word of rest) {
        node.next ??= new Map();
        let child = node.next.get(word);
        if (!child) {
          child = { next: null, rule: null };
          node.next.set(word, child);
        }
        node = child;
      }
      // The first rule to claim a phrase keeps it, as the first pattern did before.
      node.rule ??= rule;
    }
  }
  return { words, ruleTerms };
}

/** True for a word a cue, class or pattern names (so it is never corrected into another). */
export function isKnownWord(word: string): boolean {
  staticWords();
  return KNOWN_WORDS.has(word);
}

/** Words the patterns are anchored on: key terms for misspelling too ("threatend", "strangeled"). */
export function patternAnchorWords(): string[] {
  return [...staticWords().entries()].filter(([, entry]) => entry.anchors !== null || entry.idioms !== null).map(([word]) => word);
}

/** The cue flags that name a person (the writer included) or a place: what a single word needs nearby. */
export const PERSON_OR_PLACE = CUE.PERSON | CUE.FIRST_PERSON | CUE.PLACE;
