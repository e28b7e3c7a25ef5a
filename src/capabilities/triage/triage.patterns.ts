import { phraseTokens, type Token } from './triage.normalise.ts';
import type { Priority, TriageCategory } from './triage.schema.ts';

// Phrase patterns over normalised tokens: "he said he'd kill me", "I'm going to stab you", "he
// checks my phone", "my son hasn't come home". A pattern is a short sequence of slots written in a
// small notation and anchored on one word; matching starts only where an anchor word occurs and
// looks a bounded number of tokens either side, within one sentence. So the cost is one lookup
// per token plus a bounded check per anchor: linear in the message, whatever it holds.
//
// Notation, slots separated by spaces:
//   kill|stab      one token, any of these (an underscore joins words: going_to)
//   @THREAT_VERB   any phrase of a class (classes may name other classes)
//   *              any one word
//   ~3             up to three words that are not negations
//   ?              after a slot: the slot may be absent
//   !to|me         nothing is consumed; the next token must not be one of these
//   ^              before a slot: the anchor (a phrase is anchored on its first word)

/** What a message mentions anywhere, which some patterns require. */
export type MessageFlag = 'partner' | 'child';

export type PatternDef = {
  id: string;
  category: TriageCategory | null;
  points: number;
  /** When counted, the contact is at least this urgent. */
  floor?: Priority;
  specs: readonly string[];
  label: { en: string; cy: string };
  requires?: MessageFlag;
  /** Idioms and hyperbole ("kms this exam", "dying of laughter") defuse it. */
  isHyperboleProne?: boolean;
  /** An idiom: a match marks its sentence as hyperbole and scores nothing. */
  isIdiom?: boolean;
  /** A second category when the message names a partner or ex (violence by a partner is domestic abuse). */
  partnerCategory?: TriageCategory;
};

/**
 * A slot's phrases as two token tries, one read forwards and one backwards (last word first), so
 * reading a slot costs one lookup per token read, however many phrases it holds ("my son", "my
 * 15 year old daughter", … share one path through "my").
 */
type PhraseTrie = { next: Map<string, PhraseTrie> | null; ends: boolean; id: number };
type OptionIndex = { forward: PhraseTrie; backward: PhraseTrie };

type Slot =
  | { kind: 'set'; options: string[][]; optional: boolean; index: OptionIndex }
  | { kind: 'any'; optional: boolean }
  | { kind: 'gap'; max: number }
  | { kind: 'not'; options: string[][] };

export type CompiledSpec = {
  pattern: PatternDef;
  left: Slot[];
  right: Slot[];
  /**
   * When the first slot after (before) the anchor is words that must be there, the number of its
   * trie read forwards (backwards), else -1: a word next to the anchor that starts none of them
   * rules the spec out without reading it (see `mayMatch`). Set by `numberSlotTries`.
   */
  rightGate: number;
  leftGate: number;
};

export type PatternHit = { pattern: PatternDef; from: number; to: number; anchor: number };

export type PatternIndex = ReadonlyMap<string, readonly CompiledSpec[]>;

/** Tokens the gaps never step over: a negation changes the meaning of what follows. */
export const GAP_STOPPERS = new Set(['not', 'never', 'no', 'nobody', 'nothing', 'none', 'without', 'ddim', 'dim', 'heb', 'nid', 'na']);

/**
 * What one compilation has already read: the patterns name the same classes and write the same
 * slots ("@THREAT_VERB", "me|us") hundreds of times, and reading each once, not every time, is most
 * of what building the tables costs. A slot read once is shared by every spec that writes it: it
 * is never changed after it is built (numberSlotTries numbers its tries once), and its phrases and
 * tries are the same as if it were read again.
 */
type Compiling = {
  classes: Readonly<Record<string, readonly string[]>>;
  classPhrases: Map<string, readonly string[][]>;
  wordTokens: Map<string, string[]>;
  slots: Map<string, Slot>;
};

function expandOption(option: string, compiling: Compiling, seen: ReadonlySet<string>): readonly string[][] {
  if (option.startsWith('@')) {
    const name = option.slice(1);
    const members = compiling.classes[name];
    if (!members) throw new Error(`unknown pattern class @${name}`);
    if (seen.has(name)) throw new Error(`pattern class @${name} refers to itself`);
    // A class that refers to itself throws the first time it is read, so a remembered one never does.
    const known = compiling.classPhrases.get(name);
    if (known) return known;
    const inner = new Set(seen).add(name);
    const phrases = members.flatMap((member) => expandPhrase(member, compiling, inner));
    compiling.classPhrases.set(name, phrases);
    return phrases;
  }
  let tokens = compiling.wordTokens.get(option);
  if (!tokens) {
    tokens = phraseTokens(option.replaceAll('_', ' '));
    compiling.wordTokens.set(option, tokens);
  }
  return [tokens];
}

/** A class member may itself mix words and classes: "@YOUNG_AGE year old". */
function expandPhrase(phrase: string, compiling: Compiling, seen: ReadonlySet<string>): string[][] {
  let results: string[][] = [[]];
  for (const part of phrase.split(' ').filter((p) => p !== '')) {
    const options = expandOption(part, compiling, seen);
    results = results.flatMap((prefix) => options.map((option) => [...prefix, ...option]));
  }
  return results;
}

function parseSlot(raw: string, compiling: Compiling): Slot {
  const known = compiling.slots.get(raw);
  if (known) return known;
  const slot = readSlot(raw, compiling);
  compiling.slots.set(raw, slot);
  return slot;
}

function readSlot(raw: string, compiling: Compiling): Slot {
  if (raw.startsWith('~')) return { kind: 'gap', max: Number(raw.slice(1)) };
  const optional = raw.endsWith('?');
  const body = optional ? raw.slice(0, -1) : raw;
  if (body === '*') return { kind: 'any', optional };
  const none = new Set<string>();
  if (body.startsWith('!')) return { kind: 'not', options: body.slice(1).split('|').flatMap((o) => expandOption(o, compiling, none)) };
  const options = body.split('|').flatMap((o) => expandOption(o, compiling, none));
  return setSlot(options.filter((o) => o.length > 0), optional);
}

function addToTrie(root: PhraseTrie, words: readonly string[]): void {
  let node = root;
  for (const word of words) {
    node.next ??= new Map();
    let child = node.next.get(word);
    if (!child) {
      child = { next: null, ends: false, id: -1 };
      node.next.set(word, child);
    }
    node = child;
  }
  node.ends = true;
}

function setSlot(options: string[][], optional: boolean): Slot {
  const index: OptionIndex = { forward: { next: null, ends: false, id: -1 }, backward: { next: null, ends: false, id: -1 } };
  for (const option of options) {
    if (option.length === 0) continue;
    if (option.length > MAX_OPTION_WORDS) throw new Error(`a pattern slot phrase has more than ${MAX_OPTION_WORDS} words: ${option.join(' ')}`);
    addToTrie(index.forward, option);
    addToTrie(index.backward, [...option].reverse());
  }
  return { kind: 'set', options, optional, index };
}

/** A slot phrase is at most this many words, so the lengths that read fit in one 32-bit mask. */
const MAX_OPTION_WORDS = 30;

/**
 * What the word index says of a token for patterns: the slot tries whose phrases start with its
 * word (bit `id` of a trie numbered by `numberSlotTries`), or null for none.
 */
export type SlotEntry = { starts: Uint32Array | null };

/**
 * The lengths of the slot's phrases that read at `at` going in `step`, as a bit mask (bit n set:
 * the phrase of n words reads), or 0. Two phrases of one length that both read would be the same
 * words, so each length is one phrase. A mask rather than a list: nothing is allocated. A numbered
 * trie is asked of the token's entry first, which says whether any of its phrases starts with the
 * word without a lookup in the trie: most words start none.
 */
function phraseLengthsAt(
  tokens: readonly Token[],
  entries: readonly (SlotEntry | undefined)[],
  trie: PhraseTrie,
  at: number,
  step: 1 | -1,
  sentence: number,
): number {
  if (trie.id >= 0) {
    const starts = entries[at]?.starts;
    if (!starts || ((starts[trie.id >>> 5] ?? 0) & (1 << (trie.id & 31))) === 0) return 0;
  }
  let lengths = 0;
  let node: PhraseTrie | undefined = trie;
  for (let k = 0; node?.next; k += 1) {
    const token = tokens[at + k * step];
    if (!token || token.sentence !== sentence) break;
    node = node.next.get(token.text);
    if (!node) break;
    if (node.ends) lengths |= 1 << (k + 1);
  }
  return lengths;
}

/**
 * Numbers the tries of every slot of the compiled specs and calls `starts` with each word a slot
 * phrase starts with (read forwards) or ends with (read backwards) and the trie's number; returns
 * how many tries there are. The caller keeps the numbers in each word's entry (see SlotEntry).
 */
export function numberSlotTries(index: ReadonlyMap<string, readonly CompiledSpec[]>, starts: (word: string, id: number) => void): number {
  let count = 0;
  const number = (trie: PhraseTrie) => {
    if (trie.id >= 0) return;
    trie.id = count;
    count += 1;
    for (const word of trie.next?.keys() ?? []) starts(word, trie.id);
  };
  for (const specs of index.values()) {
    for (const spec of specs) {
      for (const slot of [...spec.left, ...spec.right]) {
        if (slot.kind !== 'set') continue;
        number(slot.index.forward);
        number(slot.index.backward);
      }
      const [right] = spec.right;
      const [left] = spec.left;
      spec.rightGate = right?.kind === 'set' && !right.optional ? right.index.forward.id : -1;
      spec.leftGate = left?.kind === 'set' && !left.optional ? left.index.backward.id : -1;
    }
  }
  return count;
}

const startsTrie = (entry: SlotEntry | undefined, id: number) => {
  const starts = entry?.starts;
  return starts !== null && starts !== undefined && ((starts[id >>> 5] ?? 0) & (1 << (id & 31))) !== 0;
};

/**
 * False when the words either side of the anchor at `at` rule the spec out: the slot next to the
 * anchor must be words, and the word there starts none of them. Cheaper than `matchSpec`, which
 * would answer null; true says nothing.
 */
export function mayMatch(entries: readonly (SlotEntry | undefined)[], spec: CompiledSpec, at: number): boolean {
  if (spec.rightGate >= 0 && !startsTrie(entries[at + 1], spec.rightGate)) return false;
  return spec.leftGate < 0 || startsTrie(entries[at - 1], spec.leftGate);
}

/** Compiles every pattern into an index from anchor word to the specs anchored on it. */
export function compilePatterns(defs: readonly PatternDef[], classes: Readonly<Record<string, readonly string[]>>): Map<string, CompiledSpec[]> {
  const index = new Map<string, CompiledSpec[]>();
  const compiling: Compiling = { classes, classPhrases: new Map(), wordTokens: new Map(), slots: new Map() };
  for (const pattern of defs) {
    for (const spec of pattern.specs) {
      const parts = spec.split(' ').filter((p) => p !== '');
      const anchorAt = parts.findIndex((p) => p.startsWith('^'));
      if (anchorAt < 0) throw new Error(`pattern ${pattern.id} has no anchor: ${spec}`);
      const anchor = parseSlot((parts[anchorAt] ?? '').slice(1), compiling);
      if (anchor.kind !== 'set' || anchor.optional) throw new Error(`pattern ${pattern.id}: the anchor must be words: ${spec}`);
      const left = parts.slice(0, anchorAt).map((p) => parseSlot(p, compiling)).reverse();
      const right = parts.slice(anchorAt + 1).map((p) => parseSlot(p, compiling));
      const single: CompiledSpec = { pattern, left, right, rightGate: -1, leftGate: -1 };
      for (const [word, ...rest] of anchor.options) {
        if (word === undefined) continue;
        // A phrase as anchor ("blow up") is anchored on its first word; the rest must follow it.
        const compiled = rest.length === 0 ? single : { pattern, left, right: [setSlot([rest], false), ...right], rightGate: -1, leftGate: -1 };
        const list = index.get(word);
        if (!list) index.set(word, [compiled]);
        else if (!list.includes(compiled)) list.push(compiled);
      }
    }
  }
  return index;
}

/** Does the option's token sequence read at `at`, going in `step` (+1 forwards, -1 backwards)? */
function readsAt(tokens: readonly Token[], option: readonly string[], at: number, step: 1 | -1, sentence: number): boolean {
  for (let k = 0; k < option.length; k += 1) {
    const token = tokens[at + k * step];
    const word = option[step === 1 ? k : option.length - 1 - k];
    if (!token || token.sentence !== sentence || token.text !== word) return false;
  }
  return true;
}

/** Matches `slots` from `at` in direction `step`; the position after the last token read, or -2. */
function walk(
  tokens: readonly Token[],
  entries: readonly (SlotEntry | undefined)[],
  slots: readonly Slot[],
  k: number,
  at: number,
  step: 1 | -1,
  sentence: number,
): number {
  const slot = slots[k];
  if (!slot) return at;
  if (slot.kind === 'gap') {
    for (let g = 0; g <= slot.max; g += 1) {
      if (g > 0) {
        const token = tokens[at + (g - 1) * step];
        if (!token || token.sentence !== sentence || token.kind === 'masked' || GAP_STOPPERS.has(token.text)) break;
      }
      const end = walk(tokens, entries, slots, k + 1, at + g * step, step, sentence);
      if (end !== -2) return end;
    }
    return -2;
  }
  if (slot.kind === 'not') {
    // Only the words of the same clause can undo a match ("my son is missing, his phone is off").
    const sameClause = tokens[at]?.clause === tokens[at - step]?.clause;
    if (sameClause) for (const option of slot.options) if (readsAt(tokens, option, at, step, sentence)) return -2;
    return walk(tokens, entries, slots, k + 1, at, step, sentence);
  }
  if (slot.kind === 'any') {
    const token = tokens[at];
    if (token && token.sentence === sentence && token.kind === 'word') {
      const end = walk(tokens, entries, slots, k + 1, at + step, step, sentence);
      if (end !== -2) return end;
    }
  } else {
    // Longest first, so a longer phrase is tried before its prefix.
    let lengths = phraseLengthsAt(tokens, entries, step === 1 ? slot.index.forward : slot.index.backward, at, step, sentence);
    while (lengths !== 0) {
      const length = 31 - Math.clz32(lengths);
      lengths &= ~(1 << length);
      const end = walk(tokens, entries, slots, k + 1, at + length * step, step, sentence);
      if (end !== -2) return end;
    }
  }
  return slot.optional ? walk(tokens, entries, slots, k + 1, at, step, sentence) : -2;
}

/** The spec read around the anchor token at `at`, as a token range, or null. `entries[i]` is token i's entry in the word index. */
export function matchSpec(tokens: readonly Token[], entries: readonly (SlotEntry | undefined)[], spec: CompiledSpec, at: number): PatternHit | null {
  const sentence = tokens[at]?.sentence ?? -1;
  const right = walk(tokens, entries, spec.right, 0, at + 1, 1, sentence);
  if (right === -2) return null;
  const left = walk(tokens, entries, spec.left, 0, at - 1, -1, sentence);
  if (left === -2) return null;
  return { pattern: spec.pattern, from: left + 1, to: right, anchor: at };
}
