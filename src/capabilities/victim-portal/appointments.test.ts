import { describe, expect, it } from 'vitest';
import { deriveAppointments, type AppointmentEvent } from './appointments.schema.ts';

const at = new Date('2026-03-01T09:00:00Z');
const made = (id: string, when: string, place?: string): AppointmentEvent => ({ id, at, type: 'case.appointment_made', details: { at: when, ...(place ? { place } : {}) } });

describe('a case’s appointments from its milestones', () => {
  it('makes one appointment per appointment_made, with its time and place', () => {
    const list = deriveAppointments([made('a', '2026-03-05T14:00:00Z', 'Low Road station'), { id: 'x', at, type: 'case.allocated', details: {} }]);
    expect(list).toEqual([{ id: 'a', at: new Date('2026-03-05T14:00:00Z'), isDateOnly: false, place: 'Low Road station', status: 'booked', sequence: 0 }]);
  });

  it('applies a change to the latest appointment not cancelled, or to the one it names', () => {
    const list = deriveAppointments([
      made('a', '2026-03-05T14:00:00Z'),
      made('b', '2026-03-06T10:00:00Z'),
      { id: 'c1', at, type: 'case.appointment_changed', details: { at: '2026-03-07T10:00:00Z' } },
      { id: 'c2', at, type: 'case.appointment_changed', details: { appointmentId: 'a', place: 'Your home' } },
    ]);
    expect(list.map((a) => [a.id, a.at?.toISOString(), a.place, a.status, a.sequence])).toEqual([
      ['a', '2026-03-05T14:00:00.000Z', 'Your home', 'changed', 1],
      ['b', '2026-03-07T10:00:00.000Z', null, 'changed', 1],
    ]);
  });

  it('cancels the latest live appointment, so the next change goes to the one before', () => {
    const list = deriveAppointments([
      made('a', '2026-03-05T14:00:00Z'),
      made('b', '2026-03-06T10:00:00Z'),
      { id: 'x', at, type: 'case.appointment_cancelled', details: {} },
      { id: 'y', at, type: 'case.appointment_changed', details: { at: '2026-03-09T10:00:00Z' } },
    ]);
    expect(list.map((a) => [a.id, a.status, a.at?.toISOString()])).toEqual([
      ['a', 'changed', '2026-03-09T10:00:00.000Z'],
      ['b', 'cancelled', '2026-03-06T10:00:00.000Z'],
    ]);
  });

  it('keeps an appointment without a valid time, with no time, and ignores a change with nothing to change', () => {
    const list = deriveAppointments([{ id: 'y', at, type: 'case.appointment_changed', details: {} }, made('a', 'not a date')]);
    expect(list).toEqual([{ id: 'a', at: null, isDateOnly: false, place: null, status: 'booked', sequence: 0 }]);
  });

  it('keeps a day alone a day, until a change gives its time', () => {
    const list = deriveAppointments([
      { id: 'a', at, type: 'case.appointment_made', details: { at: '2026-03-17T00:00:00.000Z', isDateOnly: 'true' } },
      { id: 'p', at, type: 'case.appointment_changed', details: { place: 'Low Road station' } },
    ]);
    expect(list[0]).toMatchObject({ isDateOnly: true, place: 'Low Road station' });
    const timed = deriveAppointments([
      { id: 'a', at, type: 'case.appointment_made', details: { at: '2026-03-17T00:00:00.000Z', isDateOnly: 'true' } },
      { id: 't', at, type: 'case.appointment_changed', details: { at: '2026-03-17T14:00:00Z' } },
    ]);
    expect(timed[0]).toMatchObject({ isDateOnly: false, at: new Date('2026-03-17T14:00:00Z') });
  });
});
