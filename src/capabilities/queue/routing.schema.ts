import { z } from 'zod';
import { openedVersionField } from '../../platform/http/request-fields.ts';
import { incidentAlertView } from '../incidents/incidents.schema.ts';
import { PRESENCES, type CapacityClass } from '../staff/staff.schema.ts';
import { RESPONSE_CHANNELS, SLA_KINDS, type SlaState } from './sla.schema.ts';

// What the routing routes answer. The services build these shapes; each route's handler is
// type-checked against them, and bodies are checked when sent.

const SLA_STATES = ['running', 'warning', 'breached', 'met', 'missed', 'cancelled'] as const satisfies readonly SlaState[];
const count = z.number().int().min(0).optional();
/** A number per channel class (capacity, load); classes not set are absent. */
const perCapacityClass = z.object({
  call: count,
  chat: count,
  social: count,
  sms: count,
  email: count,
  online: count,
} satisfies Record<CapacityClass, typeof count>);
const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

/** An alert waiting for (or given) a supervisor's acknowledgement. */
export const alertView = z
  .object({
    id: z.string(),
    kind: z.enum(['threat_to_life', 'sla_breach']),
    contactId: z.string(),
    contactReference: z.string(),
    message: z.string(),
    raisedAt: isoTime.describe("when supervisors were alerted; a missed target found late (at its clock's stop) is alerted long after it was due"),
    dueAt: isoTime.nullable().describe('a missed SLA target: when it was due (null for a threat to life)'),
    clockStoppedAt: isoTime
      .nullable()
      .describe("a missed SLA target: when its clock stopped (a reply, a close, an escalation, a raised priority), null while it still runs; less `dueAt`, how late it stopped"),
    acknowledgedAt: isoTime.nullable(),
    acknowledgedByName: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'Alert' });

/** A case whose Victims' Code clocks could not be opened from its records: its victims' updates are not being watched (decision 0123), or were not until `putRightAt` (0128). */
export const caseAlertView = z
  .object({
    id: z.string(),
    kind: z.literal('victim_updates_unopened'),
    caseId: z.string(),
    caseReference: z.string(),
    message: z.string(),
    raisedAt: isoTime,
    putRightAt: isoTime
      .nullable()
      .describe("when the case's clocks were opened after all: its victims' updates are watched again, and the alert waits only for a supervisor's acknowledgement (decision 0128)"),
    acknowledgedAt: isoTime.nullable(),
    acknowledgedByName: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'CaseAlert' });
export type CaseAlertView = z.infer<typeof caseAlertView>;

/** What supervisors are alerted to: a contact's alert, an incident's missed response target, or a case's unopened Victims' Code clocks. */
export const supervisorAlertView = z.discriminatedUnion('kind', [alertView, incidentAlertView, caseAlertView]).meta({ id: 'SupervisorAlert' });

/** One SLA clock of a contact. */
export const slaClockView = z
  .object({
    id: z.string(),
    kind: z.enum(SLA_KINDS),
    label: z.string(),
    queueId: z.string(),
    priority: z.number().int(),
    startedAt: isoTime,
    warnAt: isoTime,
    dueAt: isoTime,
    stoppedAt: isoTime.nullable(),
    stopReason: z.string().nullable(),
    state: z.enum(SLA_STATES),
    remainingMs: z.number().describe('until due (negative once overdue); for a stopped clock, how early or late it stopped'),
  })
  .meta({ id: 'SlaClock' });

const slaTargets = z.object({ firstResponseMinutes: z.number().int(), nextResponseMinutes: z.number().int(), resolutionMinutes: z.number().int() });

/** A queue with its SLA targets per priority. */
export const queueView = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    requiredSkills: z.array(z.string()),
    isControlRoom: z.boolean(),
    isDefault: z.boolean(),
    sla: z.object({ '1': slaTargets, '2': slaTargets, '3': slaTargets, '4': slaTargets }).describe('targets by priority (1 most urgent)'),
    warnAtPercent: z.number().int(),
    position: z.number().int(),
    version: z.number().int().describe("Counts the queue's changes; send it back with a change to have it refused if the queue has changed since"),
  })
  .meta({ id: 'Queue' });

/** One rule that sends new contacts to a queue (null: any). */
export const queueRuleView = z
  .object({
    queueId: z.string(),
    position: z.number().int(),
    channels: z.array(z.string()).nullable(),
    categories: z.array(z.string()).nullable(),
    priorities: z.array(z.number().int()).nullable(),
    refusedBecause: z
      .string()
      .nullable()
      .describe(
        'Why saving the rules with this rule as it is would be refused (a rule stored before that was checked), in the words of that refusal; null: it would not be. Contacts are routed by it until it is changed or removed',
      ),
  })
  .meta({ id: 'QueueRule' });

/** The version of the force's rules as a whole (decision 0084). */
export const rulesVersion = z
  .number()
  .int()
  .describe("Counts the replacements of the force's rules; send it back with a replacement to have it refused if the rules have been replaced since");

export const queuesResponse = z.object({ queues: z.array(queueView), rules: z.array(queueRuleView), rulesVersion });

const boardContact = z
  .object({
    id: z.string(),
    reference: z.string(),
    channel: z.string(),
    priority: z.number().int(),
    isThreatToLife: z.boolean(),
    queueName: z.string().nullable(),
    assignedAt: isoTime.nullable(),
    enqueuedAt: isoTime.nullable(),
    slaState: z.enum(SLA_STATES).nullable(),
    nextDueAt: isoTime.nullable(),
  })
  .meta({ id: 'BoardContact' });

const myRoutingShape = {
  presence: z.enum(PRESENCES),
  presenceSince: isoTime.nullable(),
  skills: z.array(z.string()),
  capacity: perCapacityClass,
  load: perCapacityClass,
};

/** My presence, skills, capacity and load. */
export const myRoutingView = z.object(myRoutingShape).meta({ id: 'MyRouting' });

/** The supervisor's view of every queue and person. */
export const routingBoardView = z
  .object({
    at: isoTime,
    queues: z.array(
      z.object({
        id: z.string(),
        key: z.string(),
        name: z.string(),
        isControlRoom: z.boolean(),
        requiredSkills: z.array(z.string()),
        waiting: z.number().int(),
        assigned: z.number().int(),
        oldestWaitingSince: isoTime.nullable(),
        threatToLifeWaiting: z.number().int(),
        sla: z.object({ running: z.number().int(), warning: z.number().int(), breached: z.number().int() }),
      }),
    ),
    staff: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.string(),
        ...myRoutingShape,
        isStale: z.boolean().describe('available, but the console has not been heard from lately: not given work until it is'),
        profileVersion: z
          .number()
          .int()
          .describe("Counts the changes of their skills and capacity (never of presence); send it as the profile change's version to have it refused if they have changed since"),
        contacts: z.array(boardContact),
      }),
    ),
    waiting: z.array(boardContact),
    alerts: z.array(alertView),
  })
  .meta({ id: 'RoutingBoard' });

export const done = z.object({ ok: z.boolean() });

/** One kind of channel with its response targets (null: the queue's target applies). */
export const channelTargetsView = z
  .object({
    channel: z.enum(RESPONSE_CHANNELS),
    label: z.string(),
    firstResponseMinutes: z.number().int().nullable(),
    nextResponseMinutes: z.number().int().nullable(),
  })
  .meta({ id: 'ChannelTargets', description: "A kind of channel's response targets; each applies when tighter than the queue's" });

export const channelTargetsResponse = z.object({
  channels: z.array(channelTargetsView),
  version: z.number().int().describe("Counts the changes of the force's targets by channel, as a whole; send it back with a change to have it refused if they have changed since"),
});

const channelMinutes = z
  .number('must be a number of minutes')
  .int('must be whole minutes')
  .min(1, 'must be at least 1 minute')
  .max(60 * 24 * 30, 'must be 30 days (43,200 minutes) or less')
  .nullable();
const oneChannelTargets = z.strictObject({
  firstResponseMinutes: channelMinutes.meta({ title: 'First response target' }),
  nextResponseMinutes: channelMinutes.meta({ title: 'Next response target' }),
});
// Titles name each field in refusals as the admin screen does ("Web chat first response target must be whole minutes").
const forChannel = (title: string) => oneChannelTargets.optional().meta({ title });

/** The kinds of channel to change, each with both its targets (null: use the queue's). */
export const setChannelTargetsBody = z
  .strictObject({
    chat: forChannel('Web chat'),
    sms: forChannel('Text message'),
    social: forChannel('Social media'),
    email: forChannel('Email'),
    portal: forChannel('Online report'),
    voice: forChannel('Phone'),
    version: openedVersionField("targets'"),
  } satisfies Record<(typeof RESPONSE_CHANNELS)[number], z.ZodOptional<typeof oneChannelTargets>> & { version: unknown })
  .refine((body) => Object.keys(body).some((field) => field !== 'version'), 'say which channels to change');
