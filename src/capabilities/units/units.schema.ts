import { z } from 'zod';
import { EIDO_UNIT_STATUS, UNIT_STATUSES } from './unit.machine.ts';

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');
const code = z.string().trim().min(1).max(40).regex(/^[a-z0-9_]+$/, 'use lower-case letters, digits and underscores');

/** The most positions one ingest request may carry. */
export const POSITION_BATCH_MAX = 1000;

export const createUnitBody = z.strictObject({
  callSign: z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9 -]+$/, 'letters, digits, spaces and hyphens only'),
  type: code.describe('e.g. `response`, `neighbourhood`, `dog`, `armed_response`, `roads_policing`'),
  capabilities: z.array(code).max(20).default([]).describe('e.g. `firearms`, `taser`, `dog`, `first_aid_2`'),
  homeStation: z.string().trim().max(100).optional(),
  homeAreaId: z.uuid('must be an area id').optional(),
});
export type CreateUnitBody = z.infer<typeof createUnitBody>;

export const updateUnitBody = z
  .strictObject({
    type: code.optional(),
    capabilities: z.array(code).max(20).optional(),
    homeStation: z.string().trim().max(100).nullable().optional(),
    homeAreaId: z.uuid('must be an area id').nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'change at least one field' });
export type UpdateUnitBody = z.infer<typeof updateUnitBody>;

export const positionBatchBody = z.strictObject({
  positions: z
    .array(
      z.strictObject({
        unitId: z.uuid('must be a unit id'),
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        recordedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time' }),
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
  })
  .meta({ id: 'PositionIngestResult' });

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
    position: z.object({ lat: z.number(), lon: z.number(), recordedAt: isoTime, isStale: z.boolean() }).nullable(),
  })
  .meta({ id: 'Unit' });
export type UnitView = z.infer<typeof unitView>;

export const eidoStatusOf = (status: (typeof UNIT_STATUSES)[number]) => EIDO_UNIT_STATUS[status];
