// The queue rules as the admin page edits them: an ordered list, changed in the page and saved
// whole (the server replaces the list), each rule's conditions in words. Pure: no React, no requests.
import type { FieldError } from '../../api/errors.ts';
import type { QueueRule, QueueRuleInput, QueueView } from '../../api/types.ts';
import { CHANNEL_LABELS, channelLabel } from '../../format.ts';
import { TRIAGE_CATEGORIES, categoryLabel, isTriageCategory } from '../../labels.ts';

type RuleCategory = NonNullable<QueueRuleInput['categories']>[number];
type RuleChannel = NonNullable<QueueRuleInput['channels']>[number];

export const RULE_PRIORITIES = [1, 2, 3, 4] as const;

/**
 * One rule as the page holds it: empty lists mean "any". `key` follows the rule through moves
 * (rules have no id: the list is replaced whole), so a moved rule keeps its focus.
 * `refusedBecause`: why a save would refuse the rule as it was stored (decision 0095); a rule
 * changed on the page has none, since the save checks the change.
 * Channels and categories are held as stored, including any this console does not know (kept
 * from an older server, or named by a newer one): dropping one would change the rule unseen.
 */
export type DraftRule = { key: string; queueId: string; channels: string[]; categories: string[]; priorities: number[]; refusedBecause: string | null };

let lastKey = 0;
/** A key no other rule on the page has. */
export const newRuleKey = () => `rule-${++lastKey}`;

/** The rules as read, in their order, as the page edits them. */
export function draftsOf(rules: readonly QueueRule[]): DraftRule[] {
  return [...rules]
    .sort((a, b) => a.position - b.position)
    .map((rule) => ({
      key: newRuleKey(),
      queueId: rule.queueId,
      channels: rule.channels ?? [],
      // Every stored category, known here or not: a rule for "self-harm and x" saved back as
      // "self-harm" alone would route differently without anyone choosing it.
      categories: rule.categories ?? [],
      priorities: rule.priorities ?? [],
      refusedBecause: rule.refusedBecause,
    }));
}

/** The rules as the replacement sends them: a condition left empty is left out (any). */
export function rulesToSend(drafts: readonly DraftRule[]): QueueRuleInput[] {
  return drafts.map(({ queueId, channels, categories, priorities }) => ({
    queueId,
    // Sent as held: a channel the server does not know (kept from an older rule) is refused by it,
    // by its rule, rather than dropped here, which would widen the rule without a word.
    ...(channels.length > 0 ? { channels: channels as RuleChannel[] } : {}),
    // Likewise a category: one the server knows (it is newer than this console) is kept; one it no longer knows is refused by its rule.
    ...(categories.length > 0 ? { categories: categories as RuleCategory[] } : {}),
    ...(priorities.length > 0 ? { priorities } : {}),
  }));
}

/** Whether two lists of rules route alike: the same rules, the same conditions, in the same order. */
export function isSameRules(a: readonly DraftRule[], b: readonly DraftRule[]): boolean {
  const sorted = (list: readonly (string | number)[]) => [...list].map(String).sort();
  const plain = (list: readonly DraftRule[]) =>
    JSON.stringify(list.map((r) => [r.queueId, sorted(r.channels), sorted(r.categories), sorted(r.priorities)]));
  return plain(a) === plain(b);
}

/** The list with the rule at `index` moved one place up (-1) or down (1); the same list when it cannot move. */
export function moveRule<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const moved = [...list];
  const [rule] = moved.splice(index, 1);
  if (rule !== undefined) moved.splice(to, 0, rule);
  return moved;
}

/** Every channel a rule can name: the console's known channels, then any a stored rule names that it does not know. */
export function channelChoices(drafts: readonly DraftRule[]): { key: string; label: string }[] {
  const known = Object.keys(CHANNEL_LABELS);
  const others = [...new Set(drafts.flatMap((r) => r.channels))].filter((c) => !known.includes(c)).sort();
  return [...known, ...others].map((key) => ({ key, label: channelLabel(key) }));
}

/** A category as a queue rule names it: one this console does not know says so, with its stored name, so it is not taken for a known one. */
export function ruleCategoryLabel(category: string): string {
  return isTriageCategory(category) ? categoryLabel(category) : `Unrecognised category: ${category}`;
}

/** Every category a rule can name: triage's, then any a stored rule names that this console does not know (to be seen, kept or unticked). */
export function categoryChoices(drafts: readonly DraftRule[]): { key: string; label: string }[] {
  const others = [...new Set(drafts.flatMap((r) => r.categories))].filter((c) => !isTriageCategory(c)).sort();
  return [...TRIAGE_CATEGORIES, ...others].map((key) => ({ key, label: ruleCategoryLabel(key) }));
}

/** A rule's conditions in words, each "Any …" when the rule does not name it; and the queue it sends to. */
export function ruleInWords(rule: Pick<DraftRule, 'queueId' | 'channels' | 'categories' | 'priorities'>, queues: readonly QueueView[]) {
  return {
    channels: rule.channels.length > 0 ? rule.channels.map((c) => channelLabel(c)).join(', ') : 'Any channel',
    categories: rule.categories.length > 0 ? rule.categories.map(ruleCategoryLabel).join(', ') : 'Any category',
    priorities: rule.priorities.length > 0 ? [...rule.priorities].sort().map((p) => `P${p}`).join(', ') : 'Any priority',
    queue: queues.find((q) => q.id === rule.queueId)?.name ?? 'A queue that no longer exists',
  };
}

/** The rules as they are now, one line each, for the panel shown when someone else changed them. */
export function rulesFacts(rules: readonly QueueRule[], queues: readonly QueueView[]): { term: string; value: string }[] {
  const drafts = draftsOf(rules);
  if (drafts.length === 0) return [{ term: 'Rules', value: 'None: every contact goes to the default queue' }];
  return drafts.map((rule, index) => {
    const words = ruleInWords(rule, queues);
    return { term: `Rule ${index + 1}`, value: `${words.channels}; ${words.categories}; ${words.priorities}: to ${words.queue}` };
  });
}

/** The place of the rule a refused field belongs to ("rules.2.queueId" → 2); null for the list as a whole. */
export function ruleIndexOf(path: string): number | null {
  const match = /^rules\.(\d+)(?:\.|$)/.exec(path);
  return match ? Number(match[1]) : null;
}

/** Each refused field put against its rule ("rules.2.channels.0" → "rules.2"), so the summary links to the rule and the rule shows it. */
export function byRule(fields: readonly FieldError[]): FieldError[] {
  return fields.map((field) => {
    const index = ruleIndexOf(field.path);
    return index === null ? field : { ...field, path: `rules.${index}` };
  });
}
