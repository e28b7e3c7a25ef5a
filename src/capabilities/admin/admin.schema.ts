import { z } from 'zod';

// What the admin routes answer.

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

/** An outbound message and where its delivery stands. */
/** A failed message that went after all (decision 0173), as every staff view of messages shows it. */
export const wentAfterAllView = z
  .object({
    sentAt: isoTime.nullable().describe('When the delivery run that stopped reported, late, that the provider took it'),
    deliveredAt: isoTime.nullable().describe('When the provider says it reached the person (when its receipt came, if it gave no time)'),
    undeliveredAt: isoTime
      .nullable()
      .describe('When the provider says the carrier could not deliver it after all (when its receipt came, if it gave no time): the person does not have it. Never set with deliveredAt'),
    undeliveredReason: z.string().nullable().describe('Why it could not be delivered, in the provider’s words; null unless undeliveredAt is set'),
  })
  .nullable()
  .describe(
    'Null unless the message was failed because whether it went was unknown and the provider then said it went after all. It stays failed (what followed its failure stands); once delivered the person has it, and may have a second copy if it was sent again or they were called; once undelivered they do not have it',
  )
  .meta({ id: 'WentAfterAll' });

export const outboxMessageView = z
  .object({
    id: z.string(),
    channel: z.string(),
    recipient: z.string(),
    subject: z.string(),
    body: z.string(),
    purpose: z.string(),
    status: z.enum(['pending', 'sent', 'delivered', 'failed', 'held', 'suppressed']),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: isoTime,
    sentAt: isoTime.nullable(),
    /** When the provider, the portal inbox or a printed letter proved it reached the person. */
    deliveredAt: isoTime.nullable(),
    wentAfterAll: wentAfterAllView,
  })
  .meta({ id: 'OutboxMessage' });

/** A durable job. */
export const jobView = z
  .object({
    id: z.string(),
    type: z.string(),
    state: z.enum(['pending', 'running', 'done', 'dead']),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    lastError: z.string().nullable(),
    runAt: isoTime,
    createdAt: isoTime,
  })
  .meta({ id: 'Job' });

/** The result of walking the force's hash-chained event log. */
export const chainVerification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('events verified'),
    firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  })
  .meta({ id: 'ChainVerification' });

const minutesOrNone = z.number().int().nullable().optional();

/**
 * The force's settings as stored: only those an admin has set (the rest take the product's
 * defaults), and any other keys stored with them.
 */
export const forceSettingsView = z
  .looseObject({
    reopenClosedWithinHours: z.number().int().optional(),
    thriveReassessAfterMinutes: z.number().int().optional(),
    anonymousPortalReports: z.boolean().optional(),
    onlineReportProcessedWithinMinutes: z.number().int().optional(),
    onlineReportClassifiedWithinHours: z.number().int().optional(),
    positionStaleAfterMinutes: z.number().int().optional(),
    positionHistoryDays: z.number().int().optional(),
    acknowledgementsPerAddress: z.number().int().optional(),
    trustedAcknowledgementsPerAddress: z.number().int().optional(),
    gradeTargets: z
      .looseObject({
        immediate: minutesOrNone,
        priority: minutesOrNone,
        scheduled: minutesOrNone,
        resolution_without_deployment: minutesOrNone,
      })
      .optional(),
    roadRouting: z
      .looseObject({ engine: z.string(), url: z.string(), profile: z.string().optional(), timeoutMs: z.number().optional(), durationFactor: z.number().optional() })
      .nullable()
      .optional(),
  })
  .meta({ id: 'ForceSettings' });
