import { CONTRACTION_ENDINGS, EXPANSIONS, IS_BEFORE_S } from './triage.lexicon.ts';

// What a written word stands for after contractions and slang ("im" is "i am", "didn't" is "did
// not").

/** The words a written word stands for, after contractions and slang; null when it stands for itself. */
export function expand(word: string): readonly string[] | null {
  const known = EXPANSIONS.get(word);
  if (known) return known;
  const apostrophe = word.indexOf("'");
  if (apostrophe < 0) return null;
  for (const [ending, full] of CONTRACTION_ENDINGS) {
    if (word.endsWith(ending) && word.length > ending.length) return [word.slice(0, -ending.length), full];
  }
  if (word.endsWith("'s")) {
    const base = word.slice(0, -2);
    return IS_BEFORE_S.has(base) ? [base, 'is'] : [base];
  }
  // Welsh elisions and the rest ("mae'n", "i'r", "o'clock"): the parts are words of their own.
  return word.split("'").filter((part) => part !== '');
}

/** A written word lower-cased, with what it expands to (see `expand`). */
export type WrittenWord = { word: string; expansion: readonly string[] | null };

// People write the same few thousand words again and again. Each plain ASCII word read is kept
// once, lower-cased and expanded, so one seen before is neither copied, lower-cased nor expanded
// again, and the same string (whose hash it keeps) reaches every later lookup. Open addressing
// with at most PROBES slots tried, so a lookup costs the word's length whatever was written
// before; emptied when half full, so it never holds more than SIZE / 2 words.
const BITS = 15;
const SIZE = 1 << BITS;
const MASK = SIZE - 1;
const PROBES = 8;
const MAX_KEPT_LENGTH = 24;
const kept = new Array<WrittenWord | undefined>(SIZE).fill(undefined);
let keptCount = 0;

const lowerAscii = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);

function fresh(text: string, start: number, end: number): WrittenWord {
  const word = text.slice(start, end).toLowerCase();
  return { word, expansion: expand(word) };
}

/** FNV-1a over the lower-cased code units: the hash `asciiWord` is given. */
export const WORD_HASH_SEED = 0x811c9dc5;
export const WORD_HASH_PRIME = 0x01000193;

/**
 * `text` from `start` to `end` lower-cased, with what it expands to. Only for a word of ASCII
 * letters and apostrophes, whose lower case is one code unit for one; `hash` is FNV-1a over
 * those lower-cased code units (the caller has just read them), `hasUpper` whether any is a capital.
 */
export function asciiWord(text: string, start: number, end: number, hash: number, hasUpper: boolean): WrittenWord {
  const length = end - start;
  if (length > MAX_KEPT_LENGTH) return fresh(text, start, end);
  let slot = hash >>> (32 - BITS);
  for (let probe = 0; probe < PROBES; probe += 1) {
    const entry = kept[slot];
    if (entry === undefined) {
      if (keptCount >= SIZE / 2) {
        kept.fill(undefined);
        keptCount = 0;
      }
      const added = fresh(text, start, end);
      kept[slot] = added;
      keptCount += 1;
      return added;
    }
    const { word } = entry;
    if (word.length === length && (hasUpper ? sameInLowerCase(word, text, start) : text.startsWith(word, start))) return entry;
    slot = (slot + 1) & MASK;
  }
  return fresh(text, start, end);
}

function sameInLowerCase(word: string, text: string, start: number): boolean {
  for (let k = 0; k < word.length; k += 1) if (word.charCodeAt(k) !== lowerAscii(text.charCodeAt(start + k))) return false;
  return true;
}
