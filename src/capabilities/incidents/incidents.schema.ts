import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { GRADES } from '../grading/grading.schema.ts';
import { capabilityField } from '../units/units.schema.ts';
import { REPORTED_UNIT_MOVES } from '../units/unit.machine.ts';
import { INCIDENT_STATUSES } from './incident.machine.ts';
import { AREA_SETTINGS, RESPONSE_CLOCK_KINDS } from './response-clock.schema.ts';
/** The number as staff say it: INC-42. */
export const incidentReference = (number: number) => `INC-${number}`;

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');
const code = z.string().trim().min(1).max(40).regex(/^[a-z0-9_]+$/, 'use lower-case letters, digits and underscores');

/** A new incident: from one or more contacts, or directly (no contacts). */
export const createIncidentBody = z.strictObject({
  type: code.describe("the force's incident classification, e.g. `crime_violence`"),
  summary: z.string().trim().max(2000).optional(),
  grade: z.enum(GRADES).optional(),
  contactIds: z.array(idField('must be a contact id')).max(20, 'link at most 20 contacts at once').default([]),
  locationText: z.string().trim().max(500).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  requiredCapabilities: z
    .array(capabilityField)
    .max(10)
    .default([])
    .describe('every unit recommended must have these; each must be a capability some unit of the force has (not retired); `Firearms` is `firearms`'),
}).refine((body) => (body.lat === undefined) === (body.lon === undefined), { message: 'give both lat and lon, or neither', path: ['lat'] });
export type CreateIncidentBody = z.infer<typeof createIncidentBody>;

/**
 * A correction as information arrives: any of type, summary and the capabilities a unit needs
 * (replacing the list). Its grade is not here: grading is its own route, and a new type changes
 * neither the grade nor the countdown.
 */
export const updateIncidentBody = z
  .strictObject({
    type: code.optional().describe("one of the force's incident types"),
    summary: z.string().trim().min(1, 'must not be empty').max(2000).optional(),
    requiredCapabilities: z
      .array(capabilityField)
      .max(10)
      .optional()
      .describe('replaces the list; each must be a capability some unit of the force has (not retired); `Firearms` is `firearms`'),
  })
  .refine((body) => body.type !== undefined || body.summary !== undefined || body.requiredCapabilities !== undefined, { message: 'change at least one of type, summary or requiredCapabilities' });
export type UpdateIncidentBody = z.infer<typeof updateIncidentBody>;

/** Where an incident is, replacing what it had: the address as given, and the map position (both or neither). */
export const incidentLocationBody = z
  .strictObject({
    locationText: z.string().trim().min(1, 'must not be empty; leave it out for no address').max(500).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .refine((body) => (body.lat === undefined) === (body.lon === undefined), { message: 'give both lat and lon, or neither', path: ['lat'] })
  .refine((body) => body.locationText !== undefined || body.lat !== undefined, { message: 'give an address, a position, or both', path: ['locationText'] });
export type IncidentLocationBody = z.infer<typeof incidentLocationBody>;

export const linkContactBody = z.strictObject({ contactId: idField('must be a contact id') });
export const unlinkContactBody = z.strictObject({ reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500) });
export const noteBody = z.strictObject({ body: z.string().trim().min(1).max(4000) });

/** The moves a dispatcher makes on the incident itself (units move it by their own moves). */
export const incidentStatusBody = z.strictObject({
  move: z.enum(['resolve', 'close', 'cancel', 'resolve_without_deployment']),
  closingCode: code.optional(),
});

const area = z.object({ id: z.string(), name: z.string() }).nullable();

const BREACHED_AT = "when the breach was found (its due check, later if the check was behind, or the clock's stop); the target was missed at dueAt";

/** The countdown an incident is running, on the server's clock. */
export const incidentClock = z
  .object({
    kind: z.enum(RESPONSE_CLOCK_KINDS),
    startedAt: isoTime.describe('when this countdown began (creation, first dispatch or a regrade); the target is measured from the incident\'s creation'),
    warnAt: isoTime,
    dueAt: isoTime,
    breachedAt: isoTime.nullable().describe(BREACHED_AT),
  })
  .meta({ id: 'IncidentClock' });
export type IncidentClock = z.infer<typeof incidentClock>;

/** One clock an incident ran, with any breach and the reason given for it. */
export const responseClockView = z
  .object({
    id: z.string(),
    kind: z.enum(RESPONSE_CLOCK_KINDS),
    grade: z.enum(GRADES),
    setting: z.enum(AREA_SETTINGS),
    targetMinutes: z.number().int(),
    measuredFrom: isoTime,
    startedAt: isoTime,
    warnAt: isoTime,
    dueAt: isoTime,
    stoppedAt: isoTime.nullable(),
    stopReason: z.enum(['dispatched', 'arrived', 'regraded', 'ended']).nullable(),
    breachedAt: isoTime.nullable().describe(BREACHED_AT),
    breachReason: z.object({ code: z.string(), label: z.string(), text: z.string().nullable(), recordedAt: isoTime, recordedBy: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'ResponseClock' });
export type ResponseClockView = z.infer<typeof responseClockView>;

/**
 * The supervisors' alert for an incident's missed response target, with what they need to act on
 * it: the incident, the grade and which countdown. Open until acknowledged or a reason is recorded.
 */
export const incidentAlertView = z
  .object({
    id: z.string(),
    kind: z.literal('response_breach'),
    incidentId: z.string(),
    incidentReference: z.string().describe('e.g. INC-42'),
    grade: z.object({ code: z.enum(GRADES), label: z.string() }).describe('the grade whose target was missed'),
    clockId: z.string(),
    clockKind: z.enum(RESPONSE_CLOCK_KINDS).describe('deploy or arrive'),
    dueAt: isoTime,
    message: z.string(),
    raisedAt: isoTime,
    acknowledgedAt: isoTime.nullable(),
    acknowledgedByName: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'IncidentAlert' });
export type IncidentAlertView = z.infer<typeof incidentAlertView>;

export const regradeIncidentBody = z.strictObject({
  grade: z.enum(GRADES, { error: `must be one of: ${GRADES.join(', ')}` }),
  reason: z.string().trim().max(500).optional(),
});
export const breachReasonBody = z.strictObject({
  reasonCode: code.describe("one of the force's breach reasons"),
  text: z.string().trim().max(1000).optional().describe('what happened, in the words of whoever explains it'),
});

export const incidentSummary = z
  .object({
    id: z.string(),
    number: z.number().int(),
    reference: z.string().describe('the number as staff say it, e.g. INC-42'),
    type: z.string(),
    summary: z.string(),
    grade: z.object({ code: z.enum(GRADES), label: z.string() }).nullable(),
    clock: incidentClock.nullable().describe('the countdown running now (deploy, then arrive); null when none runs'),
    missedTargets: z
      .array(z.enum(RESPONSE_CLOCK_KINDS))
      .describe('targets met late (the unit sent or on scene after its target) whose reason is still to be recorded, oldest first; a countdown still running past its target is `clock`'),
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
    units: z.array(
      z.object({
        unitId: z.string(),
        callSign: z.string(),
        status: z.string(),
        moves: z
          .array(z.enum(REPORTED_UNIT_MOVES))
          .describe("what the unit's machine allows it to report next (`POST /api/units/:id/status`); none once it has cleared from this incident"),
        assignedAt: isoTime,
        clearedAt: isoTime.nullable(),
      }),
    ),
    clocks: z.array(responseClockView).describe('every countdown it has run, oldest first'),
    mergedIntoId: z.string().nullable().describe('for an incident merged as a duplicate, the one it went into'),
    history: z
      .array(z.object({ seq: z.number().int(), type: z.string(), at: isoTime, actor: z.string(), summary: z.string() }))
      .describe("what happened to it, oldest first: one line per event of the force's log about it"),
  })
  .meta({ id: 'Incident' });
export type IncidentView = z.infer<typeof incidentView>;

export const incidentListQuery = z.object({ which: z.enum(['live', 'all']).default('live') });

/** Where a new incident would be, to find live ones of the same type nearby. */
export const nearbyQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lon: z.coerce.number().min(-180).max(180),
  type: code,
  radiusKm: z.coerce.number().positive().max(20, 'look at most 20 km away').default(1),
});

export const nearbyIncident = z
  .object({
    id: z.string(),
    reference: z.string(),
    type: z.string(),
    summary: z.string(),
    grade: z.enum(GRADES).nullable(),
    status: z.enum(INCIDENT_STATUSES),
    locationText: z.string().nullable(),
    distanceMetres: z.number().int(),
    createdAt: isoTime,
  })
  .meta({ id: 'NearbyIncident' });
export type NearbyIncident = z.infer<typeof nearbyIncident>;

export const mergeIncidentBody = z.strictObject({ intoIncidentId: idField('must be an incident id') });
