import { z } from 'zod';
import { ROAD_ROUTING_ENGINES } from './road-routing.ts';

export const recommendationQuery = z.object({ limit: z.coerce.number().int().min(1).max(20).default(5) });

export const dispatchBody = z.strictObject({
  unitIds: z.array(z.uuid('must be a unit id')).min(1, 'name at least one unit').max(10, 'dispatch at most 10 units at once'),
});

/** What a unit's crew, or the dispatcher for them, reports. */
export const unitStatusBody = z.strictObject({
  status: z.enum(['en_route', 'on_scene', 'clear', 'available', 'unavailable', 'off_duty']),
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
