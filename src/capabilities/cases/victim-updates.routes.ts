import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField, instantField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { INFORMED_HOWS, REFERRAL_HOWS, VICTIM_DUTIES } from './victims-code.schema.ts';
import { listCaseVictimUpdates, listVictimUpdatesDue, recordVictimInformed, victimsCodeReport } from './victim-updates.service.ts';

const DAY_MS = 86_400_000;

const victimUpdate = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseReference: z.string(),
    duty: z.enum(VICTIM_DUTIES),
    victimName: z.string().nullable(),
    enhancedRights: z.boolean().describe("The timescale this update runs on, or was missed against: one working day (enhanced rights) or five"),
    victimEnhancedRights: z.boolean().nullable().describe("The named victim's enhanced rights now; a missed update keeps the timescale it was missed against, so the two can differ. Null with no victim named"),
    missedBeforeNamed: z.boolean().describe('Missed before the victim it is now owed to was named: its due time had passed when they were added to the case'),
    milestoneType: z.string(),
    milestoneAt: z.string(),
    countedFrom: z.string().describe("When the update's due time counts from: its milestone, or the victim's addition to the case when they were added after it"),
    workingDays: z.number().int(),
    dueAt: z.string(),
    warnAt: z.string(),
    standing: z.enum(['open', 'due_soon', 'overdue', 'on_time', 'late', 'declined', 'withdrawn']),
    satisfiedAt: z.string().nullable(),
    how: z.enum(['journey', ...INFORMED_HOWS, ...REFERRAL_HOWS, 'withdrawn']).nullable(),
    note: z.string().nullable(),
    breachedAt: z.string().nullable(),
    officerInCase: z.string().nullable(),
    officerName: z.string().nullable(),
    team: z.string().nullable(),
  })
  .meta({ id: 'VictimUpdate' });

const teamFigures = z.object({
  team: z.string().nullable(),
  total: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  overdue: z.number().int(),
  open: z.number().int(),
  declined: z.number().int(),
  withdrawn: z.number().int().describe('Withdrawn before they fell due: the victim was removed from the case (not in total)'),
  breaches: z.number().int(),
});

const dateTime = instantField('must be a date and time (ISO 8601)');

/** Victims' Code clocks: the updates due, "victim informed", and the breaches by team. */
export function registerVictimUpdateRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases/victim-updates',
    permission: 'cases:read',
    audit: 'case.victim_updates',
    summary: "Victims' Code updates not yet given, soonest due first: mine, my team's (or the team named), or the force's",
    tags: ['cases'],
    query: z.object({ which: z.enum(['mine', 'team', 'all']).default('mine'), team: z.string().trim().min(1).max(200).optional() }),
    response: { 200: z.object({ updates: z.array(victimUpdate) }) },
    handler: async ({ staff, query }) => ({ updates: await listVictimUpdatesDue(deps, staff.forceId, staff.staffId, query.which, query.team) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases/:id/victim-updates',
    permission: 'cases:read',
    audit: 'case.victim_updates_of_case',
    summary: "One case's Victims' Code updates, given or not: what each victim was told, how and when",
    tags: ['cases'],
    params: z.object({ id: idField('must be a case id') }),
    response: { 200: z.object({ updates: z.array(victimUpdate) }) },
    handler: async ({ staff, params }) => ({ updates: await listCaseVictimUpdates(deps, staff.forceId, params.id) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/cases/:id/victim-updates/:updateId/informed',
    permission: 'cases:investigate',
    audit: 'case.victim_informed',
    summary: 'Record that the victim was told (phone, visit, letter, email), or for the support referral that they were referred or declined',
    tags: ['cases'],
    params: z.object({ id: idField('must be a case id'), updateId: idField('must be a victim update id') }),
    body: z.strictObject({ how: z.enum([...INFORMED_HOWS, ...REFERRAL_HOWS]), note: z.string().trim().max(2000).nullable().optional() }),
    response: { 200: z.object({ update: victimUpdate }) },
    handler: async ({ staff, params, body }) => ({ update: await recordVictimInformed(deps, staff.forceId, staff.staffId, params.id, params.updateId, body) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/reports/victims-code',
    permission: 'cases:supervise',
    audit: 'report.victims_code',
    summary: "Victims' Code updates falling due in a period (by default the last 28 days), by team: on time, late, overdue, open, declined",
    tags: ['reports'],
    query: z.object({ from: dateTime.optional(), to: dateTime.optional() }),
    response: { 200: z.object({ from: z.string(), to: z.string(), teams: z.array(teamFigures) }) },
    handler: async ({ staff, query }) => {
      const to = query.to ? new Date(query.to) : deps.clock.now();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 28 * DAY_MS);
      const teams = await victimsCodeReport(deps, staff.forceId, { from, to });
      return { from: from.toISOString(), to: to.toISOString(), teams };
    },
  });
}
