import type { FastifyInstance } from 'fastify';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { withForce } from '../../platform/db/database.ts';
import { listChannelTargetsWithVersion, setChannelTargets } from './channel-targets.service.ts';
import { channelTargetsResponse, setChannelTargetsBody } from './routing.schema.ts';

/** Response targets per kind of channel (decision 0041). */
export function registerChannelTargetRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/channel-sla-targets',
    permission: 'contacts:read',
    audit: 'channel_sla_targets.view',
    summary: "First and next response targets per kind of channel; each applies when tighter than the queue's",
    tags: ['routing'],
    response: { 200: channelTargetsResponse },
    handler: async ({ staff }) => withForce(deps.db, staff.forceId, (tx) => listChannelTargetsWithVersion(tx, staff.forceId)),
  });
  staffRoute(app, deps, {
    method: 'PUT',
    url: '/api/channel-sla-targets',
    permission: 'routing:manage',
    audit: 'channel_sla_targets.set',
    summary: 'Set the response targets of the kinds of channel named (null: the queue decides); clocks already running keep theirs',
    tags: ['routing'],
    body: setChannelTargetsBody,
    response: { 200: channelTargetsResponse },
    handler: async ({ staff, body }) => withForce(deps.db, staff.forceId, (tx) => setChannelTargets(tx, staff.forceId, deps.clock, body, staff.staffId)),
  });
}
