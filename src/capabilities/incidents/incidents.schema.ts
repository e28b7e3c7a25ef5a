import { z } from 'zod';
import { INCIDENT_STATUSES } from './incident.machine.ts';

const GRADES = ['immediate', 'priority', 'scheduled', 'resolution_without_deployment'] as const;
const isoTime = z.string().describe('ISO 8601 date and time (UTC)');
const code = z.string().trim().min(1).max(40).regex(/^[a-z0-9_]+$/, 'use lower-case letters, digits and underscores');

/** A new incident: from one or more contacts, or directly (no contacts). */
export const createIncidentBody = z.strictObject({
  type: code.describe("the force's incident classification, e.g. `crime_violence`"),
  summary: z.string().trim().max(2000).optional(),
  grade: z.enum(GRADES).optional(),
  contactIds: z.array(z.uuid('must be a contact id')).max(20, 'link at most 20 contacts at once').default([]),
  locationText: z.string().trim().max(500).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  requiredCapabilities: z.array(code).max(10).default([]).describe('every unit recommended must have these'),
}).refine((body) => (body.lat === undefined) === (body.lon === undefined), { message: 'give both lat and lon, or neither', path: ['lat'] });
export type CreateIncidentBody = z.infer<typeof createIncidentBody>;

export const linkContactBody = z.strictObject({ contactId: z.uuid('must be a contact id') });
export const unlinkContactBody = z.strictObject({ reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500) });
export const noteBody = z.strictObject({ body: z.string().trim().min(1).max(4000) });

/** The moves a dispatcher makes on the incident itself (units move it by their own moves). */
export const incidentStatusBody = z.strictObject({
  move: z.enum(['resolve', 'close', 'cancel', 'resolve_without_deployment']),
  closingCode: code.optional(),
});

const area = z.object({ id: z.string(), name: z.string() }).nullable();

export const incidentSummary = z
  .object({
    id: z.string(),
    number: z.number().int(),
    reference: z.string().describe('the number as staff say it, e.g. INC-42'),
    type: z.string(),
    summary: z.string(),
    grade: z.enum(GRADES).nullable(),
    status: z.enum(INCIDENT_STATUSES),
    closingCode: z.string().nullable(),
    location: z.object({ text: z.string().nullable(), lat: z.number().nullable(), lon: z.number().nullable(), district: area, beat: area }),
    requiredCapabilities: z.array(z.string()),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'IncidentSummary' });
export type IncidentSummary = z.infer<typeof incidentSummary>;

export const incidentView = incidentSummary
  .extend({
    contacts: z.array(z.object({ contactId: z.string(), reference: z.string(), linkedAt: isoTime, unlinkedAt: isoTime.nullable() })),
    notes: z.array(z.object({ id: z.string(), body: z.string(), authorId: z.string().nullable(), createdAt: isoTime })),
    units: z.array(z.object({ unitId: z.string(), callSign: z.string(), status: z.string(), assignedAt: isoTime, clearedAt: isoTime.nullable() })),
  })
  .meta({ id: 'Incident' });
export type IncidentView = z.infer<typeof incidentView>;

export const incidentListQuery = z.object({ which: z.enum(['live', 'all']).default('live') });
