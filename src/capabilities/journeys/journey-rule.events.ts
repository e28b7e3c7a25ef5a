import { z } from 'zod';
import { defineEvent, recordChanged, type Happened, type PushedLiveMessage } from '../../platform/events/catalogue.ts';

// Journey rules' entries in the event catalogue: each change a force admin makes, with the rule as
// it was and as it is, so the force's log says who changed which message's timing and how.

/** A rule as the log keeps it: everything that decides what a victim is sent and when. */
const ruleShape = z.object({
  milestone: z.string(),
  crimeType: z.string().nullable(),
  victimCategory: z.string(),
  outcomeCodes: z.array(z.string()).nullable(),
  templateKey: z.string(),
  delayMinutes: z.number().int(),
  delayFrom: z.string(),
  statutory: z.boolean(),
  fallback: z.boolean(),
  active: z.boolean(),
});

/** Every change tells the consoles showing the rules to read them again (one message per transaction). */
const rulesChanged = (): PushedLiveMessage[] => [{ type: 'journey_rules.changed' }];

/** A change to one rule also tells a form open on that rule who changed it. */
const ruleChanged = (e: Happened<string, unknown>): PushedLiveMessage[] => [...rulesChanged(), recordChanged('journey_rule', e.actor, e.subject.id)];

/** A force admin added a journey rule; it applies to milestones whose journey runs from now on. */
export const journeyRuleAdded = defineEvent({ type: 'journey_rule.added', subject: 'journey_rule', data: { after: ruleShape, position: z.number().int() }, live: rulesChanged });

/** A force admin changed a rule; messages it already queued are not rewritten. */
export const journeyRuleChanged = defineEvent({ type: 'journey_rule.changed', subject: 'journey_rule', data: { before: ruleShape, after: ruleShape }, live: ruleChanged });

/** A force admin switched a rule off: later milestones send nothing for it. */
export const journeyRuleSwitchedOff = defineEvent({ type: 'journey_rule.switched_off', subject: 'journey_rule', data: { before: ruleShape, after: ruleShape }, live: ruleChanged });

/** A force admin switched a rule back on. */
export const journeyRuleSwitchedOn = defineEvent({ type: 'journey_rule.switched_on', subject: 'journey_rule', data: { before: ruleShape, after: ruleShape }, live: ruleChanged });

/** A force admin put the force's rules in a new order (the rule ids, first to last). */
export const journeyRulesReordered = defineEvent({
  type: 'journey_rules.reordered',
  subject: 'force',
  data: { before: z.array(z.string()), after: z.array(z.string()) },
  live: rulesChanged,
});

/** Journey rules' entries, for the catalogue. */
export const JOURNEY_RULE_EVENTS = [journeyRuleAdded, journeyRuleChanged, journeyRuleSwitchedOff, journeyRuleSwitchedOn, journeyRulesReordered] as const;
