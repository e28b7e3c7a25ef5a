import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField, openedVersionField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { noContent } from '../../platform/http/responses.ts';
import { CAPACITY_CLASSES, PRESENCES, SKILLS, presenceChanged, profileUpdated } from './staff.schema.ts';
import { recordHeartbeat, setPresence, updateRoutingProfile } from './presence.service.ts';

const idParams = (what: string) => z.object({ id: idField(`must be a ${what} id`) });
const presenceBody = z.strictObject({ presence: z.enum(PRESENCES) });
const profileBody = z
  .strictObject({
    skills: z.array(z.enum(SKILLS)).max(SKILLS.length).optional(),
    capacity: z.partialRecord(z.enum(CAPACITY_CLASSES), z.number().int().min(0).max(50)).optional(),
    // The routing profile's, not the person's: presence changes all day and is not counted (decision 0085).
    version: openedVersionField("routing profile's"),
  })
  .refine((b) => b.skills !== undefined || b.capacity !== undefined, 'give skills or capacity');

/** Presence, the console's heartbeat, and a person's skills and capacity: what routing reads of staff. */
export function registerPresenceRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/me/presence',
    permission: 'queue:work',
    audit: 'routing.presence',
    summary: 'Set my presence; only available people are given work, and going offline returns my contacts to the queue',
    tags: ['routing'],
    body: presenceBody,
    response: { 200: presenceChanged },
    handler: async ({ staff, body }) => setPresence(deps, staff.forceId, { staffId: staff.staffId, presence: body.presence, actorStaffId: staff.staffId }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/me/heartbeat',
    permission: 'queue:work',
    audit: 'routing.heartbeat',
    summary: 'The console is open: keeps an available person eligible for work',
    tags: ['routing'],
    body: z.strictObject({}).nullish(),
    response: { 204: noContent },
    handler: async ({ staff, reply }) => {
      await recordHeartbeat(deps, staff.forceId, staff.staffId);
      return reply.status(204).send();
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/routing/staff/:id/presence',
    permission: 'routing:supervise',
    audit: 'routing.presence.set',
    summary: "Set someone's presence (a supervisor signing off someone who left)",
    tags: ['routing'],
    params: idParams('staff'),
    body: presenceBody,
    response: { 200: presenceChanged },
    handler: async ({ staff, params, body }) => setPresence(deps, staff.forceId, { staffId: params.id, presence: body.presence, actorStaffId: staff.staffId }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/routing/staff/:id/profile',
    permission: 'routing:manage',
    audit: 'routing.profile.set',
    summary: "Set someone's skills and their capacity per channel class",
    tags: ['routing'],
    params: idParams('staff'),
    body: profileBody,
    response: { 200: profileUpdated },
    handler: async ({ staff, params, body }) => {
      const routing = await updateRoutingProfile(deps, staff.forceId, { staffId: params.id, ...body, actorStaffId: staff.staffId });
      return { ok: true, routing };
    },
  });
}
