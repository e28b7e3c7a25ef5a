import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import { thriveReassessmentDue } from './thrive.events.ts';
import { isContactOpen } from '../contacts/contact.machine.ts';
import { findContactToWorkOn } from '../contacts/contact-records.service.ts';
import { storedLast } from '../../platform/db/stored-order.ts';

/**
 * When an assessment's interval has passed: if the contact is still open and nobody has assessed
 * it since, flag the assessment and append `thrive.reassessment_due`. Runs safely more than once:
 * the flag is set only while unset, and the event goes with it.
 */
export function createThriveReviewHandler(options: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const assessmentId = job.payload.assessmentId;
    const contactId = job.payload.contactId;
    if (typeof assessmentId !== 'string' || typeof contactId !== 'string') throw new Error('thrive review job without ids');
    const forceId: ForceId = job.forceId;
    await inForce(async (tx) => {
      const contact = await findContactToWorkOn(tx, forceId, contactId, { lock: true });
      if (!contact || !isContactOpen(contact.state)) return;
      const latest = await tx
        .selectFrom('thrive_assessments')
        .select(['id', 'reassessment_due_at', 'reassessment_flagged_at'])
        .where('force_id', '=', forceId)
        .where('contact_id', '=', contactId)
        .orderBy('assessed_at', 'desc')
        .orderBy('seq', storedLast)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      // A newer assessment has its own timer; this one no longer matters.
      if (!latest || latest.id !== assessmentId || latest.reassessment_flagged_at !== null) return;
      const now = options.clock.now();
      await tx
        .updateTable('thrive_assessments')
        .set({ reassessment_flagged_at: now })
        .where('force_id', '=', forceId)
        .where('id', '=', assessmentId)
        .execute();
      record(
        tx,
        forceId,
        options.clock,
        thriveReassessmentDue.of({ actor: { type: 'system', id: null }, subjectId: contactId, data: { assessmentId, dueAt: latest.reassessment_due_at.toISOString() } }),
      );
    });
  };
}
