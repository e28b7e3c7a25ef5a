import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// Grading's entries in the event catalogue.

/** A contact was graded for the first time; the target deadline runs from now. */
export const contactGraded = defineEvent({
  type: 'contact.graded',
  subject: 'contact',
  data: { gradeId: z.string(), grade: z.string(), reason: z.string().nullable(), targetAt: z.string().nullable() },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** A contact's grade was changed, with a reason; the earlier grade stays on record. */
export const contactRegraded = defineEvent({
  type: 'contact.regraded',
  subject: 'contact',
  data: { gradeId: z.string(), from: z.string(), to: z.string(), by: z.string(), reason: z.string().nullable(), targetAt: z.string().nullable() },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** Grading's entries, for the catalogue. */
export const GRADING_EVENTS = [contactGraded, contactRegraded] as const;
