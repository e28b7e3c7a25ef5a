import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, TriageEngine } from './triage.engine.ts';

const engine = new TriageEngine(
  3,
  DEFAULT_RULES.map((rule, index) => ({ ...rule, id: `r${index}` })),
);

describe('triage engine', () => {
  it('puts a threat to life at priority 1 and explains it', () => {
    const result = engine.score('He has a KNIFE and said he is going to kill me');
    expect(result.priority).toBe(1);
    expect(result.matches.map((m) => m.matchedText)).toEqual(['KNIFE', 'going to kill me']);
    expect(result.explanation.at(-1)).toMatch(/threat to life/);
    expect(result.ruleSetVersion).toBe(3);
  });

  it('matches whole words only', () => {
    expect(engine.findMatches('The gunman and the knifepoint')).toEqual([]);
    expect(engine.findMatches('a gun.').map((m) => m.phrase)).toEqual(['gun']);
  });

  it('lets an exclusion cancel the keyword inside it', () => {
    const result = engine.score('Where can I find knife crime statistics for my area?');
    expect(result.matches.map((m) => m.phrase)).toEqual(['knife crime statistics']);
    expect(result.score).toBe(0);
    expect(result.priority).toBe(4);
  });

  it('counts each rule once however often it appears', () => {
    const once = engine.score('knife');
    const thrice = engine.score('knife, knife, knife');
    expect(thrice.score).toBe(once.score);
    expect(thrice.matches).toHaveLength(3);
  });

  it('gives offsets that slice the original text, even after emoji', () => {
    const text = '😀😀 my partner HIT me';
    for (const match of engine.findMatches(text)) expect(text.slice(match.start, match.end)).toBe(match.matchedText);
  });

  it('scores nothing in an empty rule set', () => {
    const empty = new TriageEngine(0, []);
    expect(empty.score('knife').priority).toBe(4);
    expect(empty.score('knife').explanation[0]).toMatch(/No rule/);
  });
});
