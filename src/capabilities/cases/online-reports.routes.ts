import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField, instantField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { classifyOnlineReport, listOnlineReports, onlineReportDashboard, processOnlineReport } from './online-reports.service.ts';

const clock = z.object({
  dueAt: z.string(),
  doneAt: z.string().nullable(),
  isPastDue: z.boolean(),
  breachedAt: z.string().nullable().describe('when the target was missed (its due time) once a breach is recorded, however late it was found; null while none is'),
});
const onlineReport = z
  .object({
    contactId: z.string(),
    contactReference: z.string(),
    caseId: z.string(),
    caseReference: z.string(),
    summary: z.string(),
    receivedAt: z.string(),
    draftedAt: z.string(),
    stage: z.enum(['drafted', 'processed', 'classified']),
    suggestedCrimeType: z.string().nullable(),
    reasons: z.array(z.object({ crimeType: z.string(), cue: z.string(), weight: z.number() })).describe('the words (or triage categories) that led to the suggestion'),
    crimeType: z.string().nullable(),
    processed: clock,
    classified: clock,
  })
  .meta({ id: 'OnlineReport' });
const params = z.object({ id: idField('must be the online report’s contact id') });
const pastClock = z.object({ overdue: z.number(), late: z.number() });

/** The online-report processing queue and its dashboard. */
export function registerOnlineReportRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/online-reports/queue',
    permission: 'cases:read',
    audit: 'online_report.queue',
    summary: 'Online reports to process and classify (open), or all of the last seven days, oldest first, with their two clocks',
    tags: ['cases'],
    query: z.object({ which: z.enum(['open', 'all']).default('open') }),
    response: { 200: z.object({ reports: z.array(onlineReport) }) },
    handler: async ({ staff, query }) => ({ reports: await listOnlineReports(deps, staff.forceId, query.which) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/online-reports/:id/process',
    permission: 'cases:investigate',
    audit: 'online_report.process',
    summary: "Process an online report: confirm its draft case (amending the summary if needed); the victim is told it is recorded",
    tags: ['cases'],
    params,
    body: z.strictObject({ summary: z.string().trim().min(1).max(4000).optional(), note: z.string().trim().max(2000).nullable().optional() }),
    response: { 200: z.object({ report: onlineReport }) },
    handler: async ({ staff, params: { id }, body }) => ({ report: await processOnlineReport(deps, staff.forceId, staff.staffId, id, body) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/online-reports/:id/classify',
    permission: 'cases:investigate',
    audit: 'online_report.classify',
    summary: "Classify a processed online report: set its case's crime type",
    tags: ['cases'],
    params,
    body: z.strictObject({ crimeType: z.string().trim().min(1).max(40) }),
    response: { 200: z.object({ report: onlineReport }) },
    handler: async ({ staff, params: { id }, body }) => ({ report: await classifyOnlineReport(deps, staff.forceId, staff.staffId, id, body.crimeType) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/online-reports/dashboard',
    permission: 'cases:read',
    audit: 'online_report.dashboard',
    summary: 'Every online report since a time accounted for: received, drafted, processed, classified, past each clock, and any without a draft',
    tags: ['cases'],
    query: z.object({ since: instantField('must be a date and time (ISO 8601)').optional() }),
    response: {
      200: z.object({
        since: z.string(),
        received: z.number(),
        drafted: z.number(),
        processed: z.number(),
        classified: z.number(),
        awaitingDraft: z.number(),
        pastProcessedClock: pastClock,
        pastClassifiedClock: pastClock,
        isEveryReportAccountedFor: z.boolean(),
        unaccounted: z.array(z.object({ contactId: z.string(), reference: z.string(), receivedAt: z.string() })),
      }),
    },
    handler: async ({ staff, query }) => {
      const since = query.since ? new Date(query.since) : new Date(deps.clock.now().getTime() - 7 * 24 * 3_600_000);
      return onlineReportDashboard(deps, staff.forceId, since);
    },
  });
}
