import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { getVictimPreferences, setVictimPreferences } from './preferences.service.ts';
import { preferencesBody, preferencesView } from './preferences.schema.ts';

const victimParams = z.object({ id: idField('must be a case id'), victimId: idField('must be a victim id') });

/** A victim's contact preferences on a case: how, in which language and when they may be contacted. */
export function registerPreferenceRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/cases/:id/victims/:victimId/preferences',
    permission: 'cases:read',
    audit: 'case.victim_preferences.view',
    summary: "A victim's contact preferences: channels in order, language, safe times, never by SMS, portal only, opt-out",
    tags: ['cases'],
    params: victimParams,
    response: { 200: z.object({ preferences: preferencesView }) },
    handler: async ({ staff, params }) => ({ preferences: await getVictimPreferences(deps, staff.forceId, params.id, params.victimId) }),
  });
  staffRoute(app, deps, {
    method: 'PUT',
    url: '/api/cases/:id/victims/:victimId/preferences',
    permission: 'cases:investigate',
    audit: 'case.victim_preferences.set',
    summary: "Set a victim's contact preferences; every later journey message follows them",
    tags: ['cases'],
    params: victimParams,
    body: preferencesBody,
    response: { 200: z.object({ preferences: preferencesView }) },
    handler: async ({ staff, params, body }) => ({
      preferences: await setVictimPreferences(deps, staff.forceId, { type: 'staff', id: staff.staffId }, params.id, params.victimId, body),
    }),
  });
}
