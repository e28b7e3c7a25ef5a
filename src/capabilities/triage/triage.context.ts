import { CUE } from './triage.cues.ts';
import type { Normalised, Token } from './triage.normalise.ts';
import type { MatchTreatment } from './triage.schema.ts';

// What surrounds an occurrence decides how it counts: a negation just before it, the news, a
// share or sympathy around it, a quotation (a victim quoting what was said to them counts in
// full; a quoted headline does not), a joke, or no person or place to make a single word mean
// anything. One pass over the tokens collects what each sentence holds; each occurrence then
// reads the facts of its own sentence in constant time.

/** A trie over cue phrases; a node's `flags` are the cues of the phrase that ends there. */
export type CueNode = { flags: number; next: Map<string, CueNode> | null };

export type Span = { start: number; end: number };

export type ContextFacts = {
  /** Cue flags of each token (the phrases starting there included). */
  tokenFlags: Int32Array;
  sentenceFlags: Int32Array;
  /** Per sentence: how many tokens name a person, and a place. */
  personCount: Int32Array;
  firstPersonCount: Int32Array;
  placeCount: Int32Array;
  messageFlags: number;
  /** Per quotation (0-based): does it count in full (a victim quoting a threat) or at half. */
  quoteIsVictim: boolean[];
  help: Span | null;
  urgency: Span | null;
};

/** How many tokens before an occurrence a negation may stand ("was not really armed"). */
const NEGATION_WINDOW = 3;
const HEADLINE_MIN_WORDS = 4;

/** What the word index holds on a token that matters here: the cue phrases starting with it. */
export type CueEntry = { cue: CueNode | null };

/** Collects the cues of every token and sentence. `entries[i]` is token i's entry in the word index. */
export function collectContext(text: string, normalised: Normalised, entries: readonly (CueEntry | undefined)[]): ContextFacts {
  const { tokens } = normalised;
  const tokenFlags = new Int32Array(tokens.length);
  const sentenceFlags = new Int32Array(normalised.sentenceCount + 1);
  const words = new Int32Array(normalised.sentenceCount + 1);
  const capitalised = new Int32Array(normalised.sentenceCount + 1);
  const personCount = new Int32Array(normalised.sentenceCount + 1);
  const firstPersonCount = new Int32Array(normalised.sentenceCount + 1);
  const placeCount = new Int32Array(normalised.sentenceCount + 1);
  let help: Span | null = null;
  let urgency: Span | null = null;

  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (!token) continue;
    if (token.kind === 'word' && token.origin !== 'expanded') {
      words[token.sentence] = (words[token.sentence] ?? 0) + 1;
      const first = text.charCodeAt(token.start);
      if (first >= 65 && first <= 90) capitalised[token.sentence] = (capitalised[token.sentence] ?? 0) + 1;
    }
    let node = token.text === '' ? undefined : (entries[i]?.cue ?? undefined);
    let j = i;
    let longestUrgency = -1;
    while (node) {
      const flags = node.flags;
      if (flags !== 0) {
        const previous = tokens[i - 1];
        const negatedJoke = (flags & CUE.HYPERBOLE) !== 0 && previous !== undefined && ((tokenFlags[i - 1] ?? 0) & CUE.NEGATOR) !== 0;
        const applied = negatedJoke ? flags & ~CUE.HYPERBOLE : flags;
        tokenFlags[i] = (tokenFlags[i] ?? 0) | applied;
        sentenceFlags[token.sentence] = (sentenceFlags[token.sentence] ?? 0) | applied;
        if ((applied & CUE.URGENCY) !== 0) longestUrgency = j;
        if ((applied & CUE.HELP) !== 0 && help === null) help = { start: token.start, end: tokens[j]?.end ?? token.end };
      }
      const next = tokens[j + 1];
      if (!node.next || !next || next.sentence !== token.sentence) break;
      node = node.next.get(next.text);
      j += 1;
    }
    const own = tokenFlags[i] ?? 0;
    if ((own & CUE.PERSON) !== 0) personCount[token.sentence] = (personCount[token.sentence] ?? 0) + 1;
    if ((own & CUE.FIRST_PERSON) !== 0) firstPersonCount[token.sentence] = (firstPersonCount[token.sentence] ?? 0) + 1;
    if ((own & CUE.PLACE) !== 0) placeCount[token.sentence] = (placeCount[token.sentence] ?? 0) + 1;
    if (longestUrgency >= 0 && urgency === null) urgency = { start: token.start, end: tokens[longestUrgency]?.end ?? token.end };
  }

  // A headline: mostly Capitalised Words with no I, me or you, or any sentence of a shared post.
  for (let s = 0; s < sentenceFlags.length; s += 1) {
    const count = words[s] ?? 0;
    const flags = sentenceFlags[s] ?? 0;
    const personal = (flags & (CUE.FIRST_PERSON | CUE.SECOND_PERSON)) !== 0;
    if (normalised.isShare || (count >= HEADLINE_MIN_WORDS && !personal && (capitalised[s] ?? 0) / count >= 0.6)) {
      sentenceFlags[s] = flags | CUE.MEDIA;
    }
  }
  // "lol" or "😂" standing on its own after a sentence is about that sentence.
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (!token || ((tokenFlags[i] ?? 0) & CUE.HYPERBOLE) === 0 || token.sentence === 0) continue;
    const previousSentence = token.sentence - 1;
    if ((words[token.sentence] ?? 0) <= 2) sentenceFlags[previousSentence] = (sentenceFlags[previousSentence] ?? 0) | CUE.HYPERBOLE;
  }

  let messageFlags = 0;
  for (const flags of sentenceFlags) messageFlags |= flags;

  const quoteIsVictim = normalised.quotes.map((quote) => {
    const first = tokens[quote.from];
    if (!first) return false;
    const flags = sentenceFlags[first.sentence] ?? 0;
    if ((flags & (CUE.MEDIA | CUE.SYMPATHY | CUE.HYPOTHETICAL)) !== 0) return false;
    if ((flags & CUE.MEDIA_WEAK) !== 0 && (flags & CUE.FIRST_PERSON) === 0) return false;
    // Someone said, texted or shouted it, to the person writing or within their hearing.
    return (flags & CUE.SPEECH) !== 0;
  });
  return { tokenFlags, sentenceFlags, personCount, firstPersonCount, placeCount, messageFlags, quoteIsVictim, help, urgency };
}

/** The negating token within a few tokens before `from` in the same clause, unless something cancels it. */
export function negationBefore(tokens: readonly Token[], facts: ContextFacts, from: number): Token | undefined {
  const clause = tokens[from]?.clause;
  for (let k = from - 1; k >= 0 && k >= from - NEGATION_WINDOW; k -= 1) {
    const token = tokens[k];
    if (!token || token.clause !== clause) return undefined;
    if (((facts.tokenFlags[k] ?? 0) & CUE.NEGATOR) === 0) continue;
    const after = facts.tokenFlags[k + 1] ?? 0;
    if ((after & CUE.NEUTRALISER) !== 0 && k + 1 < from) return undefined;
    return token;
  }
  return undefined;
}

export type Occurrence = {
  from: number;
  to: number;
  /** A single word on its own needs a person or place in its sentence to mean anything. */
  isSingleWord: boolean;
  /** The cues a single word needs nearby: a person, the writer or a place (someone else only, for "missing"). */
  needs: number;
  isHyperboleProne: boolean;
  isExclusion: boolean;
};

/** How an occurrence counts in its context, and the negating token when it does not. */
export function treatmentOf(tokens: readonly Token[], facts: ContextFacts, occurrence: Occurrence): { treatment: MatchTreatment; negatedBy?: string } {
  if (occurrence.isExclusion) return { treatment: 'counted' };
  const first = tokens[occurrence.from];
  if (!first) return { treatment: 'counted' };
  const negator = negationBefore(tokens, facts, occurrence.from);
  if (negator) return { treatment: 'negated', negatedBy: negator.text };
  const flags = facts.sentenceFlags[first.sentence] ?? 0;
  if (occurrence.isHyperboleProne && (flags & CUE.HYPERBOLE) !== 0) return { treatment: 'hyperbole' };
  if (first.quote > 0) {
    if (!facts.quoteIsVictim[first.quote - 1]) return { treatment: 'reported' };
  } else if (
    (flags & (CUE.MEDIA | CUE.SYMPATHY | CUE.HYPOTHETICAL)) !== 0 ||
    ((flags & CUE.MEDIA_WEAK) !== 0 && (flags & CUE.FIRST_PERSON) === 0)
  ) {
    return { treatment: 'reported' };
  }
  if (occurrence.isSingleWord) {
    // The word's own cue does not count for itself ("someone" is a person; "fight" is not).
    const own = facts.tokenFlags[occurrence.from] ?? 0;
    const people = (facts.personCount[first.sentence] ?? 0) - ((own & CUE.PERSON) !== 0 ? 1 : 0);
    const writers = (facts.firstPersonCount[first.sentence] ?? 0) - ((own & CUE.FIRST_PERSON) !== 0 ? 1 : 0);
    const places = (facts.placeCount[first.sentence] ?? 0) - ((own & CUE.PLACE) !== 0 ? 1 : 0);
    const cued =
      ((occurrence.needs & CUE.PERSON) !== 0 && people > 0) ||
      ((occurrence.needs & CUE.FIRST_PERSON) !== 0 && writers > 0) ||
      ((occurrence.needs & CUE.PLACE) !== 0 && places > 0);
    if (!cued) return { treatment: 'uncorroborated' };
  }
  return { treatment: 'counted' };
}
