import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { overtakenAppointmentMilestones, readAppointmentEvents, type AppointmentEvent } from './case-appointments.ts';
import { ukDayOf, ukMidnightOf } from './uk-days.ts';

// What a reminder of an appointment must be when it goes: true. It is queued a day before the
// appointment, and is taken back (`outbox.withdrawn`) when the appointment moves or is cancelled
// (`case.appointment_reminders`). That job can be given up, or run after the reminder's time; the
// delivery can run late, after an outage or an admin's retry. So the delivery asks this, at the
// moment it would send, of every reminder it holds: one that names a time no longer standing, or
// whose appointment has begun, does not go (decision 0117).

/** The purpose of the journey's reminder messages (`journey:` and the rule's template key). */
export const REMINDER_PURPOSE = 'journey:appointment.reminder';

/** Why a reminder of an appointment since changed or cancelled was not sent, as staff read it. */
export const OVERTAKEN_REASONS = {
  changed: 'the appointment was changed; a reminder of the new time replaces this one',
  cancelled: 'the appointment was cancelled',
} as const;

/** Why a reminder whose appointment came before it could go was not sent, as staff read it. */
export const TOO_LATE_REASONS = {
  time: 'the time of the appointment had come before this could be sent',
  day: 'the day of the appointment had passed before this could be sent',
} as const;

/** An outbox message as the delivery holds it (only what this reads). */
export type HeldMessage = { id: string; purpose: string; case_id: string | null; idempotency_key: string };

/**
 * When an appointment milestone's reminder stops being of use: the time it names, or for a day
 * alone (its midnight, decision 0077) the end of that day. Null when it names no time.
 */
function usefulUntil(event: AppointmentEvent): { until: Date; isDay: boolean } | null {
  const at = event.details.at ? new Date(event.details.at) : null;
  if (!at || Number.isNaN(at.getTime())) return null;
  if (event.details.isDateOnly !== 'true') return { until: at, isDay: false };
  // Thirty-six hours on from a UK midnight is always within the next UK day.
  return { until: ukMidnightOf(ukDayOf(at.getTime() + 36 * 3_600_000).day), isDay: true };
}

/**
 * Which of these messages are appointment reminders that must not go at `now`, each with why:
 * the appointment they name was changed or cancelled since, or its time (a day alone: its day)
 * has come. Other messages, and reminders still true, are not in the answer. Reads only.
 */
export async function findUntrueReminders(tx: Tx, forceId: ForceId, now: Date, messages: readonly HeldMessage[]): Promise<Map<string, string>> {
  const untrue = new Map<string, string>();
  const byCase = new Map<string, HeldMessage[]>();
  for (const message of messages) {
    if (message.purpose !== REMINDER_PURPOSE || !message.case_id) continue;
    byCase.set(message.case_id, [...(byCase.get(message.case_id) ?? []), message]);
  }
  for (const [caseId, reminders] of byCase) {
    const events = await readAppointmentEvents(tx, forceId, caseId);
    const overtaken = overtakenAppointmentMilestones(events);
    for (const reminder of reminders) {
      // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts).
      const event = events.find((e) => e.milestoneId && reminder.idempotency_key.startsWith(`journey:${caseId}:${e.milestoneId}:`));
      if (!event?.milestoneId) continue;
      const by = overtaken.get(event.milestoneId);
      if (by) {
        untrue.set(reminder.id, OVERTAKEN_REASONS[by]);
        continue;
      }
      const useful = usefulUntil(event);
      if (useful && useful.until.getTime() <= now.getTime()) untrue.set(reminder.id, useful.isDay ? TOO_LATE_REASONS.day : TOO_LATE_REASONS.time);
    }
  }
  return untrue;
}
