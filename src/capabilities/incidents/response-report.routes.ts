import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute } from '../../platform/http/routes.ts';
import { textBody } from '../../platform/http/responses.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { GRADES } from '../grading/grading.schema.ts';
import { RESPONSE_CLOCK_KINDS } from './response-clock.schema.ts';
import { responseReport, responseReportCsv, type ResponseReport } from './response-report.service.ts';

const day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date (YYYY-MM-DD)').refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'must be a real date');
const periodQuery = z.object({ from: day.optional(), to: day.optional() });

const measure = z.object({
  measured: z.number(),
  withinTarget: z.number(),
  withinTargetPercent: z.number().nullable(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
});
const reportRow = z.object({ areaName: z.string().nullable(), grade: z.enum(GRADES), incidents: z.number(), deploy: measure, arrive: measure, breaches: z.number() });
const reportView = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  rows: z.array(reportRow),
  totals: z.array(reportRow),
  breaches: z.array(
    z.object({
      incidentId: z.string(),
      number: z.number(),
      areaName: z.string().nullable(),
      grade: z.enum(GRADES),
      kind: z.enum(RESPONSE_CLOCK_KINDS),
      dueAt: z.string(),
      breachedAt: z.string().describe('when the target was missed: its due time, however late the breach was found'),
      reasonCode: z.string().nullable(),
      reasonLabel: z.string().nullable(),
      reasonText: z.string().nullable(),
    }),
  ),
});

/** The UK calendar day of an instant, as YYYY-MM-DD. */
const ukDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/** The period asked for; by default the seven days up to today. */
function periodOf(deps: ServiceDeps, query: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = query.to ?? ukDay(deps.clock.now());
  const from = query.from ?? ukDay(new Date(Date.parse(`${to}T12:00:00Z`) - 6 * 86_400_000));
  return { from, to };
}

const asJson = (report: ResponseReport) => ({
  ...report,
  asOf: report.asOf.toISOString(),
  breaches: report.breaches.map((b) => ({ ...b, dueAt: b.dueAt.toISOString(), breachedAt: b.breachedAt.toISOString() })),
});

/** The response report by area, grade and period, as JSON for the console and as CSV. */
export function registerResponseReportRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/reports/response',
    permission: 'reports:read',
    audit: 'report.response',
    summary: 'Response times by area and grade over UK calendar days (default: the last seven): % deployed and arrived within target, median and 90th percentile, each breach with its reason',
    tags: ['reports'],
    query: periodQuery,
    response: { 200: reportView },
    handler: async ({ staff, query }) => asJson(await responseReport(deps, staff.forceId, periodOf(deps, query))),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/reports/response.csv',
    permission: 'reports:read',
    audit: 'report.response.csv',
    summary: 'The response report as CSV (RFC 4180): rows per area and grade, totals per grade, then the breaches',
    tags: ['reports'],
    query: periodQuery,
    response: { 200: textBody('text/csv', 'The response report, one table of figures and one of breaches, separated by a blank line') },
    handler: async ({ staff, query, reply }) => {
      const period = periodOf(deps, query);
      const csv = responseReportCsv(await responseReport(deps, staff.forceId, period));
      return reply
        .header('content-disposition', `attachment; filename="response-report-${period.from}-to-${period.to}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(csv);
    },
  });
}
