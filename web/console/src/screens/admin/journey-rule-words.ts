// Journey rules in a force admin's words: who a rule is for and when its message goes.
import type { JourneyRule } from '../../api/types.ts';

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
