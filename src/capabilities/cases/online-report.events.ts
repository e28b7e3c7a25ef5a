import { z } from 'zod';
import { defineEvent, type FollowUpJob } from '../../platform/events/catalogue.ts';
import { journeyMilestoneJob } from '../journeys/journey.events.ts';

// Online-report processing's entries in the event catalogue, and its jobs. Every portal report
// gets a draft case by a job that follows from its `contact.received` (contact.events.ts); the
// draft starts two clocks (processed, classified) whose checks are jobs at their due times.

/** The job that drafts the case for a new online report. */
export const ONLINE_REPORT_DRAFT_JOB = 'online_report.draft';
/** The job that checks one of an online report's clocks when it falls due. */
export const ONLINE_REPORT_CLOCK_JOB = 'online_report.clock_check';

export type OnlineReportClock = 'processed' | 'classified';

/** The draft of one online report's case, once per contact. */
export function onlineReportDraftJob(contactId: string): FollowUpJob {
  return { type: ONLINE_REPORT_DRAFT_JOB, payload: { contactId }, idempotencyKey: `online-report:${contactId}`, maxAttempts: 10 };
}

function clockCheckJob(contactId: string, clock: OnlineReportClock, dueAt: string): FollowUpJob {
  return { type: ONLINE_REPORT_CLOCK_JOB, payload: { contactId, clock }, idempotencyKey: `online-report:${contactId}:${clock}`, runAt: new Date(dueAt) };
}

const reason = z.object({ crimeType: z.string(), cue: z.string(), weight: z.number() });

/** An online report was given its draft case and a suggested crime type; its two clocks start. */
export const onlineReportDrafted = defineEvent({
  type: 'online_report.drafted',
  subject: 'online_report',
  data: {
    caseId: z.string(),
    caseReference: z.string(),
    contactReference: z.string(),
    suggestedCrimeType: z.string().nullable(),
    reasons: z.array(reason),
    processedDueAt: z.string(),
    classifiedDueAt: z.string(),
  },
  jobs: (e) => [clockCheckJob(e.subject.id, 'processed', e.data.processedDueAt), clockCheckJob(e.subject.id, 'classified', e.data.classifiedDueAt)],
});

/** A person processed the report: the draft case is confirmed (perhaps amended); the victim is told it is recorded. */
export const onlineReportProcessed = defineEvent({
  type: 'online_report.processed',
  subject: 'online_report',
  data: { caseId: z.string(), note: z.string().nullable(), summaryAmended: z.boolean(), isLate: z.boolean() },
  // The draft's "case created" milestone, held back until now: its journey ("report received") runs once.
  jobs: (e) => [journeyMilestoneJob({ caseId: e.data.caseId, milestoneId: 'created', milestone: 'case.created', details: {}, note: null })],
});

/** A person classified the report: the case has its crime type. */
export const onlineReportClassified = defineEvent({
  type: 'online_report.classified',
  subject: 'online_report',
  data: { caseId: z.string(), crimeType: z.string(), suggestedCrimeType: z.string().nullable(), isLate: z.boolean() },
});

/**
 * One of the report's clocks passed its due time with its step not done: appended by its check,
 * or, when the check was behind, by the step done late, before the step's own event. The target
 * was missed at `dueAt`.
 */
export const onlineReportClockBreached = defineEvent({
  type: 'online_report.clock_breached',
  subject: 'online_report',
  data: { clock: z.enum(['processed', 'classified']), dueAt: z.string(), caseId: z.string() },
  // The report's history is its contact's timeline: a console showing it refetches, as for a contact's breach.
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** Online-report processing's entries, for the catalogue. */
export const ONLINE_REPORT_EVENTS = [onlineReportDrafted, onlineReportProcessed, onlineReportClassified, onlineReportClockBreached] as const;
