// Welsh initial mutations. A Welsh word changes its first sound after certain words: "cyllell"
// (knife) is "gyllell" after "ei" (his), "nghyllell" after "fy" (my), "chyllell" after "a" (and).
// A rule written with the radical form alone would miss most of what people write, so the Welsh
// rule pack lists each form as a variant, made here.

/** Soft, nasal and aspirate forms by initial; digraphs first (ll, rh, ch, dd, ff, ng, ph, th). */
const MUTATIONS: readonly [string, readonly string[]][] = [
  ['ll', ['l']],
  ['rh', ['r']],
  ['ch', []],
  ['dd', []],
  ['ff', []],
  ['ng', []],
  ['ph', []],
  ['th', []],
  ['p', ['b', 'mh', 'ph']],
  ['t', ['d', 'nh', 'th']],
  ['c', ['g', 'ngh', 'ch']],
  ['b', ['f', 'm']],
  ['d', ['dd', 'n']],
  ['g', ['', 'ng']],
  ['m', ['f']],
];

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'w', 'y', 'â', 'ê', 'î', 'ô', 'û', 'ŵ', 'ŷ']);

/**
 * Every mutated form of a word, not the word itself: soft, nasal and aspirate for consonants, and
 * the h- a vowel takes after "ei" (her), "ein", "eu". Lower-case input; accents are kept.
 */
export function welshMutations(word: string): string[] {
  const lower = word.toLowerCase();
  for (const [initial, replacements] of MUTATIONS) {
    if (!lower.startsWith(initial)) continue;
    const rest = lower.slice(initial.length);
    return [...new Set(replacements.map((r) => r + rest))].filter((form) => form !== lower && form.length > 1);
  }
  const first = lower[0];
  return first !== undefined && VOWELS.has(first) ? [`h${lower}`] : [];
}

/** A phrase and its forms with the first word mutated ("cyllell fawr" → "gyllell fawr", …). */
export function withMutations(phrases: readonly string[]): string[] {
  const out: string[] = [];
  for (const phrase of phrases) {
    const [first, ...rest] = phrase.split(' ');
    if (first === undefined) continue;
    out.push(phrase);
    for (const form of welshMutations(first)) out.push([form, ...rest].join(' '));
  }
  return [...new Set(out)];
}
