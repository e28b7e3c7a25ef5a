import { describe, expect, it } from 'vitest';
import { draftFromTriage } from './thrive-draft.schema.ts';
import { parseThriveSettings } from './thrive-settings.schema.ts';

const match = (phrase: string, category: string, weight = 50) => ({ phrase, category, weight });

describe('draftFromTriage', () => {
  it('suggests nothing without triage', () => {
    const draft = draftFromTriage(null);
    expect(Object.values(draft).every((e) => e.rating === null && e.suggestedBy.length === 0)).toBe(true);
  });

  it('takes the highest rating any signal suggests and names the signals', () => {
    const draft = draftFromTriage({
      priority: 1,
      matches: [match('my partner', 'domestic_abuse', 10), match('going to kill me', 'threat_to_life', 60), match('kill myself', 'self_harm')],
    });
    expect(draft.threat).toEqual({ rating: 'high', suggestedBy: ['"going to kill me" (threat to life)'] });
    expect(draft.harm.rating).toBe('high');
    expect(draft.harm.suggestedBy).toEqual(['"going to kill me" (threat to life)', '"kill myself" (self harm)']);
    expect(draft.risk).toEqual({ rating: 'medium', suggestedBy: ['"my partner" (domestic abuse)'] });
    expect(draft.vulnerability).toEqual({ rating: 'confirmed', suggestedBy: ['"kill myself" (self harm)'] });
    expect(draft.investigation).toEqual({ rating: 'urgent', suggestedBy: ['triage priority 1'] });
    expect(draft.engagement).toEqual({ rating: null, suggestedBy: [] });
  });

  it('ignores exclusions, negated occurrences and malformed matches', () => {
    const draft = draftFromTriage({
      priority: 4,
      matches: [match('knife amnesty', 'exclusion', -40), { ...match('knife', 'weapons'), treatment: 'negated' }, { phrase: 1 }, 'x'],
    });
    expect(Object.values(draft).every((e) => e.rating === null)).toBe(true);
  });
});

describe('parseThriveSettings', () => {
  it('defaults to 210 minutes', () => {
    expect(parseThriveSettings({})).toEqual({ reassessAfterMinutes: 210 });
  });

  it('takes the force value and ignores nonsense', () => {
    expect(parseThriveSettings({ thriveReassessAfterMinutes: 60 }).reassessAfterMinutes).toBe(60);
    expect(parseThriveSettings({ thriveReassessAfterMinutes: 0 }).reassessAfterMinutes).toBe(210);
  });
});
