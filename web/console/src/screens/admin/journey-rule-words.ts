// Journey rules in plain words, for the force admin who keeps them and the supervisors and
// investigators who read them: what starts a rule, which victims it is for, what it sends, when,
// whether the Victims' Code requires it, and whether it is on.
import type { JourneyRule, JourneyRuleChoices } from '../../api/types.ts';

export const VICTIM_CATEGORY_LABELS: Record<JourneyRule['victimCategory'], string> = {
  all: 'All victims',
  standard: 'Victims without enhanced rights',
  enhanced: 'Victims with enhanced rights',
  domestic_abuse: 'Victims of domestic abuse',
};

function span(minutes: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  if (minutes % 60 === 0) return unit(minutes / 60, 'hour');
  return unit(minutes, 'minute');
}

/** When a rule's message goes, in words: "At once", "2 hours after", "1 day before the time it names". */
export function whenWords(rule: Pick<JourneyRule, 'delayMinutes' | 'delayFrom'>): string {
  const from = rule.delayFrom === 'at' ? 'the time it names' : 'the milestone';
  if (rule.delayMinutes === 0) return rule.delayFrom === 'at' ? 'At the time it names' : 'At once';
  return rule.delayMinutes > 0 ? `${span(rule.delayMinutes)} after ${from}` : `${span(-rule.delayMinutes)} before ${from}`;
}

/** One rule, each part in words a person reads without knowing the codes behind it. */
export type RuleInWords = {
  milestone: string;
  victims: string;
  /** Which cases: a crime type, outcomes of a closure, and whether it speaks only when no narrower rule did. */
  cases: string;
  message: string;
  when: string;
  kind: string;
  status: string;
};

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

/** A rule in words, the codes it names looked up in the force's lists (a code no longer listed is shown as it is). */
export function ruleInWords(rule: JourneyRule, choices: JourneyRuleChoices): RuleInWords {
  const milestone = choices.milestones.find((m) => m.milestone === rule.milestone)?.label ?? rule.milestone;
  const message = choices.templates.find((t) => t.key === rule.templateKey)?.purpose ?? rule.templateKey;
  const crimeType = rule.crimeType === null ? 'Any crime type' : `${choices.crimeTypes.find((t) => t.code === rule.crimeType)?.label ?? rule.crimeType} only`;
  const outcomeWords = (code: string) => {
    const label = choices.outcomes.find((o) => o.code === code)?.label;
    return label ? `${code} (${label})` : code;
  };
  const outcomes = rule.outcomeCodes === null ? null : `closed with outcome ${listWords(rule.outcomeCodes.map(outcomeWords))}`;
  const parts = [crimeType, ...(outcomes ? [outcomes] : []), ...(rule.fallback ? ['only when no rule for a crime type or outcome matched'] : [])];
  return {
    milestone,
    victims: VICTIM_CATEGORY_LABELS[rule.victimCategory],
    cases: parts.join(', '),
    message,
    when: whenWords(rule),
    kind: rule.statutory ? "Victims' Code update: sent even to victims who opted out of other updates" : 'Courtesy update: not sent to victims who opted out of updates',
    status: rule.active ? 'On' : 'Off: sends nothing',
  };
}
