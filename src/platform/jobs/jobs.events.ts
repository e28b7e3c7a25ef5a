import { z } from 'zod';
import { defineEvent } from '../events/catalogue.ts';

// The job queue's entries in the event catalogue.

/** A job failed its last attempt; an admin can retry it. */
export const jobDead = defineEvent({
  type: 'job.dead',
  subject: 'job',
  data: { jobType: z.string(), attempts: z.number(), reason: z.string() },
});

/** An admin put a dead job back in the queue. */
export const jobRetried = defineEvent({ type: 'job.retried', subject: 'job', data: { jobType: z.string() } });

/** The job queue's entries, for the catalogue. */
export const JOB_EVENTS = [jobDead, jobRetried] as const;
