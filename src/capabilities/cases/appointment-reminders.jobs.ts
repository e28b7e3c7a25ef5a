import type { Clock } from '../../platform/clock.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { withdrawUnsentMessages } from '../outbox/outbox-withdraw.service.ts';
import { earlierMilestonesOfAppointment, readAppointmentEvents } from './case-appointments.ts';
import { OVERTAKEN_REASONS, REMINDER_PURPOSE } from './appointment-reminders.service.ts';

// A reminder is queued when an appointment is made or changed (the journey's `appointment.reminder`
// rule, a day before it). When the appointment is changed or cancelled, the reminders queued for
// what it was are withdrawn before they go; a change's own journey queues the reminder of the new
// time. This job follows from the change's or cancellation's event (case.events.ts). Should it be
// given up or run late, the delivery does not send such a reminder either (decision 0117).

const REASONS: Record<string, string> = {
  'case.appointment_cancelled': OVERTAKEN_REASONS.cancelled,
  'case.appointment_changed': OVERTAKEN_REASONS.changed,
};

/** Withdraws the unsent reminders of the appointment a change or cancellation is about. Safe to repeat. */
export function createAppointmentRemindersHandler(options: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const caseId = payloadText(job, 'caseId');
    const milestoneId = payloadText(job, 'milestoneId');
    const reason = REASONS[payloadText(job, 'milestone')] ?? 'the appointment changed';
    await inForce(async (tx) => {
      const earlier = earlierMilestonesOfAppointment(await readAppointmentEvents(tx, job.forceId, caseId), milestoneId);
      // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts).
      const keyPrefixes = earlier.map((id) => `journey:${caseId}:${id}:`);
      await withdrawUnsentMessages(tx, job.forceId, options.clock, { caseId, purpose: REMINDER_PURPOSE, keyPrefixes, reason });
    });
  };
}
