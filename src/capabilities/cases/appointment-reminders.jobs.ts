import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { listUnsentKeys, withdrawQueuedMessages } from '../outbox/outbox-withdraw.service.ts';
import { APPOINTMENT_EVENTS, earlierMilestonesOfAppointment, readCaseMilestones, type AppointmentEvent } from './case-appointments.schema.ts';
import { COURT_DATE_EVENTS, listingsOvertakenBy } from './court-dates.schema.ts';
import { replacedReasons } from './appointment-reminders.service.ts';
import { COURT_WITHDRAWN_REASONS, NEWS_OVERTAKEN_REASONS, OVERTAKEN_REASONS, victimOfKey, type ReminderRules } from './appointment-reminders.schema.ts';

// A reminder is queued for a time: a day before an appointment (`appointment.reminder`), two days
// before a hearing (`case.court_date.reminder`), or whenever a force's own rule counts back from
// the time its milestone names (decision 0122). When what it names is overtaken (the appointment
// changed or cancelled; the court date set again, the court's result given, the case closed), the
// reminders queued for what it was are withdrawn at once, so the case screen says so before their
// time; a change's own journey queues the reminder of the new time, when a rule on does. This job
// follows from the overtaking milestone's event (case.events.ts). Should it be given up or run
// late, the delivery does not send such a reminder either (decision 0117); both move only a
// message still pending. The news of what was overtaken not yet sent (an appointment made, held
// for the victim's safe time) is withdrawn with them, saying only what happened (decision 0126).

/**
 * What a milestone overtakes: the earlier milestones whose reminders go, and why staff read it: of
 * a new time, whether a reminder of it replaces each (`replaces`, decision 0127), else `reason`;
 * of their other messages, `news`.
 */
type Withdrawal = {
  events: readonly string[];
  overtaken: (events: readonly AppointmentEvent[], milestoneId: string) => string[];
  replaces?: 'appointment' | 'court';
  reason: string;
  news: string;
};

const appointment = { events: APPOINTMENT_EVENTS, overtaken: earlierMilestonesOfAppointment };
const hearing = { events: COURT_DATE_EVENTS, overtaken: listingsOvertakenBy };

const WITHDRAWALS: Readonly<Record<string, Withdrawal>> = {
  'case.appointment_changed': { ...appointment, replaces: 'appointment', reason: OVERTAKEN_REASONS.changed, news: NEWS_OVERTAKEN_REASONS.changed },
  'case.appointment_cancelled': { ...appointment, reason: OVERTAKEN_REASONS.cancelled, news: OVERTAKEN_REASONS.cancelled },
  'case.court_date_set': { ...hearing, replaces: 'court', reason: COURT_WITHDRAWN_REASONS.moved, news: NEWS_OVERTAKEN_REASONS.moved },
  'case.court_result': { ...hearing, reason: COURT_WITHDRAWN_REASONS.heard, news: COURT_WITHDRAWN_REASONS.heard },
  'case.closed': { ...hearing, reason: COURT_WITHDRAWN_REASONS.closed, news: COURT_WITHDRAWN_REASONS.closed },
};

/** The reminders' keys grouped by why each is taken back: of a new time, by whether one replaces it for its victim. */
async function reasonsOfReminders(tx: Tx, forceId: ForceId, rules: ReminderRules, withdrawal: Withdrawal, newTime: AppointmentEvent | undefined, caseId: string, keys: readonly string[], now: Date): Promise<Map<string, string[]>> {
  const byReason = new Map<string, string[]>();
  const about = newTime ? { caseId, milestoneId: newTime.milestoneId ?? null, milestone: newTime.type, details: newTime.details } : undefined;
  const reasons = withdrawal.replaces && about ? await replacedReasons(tx, forceId, rules, withdrawal.replaces, about, keys.map(victimOfKey), now) : new Map<string, string>();
  for (const key of keys) {
    const reason = reasons.get(victimOfKey(key)) ?? withdrawal.reason;
    byReason.set(reason, [...(byReason.get(reason) ?? []), key]);
  }
  return byReason;
}

/** Withdraws the unsent reminders, and other messages telling of its time, that the milestone named in the job overtook. Safe to repeat. */
export function createRemindersWithdrawalHandler(options: { clock: Clock; reminders: ReminderRules }): JobHandler {
  return async ({ job, inForce }) => {
    const caseId = payloadText(job, 'caseId');
    const milestoneId = payloadText(job, 'milestoneId');
    const withdrawal = WITHDRAWALS[payloadText(job, 'milestone')];
    if (!withdrawal) return;
    await inForce(async (tx) => {
      const events = await readCaseMilestones(tx, job.forceId, caseId, withdrawal.events);
      const earlier = withdrawal.overtaken(events, milestoneId);
      if (earlier.length === 0) return;
      // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts).
      const queued: string[] = [];
      for (const id of earlier) queued.push(...(await listUnsentKeys(tx, job.forceId, `journey:${caseId}:${id}:`)));
      const timed = queued.length > 0 ? [...(await options.reminders.findTimedMessages(tx, job.forceId, queued))] : [];
      const reminders = timed.filter(([, what]) => what.isReminder).map(([key]) => key);
      const news = timed.filter(([, what]) => !what.isReminder).map(([key]) => key);
      const actor = { type: 'system' as const, id: null };
      const newTime = events.find((event) => event.milestoneId === milestoneId);
      for (const [reason, keys] of await reasonsOfReminders(tx, job.forceId, options.reminders, withdrawal, newTime, caseId, reminders, options.clock.now())) {
        await withdrawQueuedMessages(tx, job.forceId, options.clock, actor, { keys }, reason);
      }
      if (news.length > 0) await withdrawQueuedMessages(tx, job.forceId, options.clock, actor, { keys: news }, withdrawal.news);
    });
  };
}
