import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';
import { outboxDeliveryJob } from '../outbox/outbox.events.ts';

// Check-my-report's entries in the event catalogue. Codes themselves never reach the log.

/** A reporter asked for a code to check their report; it went to them by the outbox. */
export const portalCodeSent = defineEvent({
  type: 'portal.code_sent',
  subject: 'contact',
  data: { codeId: z.string(), outboxId: z.string().optional() },
  jobs: (e) => (e.data.outboxId ? [outboxDeliveryJob(e.data.outboxId)] : []),
});

/** A reporter gave the right code and saw their report online. */
export const portalAccessGranted = defineEvent({ type: 'portal.access_granted', subject: 'contact', data: { codeId: z.string() } });

/** Check-my-report's entries, for the catalogue. */
export const REPORT_STATUS_EVENTS = [portalCodeSent, portalAccessGranted] as const;
