import { z } from 'zod';
import { defineEvent, type FollowUpJob } from '../../platform/events/catalogue.ts';
import { GRADES } from '../grading/grading.schema.ts';
import { incidentChanged } from './incidents.events.ts';
import { AREA_SETTINGS, RESPONSE_CLOCK_KINDS } from './response-clock.schema.ts';

// The response clocks' entries in the event catalogue, the incident's grade, and the force's
// control-room lists (targets, breach reasons, incident types, closing codes). A clock's warning
// and due checks follow from the event that started it, so they exist only if it committed. Each
// event of a clock tells consoles its incident changed (the board turns amber or red on the
// warning and the breach); a breach also pushes the supervisors' alert, and whatever closes that
// alert says so (decision 0038).

/** The job that marks a response clock's warning point and its breach. */
export const RESPONSE_CLOCK_CHECK_JOB = 'incident.clock_check';

const startedClock = {
  clockId: z.string(),
  kind: z.enum(RESPONSE_CLOCK_KINDS),
  grade: z.enum(GRADES),
  setting: z.enum(AREA_SETTINGS),
  targetMinutes: z.number().int(),
  measuredFrom: z.string(),
  warnAt: z.string(),
  dueAt: z.string(),
  cause: z.enum(['created', 'graded', 'dispatched', 'regraded']),
  /** A regrade past a target already missed: the clock whose breach (reason and alert too) this one took over. */
  breachCarriedFrom: z.string().optional(),
};

function responseClockJobs(data: { clockId: string; warnAt: string; dueAt: string }): FollowUpJob[] {
  return [
    { type: RESPONSE_CLOCK_CHECK_JOB, payload: { clockId: data.clockId, stage: 'warn' }, idempotencyKey: `${data.clockId}:warn`, runAt: new Date(data.warnAt) },
    { type: RESPONSE_CLOCK_CHECK_JOB, payload: { clockId: data.clockId, stage: 'due' }, idempotencyKey: `${data.clockId}:due`, runAt: new Date(data.dueAt) },
  ];
}

/** A countdown started on an incident: deploy from its creation, arrive once a unit is sent, or afresh after a regrade. */
export const incidentClockStarted = defineEvent({
  type: 'incident.clock_started',
  subject: 'incident',
  data: startedClock,
  live: incidentChanged,
  jobs: (e) => responseClockJobs(e.data),
});

const clockCheck = { clockId: z.string(), kind: z.enum(RESPONSE_CLOCK_KINDS), dueAt: z.string() };

/** A running response clock reached its warning point. */
export const incidentClockWarning = defineEvent({ type: 'incident.clock_warning', subject: 'incident', live: incidentChanged, data: clockCheck });

/**
 * A running response clock fell due: the target was missed; supervisors were alerted and a reason
 * is asked for. Appended when the breach is found (its due check, or the clock's stop when the
 * check was behind, decision 0132); the target was missed at `dueAt`, which every reader that
 * says when it was missed reads.
 */
export const incidentClockBreached = defineEvent({
  type: 'incident.clock_breached',
  subject: 'incident',
  data: { ...clockCheck, alertId: z.string().nullable() },
  live: (e) => [...incidentChanged(e), ...(e.data.alertId ? [{ type: 'alert.raised' as const, alertId: e.data.alertId, kind: 'response_breach', incidentId: e.subject.id }] : [])],
});

/**
 * Someone said why a target was missed: a reason from the force's list, and free text. It closes
 * the supervisors' alert if no one had acknowledged it (`alertId`, absent from events stored
 * before it was recorded here).
 */
export const incidentBreachReasonRecorded = defineEvent({
  type: 'incident.breach_reason_recorded',
  subject: 'incident',
  data: { clockId: z.string(), kind: z.enum(RESPONSE_CLOCK_KINDS), reasonCode: z.string(), text: z.string().nullable(), alertId: z.string().nullable().optional() },
  live: (e) => [...incidentChanged(e), ...(e.data.alertId ? [{ type: 'alert.acknowledged' as const, alertId: e.data.alertId }] : [])],
});

/** A supervisor acknowledged the alert of a missed target (with an optional note); the reason may still be owed. */
export const incidentBreachAlertAcknowledged = defineEvent({
  type: 'incident.breach_alert_acknowledged',
  subject: 'incident',
  data: { alertId: z.string(), clockId: z.string(), note: z.string().nullable() },
  live: (e) => [...incidentChanged(e), { type: 'alert.acknowledged', alertId: e.data.alertId }],
});

/** The incident's grade was set or changed (from its own screen or by grading a linked contact); targets are recomputed. */
export const incidentRegraded = defineEvent({
  type: 'incident.regraded',
  subject: 'incident',
  data: { from: z.enum(GRADES).nullable(), to: z.enum(GRADES), reason: z.string().nullable(), contactId: z.string().nullable() },
  live: incidentChanged,
});

/** One of the force's control-room lists was replaced (entries left out are retired, never deleted). */
export const controlRoomListChanged = defineEvent({
  type: 'control_room.list_changed',
  subject: 'force',
  data: { list: z.enum(['response_targets', 'breach_reasons', 'incident_types', 'closing_codes']), entries: z.json() },
});

/** The response clocks' entries, for the catalogue. */
export const RESPONSE_CLOCK_EVENTS = [
  incidentClockStarted,
  incidentClockWarning,
  incidentClockBreached,
  incidentBreachReasonRecorded,
  incidentBreachAlertAcknowledged,
  incidentRegraded,
  controlRoomListChanged,
] as const;
