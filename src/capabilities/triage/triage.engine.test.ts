import { describe, expect, it } from 'vitest';
import { TriageEngine } from './triage.engine.ts';
import { DEFAULT_RULES } from './triage.default-rules.ts';

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

describe('triage engine v2: exclusions, negation, quotes and signals', () => {
  const score = (text: string, context = {}) => engine.score(text, context);
  // 14:00 and 23:30 in London on a summer day (BST, UTC+1).
  const afternoon = new Date('2026-07-01T13:00:00Z');
  const lateNight = new Date('2026-07-01T22:30:00Z');

  it('matches a variant or misspelling and reports it under the main phrase', () => {
    const result = score('he has a nife in his pocket');
    expect(result.matches).toMatchObject([{ phrase: 'knife', matchedText: 'nife', treatment: 'counted', category: 'weapons' }]);
    expect(result.contributions[0]?.label).toContain('as "nife"');
  });

  it('does not count a negated match and says why', () => {
    for (const text of ['There was no knife', 'he was not armed', "he wasn't threatening me"]) {
      const result = score(text);
      expect(result.contributions.filter((c) => c.signal === 'keyword'), text).toEqual([]);
    }
    const result = score('He did not have a knife');
    expect(result.negatedMatches).toMatchObject([{ matchedText: 'knife', negatedBy: 'not' }]);
    expect(result.score).toBe(0);
    expect(result.explanation.join(' ')).toMatch(/"knife" did not count: "not"/);
  });

  it('lets a negation reach only within its clause', () => {
    const result = score('No, he has a knife');
    expect(result.categories).toEqual(['weapons']);
    expect(score('no police please but he has a gun').categories).toEqual(['weapons']);
  });

  it("counts a negated rule if it also appears un-negated (\"wasn't a knife before, now a knife\")", () => {
    const result = score("It wasn't a knife last week. Tonight he has a knife");
    expect(result.categories).toEqual(['weapons']);
    expect(result.matches.map((m) => m.treatment)).toEqual(['negated', 'counted']);
  });

  it('counts quoted text and news context at half weight, never as a threat to life', () => {
    const quoted = score('The paper wrote “man threatened to kill neighbour” about my street');
    expect(quoted.matches[0]?.treatment).toBe('reported');
    expect(quoted.contributions[0]?.points).toBe(27);
    expect(quoted.priority).not.toBe(1);
    expect(quoted.categories).toEqual([]);
    const news = score('I saw in the news that a man was stabbed in town');
    expect(news.matches[0]?.treatment).toBe('reported');
    expect(news.contributions.find((c) => c.signal === 'keyword')?.points).toBe(25);
    expect(score('Kill Bill is my favourite film').score).toBe(0);
  });

  it('keeps an exclusion cancelling what it contains ("my phone is dying")', () => {
    const result = score('my phone is dying, call me back');
    expect(result.matches.map((m) => m.phrase)).toEqual(['phone is dying']);
    expect(result.priority).toBe(4);
  });

  it('adds distress cues, each with its points, capped together', () => {
    const calm = score('My bike was stolen from outside the library', { at: afternoon });
    expect(calm.contributions).toEqual([]);
    const help = score('please help', { at: afternoon });
    expect(help.contributions).toEqual([{ label: 'asks for help', points: 5, signal: 'distress' }]);
    const hurry = score('please hurry', { at: afternoon });
    expect(hurry.contributions).toEqual([{ label: 'urgency ("please hurry")', points: 5, signal: 'distress' }]);
    const bangs = score('my bike was stolen!!', { at: afternoon });
    expect(bangs.contributions).toEqual([{ label: 'repeated exclamation marks', points: 3, signal: 'distress' }]);
    const caps = score('THERE ARE PEOPLE IN MY GARDEN', { at: afternoon });
    expect(caps.contributions).toEqual([{ label: 'written in capitals (100% of words)', points: 5, signal: 'distress' }]);
    const everything = score('HELP PLEASE HURRY THEY ARE HERE NOW!!!', { at: afternoon });
    const distress = everything.contributions.filter((c) => c.signal === 'distress');
    expect(distress.reduce((sum, c) => sum + c.points, 0)).toBe(15);
  });

  it('adds strongly negative sentiment (AFINN), never subtracts for positive', () => {
    const result = score('I am terrified, scared and hurt, this is horrible and awful', { at: afternoon });
    const sentiment = result.contributions.find((c) => c.signal === 'sentiment');
    expect(sentiment?.points).toBeGreaterThan(0);
    expect(sentiment?.label).toMatch(/AFINN -\d+/);
    expect(score('Thank you, lovely officers, brilliant help', { at: afternoon }).contributions.some((c) => c.signal === 'sentiment')).toBe(false);
  });

  it('adds a little at night in Europe/London time, from the injected time only', () => {
    const night = score('my partner', { at: lateNight });
    expect(night.contributions).toContainEqual({ label: 'sent at night (23:00 hour, Europe/London)', points: 5, signal: 'time' });
    expect(night.signals.localHour).toBe(23);
    expect(score('my partner', { at: afternoon }).contributions.some((c) => c.signal === 'time')).toBe(false);
    expect(score('my partner').signals.localHour).toBeNull();
    // 05:30 UTC in January is 05:30 in London: still night; 06:00 is not.
    expect(score('x', { at: new Date('2026-01-10T05:30:00Z') }).contributions.some((c) => c.signal === 'time')).toBe(true);
    expect(score('x', { at: new Date('2026-01-10T06:00:00Z') }).contributions.some((c) => c.signal === 'time')).toBe(false);
  });

  it('puts anything on the 999 line at priority 1, above everything else', () => {
    const result = score('hello, sorry, wrong number', { at: afternoon, channel: 'phone', line: '999' });
    expect(result.priority).toBe(1);
    expect(result.contributions).toContainEqual({ label: '999 emergency line (phone)', points: 30, signal: 'channel' });
    expect(result.explanation.at(-1)).toMatch(/999 emergency line/);
    expect(score('hello', { channel: '999' }).priority).toBe(1);
    expect(score('hello', { channel: 'phone', line: '101' }).priority).toBe(4);
  });

  it('adds points for person flags', () => {
    const result = score('he is outside again', { isVulnerable: true, repeatContactsInLastDays: 6, previousHighRisk: true });
    expect(result.contributions).toEqual([
      { label: 'person is flagged vulnerable', points: 10, signal: 'person' },
      { label: 'repeat contact (6 recent contacts)', points: 10, signal: 'person' },
      { label: 'person was high risk before', points: 10, signal: 'person' },
    ]);
    expect(result.score).toBe(30);
    expect(result.priority).toBe(2);
    expect(score('x', { repeatContactsInLastDays: 3 }).contributions).toEqual([
      { label: 'repeat contact (3 recent contacts)', points: 5, signal: 'person' },
    ]);
    expect(score('x', { repeatContactsInLastDays: 2 }).contributions).toEqual([]);
  });

  it('gives the same answer for the same input (no hidden clock)', () => {
    const context = { at: lateNight, isVulnerable: true };
    expect(score('HELP my partner hit me!!', context)).toEqual(score('HELP my partner hit me!!', context));
  });
});
