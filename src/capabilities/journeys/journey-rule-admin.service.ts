import type { Selectable } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound, type FieldIssue } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { findLastChange, requireOpenedVersion } from '../../platform/events/changed-since-opened.ts';
import { countListChange, readListVersion, requireListVersion, type CountedListWords } from '../../platform/events/list-versions.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { journeyRuleAdded, journeyRuleChanged, journeyRuleSwitchedOff, journeyRuleSwitchedOn, journeyRulesReordered } from './journey-rule.events.ts';
import { journeyRuleStatus, moveJourneyRule } from './journey-rule.machine.ts';
import {
  JOURNEY_MILESTONES,
  MILESTONES_NAMING_A_TIME,
  MILESTONES_WITH_AN_OUTCOME,
  MILESTONE_LABELS,
  isJourneyMilestone,
  type JourneyRuleChange,
  type JourneyRuleInput,
  type JourneyRuleView,
} from './journey-rule-admin.schema.ts';
import {
  findAllJourneyRules,
  findCaseLists,
  findKeysQueuedByRule,
  findTemplateKeys,
  insertJourneyRule,
  lockJourneyRules,
  nextJourneyRulePosition,
  setJourneyRuleOrder,
  updateJourneyRule,
} from './journey-rule-admin.repository.ts';
import { JOURNEY_MESSAGES } from './journey-messages.schema.ts';
import { listUnsentKeys, withdrawQueuedMessages } from '../outbox/outbox-withdraw.service.ts';
import { isSameSend } from './journey-rules.schema.ts';

// Force admins read and change the force's journey rules (decision 0072). A change applies to the
// milestones whose journey runs after it; messages already queued keep what they were queued with.
// A rule is switched off, never deleted: its decisions and messages name it. Two rules that
// send the same message to the same victims at the same time are never both on (decision 0075).

type RuleRow = Selectable<Tables['journey_rules']>;
type Actor = { staffId: StaffId };
type Lists = { templateKeys: ReadonlySet<string>; crimeTypes: ReadonlySet<string>; outcomes: ReadonlySet<string> };

/** What a rule decides, as the form and the log see it. */
type RuleFields = Omit<JourneyRuleView, 'id' | 'active' | 'position' | 'version'>;

const PURPOSES = new Map(JOURNEY_MESSAGES.map((message) => [message.key, message.purpose]));

function viewOf(row: RuleRow): JourneyRuleView {
  return {
    id: row.id,
    milestone: row.milestone,
    templateKey: row.template_key,
    crimeType: row.crime_type,
    victimCategory: row.victim_category,
    outcomeCodes: row.outcome_codes,
    delayMinutes: row.delay_minutes,
    delayFrom: row.delay_from,
    statutory: row.statutory,
    fallback: row.fallback,
    active: row.active,
    position: row.position,
    version: row.version,
  };
}

/** The rule as the log keeps it, before or after a change. */
function logged(view: JourneyRuleView) {
  const { id: _id, position: _position, version: _version, ...fields } = view;
  return fields;
}

async function readLists(tx: Tx, forceId: ForceId) {
  // Only journey messages: a rule that sent a reply or a check-my-report code would send it empty.
  const keys = (await findTemplateKeys(tx, forceId)).filter((key) => PURPOSES.has(key));
  const shown = await findCaseLists(tx, forceId);
  const known: Lists = {
    templateKeys: new Set(keys),
    crimeTypes: new Set(shown.crimeTypes.map((t) => t.code)),
    outcomes: new Set(shown.outcomes.map((o) => o.code)),
  };
  return { keys, shown, known };
}

/**
 * What is wrong with a rule against what exists, field by field, naming the value refused: a
 * milestone the cases room does not record, a message the force does not have, an unknown crime
 * type or outcome, outcomes on a milestone that has none, a delay counted from a time the milestone
 * does not name, or a reminder before a milestone that has already happened.
 */
export function checkJourneyRule(rule: RuleFields, lists: Lists): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isJourneyMilestone(rule.milestone)) {
    issues.push({ path: 'body.milestone', message: `is not a milestone a case records (${rule.milestone}); it must be one of ${JOURNEY_MILESTONES.join(', ')}` });
  }
  if (!lists.templateKeys.has(rule.templateKey)) issues.push({ path: 'body.templateKey', message: `is not one of the force's journey messages (${rule.templateKey})` });
  if (rule.crimeType !== null && !lists.crimeTypes.has(rule.crimeType)) issues.push({ path: 'body.crimeType', message: `is not one of the force's crime types (${rule.crimeType})` });
  if (rule.outcomeCodes !== null) {
    const unknown = rule.outcomeCodes.filter((code) => !lists.outcomes.has(code));
    if (unknown.length > 0) issues.push({ path: 'body.outcomeCodes', message: `names outcomes the force does not have (${unknown.join(', ')})` });
    else if (!MILESTONES_WITH_AN_OUTCOME.has(rule.milestone)) issues.push({ path: 'body.outcomeCodes', message: `can be given only for a case closed: ${rule.milestone} has no outcome` });
  }
  if (rule.delayFrom === 'at' && !MILESTONES_NAMING_A_TIME.has(rule.milestone)) {
    issues.push({ path: 'body.delayFrom', message: `can be at only for a milestone that names a time (an appointment or a court date), not ${rule.milestone}` });
  }
  if (rule.delayFrom === 'milestone' && rule.delayMinutes < 0) issues.push({ path: 'body.delayMinutes', message: 'cannot be before the milestone: a message cannot go before what it tells of' });
  return issues;
}

function requireValid(rule: RuleFields, lists: Lists): void {
  const issues = checkJourneyRule(rule, lists);
  if (issues.length > 0) throw new AppError('validation_failed', 'journey rule', { fields: issues });
}

const STATUTORY_WARNING =
  "This is a Victims' Code update: the Code says what victims must be told and by when, so check the force still meets it.";

/**
 * Refuses to take the last active Victims' Code update of a milestone away (switched off, made
 * courtesy, or moved to another milestone): a victim would no longer be told what the Code
 * requires. Add the replacement first, then switch this one off (decision 0072).
 */
function requireNotLastStatutory(rules: readonly RuleRow[], before: RuleRow, after: { active: boolean; statutory: boolean; milestone: string }): void {
  if (!before.active || !before.statutory) return;
  if (after.active && after.statutory && after.milestone === before.milestone) return;
  const others = rules.filter((r) => r.id !== before.id && r.milestone === before.milestone && r.statutory && r.active);
  if (others.length > 0) return;
  const label = isJourneyMilestone(before.milestone) ? MILESTONE_LABELS[before.milestone] : before.milestone;
  throw conflict(`This is the only Victims' Code update left for “${label}”: add the rule that replaces it before taking this one away.`);
}

const NOTHING_DONE = {
  change: 'Nothing was saved.',
  switch_on: 'It was not switched on.',
  switch_off: 'It was not switched off, and nothing it queued was withdrawn.',
} as const;

/**
 * Refuses a change or switch made from a version of the rule that is no longer its version: another
 * admin (or this one, in another window) has changed or switched it since, and applying this would
 * silently replace what they did. No version: no check (decision 0079).
 */
function requireRuleVersion(tx: Tx, forceId: ForceId, actor: Actor, row: RuleRow, opened: number | undefined, move: 'change' | 'switch_on' | 'switch_off'): Promise<void> {
  return requireOpenedVersion({
    opened,
    current: row.version,
    what: 'This rule',
    since: move === 'change' ? 'after you opened it' : 'after your page showed it',
    nothingDone: NOTHING_DONE[move],
    checkWhat: 'the rule',
    actorStaffId: actor.staffId,
    readLastChange: () => findLastChange(tx, forceId, { type: 'journey_rule', id: row.id }),
  });
}

/** The force's order, as the page lists it: by position, then when made, then id. */
function inOrder(a: RuleRow, b: RuleRow): number {
  return a.position - b.position || a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Refuses a rule that would be on beside another switched-on rule sending the same message to
 * the same victims at the same time (`isSameSend`): a victim would be sent it twice. The answer
 * names the other rule by its place in the order and its words, as the page lists it (decision 0075).
 */
function requireNoTwin(rules: readonly RuleRow[], rule: RuleFields, exceptId: string | null): void {
  const twin = rules.find((r) => r.id !== exceptId && r.active && isSameSend(viewOf(r), rule));
  if (!twin) return;
  const place = [...rules].sort(inOrder).findIndex((r) => r.id === twin.id) + 1;
  const label = isJourneyMilestone(twin.milestone) ? MILESTONE_LABELS[twin.milestone] : twin.milestone;
  const purpose = PURPOSES.get(twin.template_key) ?? twin.template_key;
  throw conflict(
    `Rule ${place} (“${label}: ${purpose}”) is on and already sends this message to the same victims at the same time: a victim would get it twice. Change that rule instead, or switch it off first.`,
  );
}

// The order is the force's list, counted as a whole (decision 0090): reordering it and adding a
// rule (which takes the last place) change it; a rule's change or switch does not.
const ORDER: CountedListWords = {
  what: 'The order of the journey rules',
  checkWhat: 'the order',
  changedBy: [
    { type: 'force', eventTypes: [journeyRulesReordered.type] },
    { type: 'journey_rule', eventTypes: [journeyRuleAdded.type] },
  ],
};

/** The force's rules in order, on and off, the order's version, and what a rule may name. */
export async function listJourneyRules(deps: ServiceDeps, forceId: ForceId) {
  return withForce(deps.db, forceId, async (tx) => {
    const rules = (await findAllJourneyRules(tx, forceId)).map(viewOf);
    const lists = await readLists(tx, forceId);
    return {
      rules,
      orderVersion: await readListVersion(tx, forceId, 'journey_rule_order'),
      choices: {
        milestones: JOURNEY_MILESTONES.map((milestone) => ({
          milestone,
          label: MILESTONE_LABELS[milestone],
          namesATime: MILESTONES_NAMING_A_TIME.has(milestone),
          hasOutcome: MILESTONES_WITH_AN_OUTCOME.has(milestone),
        })),
        templates: lists.keys.map((key) => ({ key, purpose: PURPOSES.get(key) ?? key })),
        crimeTypes: lists.shown.crimeTypes,
        outcomes: lists.shown.outcomes,
      },
    };
  });
}

/** A force admin adds a rule, switched on and last in the force's order. */
export async function addJourneyRule(deps: ServiceDeps, forceId: ForceId, actor: Actor, input: JourneyRuleInput): Promise<{ rule: JourneyRuleView; warnings: string[] }> {
  return withForce(deps.db, forceId, async (tx) => {
    requireValid(input, (await readLists(tx, forceId)).known);
    moveJourneyRule('new', 'add');
    requireNoTwin(await lockJourneyRules(tx, forceId), input, null);
    const position = await nextJourneyRulePosition(tx, forceId);
    const row = await insertJourneyRule(tx, {
      id: newId(),
      force_id: forceId,
      milestone: input.milestone,
      crime_type: input.crimeType,
      victim_category: input.victimCategory,
      outcome_codes: input.outcomeCodes,
      template_key: input.templateKey,
      delay_minutes: input.delayMinutes,
      delay_from: input.delayFrom,
      statutory: input.statutory,
      fallback: input.fallback,
      active: true,
      position,
      created_at: deps.clock.now(),
    });
    const rule = viewOf(row);
    record(tx, forceId, deps.clock, journeyRuleAdded.of({ actor: { type: 'staff', id: actor.staffId }, subjectId: rule.id, data: { after: logged(rule), position } }));
    await countListChange(tx, forceId, 'journey_rule_order');
    return { rule, warnings: [] };
  });
}

/** A force admin changes a rule, on or off; the fields not given stay as they are. */
export async function changeJourneyRule(
  deps: ServiceDeps,
  forceId: ForceId,
  actor: Actor,
  ruleId: string,
  change: JourneyRuleChange,
): Promise<{ rule: JourneyRuleView; warnings: string[] }> {
  return withForce(deps.db, forceId, async (tx) => {
    const rules = await lockJourneyRules(tx, forceId);
    const row = rules.find((r) => r.id === ruleId);
    if (!row) throw notFound('journey rule');
    await requireRuleVersion(tx, forceId, actor, row, change.version, 'change');
    moveJourneyRule(journeyRuleStatus(row), 'change');
    const before = viewOf(row);
    const after = changed(before, change);
    requireValid(after, (await readLists(tx, forceId)).known);
    requireNotLastStatutory(rules, row, after);
    if (row.active) requireNoTwin(rules, after, row.id);
    const updated = viewOf(
      await updateJourneyRule(tx, forceId, ruleId, {
        milestone: after.milestone,
        crime_type: after.crimeType,
        victim_category: after.victimCategory,
        outcome_codes: after.outcomeCodes,
        template_key: after.templateKey,
        delay_minutes: after.delayMinutes,
        delay_from: after.delayFrom,
        statutory: after.statutory,
        fallback: after.fallback,
      }),
    );
    record(tx, forceId, deps.clock, journeyRuleChanged.of({ actor: { type: 'staff', id: actor.staffId }, subjectId: ruleId, data: { before: logged(before), after: logged(updated) } }));
    const warnings = before.statutory ? [STATUTORY_WARNING] : [];
    if (before.statutory && !updated.statutory) warnings.push('Victims who chose to hear only the updates the Code requires will no longer get this message.');
    return { rule: updated, warnings };
  });
}

/**
 * A force admin switches a rule off (later milestones send nothing for it) or on again. Switching
 * off also withdraws the messages the rule queued that have not gone (a delay, a victim's safe
 * time), unless the admin says to let them go (decision 0074); `withdrawn` counts them.
 */
export async function setJourneyRuleActive(
  deps: ServiceDeps,
  forceId: ForceId,
  actor: Actor,
  ruleId: string,
  change: { active: boolean; withdrawQueued?: boolean | undefined; version?: number | undefined },
): Promise<{ rule: JourneyRuleView; warnings: string[]; withdrawn: number }> {
  const { active } = change;
  return withForce(deps.db, forceId, async (tx) => {
    const rules = await lockJourneyRules(tx, forceId);
    const row = rules.find((r) => r.id === ruleId);
    if (!row) throw notFound('journey rule');
    await requireRuleVersion(tx, forceId, actor, row, change.version, active ? 'switch_on' : 'switch_off');
    moveJourneyRule(journeyRuleStatus(row), active ? 'switch_on' : 'switch_off');
    if (!active) {
      requireNotLastStatutory(rules, row, { active: false, statutory: row.statutory, milestone: row.milestone });
      // A rule switched on again is checked as it is now: its message or crime type may have gone since.
    } else {
      requireValid(viewOf(row), (await readLists(tx, forceId)).known);
      requireNoTwin(rules, viewOf(row), row.id);
    }
    const before = viewOf(row);
    const updated = viewOf(await updateJourneyRule(tx, forceId, ruleId, { active }));
    const data = { before: logged(before), after: logged(updated) };
    const actorRef = { type: 'staff' as const, id: actor.staffId };
    record(tx, forceId, deps.clock, active ? journeyRuleSwitchedOn.of({ actor: actorRef, subjectId: ruleId, data }) : journeyRuleSwitchedOff.of({ actor: actorRef, subjectId: ruleId, data }));
    let withdrawn = 0;
    if (!active && change.withdrawQueued !== false) {
      const keys = await findKeysQueuedByRule(tx, forceId, ruleId, await listUnsentKeys(tx, forceId, 'journey:'));
      const milestone = isJourneyMilestone(before.milestone) ? MILESTONE_LABELS[before.milestone] : before.milestone;
      const reason = `The journey rule that queued it (${milestone}: ${before.templateKey}) was switched off.`;
      withdrawn = await withdrawQueuedMessages(tx, forceId, deps.clock, actorRef, { keys }, reason);
    }
    return { rule: updated, warnings: !active && before.statutory ? [STATUTORY_WARNING] : [], withdrawn };
  });
}

/**
 * A force admin puts every rule of the force in a new order (the list must name each rule once),
 * from the order's version they read, when given: an order changed since is refused (409), not
 * undone (decision 0090). The order decides the order of a milestone's messages; it is recorded
 * once, as a whole, and only when it changes.
 */
export async function reorderJourneyRules(
  deps: ServiceDeps,
  forceId: ForceId,
  actor: Actor,
  order: { ruleIds: readonly string[]; version?: number | undefined },
): Promise<{ rules: JourneyRuleView[]; orderVersion: number }> {
  const { ruleIds } = order;
  return withForce(deps.db, forceId, async (tx) => {
    await lockJourneyRules(tx, forceId);
    await requireListVersion(tx, forceId, 'journey_rule_order', order.version, actor.staffId, ORDER);
    const current = await findAllJourneyRules(tx, forceId);
    const known = new Set(current.map((r) => r.id));
    const unknown = ruleIds.filter((id) => !known.has(id));
    const repeated = ruleIds.filter((id, i) => ruleIds.indexOf(id) !== i);
    const missing = current.filter((r) => !ruleIds.includes(r.id));
    const issues: FieldIssue[] = [];
    if (unknown.length > 0) issues.push({ path: 'body.ruleIds', message: `names rules the force does not have (${unknown.join(', ')})` });
    if (repeated.length > 0) issues.push({ path: 'body.ruleIds', message: `names a rule more than once (${[...new Set(repeated)].join(', ')})` });
    if (missing.length > 0) issues.push({ path: 'body.ruleIds', message: `must name every rule of the force; it leaves out ${missing.map(ruleNamed).join(', ')}` });
    if (issues.length > 0) throw new AppError('validation_failed', 'journey rule order', { fields: issues });
    const before = current.map((r) => r.id);
    const isSame = before.every((id, i) => id === ruleIds[i]) && current.every((r, i) => r.position === i);
    let orderVersion = await readListVersion(tx, forceId, 'journey_rule_order');
    if (!isSame) {
      await setJourneyRuleOrder(tx, forceId, ruleIds);
      record(tx, forceId, deps.clock, journeyRulesReordered.of({ actor: { type: 'staff', id: actor.staffId }, subjectId: forceId, data: { before, after: [...ruleIds] } }));
      orderVersion = await countListChange(tx, forceId, 'journey_rule_order');
    }
    return { rules: (await findAllJourneyRules(tx, forceId)).map(viewOf), orderVersion };
  });
}

/** A rule as the page names it, with its id: “Case allocated: Tell the victim who has their case” (id). */
function ruleNamed(row: RuleRow): string {
  const label = isJourneyMilestone(row.milestone) ? MILESTONE_LABELS[row.milestone] : row.milestone;
  return `“${label}: ${PURPOSES.get(row.template_key) ?? row.template_key}” (${row.id})`;
}

/** The rule a change makes: each field given replaces the rule's, each left out keeps it. */
function changed(before: JourneyRuleView, change: JourneyRuleChange): JourneyRuleView {
  return {
    ...before,
    milestone: change.milestone ?? before.milestone,
    templateKey: change.templateKey ?? before.templateKey,
    crimeType: change.crimeType === undefined ? before.crimeType : change.crimeType,
    victimCategory: change.victimCategory ?? before.victimCategory,
    outcomeCodes: change.outcomeCodes === undefined ? before.outcomeCodes : change.outcomeCodes,
    delayMinutes: change.delayMinutes ?? before.delayMinutes,
    delayFrom: change.delayFrom ?? before.delayFrom,
    statutory: change.statutory ?? before.statutory,
    fallback: change.fallback ?? before.fallback,
  };
}
