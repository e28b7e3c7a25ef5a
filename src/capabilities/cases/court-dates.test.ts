import { describe, expect, it } from 'vitest';
import { listingsOvertakenBy, overtakenCourtDateMilestones } from './court-dates.ts';

const at = new Date('2026-05-06T09:00:00Z');
const event = (type: string, milestoneId: string, details: Record<string, string> = {}) => ({ id: `e-${milestoneId}`, at, type, note: null, details, milestoneId });

describe('overtakenCourtDateMilestones', () => {
  it('leaves the latest listing standing and says what overtook each earlier one', () => {
    const overtaken = overtakenCourtDateMilestones([
      event('case.court_date_set', 'first', { at: '2026-05-12T09:00:00Z' }),
      event('case.court_date_set', 'second', { at: '2026-05-19T09:00:00Z' }),
      event('case.court_result', 'result'),
      event('case.court_date_set', 'trial', { at: '2026-06-02T09:00:00Z' }),
    ]);
    expect([...overtaken]).toEqual([
      ['first', 'moved'],
      ['second', 'heard'],
    ]);
  });

  it('ends a listing when the case closes, and not one set after it is reopened', () => {
    const overtaken = overtakenCourtDateMilestones([event('case.court_date_set', 'listed'), event('case.closed', 'closed'), event('case.court_date_set', 'relisted')]);
    expect([...overtaken]).toEqual([['listed', 'closed']]);
  });
});

describe('listingsOvertakenBy', () => {
  const events = [
    event('case.court_date_set', 'first'),
    event('case.court_date_set', 'second'),
    event('case.court_result', 'result'),
    event('case.closed', 'closed'),
    event('case.court_date_set', 'relisted'),
  ];

  it('names the listing standing when a milestone came, and none for a first listing or one with nothing standing', () => {
    expect(listingsOvertakenBy(events, 'first')).toEqual([]);
    expect(listingsOvertakenBy(events, 'second')).toEqual(['first']);
    expect(listingsOvertakenBy(events, 'result')).toEqual(['second']);
    expect(listingsOvertakenBy(events, 'closed')).toEqual([]);
    expect(listingsOvertakenBy(events, 'relisted')).toEqual([]);
    expect(listingsOvertakenBy(events, 'unknown')).toEqual([]);
  });
});
