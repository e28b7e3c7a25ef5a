// What a change to a journey rule sends, and what the form becomes when the rule was changed by
// someone else after the admin opened it (decision 0079). Pure: no React, no requests.
import type { JourneyRule, JourneyRuleChoices, JourneyRuleInput } from '../../api/types.ts';
import { VICTIM_CATEGORY_LABELS } from './journey-rule-words.ts';
import { isSameValue, rebaseChange, type Clash } from '../../changed-since-opened.ts';

/** The fields of a rule the form changes, in the form's order. */
export const RULE_FIELDS = ['milestone', 'templateKey', 'victimCategory', 'crimeType', 'outcomeCodes', 'delayMinutes', 'delayFrom', 'statutory', 'fallback'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** What the form calls each field. */
export const RULE_FIELD_LABELS: Record<RuleField, string> = {
  milestone: 'When this happens',
  templateKey: 'Send this message',
  victimCategory: 'To these victims',
  crimeType: 'Crime type',
  outcomeCodes: 'Outcome codes',
  delayMinutes: 'Delay in minutes',
  delayFrom: 'Count the delay from',
  statutory: "Victims' Code update",
  fallback: 'Only when no rule for a crime type or outcome matched',
};

type RuleValues = Pick<JourneyRule, RuleField>;

/**
 * The fields of `wanted` that differ from the rule as the admin opened it: a change sends only
 * these, so another admin's change to a field this admin left alone is not put back.
 */
export function changedRuleFields(opened: RuleValues, wanted: JourneyRuleInput): Partial<JourneyRuleInput> {
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(wanted) as [keyof JourneyRuleInput, unknown][]) {
    if (!isSameValue(opened[field], value)) changed[field] = value;
  }
  return changed;
}

/** A field both admins changed, to different values: the admin decides which stands. */
export type RuleClash = Clash<RuleField>;

/**
 * The form after the rule was changed by someone else since it was opened: each field this admin
 * left alone takes the rule as it is now; each they changed keeps what they typed (`rebaseChange`).
 */
export function rebaseRuleChange(opened: RuleValues, wanted: JourneyRuleInput, current: RuleValues): { form: RuleValues; clashes: RuleClash[] } {
  return rebaseChange(RULE_FIELDS, opened, wanted, current);
}

/** A value no list names, as it is. */
const asText = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value));

/** One field's value in the words the form shows it in. */
export function ruleValueWords(field: RuleField, value: unknown, choices: JourneyRuleChoices): string {
  switch (field) {
    case 'milestone':
      return choices.milestones.find((m) => m.milestone === value)?.label ?? asText(value);
    case 'templateKey':
      return choices.templates.find((t) => t.key === value)?.purpose ?? asText(value);
    case 'victimCategory':
      return Object.entries(VICTIM_CATEGORY_LABELS).find(([category]) => category === value)?.[1] ?? asText(value);
    case 'crimeType':
      return value === null ? 'Any crime type' : (choices.crimeTypes.find((t) => t.code === value)?.label ?? asText(value));
    case 'outcomeCodes':
      return Array.isArray(value) ? value.join(', ') : 'Any outcome';
    case 'delayMinutes':
      return `${asText(value)} minutes`;
    case 'delayFrom':
      return value === 'at' ? 'The time it names (the appointment or hearing)' : 'When it is recorded';
    case 'statutory':
    case 'fallback':
      return value === true ? 'Yes' : 'No';
  }
}

/** A clash as a sentence naming the field: what the rule has now and that the form keeps this admin's value. */
export function clashSentence(clash: RuleClash, choices: JourneyRuleChoices): string {
  const label = RULE_FIELD_LABELS[clash.field];
  return `${label} is now “${ruleValueWords(clash.field, clash.theirs, choices)}”; the form keeps yours, “${ruleValueWords(clash.field, clash.yours, choices)}”. Save again to put yours over it, or change it.`;
}
