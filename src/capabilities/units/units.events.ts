import { z } from 'zod';
import { defineEvent, type EventType, type NewEvent, type PushedLiveMessage } from '../../platform/events/catalogue.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import type { UnitMoveEvent, UnitTransition } from './unit.machine.ts';

// A unit's entries in the event catalogue: the moves of its status machine, appended through
// `unitMoveEvent`, and changes to its details. Positions are not events: they arrive many times a
// minute per unit and only the latest is kept (decision 0021), so they send consoles nothing; every
// event here tells them the unit changed (decision 0038).

/** What every event of a unit tells consoles: this unit changed (one message per unit per transaction). */
function unitChanged(e: { subject: { id: string } }): PushedLiveMessage[] {
  return [{ type: 'units.changed', unitId: e.subject.id }];
}

export const unitCreated = defineEvent({
  type: 'unit.created',
  subject: 'unit',
  live: unitChanged,
  data: { callSign: z.string(), unitType: z.string(), capabilities: z.array(z.string()) },
});

/** Committed to an incident. */
export const unitDispatched = defineEvent({ type: 'unit.dispatched', subject: 'unit', live: unitChanged, data: { incidentId: z.string(), callSign: z.string() } });
export const unitEnRoute = defineEvent({ type: 'unit.en_route', subject: 'unit', live: unitChanged, data: { incidentId: z.string() } });
export const unitOnScene = defineEvent({ type: 'unit.on_scene', subject: 'unit', live: unitChanged, data: { incidentId: z.string() } });
/** Clear of its incident (done, stood down, or the incident ended); it is returning. */
export const unitCleared = defineEvent({ type: 'unit.cleared', subject: 'unit', live: unitChanged, data: { incidentId: z.string() } });
export const unitAvailable = defineEvent({ type: 'unit.available', subject: 'unit', live: unitChanged, data: {} });
export const unitUnavailable = defineEvent({ type: 'unit.unavailable', subject: 'unit', live: unitChanged, data: { reason: z.string() } });
export const unitOffDuty = defineEvent({ type: 'unit.off_duty', subject: 'unit', live: unitChanged, data: {} });
/** Taken out of the fleet for good, from off duty (decision 0086): off the board, never recommended nor sent. */
export const unitRetired = defineEvent({ type: 'unit.retired', subject: 'unit', live: unitChanged, data: { callSign: z.string(), reason: z.string() } });
/** A retired unit back in the fleet, off duty. */
export const unitReinstated = defineEvent({ type: 'unit.reinstated', subject: 'unit', live: unitChanged, data: { callSign: z.string() } });

/**
 * Its type, capabilities or home changed: the fields named, each with its value before and after
 * (events recorded before the values were kept carry the names alone).
 */
export const unitDetailsChanged = defineEvent({
  type: 'unit.details_changed',
  subject: 'unit',
  live: unitChanged,
  data: {
    fields: z.array(z.string()),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).optional(),
  },
});

const MOVE_EVENTS = {
  'unit.created': unitCreated,
  'unit.dispatched': unitDispatched,
  'unit.en_route': unitEnRoute,
  'unit.on_scene': unitOnScene,
  'unit.cleared': unitCleared,
  'unit.available': unitAvailable,
  'unit.unavailable': unitUnavailable,
  'unit.off_duty': unitOffDuty,
  'unit.retired': unitRetired,
  'unit.reinstated': unitReinstated,
} as const satisfies Record<UnitMoveEvent, { type: UnitMoveEvent }>;

type MoveData<E extends UnitMoveEvent> = (typeof MOVE_EVENTS)[E] extends EventType<E, infer D> ? D : never;

/** The event a transition of the unit's machine appends. */
export function unitMoveEvent<E extends UnitMoveEvent>(transition: UnitTransition<E>, input: { actor: Actor; unitId: string; data: MoveData<E> }): NewEvent {
  const definition = MOVE_EVENTS[transition.event] as unknown as EventType<E, MoveData<E>>;
  return definition.of({ actor: input.actor, subjectId: input.unitId, data: input.data });
}

/** The unit's entries, for the catalogue. */
export const UNIT_EVENTS = [unitCreated, unitDispatched, unitEnRoute, unitOnScene, unitCleared, unitAvailable, unitUnavailable, unitOffDuty, unitRetired, unitReinstated, unitDetailsChanged] as const;
