import { APOS, classOf, DIGIT, isLetterClass, isWordClass, LETTER, LinkMarks, LOWER, MARK, NEWLINE, OTHER, SPACE, SURROGATE, UPPER } from './triage.chars.ts';
import { ABBREVIATIONS, EMOJI_WORDS } from './triage.lexicon.ts';
import { asciiWord, expand, WORD_HASH_PRIME, WORD_HASH_SEED } from './triage.written-words.ts';

// One pass over the text turns it into tokens that rules and patterns can match whatever the
// spelling: lower case, no accents, contractions and slang expanded, leetspeak decoded, spaced
// letters joined, emoji read as words, links and @handles masked, one-letter slips in key terms
// corrected. Every token keeps the UTF-16 offsets of the text it came from, so a highlight always
// lands on what the person wrote. Each character is looked at a bounded number of times.

export type TokenKind = 'word' | 'number' | 'emoji' | 'masked';
/** How the token's text was reached from what was written. */
export type TokenOrigin = 'plain' | 'leet' | 'spaced' | 'emoji' | 'expanded' | 'typo';

export type Token = {
  /** The normalised word: what rules and patterns compare. Empty for a masked link or handle. */
  text: string;
  start: number;
  end: number;
  kind: TokenKind;
  origin: TokenOrigin;
  sentence: number;
  clause: number;
  /** 1-based index into `quotes` of the quotation holding the token, or 0. */
  quote: number;
};

export type Quotation = { from: number; to: number; start: number; end: number };

export type Normalised = {
  tokens: Token[];
  quotes: Quotation[];
  sentenceCount: number;
  /** Words of two or more letters, and how many of them were written in capitals. */
  capsWords: number;
  shoutedWords: number;
  exclamationRuns: number;
  /** The first message starts with "RT @" or "via @": a share, not the person's own words. */
  isShare: boolean;
  /** How many characters were read (the text may be longer; see the engine's cap). */
  readLength: number;
};

/** What the normaliser may ask of the rule set it serves: is a word known, and what key term is it a slip for. */
export type Vocabulary = { knows(word: string): boolean; correct(word: string): string | undefined };

/** Symbols that stand for letters inside a word: kn!fe, r@pe, $tab, k*ll. */
const isLeetSymbol = (c: number) => c === 33 || c === 64 || c === 36 || c === 42 || c === 124;
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '!': 'i', '|': 'l' };

/** Words that start a clause; none is longer than four letters (see `push`). */
const CONJUNCTIONS = new Set(['but', 'and', 'then', 'ond', 'ac']);
const MAYBE_LINK = /^(?:https?:\/\/|www\.)|:\/\/|^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|uk|co|io|ly|gov|info|news|wales|cymru|me|tv|be|gl|ie|eu|us|app|dev|to|fm|online|social)(?:[/?#:]|$)/iu;
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/iu;
const TRAILING = /[.,!?;:)\]"'”’»]+$/u;

function fold(word: string, hasNonAscii: boolean): string {
  const lower = word.toLowerCase();
  if (!hasNonAscii) return lower;
  return lower.normalize('NFD').replace(/\p{M}/gu, '').replace(/[’‘`´ʼ]/gu, "'");
}

function decodeLeet(word: string, oneAs: string): string {
  let out = '';
  for (const ch of word) out += ch === '1' ? oneAs : (LEET[ch] ?? ch);
  return out;
}

/** Reads `text` (at most `limit` characters) into tokens. Linear in the length read. */
export function normaliseText(text: string, vocabulary?: Vocabulary, limit = Number.POSITIVE_INFINITY): Normalised {
  const n = Math.min(text.length, limit);
  const tokens: Token[] = [];
  const quotes: Quotation[] = [];
  let sentence = 0;
  let clause = 0;
  let capsWords = 0;
  let shoutedWords = 0;
  let exclamationRuns = 0;
  let maskedStart = -1;
  let maskedEnd = -1;
  // Open quotation: the token index it started at, its offset and kind (double or single).
  let openQuote: { from: number; start: number; single: boolean } | null = null;
  let tokensInSentence = 0;

  const breakSentence = () => {
    if (tokensInSentence > 0) sentence += 1;
    clause += 1;
    tokensInSentence = 0;
  };
  const push = (textOf: string, start: number, end: number, kind: TokenKind, origin: TokenOrigin) => {
    if (kind === 'word' && textOf.length <= 4 && CONJUNCTIONS.has(textOf)) clause += 1;
    tokens.push({ text: textOf, start, end, kind, origin, sentence, clause, quote: 0 });
    tokensInSentence += 1;
  };
  const closeQuote = (end: number) => {
    if (!openQuote) return;
    const id = quotes.length + 1;
    quotes.push({ from: openQuote.from, to: tokens.length, start: openQuote.start, end });
    for (let t = openQuote.from; t < tokens.length; t += 1) {
      const token = tokens[t];
      if (token && token.quote === 0) token.quote = id;
    }
    openQuote = null;
  };

  const marks = new LinkMarks(text, n);
  let i = 0;
  let chunkStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cls = classOf(c);
    if (cls === SPACE || cls === NEWLINE) {
      if (cls === NEWLINE) {
        breakSentence();
        // A quotation never runs past the end of a line or paragraph it did not close on.
        if (openQuote && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) openQuote = null;
      }
      chunkStart = true;
      i += 1;
      continue;
    }
    if (chunkStart) {
      chunkStart = false;
      // Only a chunk (the characters up to the next space) holding a character a link, an address
      // or a handle needs is looked at twice; the text's next such character is known already.
      const mark = marks.next(i);
      let j = i;
      let suspicious = false;
      if (mark < n) {
        while (j < n) {
          const cj = classOf(text.charCodeAt(j));
          if (cj === SPACE || cj === NEWLINE) break;
          if (j === mark) suspicious = true;
          j += 1;
        }
      }
      if (suspicious) {
        const chunk = text.slice(i, j);
        const lead = /^[("'“‘«[]*/u.exec(chunk)?.[0].length ?? 0;
        const body = chunk.slice(lead).replace(TRAILING, '');
        const first = body.charCodeAt(0);
        const isHandle = (first === 64 || first === 35) && body.length > 1 && isWordClass(classOf(body.charCodeAt(1)));
        if (isHandle || (body.length > 3 && (MAYBE_LINK.test(body) || EMAIL.test(body)))) {
          maskedStart = i + lead;
          maskedEnd = maskedStart + body.length;
        }
      }
    }
    if (i === maskedStart) {
      push('', maskedStart, maskedEnd, 'masked', 'plain');
      i = maskedEnd;
      continue;
    }
    if (isWordClass(cls) || ((c === 36 || c === 64) && isLetterClass(classOf(text.charCodeAt(i + 1))))) {
      // One written word: letters, digits, marks, inner apostrophes and inner leet symbols.
      const start = i;
      let hasNonAscii = false, hasUpper = false, hasLower = false, hasDigit = false, hasLeet = false, letters = 0;
      // The hash of the word in lower case, for the cache of words seen (see asciiWord).
      let hash = WORD_HASH_SEED;
      while (i < n) {
        const code = text.charCodeAt(i);
        const k = classOf(code);
        if (k === LOWER) { hasLower = true; letters += 1; hash = Math.imul(hash ^ code, WORD_HASH_PRIME); }
        else if (k === UPPER) { hasUpper = true; letters += 1; hash = Math.imul(hash ^ (code + 32), WORD_HASH_PRIME); }
        else if (k === LETTER || k === MARK) { hasNonAscii = true; letters += k === LETTER ? 1 : 0; }
        else if (k === DIGIT) hasDigit = true;
        else if (k === APOS || isLeetSymbol(code) || (i === start && (code === 36 || code === 64))) {
          const next = classOf(text.charCodeAt(i + 1));
          const inner = i > start && isWordClass(next);
          if (k === APOS && inner && isLetterClass(classOf(text.charCodeAt(i - 1)))) {
            if (code !== 39) hasNonAscii = true;
            hash = Math.imul(hash ^ code, WORD_HASH_PRIME);
          } else if (k !== APOS && (inner || (i === start && isLetterClass(next)))) hasLeet = true;
          else break;
        } else break;
        i += 1;
      }
      const end = i;
      if (!hasUpper && !hasLower && !hasNonAscii && !hasLeet) {
        push(text.slice(start, end), start, end, 'number', 'plain');
        continue;
      }
      if (letters >= 2) {
        capsWords += 1;
        if (hasUpper && !hasLower) shoutedWords += 1;
      }
      if (!hasNonAscii && !hasLeet && !hasDigit) {
        // Plain ASCII letters (and apostrophes): most words, read through the cache of words seen.
        const { word, expansion } = asciiWord(text, start, end, hash, hasUpper);
        if (expansion === null || (expansion.length === 1 && expansion[0] === word)) push(word, start, end, 'word', 'plain');
        else for (const part of expansion) push(part, start, end, 'word', 'expanded');
        continue;
      }
      const raw = text.slice(start, end);
      let word = fold(raw, hasNonAscii);
      let origin: TokenOrigin = 'plain';
      const first = word.charCodeAt(0);
      if ((hasDigit || hasLeet) && letters >= 1 && !(first >= 48 && first <= 57 && !hasLeet)) {
        word = decodeLeet(word, 'i');
        origin = 'leet';
      }
      const words = expand(word);
      if (words === null || (words.length === 1 && words[0] === word)) push(word, start, end, 'word', origin);
      else for (const part of words) push(part, start, end, 'word', origin === 'plain' ? 'expanded' : origin);
      continue;
    }
    if (cls === SURROGATE || c >= 0x2600) {
      const point = text.codePointAt(i) ?? c;
      const width = point > 0xffff ? 2 : 1;
      let end = i + width;
      // Skip the variation selector, skin tone and any joined sequence that follows.
      while (end < n) {
        const next = text.codePointAt(end) ?? 0;
        if (next === 0xfe0f || (next >= 0x1f3fb && next <= 0x1f3ff)) end += next > 0xffff ? 2 : 1;
        else if (next === 0x200d) {
          const joined = text.codePointAt(end + 1) ?? 0;
          end += 1 + (joined > 0xffff ? 2 : 1);
        } else break;
      }
      const meaning = EMOJI_WORDS.get(point);
      if (meaning) push(meaning, i, end, 'emoji', 'emoji');
      i = end;
      continue;
    }
    // Punctuation: sentence and clause breaks, quotation marks, exclamation runs.
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 32;
    const nextCls = classOf(next);
    if (c === 33 || c === 63) {
      let j = i;
      let bangs = 0;
      while (j < n && (text.charCodeAt(j) === 33 || text.charCodeAt(j) === 63)) {
        if (text.charCodeAt(j) === 33) bangs += 1;
        else bangs = 0;
        if (bangs === 2) exclamationRuns += 1;
        j += 1;
      }
      breakSentence();
      i = j;
      continue;
    }
    if (c === 46 || c === 0x2026) {
      const previous = tokens.at(-1);
      const abbreviation = c === 46 && previous !== undefined && previous.end === i && ABBREVIATIONS.has(previous.text);
      if (!abbreviation && (nextCls === SPACE || nextCls === NEWLINE || i + 1 >= n || next === 34 || next === 0x201d || next === 41 || c === 0x2026)) {
        breakSentence();
      }
    } else if (c === 44 || c === 59 || c === 58) {
      const prevDigit = i > 0 && classOf(text.charCodeAt(i - 1)) === DIGIT;
      if (!(prevDigit && nextCls === DIGIT)) clause += 1;
    } else if (c === 40 || c === 41 || c === 0x2013 || c === 0x2014 || (c === 45 && nextCls === SPACE)) {
      clause += 1;
    } else if (c === 34 || c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb) {
      const opens = c === 0x201c || c === 0xab || (c === 34 && (!openQuote || openQuote.single));
      if (opens) openQuote = { from: tokens.length, start: i, single: false };
      else closeQuote(i + 1);
    } else if (cls === APOS) {
      // A quotation in single marks opens before a word and closes after one; elsewhere it is an apostrophe.
      const before = i > 0 ? classOf(text.charCodeAt(i - 1)) : SPACE;
      if (!openQuote && (before === SPACE || before === NEWLINE || before === OTHER) && isLetterClass(nextCls) && c !== 0x2019) {
        openQuote = { from: tokens.length, start: i, single: true };
      } else if (openQuote?.single) closeQuote(i + 1);
    }
    i += 1;
  }

  const joined = vocabulary ? joinSpacedLetters(text, tokens, vocabulary) : tokens;
  if (vocabulary) correctSlips(joined, vocabulary, text);
  const firstWord = joined[0];
  const secondWord = joined[1];
  const isShare = firstWord !== undefined && (firstWord.text === 'rt' || firstWord.text === 'via') && secondWord?.kind === 'masked';
  return { tokens: joined, quotes, sentenceCount: sentence + 1, capsWords, shoutedWords, exclamationRuns, isShare, readLength: n };
}

const SPACED_GAP = /^[ \t.\-_*]{1,2}$/u;
const MAX_SPACED = 14;

/**
 * "k i l l", "k.i.l.l", "s-t-a-b": three or more single letters (or leet digits) in a row, a space
 * or one separator apart, become one word where the joined letters spell a word the rule set
 * knows. Each letter is tried as a start at most once per length up to 14: bounded, so linear.
 */
function joinSpacedLetters(text: string, tokens: Token[], vocabulary: Vocabulary): Token[] {
  const single = (t: Token | undefined) =>
    t !== undefined && t.text.length === 1 && (t.kind === 'word' || (t.kind === 'number' && LEET[t.text] !== undefined)) && t.origin !== 'expanded';
  let out: Token[] | null = null;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (!token || !single(token)) {
      if (out && token) out.push(token);
      i += 1;
      continue;
    }
    let runEnd = i + 1;
    while (runEnd < tokens.length && runEnd - i < MAX_SPACED) {
      const prev = tokens[runEnd - 1];
      const next = tokens[runEnd];
      if (!prev || !next || !single(next) || next.sentence !== prev.sentence || !SPACED_GAP.test(text.slice(prev.end, next.start))) break;
      runEnd += 1;
    }
    let found = -1;
    let word = '';
    if (runEnd - i >= 3) {
      for (let length = runEnd - i; length >= 3 && found < 0; length -= 1) {
        let candidate = '';
        for (let k = i; k < i + length; k += 1) candidate += LEET[tokens[k]?.text ?? ''] ?? tokens[k]?.text ?? '';
        if (vocabulary.knows(candidate)) {
          found = length;
          word = candidate;
        }
      }
    }
    if (found < 0) {
      if (out) out.push(token);
      i += 1;
      continue;
    }
    out ??= tokens.slice(0, i);
    const last = tokens[i + found - 1] ?? token;
    out.push({ ...token, text: word, end: last.end, kind: 'word', origin: 'spaced' });
    i += found;
  }
  return out ?? tokens;
}

/** Replaces words the rule set does not know by the key term they are one slip away from, if any. */
function correctSlips(tokens: Token[], vocabulary: Vocabulary, text: string): void {
  for (const token of tokens) {
    if (token.kind !== 'word' || token.text.length < 4 || (token.origin !== 'plain' && token.origin !== 'leet')) continue;
    if (vocabulary.knows(token.text)) continue;
    const star = token.text.indexOf('*');
    if (star >= 0) {
      // One letter hidden by an asterisk ("s*icide", "k*ll"): the letter that makes a known word.
      for (let code = 97; code <= 122; code += 1) {
        const candidate = token.text.slice(0, star) + String.fromCharCode(code) + token.text.slice(star + 1);
        if (vocabulary.knows(candidate)) {
          token.text = candidate;
          break;
        }
      }
      continue;
    }
    if (token.origin === 'leet' && text.slice(token.start, token.end).includes('1')) {
      const other = decodeLeet(fold(text.slice(token.start, token.end), true), 'l');
      if (vocabulary.knows(other)) {
        token.text = other;
        continue;
      }
    }
    const corrected = vocabulary.correct(token.text);
    if (corrected !== undefined) {
      token.text = corrected;
      token.origin = 'typo';
    }
  }
}

/** The tokens of a rule phrase or pattern word, normalised exactly as message text is. */
export function phraseTokens(phrase: string): string[] {
  return normaliseText(phrase).tokens.filter((t) => t.kind === 'word' || t.kind === 'number' || t.kind === 'emoji').map((t) => t.text);
}
