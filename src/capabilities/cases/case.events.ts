import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';
import { journeyStepJob } from '../journeys/journey.events.ts';

// Cases' entries in the event catalogue.

/** A case was created for a contact; the victim's journey starts with "report received". */
export const caseCreated = defineEvent({
  type: 'case.created',
  subject: 'case',
  data: { reference: z.string(), contactId: z.string(), contactReference: z.string() },
  live: (e) => [{ type: 'queue.changed', contactId: e.data.contactId }],
  jobs: (e) => [journeyStepJob(e.subject.id, 'case.report_received')],
});

/** Cases' entries, for the catalogue. */
export const CASE_EVENTS = [caseCreated] as const;
