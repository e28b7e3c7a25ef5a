import type { Clock } from '../../platform/clock.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { listUnsentKeys, withdrawQueuedMessages } from '../outbox/outbox-withdraw.service.ts';
import { earlierMilestonesOfAppointment, readAppointmentEvents } from './case-appointments.ts';
import { OVERTAKEN_REASONS, changedReason, type ReminderRules } from './appointment-reminders.service.ts';

// A reminder is queued when an appointment is made or changed (the journey's `appointment.reminder`
// rule, a day before it, and any rule a force adds that counts back from the appointment's time:
// decision 0122). When the appointment is changed or cancelled, the reminders queued for what it
// was are withdrawn before they go; a change's own journey queues the reminder of the new time,
// when a rule on does. This job follows from the change's or cancellation's event (case.events.ts).
// Should it be given up or run late, the delivery does not send such a reminder either (decision 0117).

/** Withdraws the unsent reminders of the appointment a change or cancellation is about. Safe to repeat. */
export function createAppointmentRemindersHandler(options: { clock: Clock; reminders: ReminderRules }): JobHandler {
  return async ({ job, inForce }) => {
    const caseId = payloadText(job, 'caseId');
    const milestoneId = payloadText(job, 'milestoneId');
    const milestone = payloadText(job, 'milestone');
    await inForce(async (tx) => {
      const earlier = earlierMilestonesOfAppointment(await readAppointmentEvents(tx, job.forceId, caseId), milestoneId);
      // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts).
      const queued: string[] = [];
      for (const id of earlier) queued.push(...(await listUnsentKeys(tx, job.forceId, `journey:${caseId}:${id}:`)));
      const keys = queued.length > 0 ? [...(await options.reminders.findReminderKeys(tx, job.forceId, queued))] : [];
      if (keys.length === 0) return;
      const reason = milestone === 'case.appointment_cancelled' ? OVERTAKEN_REASONS.cancelled : await changedReason(tx, job.forceId, options.reminders);
      await withdrawQueuedMessages(tx, job.forceId, options.clock, { type: 'system', id: null }, { keys }, reason);
    });
  };
}
