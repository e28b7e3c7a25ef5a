import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';
import { THRIVE_ELEMENTS } from './thrive.schema.ts';

// THRIVE's entries in the event catalogue, and the job that follows an assessment.

/** The durable job that checks, when an assessment's interval has passed, whether it was renewed. */
export const THRIVE_REVIEW_JOB = 'thrive.reassessment_check';

/**
 * A THRIVE assessment was recorded: the ratings in full, the rationales only as a hash (free text
 * about people stays in the assessment row, which the hash ties to this event). Its re-assessment
 * check runs when the interval has passed.
 */
export const thriveAssessed = defineEvent({
  type: 'thrive.assessed',
  subject: 'contact',
  data: {
    assessmentId: z.string(),
    ratings: z.partialRecord(z.enum(THRIVE_ELEMENTS), z.string()),
    elementsHash: z.string(),
    reassessmentDueAt: z.string(),
  },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
  jobs: (e) => [
    {
      type: THRIVE_REVIEW_JOB,
      payload: { assessmentId: e.data.assessmentId, contactId: e.subject.id },
      idempotencyKey: e.data.assessmentId,
      runAt: new Date(e.data.reassessmentDueAt),
    },
  ],
});

/** An open contact's latest assessment was not renewed in time. */
export const thriveReassessmentDue = defineEvent({
  type: 'thrive.reassessment_due',
  subject: 'contact',
  data: { assessmentId: z.string(), dueAt: z.string() },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** THRIVE's entries, for the catalogue. */
export const THRIVE_EVENTS = [thriveAssessed, thriveReassessmentDue] as const;
