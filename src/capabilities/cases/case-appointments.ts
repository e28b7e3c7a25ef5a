import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { invalid } from '../../platform/errors.ts';

// A case's appointments are not a table: they are what its appointment milestones (made, changed,
// cancelled) add up to. Each appointment is named by the event that made it, so a change or a
// cancellation can say which one it means; one from the records system that names none means the
// latest one still standing.

export const APPOINTMENT_EVENTS = ['case.appointment_made', 'case.appointment_changed', 'case.appointment_cancelled'] as const;

/** One appointment milestone, as the case's event log holds it. */
export type AppointmentEvent = { id: string; at: Date; type: string; note: string | null; details: Record<string, string>; milestoneId?: string | null };

export type Appointment = {
  /** The id of the event that made it; a change or a cancellation names it as `appointmentId`. */
  id: string;
  status: 'current' | 'cancelled';
  /** When and where it is (ISO), as last changed; null when the milestone gave none. */
  at: string | null;
  /** Only its day is known: `at` is the UK midnight that begins it (decision 0077). */
  isDateOnly: boolean;
  place: string | null;
  note: string | null;
  madeAt: string;
  changedAt: string | null;
  cancelledAt: string | null;
};

/** The appointments a case's appointment milestones add up to, in the order they were made. Pure. */
export function appointmentsOf(events: readonly AppointmentEvent[]): Appointment[] {
  const appointments: Appointment[] = [];
  for (const event of events) {
    if (event.type === 'case.appointment_made') {
      appointments.push({
        id: event.id,
        status: 'current',
        at: event.details.at ?? null,
        isDateOnly: event.details.isDateOnly === 'true',
        place: event.details.place ?? null,
        note: event.note,
        madeAt: event.at.toISOString(),
        changedAt: null,
        cancelledAt: null,
      });
      continue;
    }
    const named = event.details.appointmentId;
    const target = named ? appointments.find((a) => a.id === named) : appointments.findLast((a) => a.status === 'current');
    if (!target) continue;
    if (event.type === 'case.appointment_changed') {
      if (event.details.at) {
        target.at = event.details.at;
        target.isDateOnly = event.details.isDateOnly === 'true';
      }
      target.place = event.details.place ?? target.place;
      target.note = event.note ?? target.note;
      target.changedAt = event.at.toISOString();
    } else if (event.type === 'case.appointment_cancelled') {
      target.status = 'cancelled';
      target.cancelledAt = event.at.toISOString();
    }
  }
  return appointments;
}

/**
 * The milestones that made and changed the appointment that milestone `milestoneId` (a change or a
 * cancellation) is about, as they stood before it: their journey messages (reminders) speak of a
 * time or place no longer true. Empty when that milestone names no appointment of the case. Pure.
 */
export function earlierMilestonesOfAppointment(events: readonly AppointmentEvent[], milestoneId: string): string[] {
  const appointments: { id: string; isCurrent: boolean; milestoneIds: string[] }[] = [];
  for (const event of events) {
    if (event.type === 'case.appointment_made') {
      if (event.milestoneId === milestoneId) return [];
      appointments.push({ id: event.id, isCurrent: true, milestoneIds: event.milestoneId ? [event.milestoneId] : [] });
      continue;
    }
    const named = event.details.appointmentId;
    const target = named ? appointments.find((a) => a.id === named) : appointments.findLast((a) => a.isCurrent);
    if (event.milestoneId === milestoneId) return target ? [...target.milestoneIds] : [];
    if (!target) continue;
    if (event.type === 'case.appointment_changed' && event.milestoneId) target.milestoneIds.push(event.milestoneId);
    if (event.type === 'case.appointment_cancelled') target.isCurrent = false;
  }
  return [];
}

/**
 * The milestones of a case's appointments that a later change or cancellation has overtaken, each
 * with what overtook it: a message timed from such a milestone's appointment (a reminder the day
 * before) tells of a time that no longer stands. `events` are the case's, oldest first.
 */
export function overtakenAppointmentMilestones(events: readonly AppointmentEvent[]): Map<string, 'changed' | 'cancelled'> {
  const overtaken = new Map<string, 'changed' | 'cancelled'>();
  for (const event of events) {
    if (!event.milestoneId || event.type === 'case.appointment_made') continue;
    for (const earlier of earlierMilestonesOfAppointment(events, event.milestoneId)) {
      overtaken.set(earlier, event.type === 'case.appointment_cancelled' ? 'cancelled' : 'changed');
    }
  }
  return overtaken;
}

/** The case's appointment milestones, oldest first. */
export async function readAppointmentEvents(tx: Tx, forceId: ForceId, caseId: string): Promise<AppointmentEvent[]> {
  return readCaseMilestones(tx, forceId, caseId, APPOINTMENT_EVENTS);
}

/** The case's milestones of these types (its appointments', its court dates'), oldest first. */
export async function readCaseMilestones(tx: Tx, forceId: ForceId, caseId: string, types: readonly string[]): Promise<AppointmentEvent[]> {
  const rows = await tx
    .selectFrom('events')
    .select(['id', 'occurred_at', 'type', 'data'])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', 'in', types)
    .orderBy('seq')
    .execute();
  return rows.map((row) => {
    const data = row.data as { note?: unknown; details?: unknown; milestoneId?: unknown };
    const details = data.details && typeof data.details === 'object' ? (data.details as Record<string, string>) : {};
    const milestoneId = typeof data.milestoneId === 'string' ? data.milestoneId : null;
    return { id: row.id, at: row.occurred_at, type: row.type, note: typeof data.note === 'string' ? data.note : null, details, milestoneId };
  });
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
