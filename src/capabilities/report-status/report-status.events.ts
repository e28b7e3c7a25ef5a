import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';
import { outboxDeliveryJob } from '../outbox/outbox.events.ts';
import { PORTAL_SIGN_IN_ENDINGS } from './portal-sign-in.machine.ts';

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

/**
 * A reporter's sign-in to their report's page ended before its time (decision 0180): they signed
 * out, asked for a code on the browser holding it, or a newer code was used for the report. Ids
 * only: the sign-in's is the `codeId` of its `portal.access_granted`. One that ran out records nothing.
 */
export const portalReportSignInEnded = defineEvent({
  type: 'portal_sign_in.report_ended',
  subject: 'contact',
  data: { signInId: z.string(), how: z.enum(PORTAL_SIGN_IN_ENDINGS) },
});

/** Check-my-report's entries, for the catalogue. */
export const REPORT_STATUS_EVENTS = [portalCodeSent, portalAccessGranted, portalReportSignInEnded] as const;
