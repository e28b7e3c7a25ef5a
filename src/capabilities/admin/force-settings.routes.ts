import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { withForce } from '../../platform/db/database.ts';
import { record } from '../../platform/events/recorder.ts';
import { forceSettingsChanged } from './force.events.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import { forceSettingsView } from './admin.schema.ts';
import { isOutboundRefusal, type OutboundGuard } from '../../platform/http/outbound-guard.ts';
import { invalid } from '../../platform/errors.ts';
import { roadRoutingSetting } from '../dispatch/dispatch.schema.ts';
import { positionSettingsFields } from '../units/units.schema.ts';
import { publicLineField } from '../../platform/http/request-fields.ts';
import { acknowledgementAllowanceSettings } from '../contacts/acknowledgement-allowance.schema.ts';

// Shown to victims on their case page: text that only looks blank, breaks the line or reorders
// what follows ("quote your reference" read backwards) is refused; empty puts back our wording.
const CONTACT_ROUTE_BLANK = 'must have text a victim can read, or be left empty for the standard wording';

/** The settings a force admin sets; anything absent falls back to the product's defaults. */
const settingsSchema = z.strictObject({
  reopenClosedWithinHours: z.number().int().min(0).max(24 * 90).optional().describe('a message on a thread closed this recently re-opens it; later ones start a new contact'),
  thriveReassessAfterMinutes: z.number().int().min(5).max(7 * 24 * 60).optional().describe('re-THRIVE an open contact after this long'),
  anonymousPortalReports: z.boolean().optional().describe('the public may report online without giving an email address or phone number'),
  onlineReportProcessedWithinMinutes: z.number().int().min(5).max(7 * 24 * 60).optional().describe('an online report is processed within this many minutes of being received (default 60)'),
  onlineReportClassifiedWithinHours: z.number().int().min(1).max(30 * 24).optional().describe('an online report is classified within this many hours of being received (default 24)'),
  gradeTargets: z
    .strictObject({
      immediate: z.number().int().min(1).max(1440).nullable().optional(),
      priority: z.number().int().min(1).max(10_080).nullable().optional(),
      scheduled: z.number().int().min(1).max(43_200).nullable().optional(),
      resolution_without_deployment: z.number().int().min(1).max(43_200).nullable().optional(),
    })
    .optional()
    .describe('minutes from grading to the target for each grade; null for none'),
  victimPortal: z
    .strictObject({
      contactRoute: publicLineField(CONTACT_ROUTE_BLANK).optional().describe('how a victim reaches the officer in case, in English ({reference} is filled in), e.g. "Call 101 and quote {reference}"'),
      contactRouteCy: publicLineField(CONTACT_ROUTE_BLANK).optional().describe('the same in Welsh'),
      showOfficerEmail: z.boolean().optional().describe("show victims the officer in case's email address (off: only the contact route)"),
    })
    .optional()
    .describe("the case page of the victim portal; replaces the stored value as a whole"),
  roadRouting: roadRoutingSetting
    .nullable()
    .optional()
    .describe("the force's road-routing service (OSRM or Valhalla) for arrival times in recommendations; null to use straight-line estimates"),
  ...positionSettingsFields,
  ...acknowledgementAllowanceSettings,
});

/** A force's own settings: read by every member of staff, changed by its admins (an event). */
export function registerForceSettingsRoutes(app: FastifyInstance, deps: ServiceDeps & { outbound: OutboundGuard }): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/force/settings',
    permission: 'signed-in',
    audit: 'force.settings.view',
    summary: "The force's settings (re-open window, THRIVE re-assessment, grade targets, anonymous reports, unit positions, acknowledgements per address)",
    tags: ['admin'],
    response: { 200: z.object({ settings: forceSettingsView }) },
    handler: async ({ staff }) => {
      const row = await withForce(deps.db, staff.forceId, (tx) => tx.selectFrom('forces').select('settings').where('id', '=', staff.forceId).executeTakeFirstOrThrow());
      return { settings: forceSettingsView.parse(row.settings) };
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/force/settings',
    permission: 'force:settings',
    audit: 'force.settings.change',
    summary: 'Change some of the force settings; fields left out keep their value',
    tags: ['admin'],
    body: settingsSchema,
    response: { 200: z.object({ settings: forceSettingsView }) },
    handler: async ({ staff, body }) => {
      // A routing service is an outbound URL: refused here, with the reason, if it points inside our network.
      if (body.roadRouting) await checkOutboundSetting(deps.outbound, 'roadRouting.url', body.roadRouting.url);
      return withForce(deps.db, staff.forceId, async (tx) => {
        const row = await tx.selectFrom('forces').select('settings').where('id', '=', staff.forceId).forUpdate().executeTakeFirstOrThrow();
        const changes = JSON.parse(JSON.stringify(body)) as { [key: string]: JsonValue };
        const settings = { ...row.settings, ...changes };
        await tx.updateTable('forces').set({ settings: JSON.stringify(settings) }).where('id', '=', staff.forceId).execute();
        record(tx, staff.forceId, deps.clock, forceSettingsChanged.of({ actor: { type: 'staff', id: staff.staffId }, subjectId: staff.forceId, data: { changes } }));
        return { settings: forceSettingsView.parse(settings) };
      });
    },
  });
}

async function checkOutboundSetting(outbound: OutboundGuard, field: string, url: string): Promise<void> {
  try {
    await outbound.check(url);
  } catch (error) {
    if (isOutboundRefusal(error)) throw invalid(field, `the URL ${error.message}`);
    throw invalid(field, `the URL cannot be used: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
}
