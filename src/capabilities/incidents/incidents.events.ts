import { z } from 'zod';
import { defineEvent, type EventType, type NewEvent, type PushedLiveMessage } from '../../platform/events/catalogue.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import type { IncidentMoveEvent, IncidentTransition } from './incident.machine.ts';

// An incident's entries in the event catalogue. The moves of its machine (created, dispatched,
// unit en route, unit on scene, unit cleared, resolved, closed, cancelled, resolved without
// deployment, updated) are appended through `incidentMoveEvent`; linking contacts, notes and its
// location are facts beside the machine.
// Every one of them tells the control room's consoles the incident changed (decision 0038).

/** What every event of an incident tells consoles: this incident changed (one message per incident per transaction). */
export function incidentChanged(e: { subject: { id: string } }): PushedLiveMessage[] {
  return [{ type: 'incidents.changed', incidentId: e.subject.id }];
}

/** An incident was recorded, from the contacts named (none when created directly). */
export const incidentCreated = defineEvent({
  type: 'incident.created',
  subject: 'incident',
  live: incidentChanged,
  data: {
    number: z.number(),
    incidentType: z.string(),
    grade: z.string().nullable(),
    contactIds: z.array(z.string()),
    districtId: z.string().nullable(),
    beatId: z.string().nullable(),
  },
});

/** Units were committed to the incident in one action. */
export const incidentDispatched = defineEvent({
  type: 'incident.dispatched',
  subject: 'incident',
  live: incidentChanged,
  data: { units: z.array(z.object({ unitId: z.string(), callSign: z.string() })) },
});

/** A unit committed to the incident set off. The first one of these starts the arrival count. */
export const incidentUnitEnRoute = defineEvent({
  type: 'incident.unit_en_route',
  subject: 'incident',
  live: incidentChanged,
  data: { unitId: z.string(), callSign: z.string() },
});

/** A unit committed to the incident arrived. The first one of these is the arrival time. */
export const incidentUnitOnScene = defineEvent({
  type: 'incident.unit_on_scene',
  subject: 'incident',
  live: incidentChanged,
  data: { unitId: z.string(), callSign: z.string() },
});

/**
 * A unit committed to the incident cleared before the job was done (stood down, or called away):
 * the incident now follows the furthest unit still committed, or is open again, needing a unit,
 * when `remaining` is 0 (decision 0060).
 */
export const incidentUnitCleared = defineEvent({
  type: 'incident.unit_cleared',
  subject: 'incident',
  live: incidentChanged,
  data: { unitId: z.string(), callSign: z.string(), remaining: z.number().int() },
});

export const incidentResolved = defineEvent({ type: 'incident.resolved', subject: 'incident', live: incidentChanged, data: { clearedUnitIds: z.array(z.string()) } });

const ending = { closingCode: z.string(), clearedUnitIds: z.array(z.string()) };
export const incidentClosed = defineEvent({ type: 'incident.closed', subject: 'incident', live: incidentChanged, data: ending });
export const incidentCancelled = defineEvent({ type: 'incident.cancelled', subject: 'incident', live: incidentChanged, data: ending });
export const incidentResolvedWithoutDeployment = defineEvent({ type: 'incident.resolved_without_deployment', subject: 'incident', live: incidentChanged, data: ending });

/** Another contact about the same event was linked to the incident (not duplicated). */
export const incidentContactLinked = defineEvent({ type: 'incident.contact_linked', subject: 'incident', live: incidentChanged, data: { contactId: z.string() } });

/** A contact linked by mistake was unlinked; the link stays on record. */
export const incidentContactUnlinked = defineEvent({ type: 'incident.contact_unlinked', subject: 'incident', live: incidentChanged, data: { contactId: z.string(), reason: z.string() } });

/**
 * A duplicate incident was merged into this one: its contacts are linked here, the capabilities it
 * needed that this one did not are added, its summary is a note here (`noteId`), and it was
 * cancelled as `merged`. A more urgent grade it carried is its own `incident.regraded`.
 */
export const incidentMerged = defineEvent({
  type: 'incident.merged',
  subject: 'incident',
  live: (e) => [...incidentChanged(e), { type: 'incidents.changed', incidentId: e.data.fromIncidentId }],
  // Optional: merges recorded before these were carried over have neither.
  data: { fromIncidentId: z.string(), contactIds: z.array(z.string()), capabilitiesAdded: z.array(z.string()).optional(), noteId: z.string().optional() },
});

/** Where the incident is was set: the address and map position (null when left out), and the district and beat that position is in. */
export const incidentLocationSet = defineEvent({
  type: 'incident.location_set',
  subject: 'incident',
  live: incidentChanged,
  data: { locationText: z.string().nullable(), lat: z.number().nullable(), lon: z.number().nullable(), districtId: z.string().nullable(), beatId: z.string().nullable() },
});

const fromTo = <T extends z.ZodType>(value: T) => z.strictObject({ from: value, to: value }).optional();

/**
 * What the incident is was corrected as information arrived: each field named changed from one
 * value to the other (those left out did not change). Its grade and response clocks do not follow
 * a new type: grading is its own move (`incident.regraded`).
 */
export const incidentUpdated = defineEvent({
  type: 'incident.updated',
  subject: 'incident',
  live: incidentChanged,
  data: { changes: z.strictObject({ type: fromTo(z.string()), summary: fromTo(z.string()), requiredCapabilities: fromTo(z.array(z.string())) }) },
});

/** A note was added to the incident's running log. */
export const incidentNoteAdded = defineEvent({ type: 'incident.note_added', subject: 'incident', live: incidentChanged, data: { noteId: z.string() } });

const MOVE_EVENTS = {
  'incident.created': incidentCreated,
  'incident.dispatched': incidentDispatched,
  'incident.unit_en_route': incidentUnitEnRoute,
  'incident.unit_on_scene': incidentUnitOnScene,
  'incident.unit_cleared': incidentUnitCleared,
  'incident.resolved': incidentResolved,
  'incident.closed': incidentClosed,
  'incident.cancelled': incidentCancelled,
  'incident.resolved_without_deployment': incidentResolvedWithoutDeployment,
  'incident.updated': incidentUpdated,
} as const satisfies Record<IncidentMoveEvent, { type: IncidentMoveEvent }>;

type MoveData<E extends IncidentMoveEvent> = (typeof MOVE_EVENTS)[E] extends EventType<E, infer D> ? D : never;

/** The event a transition of the incident's machine appends: the machine names the type, the caller gives the data. */
export function incidentMoveEvent<E extends IncidentMoveEvent>(transition: IncidentTransition<E>, input: { actor: Actor; incidentId: string; data: MoveData<E> }): NewEvent {
  // Keyed by the machine's names; indexing by a generic key loses the pairing the signature keeps.
  const definition = MOVE_EVENTS[transition.event] as unknown as EventType<E, MoveData<E>>;
  return definition.of({ actor: input.actor, subjectId: input.incidentId, data: input.data });
}

/** The incident's entries, for the catalogue. */
export const INCIDENT_EVENTS = [
  incidentCreated,
  incidentDispatched,
  incidentUnitEnRoute,
  incidentUnitOnScene,
  incidentUnitCleared,
  incidentResolved,
  incidentClosed,
  incidentCancelled,
  incidentResolvedWithoutDeployment,
  incidentUpdated,
  incidentContactLinked,
  incidentContactUnlinked,
  incidentMerged,
  incidentLocationSet,
  incidentNoteAdded,
] as const;
