import { z } from 'zod';
import { idField, instantField } from '../../platform/http/request-fields.ts';
import { EIDO_UNIT_STATUS, FLEET_UNIT_MOVES, REPORTED_UNIT_MOVES, UNIT_STATUSES } from './unit.machine.ts';

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');
const code = z.string().trim().min(1).max(40).regex(/^[a-z0-9_]+$/, 'must be lower-case letters, digits and underscores');

/** The most positions one ingest request may carry. */
export const POSITION_BATCH_MAX = 1000;

/**
 * A call sign in the one form it is stored and compared in: upper case, no spaces ("zz 99" is
 * ZZ99), so a unit cannot be added twice under two spellings (decision 0061).
 */
export function plainCallSign(typed: string): string {
  return typed.replace(/\s+/g, '').toUpperCase();
}

/**
 * A capability in the one form it is stored and matched in: trimmed, lower case, each run of
 * spaces, hyphens and underscores one underscore ("First aid 2" is first_aid_2), so "Firearms" and
 * "firearms" are one capability and an incident needing it finds the unit (decision 0086).
 */
export function plainCapability(typed: string): string {
  return typed.trim().toLowerCase().replace(/[\s_-]+/g, '_');
}

/**
 * A capability in a request (a unit's, or one an incident needs), handed on in its plain form; what
 * is still not letters, digits and underscores is refused by its field.
 */
export const capabilityField = z
  .string()
  .overwrite(plainCapability)
  .min(1, { error: 'must not be blank', abort: true })
  .max(40)
  .regex(/^[a-z0-9_]+$/, 'must be letters, digits, spaces, hyphens and underscores')
  .describe('stored in lower case with underscores: `First aid 2` is `first_aid_2`');

export const createUnitBody = z.strictObject({
  callSign: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9 -]+$/, 'letters, digits, spaces and hyphens only')
    .describe('stored in upper case without spaces: `zz 99` is ZZ99, and taken if ZZ99 is'),
  type: code.describe('e.g. `response`, `neighbourhood`, `dog`, `armed_response`, `roads_policing`'),
  capabilities: z.array(capabilityField).max(20).default([]).describe('e.g. `firearms`, `taser`, `dog`, `first_aid_2`; `Firearms` is `firearms`, and one capability given twice is kept once'),
  homeStation: z.string().trim().max(100).optional(),
  homeAreaId: idField('must be an area id').optional(),
});
export type CreateUnitBody = z.infer<typeof createUnitBody>;

export const updateUnitBody = z
  .strictObject({
    type: code.optional(),
    capabilities: z.array(capabilityField).max(20).optional().describe('replaces the list; `Firearms` is `firearms`, and one capability given twice is kept once'),
    homeStation: z.string().trim().max(100).nullable().optional(),
    homeAreaId: idField('must be an area id').nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'change at least one field' });
export type UpdateUnitBody = z.infer<typeof updateUnitBody>;

/** Which units a list holds: those in the fleet (the default), or the retired as well. */
export const unitListQuery = z.object({
  which: z.enum(['active', 'all']).default('active').describe('`active`: every unit not retired; `all`: the retired too (decision 0086)'),
});
export type UnitListWhich = z.infer<typeof unitListQuery>['which'];

/** Why a unit is retired, for the log. */
export const retireUnitBody = z.strictObject({
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(200).describe('e.g. `sold`, `written off`, `call sign disbanded`'),
});

export const positionBatchBody = z.strictObject({
  positions: z
    .array(
      z.strictObject({
        unitId: idField('must be a unit id'),
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        recordedAt: instantField('must be an ISO 8601 date and time'),
      }),
    )
    .min(1, 'send at least one position')
    .max(POSITION_BATCH_MAX, `send at most ${POSITION_BATCH_MAX} positions at once`),
});
export type PositionBatch = z.infer<typeof positionBatchBody>;

export const positionIngestResult = z
  .object({
    stored: z.number().int().describe('positions newer than the one held, now the latest'),
    ignored: z.number().int().describe('positions no newer than the one held (late or out of order), or beaten by a newer one in the same batch'),
    refused: z
      .array(
        z.object({
          path: z.string().describe('the position refused: `positions.3.unitId`'),
          unitId: z.string(),
          reason: z.string().describe('why, in a sentence: `ZZ41 is retired: its positions are not kept. …`'),
        }),
      )
      .describe("positions of retired units, each refused and kept nowhere (decision 0086); the batch's other positions are stored"),
  })
  .meta({ id: 'PositionIngestResult' });
export type PositionIngestResult = z.output<typeof positionIngestResult>;

export const unitView = z
  .object({
    id: z.string(),
    callSign: z.string(),
    type: z.string(),
    capabilities: z.array(z.string()),
    homeStation: z.string().nullable(),
    homeAreaId: z.string().nullable(),
    status: z.enum(UNIT_STATUSES),
    eidoStatus: z.string().describe('the NENA EIDO unit status this exports as (provisional, decision 0021)'),
    statusReason: z.string().nullable(),
    incidentId: z.string().nullable(),
    moves: z
      .array(z.enum(REPORTED_UNIT_MOVES))
      .describe("the statuses the unit's machine allows it to report next (`POST /api/units/:id/status`); others are refused (409)"),
    fleetMoves: z
      .array(z.enum(FLEET_UNIT_MOVES))
      .describe('`retire` when it may be retired (off duty), `reinstate` when it is retired (`POST /api/units/:id/retire`, `/reinstate`, `units:manage`)'),
    position: z.object({ lat: z.number(), lon: z.number(), recordedAt: isoTime, isStale: z.boolean() }).nullable(),
  })
  .meta({ id: 'Unit' });
export type UnitView = z.infer<typeof unitView>;

export const eidoStatusOf = (status: (typeof UNIT_STATUSES)[number]) => EIDO_UNIT_STATUS[status];

/** Until a force sets its own: a position older than this is stale (shown so, not recommended on). */
export const DEFAULT_POSITION_STALE_AFTER_MINUTES = 5;
/** Until a force sets its own: accepted positions are kept this long, then pruned by housekeeping. */
export const DEFAULT_POSITION_HISTORY_DAYS = 7;

/** The force settings of unit positions, as an admin sets them (`POST /api/force/settings`). */
export const positionSettingsFields = {
  positionStaleAfterMinutes: z
    .number()
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(24 * 60, 'must be at most 1,440 minutes (a day)')
    .optional()
    .describe(`a unit whose latest position is older than this is stale: shown so, and not recommended (default ${DEFAULT_POSITION_STALE_AFTER_MINUTES})`),
  positionHistoryDays: z
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(366, 'must be at most 366 days')
    .optional()
    .describe(`units' past positions are kept this many days, then deleted (default ${DEFAULT_POSITION_HISTORY_DAYS})`),
};

/** The most positions one trail answer carries. */
export const POSITION_TRAIL_MAX = 5000;

export const positionTrailQuery = z
  .object({
    since: instantField('must be an ISO 8601 date and time').optional().describe('positions recorded after this (default: an hour before `until`)'),
    until: instantField('must be an ISO 8601 date and time').optional().describe('positions recorded at or before this (default: now)'),
    limit: z.coerce.number().int().min(1).max(POSITION_TRAIL_MAX).default(1000).describe(`at most this many, oldest first (at most ${POSITION_TRAIL_MAX})`),
  })
  .refine((query) => !query.since || !query.until || Date.parse(query.since) < Date.parse(query.until), { path: ['since'], message: 'must be before until' });
export type PositionTrailQuery = z.infer<typeof positionTrailQuery>;

export const positionTrailView = z
  .object({
    unitId: z.string(),
    since: isoTime,
    until: isoTime,
    positions: z.array(z.object({ lat: z.number(), lon: z.number(), recordedAt: isoTime })).describe('oldest first'),
    hasMore: z.boolean().describe('more positions fall in the window: ask again with `since` set to the last `recordedAt`'),
  })
  .meta({ id: 'PositionTrail' });
export type PositionTrailView = z.infer<typeof positionTrailView>;
