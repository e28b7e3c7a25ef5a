// A case's appointments, as the victim sees them, from its appointment milestones. Pure.
//
// A milestone carries no appointment id of its own: `case.appointment_made` starts an appointment
// (its event id is the appointment's id); `case.appointment_changed` and `case.appointment_cancelled`
// apply to the appointment named in their details (`appointmentId`) when there is one, otherwise
// to the latest appointment not cancelled, which is what an investigator changing "the"
// appointment means.

export type AppointmentEvent = { id: string; at: Date; type: string; details: { at?: string; isDateOnly?: string; place?: string; appointmentId?: string } };

export type VictimAppointment = {
  id: string;
  /** When it is; null if the milestone gave no valid time. */
  at: Date | null;
  /** Only its day is known (the records system gave no time): `at` is the UK midnight that begins it. */
  isDateOnly: boolean;
  place: string | null;
  status: 'booked' | 'changed' | 'cancelled';
  /** How many times it changed (and was cancelled): the calendar file's SEQUENCE. */
  sequence: number;
};

function parseTime(value: string | undefined): Date | null {
  if (!value) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time;
}

/** The appointments of a case from its events (oldest first), in the order they were made. */
export function deriveAppointments(events: readonly AppointmentEvent[]): VictimAppointment[] {
  const appointments: VictimAppointment[] = [];
  const target = (event: AppointmentEvent) => {
    const named = event.details.appointmentId;
    if (named) return appointments.find((a) => a.id === named);
    return appointments.findLast((a) => a.status !== 'cancelled');
  };
  for (const event of events) {
    if (event.type === 'case.appointment_made') {
      appointments.push({ id: event.id, at: parseTime(event.details.at), isDateOnly: event.details.isDateOnly === 'true', place: event.details.place ?? null, status: 'booked', sequence: 0 });
    } else if (event.type === 'case.appointment_changed') {
      const appointment = target(event);
      if (!appointment) continue;
      const at = parseTime(event.details.at);
      if (at) {
        appointment.at = at;
        appointment.isDateOnly = event.details.isDateOnly === 'true';
      }
      appointment.place = event.details.place ?? appointment.place;
      appointment.status = 'changed';
      appointment.sequence += 1;
    } else if (event.type === 'case.appointment_cancelled') {
      const appointment = target(event);
      if (!appointment) continue;
      appointment.status = 'cancelled';
      appointment.sequence += 1;
    }
  }
  return appointments;
}
