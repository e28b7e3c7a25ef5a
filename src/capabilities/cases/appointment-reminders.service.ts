import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { APPOINTMENT_EVENTS, earlierMilestonesOfAppointment, overtakenAppointmentMilestones, readCaseMilestones, type AppointmentEvent } from './case-appointments.schema.ts';
import { COURT_DATE_EVENTS, isListing, listingsOvertakenBy, overtakenCourtDateMilestones } from './court-dates.schema.ts';
import { ukDayOf, ukMidnightOf } from './uk-days.schema.ts';
import {
  COURT_OVERTAKEN_REASONS,
  COURT_TOO_LATE_REASONS,
  NEWS_OVERTAKEN_REASONS,
  OVERTAKEN_REASONS,
  TOO_LATE_REASONS,
  victimOfKey,
  type NewTime,
  type ReminderRules,
  type TimedMessage,
  type Unreminded,
} from './appointment-reminders.schema.ts';

// What a reminder of an appointment must be when it goes: true. It is queued a day before the
// appointment, and is taken back (`outbox.withdrawn`) when the appointment moves or is cancelled
// (`case.reminders_withdrawal`). That job can be given up, or run after the reminder's time; the
// delivery can run late, after an outage or an admin's retry. So the delivery asks this, at the
// moment it would send, of every reminder it holds: one that names a time no longer standing, or
// whose appointment has begun, does not go (decision 0117). The reminder of a hearing, two days
// before it, is taken back by the same job when its listing is overtaken (decision 0121) and asked
// the same: its court date moved, the hearing ended by the court's result or the case's closing,
// or its time come (`court-dates.schema.ts`). A reminder is known by its rule, not its message: one
// counted back from the time its milestone names (a force's own too, decision 0122), which the
// journeys room tells (`ReminderRules`, given by the composition root). The news of an
// appointment or a hearing not yet sent (held for the victim's safe time) is asked the same, by its
// rule's milestone: it must not tell of what no longer stands (decision 0126).

/** What a reminder is of: the milestones it is checked against, what overtakes them, and the words for why it does not go. */
type Kind = {
  events: readonly string[];
  overtaken: (events: readonly AppointmentEvent[]) => ReadonlyMap<string, string>;
  reasons: Readonly<Record<string, string>>;
  tooLate: { time: string; day: string };
};

const APPOINTMENT_KIND: Kind = { events: APPOINTMENT_EVENTS, overtaken: overtakenAppointmentMilestones, reasons: OVERTAKEN_REASONS, tooLate: TOO_LATE_REASONS };
const COURT_KIND: Kind = { events: COURT_DATE_EVENTS, overtaken: overtakenCourtDateMilestones, reasons: COURT_OVERTAKEN_REASONS, tooLate: COURT_TOO_LATE_REASONS };

/** What a reminder is of, by the milestone it was queued for: the one that named the time. */
const KINDS: ReadonlyMap<string, Kind> = new Map([
  ['case.appointment_made', APPOINTMENT_KIND],
  ['case.appointment_changed', APPOINTMENT_KIND],
  ['case.court_date_set', COURT_KIND],
]);

/** What a reminder is of: a reopening that lists again the hearing its closing ended is a listing too (decision 0121). */
function kindOf(event: AppointmentEvent): Kind | undefined {
  return isListing(event) ? COURT_KIND : KINDS.get(event.type);
}

/** What a reminder taken back for a new time says, as staff read it: that another replaces it, or that none will be sent, and why. */
const REPLACED_WORDS = {
  appointment: { replaced: OVERTAKEN_REASONS.changed, alone: 'the appointment was changed; no reminder of the new time will be sent', noRule: 'no reminder rule of a changed appointment is switched on' },
  court: { replaced: COURT_OVERTAKEN_REASONS.moved, alone: 'the court date was changed; no reminder of the new date will be sent', noRule: 'no reminder rule of a court date is switched on' },
} as const;

const UNREMINDED_BECAUSE: Readonly<Record<Exclude<Unreminded, 'no_rule' | { notQueued: string }>, string>> = {
  other_crime_types: 'the reminder rules switched on are for other crime types',
  other_victims: 'the reminder rules switched on are for other categories of victim',
  fallback_gives_way: 'a rule for this case’s crime type or outcome speaks in place of the reminder rule',
};

/** Why a victim will not be reminded of the new time, in words. */
function unremindedWords(why: Unreminded, noRule: string): string {
  if (typeof why === 'object') return why.notQueued;
  return why === 'no_rule' ? noRule : UNREMINDED_BECAUSE[why];
}

/**
 * Why reminders of a time since changed are taken back, for each of these victims, as staff read
 * it: a reminder of the new time replaces one only when the journey queues it for that victim of
 * this case, as it decides at `now` (decisions 0122, 0127, 0134); otherwise that none will be
 * sent, and why.
 */
export async function replacedReasons(tx: Tx, forceId: ForceId, rules: ReminderRules, of: keyof typeof REPLACED_WORDS, newTime: NewTime, victimIds: readonly string[], now: Date): Promise<Map<string, string>> {
  const words = REPLACED_WORDS[of];
  const unreminded = await rules.findUnreminded(tx, forceId, newTime, [...new Set(victimIds)], now);
  return new Map(
    victimIds.map((victimId) => {
      const why = unreminded.get(victimId);
      return [victimId, why ? `${words.alone}: ${unremindedWords(why, words.noRule)}` : words.replaced];
    }),
  );
}

/** The milestone that gave a new time to the one named `milestoneId` (the change of its appointment, the listing after it): what a reminder of it is replaced by. */
function replacingEvent(events: readonly AppointmentEvent[], milestoneId: string, kind: Kind): AppointmentEvent | undefined {
  if (kind === APPOINTMENT_KIND) return events.find((e) => e.type === 'case.appointment_changed' && e.milestoneId && earlierMilestonesOfAppointment(events, e.milestoneId).includes(milestoneId));
  return events.find((e) => e.type === 'case.court_date_set' && e.milestoneId && listingsOvertakenBy(events, e.milestoneId).includes(milestoneId));
}

/** Of these messages, those telling of a time (with their case): reminders, and the news of an appointment or a hearing. */
async function timedOf(tx: Tx, forceId: ForceId, messages: readonly HeldMessage[], rules: ReminderRules): Promise<Map<string, (HeldMessage & TimedMessage)[]>> {
  const candidates = messages.filter((message) => message.case_id && message.idempotency_key.startsWith('journey:'));
  const timed = candidates.length > 0 ? await rules.findTimedMessages(tx, forceId, candidates.map((m) => m.idempotency_key)) : new Map<string, TimedMessage>();
  const byCase = new Map<string, (HeldMessage & TimedMessage)[]>();
  for (const message of candidates) {
    const what = timed.get(message.idempotency_key);
    if (!message.case_id || !what) continue;
    byCase.set(message.case_id, [...(byCase.get(message.case_id) ?? []), { ...message, ...what }]);
  }
  return byCase;
}

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
 * Which of these messages are reminders (of an appointment, of a hearing), or other messages telling
 * of one (its news held for the victim's safe time: decision 0126), that must not go at `now`, each
 * with why: what they name was changed, cancelled or ended since, or its time (a day alone: its
 * day) has come, unless they go after it. Other messages, and those still true, are not in the
 * answer. Reads only: which of its journey messages tell of a time (`rules`), then one read of each
 * case's milestones, whatever its messages are of.
 */
export async function findUntrueReminders(tx: Tx, forceId: ForceId, now: Date, messages: readonly HeldMessage[], rules: ReminderRules): Promise<Map<string, string>> {
  const untrue = new Map<string, string>();
  for (const [caseId, reminders] of await timedOf(tx, forceId, messages, rules)) {
    const events = await readCaseMilestones(tx, forceId, caseId, [...new Set([...APPOINTMENT_EVENTS, ...COURT_DATE_EVENTS])]);
    const overtaken = new Map([APPOINTMENT_KIND, COURT_KIND].map((kind) => [kind, kind.overtaken(events.filter((e) => kind.events.includes(e.type)))]));
    for (const reminder of reminders) {
      // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts).
      const event = events.find((e) => e.milestoneId && reminder.idempotency_key.startsWith(`journey:${caseId}:${e.milestoneId}:`));
      const kind = event ? kindOf(event) : undefined;
      if (!event?.milestoneId || !kind) continue;
      const by = overtaken.get(kind)?.get(event.milestoneId);
      // Only a reminder taken back for a change claims that another replaces it.
      let reason: string | undefined;
      const replacing = reminder.isReminder && (by === 'changed' || by === 'moved') ? replacingEvent(events, event.milestoneId, kind) : undefined;
      if (by && !reminder.isReminder) reason = (NEWS_OVERTAKEN_REASONS as Readonly<Record<string, string>>)[by];
      else if (replacing) {
        const victimId = victimOfKey(reminder.idempotency_key);
        const about = { caseId, milestoneId: replacing.milestoneId ?? null, milestone: replacing.type, details: replacing.details };
        reason = (await replacedReasons(tx, forceId, rules, kind === APPOINTMENT_KIND ? 'appointment' : 'court', about, [victimId], now)).get(victimId);
      } else if (by) reason = kind.reasons[by];
      if (reason) {
        untrue.set(reminder.id, reason);
        continue;
      }
      if (reminder.isAfterTime) continue;
      const useful = usefulUntil(event);
      if (useful && useful.until.getTime() <= now.getTime()) untrue.set(reminder.id, useful.isDay ? kind.tooLate.day : kind.tooLate.time);
    }
  }
  return untrue;
}
