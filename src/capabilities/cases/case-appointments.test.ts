import { describe, expect, it } from 'vitest';
import { requireReachableTime } from './case-appointments.repository.ts';
import { earlierMilestonesOfAppointment, type AppointmentEvent } from './case-appointments.schema.ts';

const at = new Date('2026-05-06T09:00:00Z');
const event = (id: string, type: string, milestoneId: string, details: Record<string, string> = {}): AppointmentEvent => ({ id, at, type: `case.appointment_${type}`, note: null, details, milestoneId });

describe('the milestones whose reminders a change or cancellation makes stale', () => {
  const events = [
    event('a', 'made', 'm-a'),
    event('b', 'made', 'm-b'),
    event('c1', 'changed', 'm-c1', { appointmentId: 'a' }),
    event('c2', 'changed', 'm-c2'),
    event('x', 'cancelled', 'm-x', { appointmentId: 'a' }),
    event('y', 'cancelled', 'm-y'),
  ];

  it('names the appointment a change is about, as it stood before the change', () => {
    expect(earlierMilestonesOfAppointment(events, 'm-c1')).toEqual(['m-a']);
    // No appointment named: the latest one still standing.
    expect(earlierMilestonesOfAppointment(events, 'm-c2')).toEqual(['m-b']);
  });

  it('names every earlier milestone of a cancelled appointment, and the latest standing one when none is named', () => {
    expect(earlierMilestonesOfAppointment(events, 'm-x')).toEqual(['m-a', 'm-c1']);
    // "a" is cancelled by then, so the latest standing one is "b".
    expect(earlierMilestonesOfAppointment(events, 'm-y')).toEqual(['m-b', 'm-c2']);
  });

  it('names nothing for a making, an unknown milestone, or a change of an appointment the case lacks', () => {
    expect(earlierMilestonesOfAppointment(events, 'm-a')).toEqual([]);
    expect(earlierMilestonesOfAppointment(events, 'nope')).toEqual([]);
    expect(earlierMilestonesOfAppointment([event('z', 'cancelled', 'm-z', { appointmentId: 'gone' })], 'm-z')).toEqual([]);
  });
});

describe('how far from now an appointment or a court date may be', () => {
  const reach = (when: string, isPastAllowed = false) => () => requireReachableTime(at, when, 'at', isPastAllowed);

  it('takes one up to five years either side of now', () => {
    expect(reach('2031-05-06T09:00:00Z')).not.toThrow();
    expect(reach('2021-05-06T09:00:00Z')).not.toThrow();
    expect(reach('2026-05-06T10:00:00+01:00')).not.toThrow();
  });

  it('refuses-one-further-off, naming the field', () => {
    expect(reach('2031-05-06T09:00:01Z')).toThrow('at: must be within 5 years from now');
    expect(reach('2021-05-06T08:59:59Z')).toThrow('at: must be within 5 years before now');
  });

  it('bounds only the future for what a records system resends', () => {
    expect(reach('2001-01-01T00:00:00Z', true)).not.toThrow();
    expect(reach('2032-01-01T00:00:00Z', true)).toThrow();
  });
});
