import { z } from 'zod';
import { defineEvent, recordChanged } from '../../platform/events/catalogue.ts';
import { routingWake } from '../queue/queue.events.ts';

// Staff entries in the event catalogue: accounts, and presence, skills and capacity for routing.
// A change that can free or add room for work asks for distribution once it commits.

/**
 * A member of staff was added; someone who works the queue with the routing profile they start
 * with, offline (one event for the whole addition, decision 0085). Events written before the
 * profile was carried have the role only.
 */
export const staffCreated = defineEvent({
  type: 'staff.created',
  subject: 'staff',
  data: { role: z.string(), skills: z.array(z.string()).optional(), capacity: z.record(z.string(), z.number()).optional() },
  // The staff list open in an admin's console follows additions, as it follows role changes (decision 0102).
  live: (e) => [...(e.data.capacity ? [{ type: 'routing.changed' as const }] : []), recordChanged('staff_role', e.actor, e.subject.id)],
});

/** A member of staff changed their own password; their other sessions ended. */
export const staffPasswordChanged = defineEvent({
  type: 'staff.password_changed',
  subject: 'staff',
  data: { wasRequired: z.boolean(), otherSessionsEnded: z.number() },
});

/** An admin (or the command line) issued a one-time password: sessions ended, work returned to the queue. */
export const staffPasswordReset = defineEvent({
  type: 'staff.password_reset',
  subject: 'staff',
  data: { sessionsEnded: z.number(), returnedContacts: z.number() },
  live: () => [{ type: 'routing.changed' }],
  wakes: (e) => (e.data.returnedContacts > 0 ? [routingWake(e.forceId)] : []),
});

/** An admin deactivated a colleague: sessions ended, work returned to the queue. */
export const staffDeactivated = defineEvent({
  type: 'staff.deactivated',
  subject: 'staff',
  data: { reason: z.string().nullable(), sessionsEnded: z.number(), returnedContacts: z.number() },
  live: (e) => [{ type: 'routing.changed' }, recordChanged('staff_role', e.actor, e.subject.id)],
  wakes: (e) => (e.data.returnedContacts > 0 ? [routingWake(e.forceId)] : []),
});

/** An admin let a deactivated colleague sign in again. */
export const staffReactivated = defineEvent({ type: 'staff.reactivated', subject: 'staff', data: {}, live: (e) => [recordChanged('staff_role', e.actor, e.subject.id)] });

/** Someone's presence changed (their own choice, a supervisor's, or leaving routing). */
export const staffPresenceChanged = defineEvent({
  type: 'staff.presence_changed',
  subject: 'staff',
  data: { from: z.string(), to: z.string() },
  live: () => [{ type: 'routing.changed' }],
  wakes: (e) => [routingWake(e.forceId)],
});

/**
 * An available person whose console had gone quiet (not heard from for longer than routing waits)
 * was heard from again: they can be given work once more.
 */
export const staffPresenceResumed = defineEvent({
  type: 'staff.presence_resumed',
  subject: 'staff',
  data: { lastSeenAt: z.string() },
  live: () => [{ type: 'routing.changed' }],
  wakes: (e) => [routingWake(e.forceId)],
});

/** Someone's skills or capacity changed. */
export const staffRoutingChanged = defineEvent({
  type: 'staff.routing_changed',
  subject: 'staff',
  data: { skills: z.array(z.string()), capacity: z.record(z.string(), z.number()) },
  live: (e) => [{ type: 'routing.changed' }, recordChanged('staff_profile', e.actor, e.subject.id)],
  wakes: (e) => [routingWake(e.forceId)],
});

/** An admin changed someone's role; a role that no longer works the queue leaves routing. */
export const staffRoleChanged = defineEvent({
  type: 'staff.role_changed',
  subject: 'staff',
  data: { from: z.string(), to: z.string(), returnedContacts: z.number() },
  live: (e) => [{ type: 'routing.changed' }, recordChanged('staff_role', e.actor, e.subject.id)],
  wakes: (e) => [routingWake(e.forceId)],
});

/** Staff entries, for the catalogue. */
export const STAFF_EVENTS = [
  staffCreated,
  staffPasswordChanged,
  staffPasswordReset,
  staffDeactivated,
  staffReactivated,
  staffPresenceChanged,
  staffPresenceResumed,
  staffRoutingChanged,
  staffRoleChanged,
] as const;
