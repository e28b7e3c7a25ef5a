import { describe, expect, it } from 'vitest';
import { normaliseText, phraseTokens, type Vocabulary } from './triage.normalise.ts';
import { SlipIndex } from './triage.slips.ts';
import { welshMutations, withMutations } from '../../platform/welsh-mutations.ts';

const slips = new SlipIndex(['knife', 'knives', 'stabbed', 'shooting', 'threatening', 'threating', 'strangle', 'drink', 'murder']);
const known = new Set(['kill', 'knife', 'stab', 'you', 'gun', 'suicide', 'murder']);
const vocabulary: Vocabulary = { knows: (w) => known.has(w), correct: (w) => slips.correct(w) };
const words = (text: string) => normaliseText(text, vocabulary).tokens.map((t) => t.text);

describe('triage normalisation', () => {
  it('folds case and accents, keeping Welsh letters readable', () => {
    expect(words('CAFÉ ŵyr Tân')).toEqual(['cafe', 'wyr', 'tan']);
  });

  it('expands contractions, text-speak and drops possessives', () => {
    expect(words("I'm sure he's going, she won't")).toEqual(['i', 'am', 'sure', 'he', 'is', 'going', 'she', 'will', 'not']);
    expect(words("ima stab u, my partner's car")).toEqual(['i', 'am', 'going', 'to', 'stab', 'you', 'my', 'partner', 'car']);
    expect(words('dont wanna')).toEqual(['do', 'not', 'want', 'to']);
    expect(words('Mae e’n mynd')).toEqual(['mae', 'e', 'n', 'mynd']);
  });

  it('decodes leetspeak inside words, not in numbers', () => {
    expect(words('k1ll kn1fe $tab r@pe ki11 14 3rd')).toEqual(['kill', 'knife', 'stab', 'rape', 'kill', '14', '3rd']);
  });

  it('joins spaced letters only into a word the rule set knows', () => {
    expect(words('i will k i l l u')).toEqual(['i', 'will', 'kill', 'you']);
    expect(words('k.i.l.l s-t-a-b')).toEqual(['kill', 'stab']);
    expect(words('plan a b c')).toEqual(['plan', 'a', 'b', 'c']);
  });

  it('reads weapon and harm emoji as words, and laughter as "lol"', () => {
    expect(words('ima 🔪 u 🔫💣 😂')).toEqual(['i', 'am', 'going', 'to', 'knife', 'you', 'gun', 'bomb', 'lol']);
  });

  it('masks links, handles, emails and hashtags so the words inside never count', () => {
    const result = normaliseText('see https://news.example.com/knife-crime-stabbing and @knifeguy, kill@example.org #knifecrime bbc.co.uk/news/stab', vocabulary);
    expect(result.tokens.filter((t) => t.kind === 'masked')).toHaveLength(5);
    expect(result.tokens.map((t) => t.text)).not.toContain('knife');
    expect(result.tokens.map((t) => t.text)).not.toContain('stab');
  });

  it('marks a retweet or "via @" as a share', () => {
    expect(normaliseText('RT @news: man stabbed', vocabulary).isShare).toBe(true);
    expect(normaliseText('he was stabbed', vocabulary).isShare).toBe(false);
  });

  it('keeps offsets that slice the original text for every kind of token', () => {
    const text = "😀 HE'S got a kn1fe!! k i l l 🔪 café https://x.co/a";
    for (const token of normaliseText(text, vocabulary).tokens) {
      expect(token.end).toBeGreaterThan(token.start);
      expect(text.slice(token.start, token.end).length).toBe(token.end - token.start);
    }
    const knife = normaliseText(text, vocabulary).tokens.find((t) => t.text === 'knife' && t.origin === 'leet');
    expect(knife && text.slice(knife.start, knife.end)).toBe('kn1fe');
    const spaced = normaliseText(text, vocabulary).tokens.find((t) => t.origin === 'spaced');
    expect(spaced && text.slice(spaced.start, spaced.end)).toBe('k i l l');
  });

  it('splits sentences and clauses, and finds quotations in double, curly and single marks', () => {
    const result = normaliseText('He said "I will kill you". Then ‘go away’ and he left', vocabulary);
    expect(result.sentenceCount).toBe(2);
    expect(result.quotes).toHaveLength(2);
    const kill = result.tokens.find((t) => t.text === 'kill');
    expect(kill?.quote).toBe(1);
  });

  it('counts exclamation runs and words in capitals', () => {
    const result = normaliseText('HELP THEY ARE HERE!!! now!!', vocabulary);
    expect(result.exclamationRuns).toBe(2);
    expect(result.shoutedWords).toBe(4);
  });

  it('reads "s*icide" as the known word the asterisk hides', () => {
    expect(words('thinking about s*icide')).toEqual(['thinking', 'about', 'suicide']);
  });

  it('normalises rule phrases exactly as message text', () => {
    expect(phraseTokens("won't let me leave")).toEqual(phraseTokens('will not let me leave'));
    expect(phraseTokens('self-harm')).toEqual(['self', 'harm']);
  });
});

describe('one-edit slips for key terms', () => {
  it('corrects a one-letter slip of a key term of five letters or more', () => {
    expect(slips.correct('knofe')).toBe('knife');
    expect(slips.correct('stabed')).toBe('stabbed');
    expect(slips.correct('knfie')).toBe('knife');
    expect(slips.correct('murdr')).toBe('murder');
  });

  it('never-corrects-a-real-word-one-edit-from-a-key-term', () => {
    expect(slips.correct('shouting')).toBeUndefined();
    expect(slips.correct('strange')).toBeUndefined();
    expect(slips.correct('stubbed')).toBeUndefined();
  });

  it('never-corrects-short-words ("drin" in Welsh "cam-drin" is not "drink")', () => {
    expect(slips.correct('drin')).toBeUndefined();
    expect(slips.correct('knif')).toBeUndefined();
  });

  it('takes either form when two forms of one word fit, and guesses nothing when two words fit', () => {
    expect(slips.correct('threatning')?.startsWith('threat')).toBe(true);
    const ambiguous = new SlipIndex(['blade', 'blame']);
    expect(ambiguous.correct('blabe')).toBeUndefined();
  });
});

describe('Welsh initial mutations', () => {
  it('gives the soft, nasal and aspirate forms', () => {
    expect(welshMutations('cyllell')).toEqual(['gyllell', 'nghyllell', 'chyllell']);
    expect(welshMutations('trywanu')).toEqual(['drywanu', 'nhrywanu', 'thrywanu']);
    expect(welshMutations('pen')).toEqual(['ben', 'mhen', 'phen']);
    expect(welshMutations('bygwth')).toEqual(['fygwth', 'mygwth']);
    expect(welshMutations('gwn')).toEqual(['wn', 'ngwn']);
    expect(welshMutations('lladd')).toEqual(['ladd']);
    expect(welshMutations('marw')).toEqual(['farw']);
    expect(welshMutations('rhedeg')).toEqual(['redeg']);
    expect(welshMutations('ymosod')).toEqual(['hymosod']);
  });

  it('leaves digraphs that do not mutate alone', () => {
    expect(welshMutations('chwaer')).toEqual([]);
    expect(welshMutations('ffon')).toEqual([]);
    expect(welshMutations('dda')).toEqual([]);
  });

  it('mutates the first word of a phrase', () => {
    expect(withMutations(['cyllell fawr'])).toEqual(['cyllell fawr', 'gyllell fawr', 'nghyllell fawr', 'chyllell fawr']);
  });
});
