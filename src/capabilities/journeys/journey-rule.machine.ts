import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine } from '../../platform/state-machine.ts';

/**
 * A journey rule's state machine. Pure. A force admin adds a rule (active), changes it whether it is
 * on or off, switches it off and on again; a rule is never deleted, because the decisions and
 * messages it queued name it (`journey_sends.rule_id`, and sending a failed message again reads
 * whether its rule was statutory). Each move appends exactly one event type. The force's order of
 * rules is one list, changed as a whole (`journey_rules.reordered`), not a move of one rule.
 */

export const JOURNEY_RULE_STATUSES = ['active', 'inactive'] as const;
export type JourneyRuleStatus = (typeof JOURNEY_RULE_STATUSES)[number];

/** Each move, the states it may start from (`new`: none yet), where it leads, and its one event. */
export const JOURNEY_RULE_MOVES = {
  add: { from: ['new'], to: 'active', event: 'journey_rule.added' },
  change: { from: ['active', 'inactive'], to: 'same', event: 'journey_rule.changed' },
  switch_off: { from: ['active'], to: 'inactive', event: 'journey_rule.switched_off' },
  switch_on: { from: ['inactive'], to: 'active', event: 'journey_rule.switched_on' },
} as const satisfies Record<string, { from: readonly (JourneyRuleStatus | 'new')[]; to: JourneyRuleStatus | 'same'; event: `journey_rule.${string}` }>;

export type JourneyRuleMove = keyof typeof JOURNEY_RULE_MOVES;

/** The machine as the house test reads it. */
export const MACHINE = describeMachine({
  states: ['new', ...JOURNEY_RULE_STATUSES],
  initial: ['new'],
  moves: Object.fromEntries(Object.entries(JOURNEY_RULE_MOVES).map(([name, spec]) => [name, { from: spec.from, to: spec.to === 'same' ? 'same' : [spec.to], event: spec.event }])),
  owns: ['journey_rule.'],
  otherEvents: {},
});

/** Why a move was refused, stable for code and tests. */
export type JourneyRuleRefusal = 'wrong_status';

/** A move the machine refuses: a 409 `conflict` whose message says why. */
export class JourneyRuleMoveRefused extends MoveRefused<JourneyRuleRefusal> {
  override name = 'JourneyRuleMoveRefused';
}

const REFUSALS: Record<JourneyRuleMove, string> = {
  add: 'This rule exists already.',
  change: 'This rule does not exist yet.',
  switch_off: 'This rule is already switched off.',
  switch_on: 'This rule is already switched on.',
};

/** The status a rule row stands in. */
export function journeyRuleStatus(row: { active: boolean }): JourneyRuleStatus {
  return row.active ? 'active' : 'inactive';
}

/** Applies one move to a rule in `status` (`new` before it exists): the status it leads to and its event, or throws the refusal. */
export function moveJourneyRule<M extends JourneyRuleMove>(
  status: JourneyRuleStatus | 'new',
  move: M,
): { to: JourneyRuleStatus; event: (typeof JOURNEY_RULE_MOVES)[M]['event'] } {
  const spec = JOURNEY_RULE_MOVES[move];
  if (!(spec.from as readonly string[]).includes(status)) throw new JourneyRuleMoveRefused('wrong_status', REFUSALS[move]);
  const to = spec.to === 'same' ? status : spec.to;
  if (to === 'new') throw new JourneyRuleMoveRefused('wrong_status', REFUSALS[move]);
  return { to, event: spec.event };
}
