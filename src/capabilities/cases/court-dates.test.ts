import { describe, expect, it } from 'vitest';
import { listingsOvertakenBy, overtakenCourtDateMilestones, restoredListing } from './court-dates.schema.ts';

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

describe('restoredListing', () => {
  const now = new Date('2026-05-08T09:00:00Z');
  const listed = event('case.court_date_set', 'listed', { at: '2026-05-12T09:00:00Z', place: 'Demoton Crown Court' });
  const closed = { ...event('case.closed', 'closed'), at: new Date('2026-05-07T09:00:00Z') };

  it('lists again the hearing still to come that the last closing ended, and a reopening so is a listing', () => {
    const restored = restoredListing([listed, closed], now);
    expect(restored).toEqual({ restoresListing: 'listed', closedAt: '2026-05-07T09:00:00.000Z', at: '2026-05-12T09:00:00Z', place: 'Demoton Crown Court' });
    const reopened = event('case.reopened', 'reopened', restored);
    expect([...overtakenCourtDateMilestones([listed, closed, reopened, event('case.closed', 'again')])]).toEqual([
      ['listed', 'closed'],
      ['reopened', 'closed'],
    ]);
  });

  it('lists nothing when the court’s result ended it, nothing is closed, or its time (a day alone: its day) has passed', () => {
    expect(restoredListing([listed, event('case.court_result', 'heard'), closed], now)).toEqual({});
    expect(restoredListing([listed], now)).toEqual({});
    expect(restoredListing([listed, closed], new Date('2026-05-12T09:00:00Z'))).toEqual({});
    const day = event('case.court_date_set', 'day', { at: '2026-05-11T23:00:00Z', isDateOnly: 'true' });
    expect(restoredListing([day, closed], new Date('2026-05-12T22:59:00Z'))).toMatchObject({ isDateOnly: 'true' });
    expect(restoredListing([day, closed], new Date('2026-05-12T23:00:00Z'))).toEqual({});
  });
});
