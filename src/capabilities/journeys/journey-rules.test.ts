import { describe, expect, it } from 'vitest';
import { dueTime, isSameSend, matchRules, type JourneyRule } from './journey-rules.schema.ts';

const rule = (id: string, over: Partial<JourneyRule> = {}): JourneyRule => ({
  id,
  milestone: 'case.closed',
  crimeType: null,
  victimCategory: 'all',
  outcomeCodes: null,
  templateKey: id,
  delayMinutes: 0,
  delayFrom: 'milestone',
  statutory: true,
  fallback: false,
  position: 0,
  ...over,
});
const anyone = { enhancedRights: false, domesticAbuse: false };
const ids = (rules: JourneyRule[]) => rules.map((r) => r.id);

describe('which journey rules answer a milestone', () => {
  const rules = [
    rule('closed.no_suspect', { outcomeCodes: ['18'], position: 1 }),
    rule('closed.evidential', { outcomeCodes: ['14', '15', '16'], position: 2 }),
    rule('closed', { fallback: true, position: 3 }),
    rule('survey', { statutory: false, delayMinutes: 4320, position: 4 }),
    rule('arrested', { milestone: 'case.suspect_arrested', position: 0 }),
  ];

  it('sends the outcome-specific closure and not the general one', () => {
    expect(ids(matchRules(rules, { milestone: 'case.closed', crimeType: null, outcomeCode: '18' }, anyone))).toEqual(['closed.no_suspect', 'survey']);
  });

  it('falls back to the general closure when no outcome rule matches', () => {
    expect(ids(matchRules(rules, { milestone: 'case.closed', crimeType: null, outcomeCode: '8' }, anyone))).toEqual(['closed', 'survey']);
  });

  it('ignores rules for other milestones', () => {
    expect(ids(matchRules(rules, { milestone: 'case.suspect_arrested', crimeType: 'THF-BRE', outcomeCode: null }, anyone))).toEqual(['arrested']);
    expect(matchRules(rules, { milestone: 'case.bailed', crimeType: null, outcomeCode: null }, anyone)).toEqual([]);
  });

  it('keeps a crime-type rule to its crime type', () => {
    const burglary = [rule('burglary', { milestone: 'case.created', crimeType: 'THF-BRE' }), rule('any', { milestone: 'case.created' })];
    expect(ids(matchRules(burglary, { milestone: 'case.created', crimeType: 'THF-BRE', outcomeCode: null }, anyone))).toEqual(['burglary', 'any']);
    expect(ids(matchRules(burglary, { milestone: 'case.created', crimeType: 'FRD', outcomeCode: null }, anyone))).toEqual(['any']);
  });

  it('keeps category rules to their victims', () => {
    const byCategory = [
      rule('enhanced', { milestone: 'case.created', victimCategory: 'enhanced' }),
      rule('standard', { milestone: 'case.created', victimCategory: 'standard' }),
      rule('da', { milestone: 'case.created', victimCategory: 'domestic_abuse' }),
    ];
    const facts = { milestone: 'case.created', crimeType: null, outcomeCode: null };
    expect(ids(matchRules(byCategory, facts, anyone))).toEqual(['standard']);
    expect(ids(matchRules(byCategory, facts, { enhancedRights: true, domesticAbuse: true }))).toEqual(['enhanced', 'da']);
  });
});

describe('when a rule is due', () => {
  const now = new Date('2026-05-01T10:00:00Z');
  it('adds the delay to the milestone', () => {
    expect(dueTime(rule('r', { delayMinutes: 60 }), { occurredAt: now, at: null, now })).toEqual({ due: new Date('2026-05-01T11:00:00Z') });
  });

  it('reminds a day before the appointment, at once when that has passed, and never after it', () => {
    const reminder = rule('r', { delayFrom: 'at', delayMinutes: -1440 });
    expect(dueTime(reminder, { occurredAt: now, at: new Date('2026-05-05T09:00:00Z'), now })).toEqual({ due: new Date('2026-05-04T09:00:00Z') });
    expect(dueTime(reminder, { occurredAt: now, at: new Date('2026-05-01T18:00:00Z'), now })).toEqual({ due: now });
    expect(dueTime(reminder, { occurredAt: now, at: new Date('2026-05-01T09:00:00Z'), now })).toEqual({ skip: 'the time it is about has passed' });
  });

  it('reminds of a day alone at 09:00 UK time on the day the delay lands on, and tells of it until the day is over', () => {
    const reminder = rule('r', { milestone: 'case.appointment_made', delayFrom: 'at', delayMinutes: -1440 });
    // Tuesday 5 May 2026 (summer time): the day begins at 23:00 UTC the evening before.
    const tuesday = new Date('2026-05-04T23:00:00Z');
    expect(dueTime(reminder, { occurredAt: now, at: tuesday, now, isDateOnly: true })).toEqual({ due: new Date('2026-05-04T08:00:00Z') });
    // A hearing's day alone: 09:00 two days before, in summer time and in winter.
    const court = rule('c', { milestone: 'case.court_date_set', delayFrom: 'at', delayMinutes: -2880 });
    const march = new Date('2026-04-01T10:00:00Z');
    expect(dueTime(court, { occurredAt: march, at: new Date('2026-04-14T23:00:00Z'), now: march, isDateOnly: true })).toEqual({ due: new Date('2026-04-13T08:00:00Z') });
    expect(dueTime(court, { occurredAt: now, at: new Date('2026-11-17T00:00:00Z'), now, isDateOnly: true })).toEqual({ due: new Date('2026-11-15T09:00:00Z') });
    // An appointment today, its time not known: still told, and reminded at once; tomorrow it has passed.
    const today = new Date('2026-04-30T23:00:00Z');
    expect(dueTime(rule('m', { milestone: 'case.appointment_made' }), { occurredAt: now, at: today, now, isDateOnly: true })).toEqual({ due: now });
    expect(dueTime(reminder, { occurredAt: now, at: today, now, isDateOnly: true })).toEqual({ due: now });
    const tomorrow = new Date('2026-05-02T00:30:00Z');
    expect(dueTime(reminder, { occurredAt: now, at: today, now: tomorrow, isDateOnly: true })).toEqual({ skip: 'the time it is about has passed' });
  });

  it('does-not-send-a-reminder-of-a-milestone-that-names-no-time', () => {
    const reminder = rule('r', { milestone: 'case.appointment_made', delayFrom: 'at', delayMinutes: -1440 });
    expect(dueTime(reminder, { occurredAt: now, at: null, now })).toEqual({ skip: 'the milestone names no time to remind of' });
  });

  it('does-not-tell-of-an-appointment-or-court-date-whose-time-has-passed-but-tells-of-a-past-arrest', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const past = new Date('2025-11-03T09:00:00Z');
    for (const milestone of ['case.appointment_made', 'case.appointment_changed', 'case.appointment_cancelled', 'case.court_date_set']) {
      expect(dueTime(rule('r', { milestone }), { occurredAt: now, at: past, now })).toEqual({ skip: 'the time it is about has passed' });
      expect(dueTime(rule('r', { milestone }), { occurredAt: now, at: new Date('2026-05-08T09:00:00Z'), now })).toEqual({ due: now });
    }
    // A milestone that names when something happened (an arrest last night) is news whenever it is told.
    expect(dueTime(rule('r', { milestone: 'case.suspect_arrested' }), { occurredAt: now, at: past, now })).toEqual({ due: now });
  });
});

describe('two rules that send the same message twice', () => {
  const closure = rule('a', { templateKey: 'case.closed', outcomeCodes: ['14', '15'] });

  it('is-the-same-send-whatever-the-order-of-outcomes-and-whether-statutory-or-a-fallback', () => {
    expect(isSameSend(closure, rule('b', { templateKey: 'case.closed', outcomeCodes: ['15', '14'] }))).toBe(true);
    expect(isSameSend(closure, rule('b', { templateKey: 'case.closed', outcomeCodes: ['14', '15'], statutory: false, fallback: true }))).toBe(true);
  });

  it('is-another-send-when-anything-that-decides-who-gets-what-and-when-differs', () => {
    const others: Partial<JourneyRule>[] = [
      { milestone: 'case.reopened' },
      { templateKey: 'case.closed.no_suspect' },
      { crimeType: 'THF-BRE' },
      { victimCategory: 'enhanced' },
      { outcomeCodes: ['14'] },
      { outcomeCodes: ['14', '15', '16'] },
      { outcomeCodes: null },
      { delayMinutes: 60 },
      { delayFrom: 'at' },
    ];
    for (const over of others) expect(isSameSend(closure, rule('b', { templateKey: 'case.closed', outcomeCodes: ['14', '15'], ...over })), JSON.stringify(over)).toBe(false);
  });
});
