import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { REPORTED_UNIT_MOVES } from '../units/unit.machine.ts';

export const ROAD_ROUTING_ENGINES = ['osrm', 'valhalla'] as const;
export type RoadRoutingEngine = (typeof ROAD_ROUTING_ENGINES)[number];

/** A force admin's road-routing setting, as accepted by the settings API. */
export const roadRoutingSetting = z.strictObject({
  engine: z.enum(ROAD_ROUTING_ENGINES).describe('`osrm` (table service) or `valhalla` (time-distance matrix)'),
  url: z
    .url({ protocol: /^https?$/, error: 'give the routing service as an http(s) URL, e.g. https://osrm.force.internal' })
    .max(500)
    .describe('the base URL of the service; it must pass the outbound address checks (OUTBOUND_ALLOW_LIST for one inside the force network)'),
  profile: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'a profile is a short name such as driving or auto')
    .optional()
    .describe('OSRM profile (default `driving`) or Valhalla costing (default `auto`)'),
  timeoutMs: z.number().int().min(200, 'wait at least 200 ms').max(10_000, 'wait at most 10,000 ms').optional().describe('how long to wait before using straight-line estimates (default 2,000)'),
  durationFactor: z.number().min(0.3, 'the factor is at least 0.3').max(2, 'the factor is at most 2').optional().describe("multiplies the service's times (under 1 for blue-light driving; default 1)"),
});


export const recommendationQuery = z.object({ limit: z.coerce.number().int().min(1).max(20).default(5) });

export const dispatchBody = z.strictObject({
  unitIds: z.array(idField('must be a unit id')).min(1, 'name at least one unit').max(10, 'dispatch at most 10 units at once'),
});

/** What a unit's crew, or the dispatcher for them, reports. */
export const unitStatusBody = z.strictObject({
  status: z.enum(REPORTED_UNIT_MOVES),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(200).optional(),
});
export type UnitStatusBody = z.infer<typeof unitStatusBody>;

const reason = z.union([
  z.object({ code: z.literal('has_capabilities'), capabilities: z.array(z.string()) }),
  z.object({ code: z.literal('estimated_arrival'), seconds: z.number(), distanceKm: z.number(), method: z.enum(['distance', 'road']) }),
  z.object({ code: z.literal('returning_from_job') }),
  z.object({ code: z.literal('position_age'), seconds: z.number() }),
]);

const shortfall = z.union([
  z.object({ code: z.literal('no_units') }),
  z.object({ code: z.literal('none_dispatchable'), units: z.number() }),
  z.object({ code: z.literal('positions_stale'), units: z.number() }),
  z.object({ code: z.literal('no_position'), units: z.number() }),
  z.object({ code: z.literal('lacking_capability'), units: z.number(), capabilities: z.array(z.string()) }),
  z.object({ code: z.literal('outside_radius'), units: z.number(), radiusKm: z.number() }),
  z.object({ code: z.literal('incident_has_no_position') }),
  z.object({ code: z.literal('no_road_route'), units: z.number() }),
]);

export const recommendationView = z
  .object({
    incidentId: z.string(),
    method: z
      .enum(['distance', 'road'])
      .describe("how arrival times were worked out: `road` from the force's routing service, `distance` from straight-line distance, a road factor and a speed per unit type"),
    routing: z
      .object({
        status: z.enum(['not_configured', 'used', 'unavailable']),
        engine: z.enum(ROAD_ROUTING_ENGINES).nullable(),
        detail: z.string().nullable().describe('why the routing service was not used, when it is configured'),
      })
      .describe("the force's road-routing service and whether this recommendation used it"),
    candidates: z.array(
      z.object({ unitId: z.string(), callSign: z.string(), type: z.string(), distanceKm: z.number(), etaSeconds: z.number(), reasons: z.array(reason) }),
    ),
    shortfalls: z.array(shortfall).describe('why fewer units than asked for could be recommended'),
  })
  .meta({ id: 'Recommendation' });
export type RecommendationView = z.infer<typeof recommendationView>;
