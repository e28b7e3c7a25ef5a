import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { listEventsForSubjects, type StoredEvent } from '../../platform/events/event-log.ts';

// A case's appointments are not a table: they are what its appointment milestones (made, changed,
// cancelled) add up to. Each appointment is named by the event that made it, so a change or a
// cancellation can say which one it means; one from the records system that names none means the
// latest one still standing.

export const APPOINTMENT_EVENTS = ['case.appointment_made', 'case.appointment_changed', 'case.appointment_cancelled'] as const;

/** One appointment milestone, as the case's event log holds it. */
export type AppointmentEvent = { id: string; at: Date; type: string; note: string | null; details: Record<string, string>; milestoneId?: string | null };

/**
 * A case's milestone as it stands in the event log, in the shape the folds here and in
 * `court-dates.schema.ts` read: any room that reads the log reads it so, through
 * `readCaseMilestones` (decisions 0194, 0199). Pure.
 */
function milestoneEventOf(event: Pick<StoredEvent, 'id' | 'occurredAt' | 'type' | 'data'>): AppointmentEvent {
  const data = event.data as { note?: unknown; details?: unknown; milestoneId?: unknown };
  const details = data.details && typeof data.details === 'object' ? (data.details as Record<string, string>) : {};
  const milestoneId = typeof data.milestoneId === 'string' ? data.milestoneId : null;
  return { id: event.id, at: event.occurredAt, type: event.type, note: typeof data.note === 'string' ? data.note : null, details, milestoneId };
}

/**
 * A case's milestones of these types (its appointments', its court dates'), oldest first: the one
 * read of them both rooms make, so cases and journeys see the same events (decision 0199). The
 * only function here that takes a transaction; it reads the log through the platform alone.
 */
export async function readCaseMilestones(tx: Tx, forceId: ForceId, caseId: string, types: readonly string[]): Promise<AppointmentEvent[]> {
  return (await listEventsForSubjects(tx, forceId, [{ type: 'case', id: caseId }], types)).map(milestoneEventOf);
}

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

