import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { APPOINTMENT_EVENTS, overtakenAppointmentMilestones, readCaseMilestones, type AppointmentEvent } from './case-appointments.ts';
import { COURT_DATE_EVENTS, overtakenCourtDateMilestones } from './court-dates.ts';
import { ukDayOf, ukMidnightOf } from './uk-days.ts';

// What a reminder of an appointment must be when it goes: true. It is queued a day before the
// appointment, and is taken back (`outbox.withdrawn`) when the appointment moves or is cancelled
// (`case.reminders_withdrawal`). That job can be given up, or run after the reminder's time; the
// delivery can run late, after an outage or an admin's retry. So the delivery asks this, at the
// moment it would send, of every reminder it holds: one that names a time no longer standing, or
// whose appointment has begun, does not go (decision 0117). The reminder of a hearing, two days
// before it, is taken back by the same job when its listing is overtaken (decision 0121) and asked
// the same: its court date moved, the hearing ended by the court's result or the case's closing,
// or its time come (`court-dates.ts`).

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

/** The purpose of the journey's reminders of a hearing. */
export const COURT_REMINDER_PURPOSE = 'journey:case.court_date.reminder';

/** Why a reminder of a hearing since moved or ended was not sent, as staff read it. */
export const COURT_OVERTAKEN_REASONS = {
  moved: 'the court date was changed; a reminder of the new date replaces this one',
  heard: 'the court gave its result before this could be sent',
  closed: 'the case was closed before this could be sent',
} as const;

/** Why a reminder of a hearing was taken back as soon as its listing was overtaken (decision 0121), as staff read it. */
export const COURT_WITHDRAWN_REASONS = {
  moved: COURT_OVERTAKEN_REASONS.moved,
  heard: 'the court’s result was given',
  closed: 'the case was closed',
} as const;

/** Why a reminder whose hearing came before it could go was not sent, as staff read it. */
export const COURT_TOO_LATE_REASONS = {
  time: 'the time of the hearing had come before this could be sent',
  day: 'the day of the hearing had passed before this could be sent',
} as const;

/** What a reminder is of: the milestones it is checked against, what overtakes them, and the words for why it does not go. */
type Kind = {
  events: readonly string[];
  overtaken: (events: readonly AppointmentEvent[]) => ReadonlyMap<string, string>;
  reasons: Readonly<Record<string, string>>;
  tooLate: { time: string; day: string };
};

const KINDS: ReadonlyMap<string, Kind> = new Map([
  [REMINDER_PURPOSE, { events: APPOINTMENT_EVENTS, overtaken: overtakenAppointmentMilestones, reasons: OVERTAKEN_REASONS, tooLate: TOO_LATE_REASONS }],
  [COURT_REMINDER_PURPOSE, { events: COURT_DATE_EVENTS, overtaken: overtakenCourtDateMilestones, reasons: COURT_OVERTAKEN_REASONS, tooLate: COURT_TOO_LATE_REASONS }],
]);

/** An outbox message as the delivery holds it (only what this reads). */
export type HeldMessage = { id: string; purpose: string; case_id: string | null; idempotency_key: string };

/**
 * When a reminder of a milestone stops being of use: the time it names, or for a day
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
 * Which of these messages are reminders (of an appointment, of a hearing) that must not go at
 * `now`, each with why: what they name was changed, cancelled or ended since, or its time (a day
 * alone: its day) has come. Other messages, and reminders still true, are not in the answer. Reads
 * only: one read of each case's milestones, whatever its reminders are of.
 */
export async function findUntrueReminders(tx: Tx, forceId: ForceId, now: Date, messages: readonly HeldMessage[]): Promise<Map<string, string>> {
  const untrue = new Map<string, string>();
  const byCase = new Map<string, HeldMessage[]>();
  for (const message of messages) {
    if (!KINDS.has(message.purpose) || !message.case_id) continue;
    byCase.set(message.case_id, [...(byCase.get(message.case_id) ?? []), message]);
  }
  for (const [caseId, reminders] of byCase) {
    const kinds = [...new Set(reminders.flatMap((r) => KINDS.get(r.purpose) ?? []))];
    const events = await readCaseMilestones(tx, forceId, caseId, kinds.flatMap((kind) => kind.events));
    const overtaken = new Map(kinds.map((kind) => [kind, kind.overtaken(events.filter((e) => kind.events.includes(e.type)))]));
    for (const reminder of reminders) {
      const kind = KINDS.get(reminder.purpose);
      if (!kind) continue;
      // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts).
      const event = events.find((e) => e.milestoneId && reminder.idempotency_key.startsWith(`journey:${caseId}:${e.milestoneId}:`));
      if (!event?.milestoneId) continue;
      const by = overtaken.get(kind)?.get(event.milestoneId);
      const reason = by ? kind.reasons[by] : undefined;
      if (reason) {
        untrue.set(reminder.id, reason);
        continue;
      }
      const useful = usefulUntil(event);
      if (useful && useful.until.getTime() <= now.getTime()) untrue.set(reminder.id, useful.isDay ? kind.tooLate.day : kind.tooLate.time);
    }
  }
  return untrue;
}
