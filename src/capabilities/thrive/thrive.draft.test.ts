import { describe, expect, it } from 'vitest';
import { draftFromTriage } from './thrive.draft.ts';
import { parseThriveSettings } from './thrive.settings.ts';

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
  it('defaults to 210 minutes and the standard targets', () => {
    expect(parseThriveSettings({})).toEqual({
      reassessAfterMinutes: 210,
      gradeTargets: { immediate: 15, priority: 60, scheduled: 2880, resolution_without_deployment: null },
    });
  });

  it('takes the force values and ignores nonsense', () => {
    const settings = parseThriveSettings({ thriveReassessAfterMinutes: 60, gradeTargets: { immediate: 20, priority: -5, scheduled: 'soon' } });
    expect(settings.reassessAfterMinutes).toBe(60);
    expect(settings.gradeTargets).toEqual({ immediate: 20, priority: 60, scheduled: 2880, resolution_without_deployment: null });
    expect(parseThriveSettings({ thriveReassessAfterMinutes: 0 }).reassessAfterMinutes).toBe(210);
  });
});
