import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import {
  addWorkingDays,
  dueAt,
  dutyForEvent,
  dutyStanding,
  englandAndWalesBankHolidays,
  isJourneyPurposeFor,
  isWorkingDay,
  planDuty,
  type BankHolidays,
} from './victims-code.schema.ts';

const holidays = englandAndWalesBankHolidays();
const none: BankHolidays = { isBankHoliday: () => false };

describe("Victims' Code clocks", () => {
  it('knows the England and Wales bank holidays, substitute days included', () => {
    expect(holidays.isBankHoliday('2026-12-25')).toBe(true);
    expect(holidays.isBankHoliday('2026-12-28')).toBe(true); // Boxing Day falls on a Saturday
    expect(holidays.isBankHoliday('2027-03-26')).toBe(true); // Good Friday
    expect(holidays.isBankHoliday('2027-03-29')).toBe(true); // Easter Monday
    expect(holidays.isBankHoliday('2026-12-29')).toBe(false);
    expect(isWorkingDay('2026-12-28', holidays)).toBe(false);
    expect(isWorkingDay('2026-12-29', holidays)).toBe(true);
    expect(isWorkingDay('2026-12-05', holidays)).toBe(false); // a Saturday
  });

  it('ends the next working day at London midnight: an arrest on a Wednesday is due by the end of Thursday', () => {
    const clock = fixedClock(new Date('2026-12-02T10:30:00Z'));
    expect(addWorkingDays(clock.now(), 1, holidays).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(addWorkingDays(clock.now(), 5, holidays).toISOString()).toBe('2026-12-10T00:00:00.000Z');
  });

  it('skips the weekend: from a Friday evening one working day ends on Monday night', () => {
    expect(addWorkingDays(new Date('2026-12-04T18:00:00Z'), 1, holidays).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    // A Saturday arrest: day zero is the Saturday, Monday is the first working day.
    expect(addWorkingDays(new Date('2026-12-05T09:00:00Z'), 1, holidays).toISOString()).toBe('2026-12-08T00:00:00.000Z');
  });

  it('skips Christmas, Boxing Day and its substitute on 28 December 2026', () => {
    // Thursday 24 December: Fri 25 (Christmas), Sat, Sun, Mon 28 (substitute) are not working days.
    const from = new Date('2026-12-24T11:00:00Z');
    expect(addWorkingDays(from, 1, holidays).toISOString()).toBe('2026-12-30T00:00:00.000Z');
    expect(addWorkingDays(from, 1, none).toISOString()).toBe('2026-12-26T00:00:00.000Z');
    // Five working days: 29, 30, 31 December, (1 January is a holiday), 4 and 5 January.
    expect(addWorkingDays(from, 5, holidays).toISOString()).toBe('2027-01-06T00:00:00.000Z');
  });

  it('skips Easter 2027 and ends in British Summer Time after the clocks go forward', () => {
    // Thursday 25 March 2027 (GMT); Good Friday 26, Easter Monday 29; BST from Sunday 28 March.
    const from = new Date('2027-03-25T15:00:00Z');
    // The end of Tuesday 30 March is 23:00 UTC.
    expect(addWorkingDays(from, 1, holidays).toISOString()).toBe('2027-03-30T23:00:00.000Z');
    expect(addWorkingDays(from, 5, holidays).toISOString()).toBe('2027-04-05T23:00:00.000Z');
  });

  it('reads the day in London, not in UTC: 23:30 UTC on a summer Friday is already Saturday', () => {
    // Friday 2 July 2027, 23:30 UTC = Saturday 00:30 BST: day zero is the Saturday.
    expect(addWorkingDays(new Date('2027-07-02T23:30:00Z'), 1, holidays).toISOString()).toBe('2027-07-05T23:00:00.000Z');
    // Sunday 31 October 2027 is when the clocks go back: from the Friday before, Monday 1 November ends at 00:00 UTC.
    expect(addWorkingDays(new Date('2027-10-29T12:00:00Z'), 1, holidays).toISOString()).toBe('2027-11-02T00:00:00.000Z');
  });

  it('refuses a count that is not a positive whole number', () => {
    expect(() => addWorkingDays(new Date(), 0, holidays)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(), 1.5, holidays)).toThrow(RangeError);
  });

  it('gives enhanced-rights victims one working day and others five; a referral two', () => {
    const from = new Date('2026-12-02T10:30:00Z');
    expect(dueAt({ duty: 'arrest', from, hasEnhancedRights: true, holidays }).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(dueAt({ duty: 'arrest', from, hasEnhancedRights: false, holidays }).toISOString()).toBe('2026-12-10T00:00:00.000Z');
    expect(dueAt({ duty: 'referral', from, hasEnhancedRights: true, holidays }).toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });

  it('warns a working day before a longer clock, and half-way through a one-day clock', () => {
    const from = new Date('2026-12-02T10:00:00Z');
    const five = planDuty({ duty: 'charge', from, hasEnhancedRights: false, holidays });
    expect(five).toEqual({ workingDays: 5, dueAt: new Date('2026-12-10T00:00:00Z'), warnAt: new Date('2026-12-09T00:00:00Z') });
    const one = planDuty({ duty: 'charge', from, hasEnhancedRights: true, holidays });
    expect(one.dueAt).toEqual(new Date('2026-12-04T00:00:00Z'));
    expect(one.warnAt).toEqual(new Date('2026-12-03T05:00:00Z'));
  });

  it('names the duty each milestone starts; a close depends on its outcome and on whether anything was investigated', () => {
    expect(dutyForEvent({ type: 'case.created' })).toBe('referral');
    expect(dutyForEvent({ type: 'case.suspect_arrested' })).toBe('arrest');
    expect(dutyForEvent({ type: 'case.bailed' })).toBe('bail');
    expect(dutyForEvent({ type: 'case.released_under_investigation' })).toBe('released_under_investigation');
    expect(dutyForEvent({ type: 'case.charged' })).toBe('charge');
    expect(dutyForEvent({ type: 'case.out_of_court_disposal' })).toBe('out_of_court_disposal');
    expect(dutyForEvent({ type: 'case.allocated' })).toBeNull();
    expect(dutyForEvent({ type: 'case.court_date_set' })).toBeNull();
    expect(dutyForEvent({ type: 'case.closed', outcomeCode: '18', wasInvestigated: true })).toBe('no_further_action');
    expect(dutyForEvent({ type: 'case.closed', outcomeCode: '18', wasInvestigated: false })).toBe('not_investigated');
    expect(dutyForEvent({ type: 'case.closed', outcomeCode: '3', wasInvestigated: true })).toBe('out_of_court_disposal');
    expect(dutyForEvent({ type: 'case.closed', outcomeCode: '1', wasInvestigated: true })).toBeNull();
  });

  it('counts a journey message for the milestone as telling the victim, and nothing else', () => {
    expect(isJourneyPurposeFor('journey:case.suspect_arrested', 'case.suspect_arrested')).toBe(true);
    expect(isJourneyPurposeFor('journey:case.suspect_arrested:sms', 'case.suspect_arrested')).toBe(true);
    expect(isJourneyPurposeFor('journey:case.suspect_arrested_again', 'case.suspect_arrested')).toBe(false);
    expect(isJourneyPurposeFor('journey:case.report_received', 'case.suspect_arrested')).toBe(false);
    expect(isJourneyPurposeFor('case.suspect_arrested', 'case.suspect_arrested')).toBe(false);
  });

  it('tells on time from late, declined, overdue and still open', () => {
    const due = new Date('2026-12-04T00:00:00Z');
    const now = new Date('2026-12-05T00:00:00Z');
    expect(dutyStanding({ dueAt: due, satisfiedAt: new Date('2026-12-03T12:00:00Z'), how: 'phone', now })).toBe('on_time');
    expect(dutyStanding({ dueAt: due, satisfiedAt: new Date('2026-12-04T09:00:00Z'), how: 'visit', now })).toBe('late');
    expect(dutyStanding({ dueAt: due, satisfiedAt: new Date('2026-12-04T09:00:00Z'), how: 'declined', now })).toBe('declined');
    expect(dutyStanding({ dueAt: due, satisfiedAt: null, how: null, now })).toBe('overdue');
    expect(dutyStanding({ dueAt: due, satisfiedAt: null, how: null, now: new Date('2026-12-03T00:00:00Z') })).toBe('open');
  });
});
