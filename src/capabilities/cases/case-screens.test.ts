import { describe, expect, it } from 'vitest';
import { appointmentsOf, type AppointmentEvent } from './case-appointments.schema.ts';
import { maskRecipient } from './case-messages.service.ts';

describe('masking a victim’s address for the case screen', () => {
  it('keeps the first letter and the domain of an email address', () => {
    expect(maskRecipient('email', 'jo.bloggs@example.com')).toBe('j***@example.com');
    expect(maskRecipient('email', '@example.com')).toBe('***');
  });
  it('keeps the last four digits of a phone number', () => {
    expect(maskRecipient('sms', '+44 7700 900123')).toBe('•••• 0123');
    expect(maskRecipient('sms', '12')).toBe('••••');
  });
  it('names the portal and a letter rather than show an address', () => {
    expect(maskRecipient('portal', 'person-7c1d')).toBe('portal inbox');
    expect(maskRecipient('letter', '1 High Street, Norwich NR1 1AA')).toBe('postal address on file');
  });
});

describe("a case's appointments, from its milestones", () => {
  const at = (minute: number) => new Date(Date.UTC(2027, 0, 1, 9, minute));
  const event = (id: string, type: string, minute: number, details: Record<string, string> = {}, note: string | null = null): AppointmentEvent => ({
    id,
    type: `case.appointment_${type}`,
    at: at(minute),
    note,
    details,
  });

  it('changes and cancels the one named, and the latest standing one when none is named', () => {
    const appointments = appointmentsOf([
      event('a', 'made', 0, { at: '2027-02-01T10:00:00Z', place: 'Station' }, 'Statement'),
      event('b', 'made', 1, { at: '2027-02-02T10:00:00Z', place: 'Home' }),
      event('c', 'changed', 2, { appointmentId: 'a', at: '2027-02-03T10:00:00Z' }),
      // From a records system that names none: the latest one still standing.
      event('d', 'cancelled', 3),
      event('e', 'changed', 4, { place: 'Court' }),
    ]);
    expect(appointments).toEqual([
      { id: 'a', status: 'current', at: '2027-02-03T10:00:00Z', isDateOnly: false, place: 'Court', note: 'Statement', madeAt: at(0).toISOString(), changedAt: at(4).toISOString(), cancelledAt: null },
      { id: 'b', status: 'cancelled', at: '2027-02-02T10:00:00Z', isDateOnly: false, place: 'Home', note: null, madeAt: at(1).toISOString(), changedAt: null, cancelledAt: at(3).toISOString() },
    ]);
  });

  it('ignores a change with no appointment to apply to', () => {
    expect(appointmentsOf([event('x', 'changed', 0, { at: '2027-02-01T10:00:00Z' })])).toEqual([]);
  });
});
