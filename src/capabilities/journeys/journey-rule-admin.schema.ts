import { z } from 'zod';
import { openedVersionField } from '../../platform/http/request-fields.ts';
import { CASE_MOVE_EVENTS } from '../cases/case.machine.ts';
import { portalCaseReplySent } from '../victim-portal/victim-portal.events.ts';
import { VICTIM_CATEGORIES } from './journey-rules.schema.ts';

// Journey rules as a force admin reads and changes them: the milestones a rule may answer, the
// bounds of its delay, and the request and answer shapes.

/** Every milestone the cases room records (one per move of the case's machine) and the officer's reply on the portal. */
export const JOURNEY_MILESTONES = [...Object.values(CASE_MOVE_EVENTS), portalCaseReplySent.type] as const;
export type JourneyMilestone = (typeof JOURNEY_MILESTONES)[number];

/** Each milestone in a force admin's words. */
export const MILESTONE_LABELS: Record<JourneyMilestone, string> = {
  'case.created': 'Case recorded',
  'case.allocated': 'Case allocated',
  'case.investigation_started': 'Investigation started',
  'case.suspect_identified': 'Suspect identified',
  'case.suspect_arrested': 'Suspect arrested',
  'case.suspect_interviewed': 'Suspect interviewed',
  'case.released_under_investigation': 'Released under investigation',
  'case.bailed': 'Suspect bailed',
  'case.charged': 'Suspect charged',
  'case.out_of_court_disposal': 'Out-of-court disposal',
  'case.court_date_set': 'Court date set',
  'case.court_result': 'Court result',
  'case.property_returned': 'Property returned',
  'case.appointment_made': 'Appointment made',
  'case.appointment_changed': 'Appointment changed',
  'case.appointment_cancelled': 'Appointment cancelled',
  'case.closed': 'Case closed',
  'case.reopened': 'Case reopened',
  'portal.case_reply_sent': 'Officer replied on the portal',
};

/**
 * Milestones that name a time of their own (an appointment, a hearing): only these can have a
 * rule whose delay counts from that time (`delayFrom: 'at'`), a reminder before it. The cases room
 * refuses these milestones without their time.
 */
export const MILESTONES_NAMING_A_TIME: ReadonlySet<string> = new Set(['case.appointment_made', 'case.appointment_changed', 'case.court_date_set']);

/** Only a closure carries a Home Office outcome, so only a closing rule may name outcomes. */
export const MILESTONES_WITH_AN_OUTCOME: ReadonlySet<string> = new Set(['case.closed']);

const DAY = 24 * 60;
/** A message waits at most this long after its milestone: later than a quarter of a year is no update. */
export const MAX_DELAY_MINUTES = 90 * DAY;
/** A reminder goes at most this long before the time it reminds of. */
export const MIN_DELAY_MINUTES = -30 * DAY;

export function isJourneyMilestone(value: string): value is JourneyMilestone {
  return (JOURNEY_MILESTONES as readonly string[]).includes(value);
}

const ruleFields = {
  milestone: z.string().trim().min(1, 'must be given').max(80).meta({ title: 'Milestone' }),
  templateKey: z.string().trim().min(1, 'must be given').max(80).meta({ title: 'Message' }),
  crimeType: z.string().trim().min(1, 'must be a crime type code, or null for any').max(40).nullable().meta({ title: 'Crime type' }),
  victimCategory: z.enum(VICTIM_CATEGORIES, 'must be all, standard, enhanced or domestic_abuse').meta({ title: 'Victims' }),
  outcomeCodes: z
    .array(z.string().trim().min(1).max(10), 'must be a list of outcome codes, or null for any')
    .min(1, 'must name at least one outcome, or be null for any')
    .max(30)
    .nullable()
    .meta({ title: 'Outcomes' }),
  delayMinutes: z
    .number('must be a whole number of minutes')
    .int('must be a whole number of minutes')
    .min(MIN_DELAY_MINUTES, 'must be no more than 30 days before')
    .max(MAX_DELAY_MINUTES, 'must be no more than 90 days after')
    .meta({ title: 'Delay' }),
  delayFrom: z.enum(['milestone', 'at'], 'must be milestone or at').meta({ title: 'Counted from' }),
  statutory: z.boolean('must be true or false').meta({ title: "Victims' Code update" }),
  fallback: z.boolean('must be true or false').meta({ title: 'Fallback' }),
};

/** The version of the rule the admin's change was made from (decision 0079). */
const openedVersion = openedVersionField("rule's");

/** A new rule: what it answers and what it sends; the rest as most rules have it. */
export const journeyRuleInput = z.strictObject({
  milestone: ruleFields.milestone,
  templateKey: ruleFields.templateKey,
  crimeType: ruleFields.crimeType.default(null),
  victimCategory: ruleFields.victimCategory.default('all'),
  outcomeCodes: ruleFields.outcomeCodes.default(null),
  delayMinutes: ruleFields.delayMinutes.default(0),
  delayFrom: ruleFields.delayFrom.default('milestone'),
  statutory: ruleFields.statutory.default(false),
  fallback: ruleFields.fallback.default(false),
});
export type JourneyRuleInput = z.output<typeof journeyRuleInput>;

/** A change to a rule: only the fields given change. */
export const journeyRuleChange = z
  .strictObject({
    milestone: ruleFields.milestone.optional(),
    templateKey: ruleFields.templateKey.optional(),
    crimeType: ruleFields.crimeType.optional(),
    victimCategory: ruleFields.victimCategory.optional(),
    outcomeCodes: ruleFields.outcomeCodes.optional(),
    delayMinutes: ruleFields.delayMinutes.optional(),
    delayFrom: ruleFields.delayFrom.optional(),
    statutory: ruleFields.statutory.optional(),
    fallback: ruleFields.fallback.optional(),
    version: openedVersion,
  })
  .refine((change) => Object.keys(change).some((field) => field !== 'version'), 'must change at least one field');
export type JourneyRuleChange = z.output<typeof journeyRuleChange>;

export const journeyRuleView = z
  .object({
    id: z.string(),
    milestone: z.string(),
    templateKey: z.string(),
    crimeType: z.string().nullable(),
    victimCategory: z.enum(VICTIM_CATEGORIES),
    outcomeCodes: z.array(z.string()).nullable(),
    delayMinutes: z.number().int(),
    delayFrom: z.enum(['milestone', 'at']),
    statutory: z.boolean(),
    fallback: z.boolean(),
    active: z.boolean(),
    position: z.number().int(),
    version: z.number().int().describe('Counts the changes and switches off and on of the rule (not its place in the order); send it back with a change or switch to have it refused if the rule has changed since'),
  })
  .meta({ id: 'JourneyRule' });
export type JourneyRuleView = z.output<typeof journeyRuleView>;

/** What a rule may name: the milestones, the force's messages, crime types and outcomes. */
export const journeyRuleChoices = z
  .object({
    milestones: z.array(z.object({ milestone: z.string(), label: z.string(), namesATime: z.boolean(), hasOutcome: z.boolean() })),
    templates: z.array(z.object({ key: z.string(), purpose: z.string() })),
    crimeTypes: z.array(z.object({ code: z.string(), label: z.string() })),
    outcomes: z.array(z.object({ code: z.string(), label: z.string() })),
  })
  .meta({ id: 'JourneyRuleChoices' });

/** The version of the force's order of rules as a whole (decision 0090). */
const orderVersion = z
  .number()
  .int()
  .describe("Counts the changes of the order of the force's rules (a new order, a rule added last); send it back with a new order to have it refused if the order has changed since");

export const journeyRulesResponse = z.object({ rules: z.array(journeyRuleView), orderVersion, choices: journeyRuleChoices });

/** A changed rule, and what the admin should know about the change (a Victims' Code update changed). */
export const journeyRuleResponse = z.object({ rule: journeyRuleView, warnings: z.array(z.string()) });

export const journeyRuleActiveInput = z.strictObject({
  active: z.boolean('must be true or false').meta({ title: 'Switched on' }),
  withdrawQueued: z
    .boolean('must be true or false')
    .optional()
    .describe('When switching off: withdraw the messages the rule queued that have not gone yet (true unless false is given; decision 0074). Ignored when switching on')
    .meta({ title: 'Withdraw its waiting messages' }),
  version: openedVersion,
});

export const journeyRuleSwitchResponse = journeyRuleResponse.extend({
  withdrawn: z.number().int().describe('How many messages the rule had queued, not yet gone, were withdrawn'),
});

export const journeyRuleOrderInput = z.strictObject({
  ruleIds: z.array(z.uuid('must be a rule id'), 'must be the list of rule ids').min(1, 'must list every rule').max(1000).meta({ title: 'Order' }),
  version: openedVersionField("order's"),
});

/** The force's rules in their new order, and the order's version now. */
export const journeyRuleOrderResponse = z.object({ rules: z.array(journeyRuleView), orderVersion });
