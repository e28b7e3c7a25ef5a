import { z } from 'zod';
import { defineEvent, type FollowUpJob } from '../../platform/events/catalogue.ts';

// The outbox's entries in the event catalogue, and its job. An email enters the outbox in the
// transaction of the event that asked for it; that event names the outbox row (`outboxId`), and
// the delivery job follows from it.

/** The job that delivers one outbox message. */
export const DELIVER_JOB = 'outbox.deliver';

/** Delivery of one outbox message. */
export function outboxDeliveryJob(outboxId: string, runAt?: Date | null): FollowUpJob {
  return { type: DELIVER_JOB, payload: { outboxId }, idempotencyKey: outboxId, ...(runAt ? { runAt } : {}) };
}

/** An outbox email was handed to the mail server. */
export const outboxSent = defineEvent({
  type: 'outbox.sent',
  subject: 'outbox',
  data: { purpose: z.string(), channel: z.string(), contactId: z.string().nullable(), caseId: z.string().nullable() },
});

/** An outbox email could not be delivered after its last attempt. */
export const outboxFailed = defineEvent({
  type: 'outbox.failed',
  subject: 'outbox',
  data: { purpose: z.string(), reason: z.string(), contactId: z.string().nullable() },
});

/** The outbox's entries, for the catalogue. */
export const OUTBOX_EVENTS = [outboxSent, outboxFailed] as const;
