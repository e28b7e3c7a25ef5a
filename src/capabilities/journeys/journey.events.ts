import { z } from 'zod';
import { defineEvent, type FollowUpJob } from '../../platform/events/catalogue.ts';
import { outboxDeliveryJob } from '../outbox/outbox.events.ts';

// Journeys' entries in the event catalogue, and the job that sends a journey step.

/** The job that renders a journey step into the outbox. */
export const JOURNEY_JOB = 'journey.send';

/** The journey steps that exist so far; each has a template per channel. */
export type JourneyStep = 'case.report_received';

/** The job for one step of a case's journey, once per case and step. */
export function journeyStepJob(caseId: string, step: JourneyStep): FollowUpJob {
  return { type: JOURNEY_JOB, payload: { caseId, step }, idempotencyKey: `${caseId}:${step}` };
}

/** A journey message was put in the outbox; its delivery follows. */
export const journeyMessageQueued = defineEvent({
  type: 'journey.message_queued',
  subject: 'case',
  data: { step: z.string(), outboxId: z.string() },
  jobs: (e) => [outboxDeliveryJob(e.data.outboxId)],
});

/** A journey message could not be sent (no address, say). */
export const journeySkipped = defineEvent({ type: 'journey.skipped', subject: 'case', data: { step: z.string(), reason: z.string() } });

/** Journeys' entries, for the catalogue. */
export const JOURNEY_EVENTS = [journeyMessageQueued, journeySkipped] as const;
