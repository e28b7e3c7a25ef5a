import { describe, expect, it } from 'vitest';
import { MAX_SCORED_CHARS, TriageEngine } from './triage.engine.ts';
import { DEFAULT_RULES, RULE_PACKS } from './triage.default-rules.ts';
import { ruleInput } from './triage.routes.ts';
import { compilePatterns, type PatternDef } from './triage.patterns.ts';

const engine = new TriageEngine(1, DEFAULT_RULES.map((rule, index) => ({ ...rule, id: `r${index}` })));
const afternoon = new Date('2026-03-04T14:00:00Z');
const score = (text: string) => engine.score(text, { at: afternoon });
const urgent = (text: string) => score(text).priority <= 2;

describe('phrase patterns: threats', () => {
  it.each(["I'll kill you", 'ima stab you', 'im gonna k1ll u', 'i will k i l l you', 'I will shoot you', "you're dead when I find you"])(
    'puts a threat made by the writer at priority 1–2 (%s)',
    (text) => {
      const result = score(text);
      expect(result.priority).toBeLessThanOrEqual(2);
      expect(result.categories).toContain('threat_to_life');
    },
  );

  it.each(["he says he'll kill me", "he said he'd kill me if I leave", 'my ex has threatened to stab me', 'they threatened to burn the house down'])(
    'puts a reported threat at priority 1 (%s)',
    (text) => {
      const result = score(text);
      expect(result.priority).toBe(1);
      expect(result.categories).toContain('threat_to_life');
      expect(result.patterns.some((p) => p.treatment === 'counted')).toBe(true);
    },
  );

  it('counts a victim quoting the threat made to them in full, not halved', () => {
    const result = score('he said "I\'m going to kill you" and left');
    expect(result.priority).toBe(1);
    expect(result.patterns.find((p) => p.patternId === 'threat.to_kill')?.treatment).toBe('counted');
  });

  it('explains a pattern in English and in Welsh', () => {
    const result = engine.score('he said he would kill me', { explainIn: 'cy' });
    expect(result.explanation).toBe(result.explanations.cy);
    expect(result.explanations.en.at(-1)).toMatch(/^Priority 1/);
    expect(result.explanations.cy.at(-1)).toMatch(/^Blaenoriaeth 1 \(Risg uniongyrchol\)/);
  });
});

describe('phrase patterns: self-harm, domestic abuse, missing people, children', () => {
  it.each(["I don't want to be here anymore", 'I deserve to die', 'I took a load of pills', 'i want to unalive myself', 'everyone would be better off without me'])(
    'puts intent or method of self-harm at priority 1 (%s)',
    (text) => {
      const result = score(text);
      expect(result.priority).toBe(1);
      expect(result.categories).toContain('self_harm');
    },
  );

  it.each(['I am scared of my partner', 'he checks my phone every night', "my husband won't let me see my friends", 'he put a tracker on my car'])(
    'names coercive control and fear as domestic abuse (%s)',
    (text) => {
      const result = score(text);
      expect(result.categories).toContain('domestic_abuse');
      expect(result.priority).toBeLessThanOrEqual(2);
    },
  );

  it.each(["my son is 14 and hasn't come home from school", 'my mum has gone missing from her care home', 'I can\'t find my 4 year old'])(
    'names a missing person (%s)',
    (text) => expect(score(text).categories).toContain('missing_person'),
  );

  it.each(['there are two kids alone in the flat next door', 'a man online asked my 12 year old daughter for nudes', 'someone left a baby alone in a car'])(
    'names a child at risk (%s)',
    (text) => expect(score(text).categories).toContain('child_at_risk'),
  );
});

describe('single words and idioms', () => {
  it.each(['dying', 'suicide', 'fight', 'missing', 'my ex'])('never-forces-p1-or-a-category-from-the-bare-word "%s"', (text) => {
    const result = score(text);
    expect(result.priority).toBeGreaterThan(1);
    expect(result.categories).toEqual([]);
  });

  it('still adds points for a bare word, and counts it with a person or place', () => {
    expect(score('suicide').score).toBeGreaterThan(0);
    expect(score('There was a fight outside the shop').categories).toEqual(['violence']);
    expect(score('my dad is dying on the kitchen floor').priority).toBe(1);
  });

  it.each([
    'I was dying of laughter',
    'kms this exam',
    "I'm going to kill my brother if he eats my pizza",
    'https://news.example.com/uk/knife-crime-teen-stabbed',
    'my mum is going to kill me when she finds out lol',
    'my feet are killing me',
    'he totally stabbed me in the back at work',
    'Mae fy nhraed yn fy lladd i',
  ])('does-not-fire-on-the-idiom "%s"', (text) => {
    const result = score(text);
    expect(result.priority).toBeGreaterThan(2);
    expect(result.categories).toEqual([]);
  });
});

describe('news, shares and sympathy', () => {
  it.each([
    'Police say a man was stabbed in the city centre last night',
    'RT @news: man shot dead outside nightclub',
    'Teenager Stabbed To Death In Park Named By Police',
    'Thoughts and prayers to everyone in Texas after the shooting',
  ])('keeps-the-news-below-priority-2 "%s"', (text) => {
    const result = score(text);
    expect(result.priority).toBeGreaterThan(2);
    expect(result.categories).toEqual([]);
  });

  it('still counts what the writer adds about themselves beside the news', () => {
    expect(urgent('I saw the news about the stabbing. My ex has a knife and is outside my house now')).toBe(true);
  });
});

describe('Welsh', () => {
  it.each([
    ["Mae e'n mynd i fy lladd i, mae ganddo gyllell", 'threat_to_life'],
    ['Mae dyn tu allan gyda chyllell', 'weapons'],
    ['Mae fy nghyllell wedi mynd, mae e wedi ei chymryd i fy mygwth', 'weapons'],
    ['Mae rhywun wedi cael ei drywanu', 'weapons'],
    ["Dw i ddim eisiau byw rhagor", 'self_harm'],
    ['Mae fy ngŵr yn fy nharo i', 'domestic_abuse'],
    ['Dydy fy nhad ddim yn anadlu', 'threat_to_life'],
  ])('puts the Welsh emergency "%s" at priority 1–2 as %s', (text, category) => {
    const result = score(text);
    expect(result.priority).toBeLessThanOrEqual(2);
    expect(result.categories).toContain(category);
  });

  it('does not read a lost Welsh possession as a missing person', () => {
    expect(score('Mae fy nghath ar goll').categories).toEqual([]);
    expect(score('Mae fy mab ar goll').categories).toEqual(['missing_person']);
  });
});

describe('the default rules', () => {
  it('every default rule can be saved again through the rule editor (at most 20 variants)', () => {
    for (const rule of DEFAULT_RULES) expect(ruleInput.safeParse(rule).success, rule.phrase).toBe(true);
  });

  it('ships the Welsh rule pack and the 2026 English additions as packs', () => {
    expect(RULE_PACKS.map((pack) => pack.id)).toEqual(['en-2026', 'cy']);
    const welsh = RULE_PACKS.find((pack) => pack.id === 'cy')?.rules ?? [];
    expect(welsh.find((rule) => rule.phrase === 'cyllell')?.variants).toEqual(expect.arrayContaining(['gyllell', 'nghyllell', 'chyllell']));
  });
});

describe('length', () => {
  it('normalises sentiment for length: a long complaint does not pile up to +10', () => {
    const complaint = 'I waited a long time for a call back about my report, which was disappointing. '.repeat(30);
    const result = score(complaint);
    // Summed over the whole message, as before, this would have been the full +10.
    expect(result.signals.sentiment).toBeLessThan(-23);
    expect(result.contributions.find((c) => c.signal === 'sentiment')?.points ?? 0).toBeLessThan(5);
    const short = score('I am terrified, scared and hurt, this is horrible and awful');
    expect(short.contributions.find((c) => c.signal === 'sentiment')?.points).toBeGreaterThan(0);
  });

  it('scores the first 100,000 characters of a longer message and says so', () => {
    const long = `${'my bike was stolen from the shed. '.repeat(4000)} he has a knife`;
    const result = score(long);
    expect(long.length).toBeGreaterThan(MAX_SCORED_CHARS);
    expect(result.scoredLength).toBe(MAX_SCORED_CHARS);
    expect(result.explanation.join(' ')).toMatch(/first 100,000 characters/);
  });
});

describe('compiling patterns', () => {
  const pattern = (specs: string[]): PatternDef => ({ id: 'test', category: null, points: 1, specs, label: { en: 'test', cy: 'prawf' } });

  it('rejects-a-pattern-class-that-refers-to-itself, even when a slot names it a second time', () => {
    const classes = { A: ['@B'], B: ['x @A'] };
    expect(() => compilePatterns([pattern(['^kill @A', '^stab @A'])], classes)).toThrow('pattern class @A refers to itself');
  });

  it('gives specs that write the same slot the same phrases (a slot is read once per compilation)', () => {
    const classes = { WHO: ['me', 'my @KIN'], KIN: ['son', 'daughter', 'little brother'] };
    const index = compilePatterns([pattern(['^kill @WHO', '^stab @WHO', '@WHO ^hurt'])], classes);
    const phrases = (word: string, side: 'left' | 'right') => index.get(word)?.[0]?.[side][0];
    const expected = [['me'], ['my', 'son'], ['my', 'daughter'], ['my', 'little', 'brother']];
    for (const slot of [phrases('kill', 'right'), phrases('stab', 'right'), phrases('hurt', 'left')]) {
      expect(slot?.kind === 'set' ? slot.options : null).toEqual(expected);
    }
  });
});
