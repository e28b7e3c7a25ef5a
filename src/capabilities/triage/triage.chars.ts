// Character classes for the normaliser, computed once per UTF-16 code unit and kept; and where
// the characters that links, e-mail addresses and handles hold stand in a text.

export const SPACE = 1, NEWLINE = 2, UPPER = 3, LOWER = 4, LETTER = 5, MARK = 6, DIGIT = 7, APOS = 8, OTHER = 9, SURROGATE = 10;
const classes = new Uint8Array(65536);
const LETTER_RE = /\p{L}/u;
const MARK_RE = /\p{M}/u;
const SPACE_RE = /\s/u;

/** The class of a UTF-16 code unit (OTHER for NaN, read past the end of a text). */
export function classOf(c: number): number {
  const known = classes[c] ?? 0;
  return known !== 0 ? known : firstClassOf(c);
}

function firstClassOf(c: number): number {
  let cls = OTHER;
  if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) cls = NEWLINE;
  else if (c >= 65 && c <= 90) cls = UPPER;
  else if (c >= 97 && c <= 122) cls = LOWER;
  else if (c >= 48 && c <= 57) cls = DIGIT;
  else if (c === 39 || c === 0x2019 || c === 0x2018 || c === 0x60 || c === 0xb4 || c === 0x2bc) cls = APOS;
  else if (c >= 0xd800 && c <= 0xdbff) cls = SURROGATE;
  else {
    const ch = String.fromCharCode(c);
    if (SPACE_RE.test(ch) || c === 0x200b) cls = SPACE;
    else if (LETTER_RE.test(ch)) cls = LETTER;
    else if (MARK_RE.test(ch)) cls = MARK;
  }
  classes[c] = cls;
  return cls;
}

export const isWordClass = (cls: number) => cls === UPPER || cls === LOWER || cls === LETTER || cls === MARK || cls === DIGIT;
export const isLetterClass = (cls: number) => cls === UPPER || cls === LOWER || cls === LETTER || cls === MARK;

/**
 * Where the next character that a link, an e-mail address or a handle holds stands: "/", "@", "#",
 * or "." before a letter or digit. Each is found with `indexOf` and remembered until passed, so
 * the text is searched once in all, and a message without any costs one search of each.
 */
export class LinkMarks {
  private slash = -1;
  private at = -1;
  private hash = -1;
  private dot = -1;

  constructor(
    private readonly text: string,
    private readonly n: number,
  ) {}

  private find(char: string, from: number): number {
    const found = this.text.indexOf(char, from);
    return found < 0 || found >= this.n ? this.n : found;
  }

  /** The first such character at or after `from` (which is less than n), or n when there is none. */
  next(from: number): number {
    if (this.slash < from) this.slash = this.find('/', from);
    if (this.at < from) this.at = this.find('@', from);
    if (this.hash < from) this.hash = this.find('#', from);
    if (this.dot < from) {
      let dot = this.find('.', from);
      while (dot < this.n && !isWordClass(classOf(this.text.charCodeAt(dot + 1)))) dot = this.find('.', dot + 1);
      this.dot = dot;
    }
    return Math.min(this.slash, this.at, this.hash, this.dot);
  }
}

