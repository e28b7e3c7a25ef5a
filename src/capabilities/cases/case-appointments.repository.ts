import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { invalid } from '../../platform/errors.ts';
import { APPOINTMENT_EVENTS, appointmentsOf, readCaseMilestones, type AppointmentEvent } from './case-appointments.schema.ts';

// The reads and checks of a case's appointments: what its appointment milestones add up to, and the
// one read of them from the log, are the contract `case-appointments.schema.ts`, which the journeys
// room reads the log with too (decision 0199).

/** The case's appointment milestones, oldest first. */
export async function readAppointmentEvents(tx: Tx, forceId: ForceId, caseId: string): Promise<AppointmentEvent[]> {
  return readCaseMilestones(tx, forceId, caseId, APPOINTMENT_EVENTS);
}

/** Whether the case has an appointment standing (made and not cancelled): one a change that names none is about. */
export async function hasStandingAppointment(tx: Tx, forceId: ForceId, caseId: string): Promise<boolean> {
  return appointmentsOf(await readAppointmentEvents(tx, forceId, caseId)).some((a) => a.status === 'current');
}

/** How far from now an appointment or a court date may be, in years. */
export const APPOINTMENT_REACH_YEARS = 5;

/**
 * Refuses the time of an appointment or a court date more than five years from `now` (a year
 * mistyped, 2062 for 2026), which a victim would be told of. A records system resends the dates a
 * case holds with every update, so with `isPastAllowed` only the future is bounded: an old one it
 * sends again must not refuse the update.
 */
export function requireReachableTime(now: Date, at: string, path: string, isPastAllowed = false): void {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + APPOINTMENT_REACH_YEARS);
  const earliest = new Date(now);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - APPOINTMENT_REACH_YEARS);
  const when = Date.parse(at);
  if (when > latest.getTime()) throw invalid(path, `must be within ${APPOINTMENT_REACH_YEARS} years from now`);
  if (!isPastAllowed && when < earliest.getTime()) throw invalid(path, `must be within ${APPOINTMENT_REACH_YEARS} years before now`);
}

/** Refuses a change or a cancellation naming an appointment this case does not have, or one already cancelled. */
export async function requireCurrentAppointment(tx: Tx, forceId: ForceId, caseId: string, appointmentId: string): Promise<void> {
  const found = appointmentsOf(await readAppointmentEvents(tx, forceId, caseId)).find((a) => a.id === appointmentId);
  if (!found) throw invalid('appointmentId', 'is not an appointment on this case');
  if (found.status === 'cancelled') throw invalid('appointmentId', 'is an appointment already cancelled');
}
