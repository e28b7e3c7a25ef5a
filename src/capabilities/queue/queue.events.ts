import { z } from 'zod';
import { defineEvent, recordChanged, type FollowUpJob, type WakeUp } from '../../platform/events/catalogue.ts';
import type { ForceId } from '../../platform/ids.ts';
import { RESPONSE_CHANNELS, SLA_KINDS } from './sla.schema.ts';

// The queue's entries in the event catalogue (SLA clocks, supervisor alerts, queue settings), and
// what follows from queue work: the SLA check jobs and the wake-up that asks for distribution.

/** NOTIFY channel that asks workers to run distribution for a force (the payload is the force id). */
export const ROUTING_CHANNEL = 'bluelamp_routing';

/** The job that warns when a clock reaches its warning point and escalates when it falls due. */
export const SLA_CHECK_JOB = 'sla.check';

/** Asks, once the change commits, for the force's waiting contacts to be given out. */
export function routingWake(forceId: ForceId): WakeUp {
  return { channel: ROUTING_CHANNEL, payload: forceId };
}

/**
 * A clock as an event that started it records it. Events stored before the clocks' jobs were
 * derived from them name only the kind and the due time.
 */
export const startedClock = z.object({
  kind: z.enum(SLA_KINDS),
  dueAt: z.string(),
  id: z.string().optional(),
  warnAt: z.string().optional(),
});
export type StartedClock = z.infer<typeof startedClock>;

/** The warning and due checks of the clocks an event started. */
export function slaCheckJobs(clocks: readonly StartedClock[] | undefined): FollowUpJob[] {
  return (clocks ?? []).flatMap((clock) => {
    if (!clock.id || !clock.warnAt) return [];
    return [
      { type: SLA_CHECK_JOB, payload: { clockId: clock.id, stage: 'warn' }, idempotencyKey: `${clock.id}:warn`, runAt: new Date(clock.warnAt) },
      { type: SLA_CHECK_JOB, payload: { clockId: clock.id, stage: 'due' }, idempotencyKey: `${clock.id}:due`, runAt: new Date(clock.dueAt) },
    ];
  });
}

/** Clocks started on a contact already queued: the next response after a reply, or fresh ones at a raised priority. */
export const slaStarted = defineEvent({
  type: 'sla.started',
  subject: 'contact',
  data: { reason: z.enum(['next_response', 'reprioritised']), clocks: z.array(startedClock) },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
  jobs: (e) => slaCheckJobs(e.data.clocks),
});

const clockCheck = { clockId: z.string(), kind: z.enum(SLA_KINDS), dueAt: z.string() };

/** A running clock reached its warning point. */
export const slaWarning = defineEvent({
  type: 'sla.warning',
  subject: 'contact',
  data: clockCheck,
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** A running clock fell due: the target was missed. */
export const slaBreached = defineEvent({
  type: 'sla.breached',
  subject: 'contact',
  data: clockCheck,
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** Supervisors were alerted (a threat to life, a missed target); they must acknowledge it. */
export const alertRaised = defineEvent({
  type: 'alert.raised',
  subject: 'contact',
  data: { alertId: z.string(), kind: z.enum(['threat_to_life', 'sla_breach']), message: z.string(), clockId: z.string().optional() },
  live: (e) => [{ type: 'alert.raised', alertId: e.data.alertId, kind: e.data.kind, contactId: e.subject.id }],
});

/** A supervisor acknowledged an alert. */
export const alertAcknowledged = defineEvent({
  type: 'alert.acknowledged',
  subject: 'contact',
  data: { alertId: z.string(), kind: z.enum(['threat_to_life', 'sla_breach']), note: z.string().nullable() },
  live: (e) => [{ type: 'alert.acknowledged', alertId: e.data.alertId }],
});

/** A queue's name, targets, warning point or required skills changed (only the fields that did). */
export const queueUpdated = defineEvent({
  type: 'queue.updated',
  subject: 'queue',
  data: { name: z.string().optional(), sla: z.json().optional(), warnAtPercent: z.number().optional(), requiredSkills: z.array(z.string()).optional() },
  live: (e) => [recordChanged('queue', e.actor, e.subject.id)],
});

/** The force's routing rules were replaced by a new ordered list. */
export const queueRulesReplaced = defineEvent({
  type: 'queue.rules_replaced',
  subject: 'force',
  data: { rules: z.json() },
  live: (e) => [recordChanged('queue_rules', e.actor)],
});

/**
 * The force's default queue, where contacts no rule matches go, is now this one (the subject);
 * `fromQueueId` was it before (null: the force had none). Contacts already queued stay put.
 */
export const queueDefaultChanged = defineEvent({
  type: 'queue.default_changed',
  subject: 'queue',
  data: { fromQueueId: z.string().nullable(), toQueueId: z.string() },
  // Both queues' rows changed: open queues lists follow (decision 0102). Their versions do not
  // count a change of default (decision 0091), so a form open on either says nothing.
  live: (e) => [e.data.fromQueueId, e.data.toQueueId].flatMap((id) => (id ? [recordChanged('queue', e.actor, id)] : [])),
});

/**
 * A force admin changed the response targets of one or more kinds of channel (each as it now
 * stands; null: the queue's target applies). Clocks already running keep their due times.
 */
export const channelTargetsChanged = defineEvent({
  type: 'queue.channel_targets_changed',
  subject: 'force',
  data: {
    changes: z.array(z.object({ channel: z.enum(RESPONSE_CHANNELS), firstResponseMinutes: z.number().nullable(), nextResponseMinutes: z.number().nullable() })),
  },
  live: (e) => [recordChanged('channel_targets', e.actor)],
});

/** The queue's entries, for the catalogue. */
export const QUEUE_EVENTS = [slaStarted, slaWarning, slaBreached, alertRaised, alertAcknowledged, queueUpdated, queueRulesReplaced, queueDefaultChanged, channelTargetsChanged] as const;
