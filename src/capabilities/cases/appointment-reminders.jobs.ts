import type { Clock } from '../../platform/clock.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { withdrawUnsentMessages } from '../outbox/outbox-withdraw.service.ts';
import { APPOINTMENT_EVENTS, earlierMilestonesOfAppointment, readCaseMilestones, type AppointmentEvent } from './case-appointments.ts';
import { COURT_DATE_EVENTS, listingsOvertakenBy } from './court-dates.ts';
import { COURT_REMINDER_PURPOSE, COURT_WITHDRAWN_REASONS, OVERTAKEN_REASONS, REMINDER_PURPOSE } from './appointment-reminders.service.ts';

// A reminder is queued for a time: a day before an appointment (`appointment.reminder`), two days
// before a hearing (`case.court_date.reminder`). When what it names is overtaken (the appointment
// changed or cancelled; the court date set again, the court's result given, the case closed), the
// reminders queued for what it was are withdrawn at once, so the case screen says so before their
// time; a change's own journey queues the reminder of the new time. This job follows from the
// overtaking milestone's event (case.events.ts). Should it be given up or run late, the delivery
// does not send such a reminder either (decision 0117); both move only a message still pending.

/** What a milestone overtakes: the reminders of which purpose, queued by which earlier milestones, and why staff read it. */
type Withdrawal = { purpose: string; events: readonly string[]; overtaken: (events: readonly AppointmentEvent[], milestoneId: string) => string[]; reason: string };

const appointment = { purpose: REMINDER_PURPOSE, events: APPOINTMENT_EVENTS, overtaken: earlierMilestonesOfAppointment };
const hearing = { purpose: COURT_REMINDER_PURPOSE, events: COURT_DATE_EVENTS, overtaken: listingsOvertakenBy };

const WITHDRAWALS: Readonly<Record<string, Withdrawal>> = {
  'case.appointment_changed': { ...appointment, reason: OVERTAKEN_REASONS.changed },
  'case.appointment_cancelled': { ...appointment, reason: OVERTAKEN_REASONS.cancelled },
  'case.court_date_set': { ...hearing, reason: COURT_WITHDRAWN_REASONS.moved },
  'case.court_result': { ...hearing, reason: COURT_WITHDRAWN_REASONS.heard },
  'case.closed': { ...hearing, reason: COURT_WITHDRAWN_REASONS.closed },
};

/** Withdraws the unsent reminders that the milestone named in the job overtook. Safe to repeat. */
export function createRemindersWithdrawalHandler(options: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const caseId = payloadText(job, 'caseId');
    const milestoneId = payloadText(job, 'milestoneId');
    const withdrawal = WITHDRAWALS[payloadText(job, 'milestone')];
    if (!withdrawal) return;
    await inForce(async (tx) => {
      const earlier = withdrawal.overtaken(await readCaseMilestones(tx, job.forceId, caseId, withdrawal.events), milestoneId);
      if (earlier.length === 0) return;
      // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts).
      const keyPrefixes = earlier.map((id) => `journey:${caseId}:${id}:`);
      await withdrawUnsentMessages(tx, job.forceId, options.clock, { caseId, purpose: withdrawal.purpose, keyPrefixes, reason: withdrawal.reason });
    });
  };
}
