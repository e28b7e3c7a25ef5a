import { NEVER_TYPOS } from './triage.lexicon.ts';
import { DICTIONARY_NEIGHBOURS } from './triage.slip-guard.ts';

// One-edit misspellings of a rule set's key terms ("knofe", "stabed", "threatend", "macheete"),
// found with a precomputed deletion index (symmetric delete): every key term and each of its
// single-letter deletions is a key. A written word is looked up as itself and with each of its
// letters deleted in turn, so the cost is linear in the word's length whatever the number of
// terms. Only terms and words of five letters or more take part (a shorter Welsh word is too
// often one letter from an English term: "drin" is not "drink"), and a word that is itself a real word
// ("shouting", "strange", "attached") is never corrected.

export const MIN_SLIP_TERM_LENGTH = 5;
/** Corrections remembered per index: people write the same few thousand words again and again. */
const REMEMBERED = 20_000;
/** Letters two candidate terms must share to count as forms of one word. */
const STEM = 6;

const LETTERS_ONLY = /^[a-z]+$/u;

/** True when a and b are at most one insertion, deletion, substitution or adjacent swap apart. */
export function isOneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i += 1;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // adjacent swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Typos keep the first letter, except a dropped silent first letter ("nife") or the first two
 * letters swapped: a different first letter is where real words collide ("lighting", "harmed").
 */
function isPlausibleSlip(word: string, term: string): boolean {
  if (word[0] === term[0]) return true;
  if (SILENT_FIRST.has(term[0] ?? '') && term.slice(1) === word) return true;
  return word[0] === term[1] && word[1] === term[0];
}

/** First letters people drop because they are not heard: knife, wrist, gnaw, hour, psycho. */
const SILENT_FIRST = new Set(['k', 'w', 'g', 'h', 'p']);

export class SlipIndex {
  private readonly terms = new Set<string>();
  private readonly deletions = new Map<string, string[]>();
  private readonly maxLength: number;
  /** Each word's answer (null: no correction), until REMEMBERED words; then it starts again. */
  private readonly answers = new Map<string, string | null>();

  constructor(terms: Iterable<string>) {
    let maxLength = 0;
    for (const term of terms) {
      if (term.length < MIN_SLIP_TERM_LENGTH || !LETTERS_ONLY.test(term) || this.terms.has(term)) continue;
      this.terms.add(term);
      maxLength = Math.max(maxLength, term.length);
      for (let i = 0; i < term.length; i += 1) {
        const key = term.slice(0, i) + term.slice(i + 1);
        const list = this.deletions.get(key);
        if (!list) this.deletions.set(key, [term]);
        else if (!list.includes(term)) list.push(term);
      }
    }
    this.maxLength = maxLength;
  }

  get size(): number {
    return this.terms.size;
  }

  /** The one key term `word` is a plausible one-edit slip for, or undefined (none, or more than one). */
  correct(word: string): string | undefined {
    const known = this.answers.get(word);
    if (known !== undefined) return known ?? undefined;
    const answer = this.find(word);
    if (this.answers.size >= REMEMBERED) this.answers.clear();
    this.answers.set(word, answer ?? null);
    return answer;
  }

  private find(word: string): string | undefined {
    const length = word.length;
    if (length < MIN_SLIP_TERM_LENGTH || length > this.maxLength + 1 || this.terms.has(word)) return undefined;
    if (NEVER_TYPOS.has(word) || DICTIONARY_NEIGHBOURS.has(word) || !LETTERS_ONLY.test(word)) return undefined;
    let found: string | undefined;
    const consider = (term: string): boolean => {
      if (term === found || !isOneEditApart(word, term) || !isPlausibleSlip(word, term)) return true;
      // Two terms fit: keep one only if both are forms of one word ("threatening", "threating").
      if (found !== undefined) return found.slice(0, STEM) === term.slice(0, STEM);
      found = term;
      return true;
    };
    for (const term of this.deletions.get(word) ?? []) if (!consider(term)) return undefined;
    for (let i = 0; i < length; i += 1) {
      const key = word.slice(0, i) + word.slice(i + 1);
      if (this.terms.has(key) && !consider(key)) return undefined;
      for (const term of this.deletions.get(key) ?? []) if (!consider(term)) return undefined;
    }
    return found !== undefined && found.length >= MIN_SLIP_TERM_LENGTH ? found : undefined;
  }
}
