import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { MILESTONES_NAMING_A_TIME } from './journey-rule-admin.schema.ts';
import { fitsCase, matchRules, ruleFits, type JourneyRule } from './journey-rules.schema.ts';
import { findActiveJourneyRules, findJourneyCases, findJourneyDecisions, findPreferencesOfCases } from './journey.repository.ts';
import { findContactHandles } from '../people/people.service.ts';
import { findOptedOutNumbers } from '../channels/sms-opt-outs.service.ts';
import { decide, isReminderRule, phoneOf } from './journey-decision.schema.ts';
import { victimsOf } from './journey-send.service.ts';
import { preferencesOf, ruleOf } from './preferences.schema.ts';
import type { NewTime, TimedMessage, Unreminded } from '../cases/appointment-reminders.schema.ts';

// Which journey messages tell of a time: those of a rule of a milestone naming one (an appointment
// made or changed, a court date set). A reminder is one whose rule counts back from that time and
// goes no later than it. The default rules' `appointment.reminder` and `case.court_date.reminder`
// are such rules, and so is any a force admin makes, whatever message it sends (decision 0122). A
// reminder is
// taken back when what it names changes, and is checked when it would go (decision 0117), as is
// the news of it held for the victim's safe time (decision 0126): the cases room asks this through
// the composition root, as the journeys room reads the cases room. Whether a rule is a reminder is `isReminderRule`
// (`journey-decision.schema.ts`), which the journey's own decision asks too.

/**
 * What a rule's messages say of the time their milestone names (decision 0126): a reminder of it,
 * or its news (the appointment made or changed, the hearing listed; counted from the milestone) and
 * a message after it (how did it go?), which tell of it too. Null for a rule of a milestone naming
 * no time: the cancellation's own message, say, is about no time that can be overtaken. Pure.
 */
export function timedMessageOf(rule: Pick<JourneyRule, 'milestone' | 'delayFrom' | 'delayMinutes'>): TimedMessage | null {
  if (!MILESTONES_NAMING_A_TIME.has(rule.milestone)) return null;
  return { isReminder: isReminderRule(rule), isAfterTime: rule.delayFrom === 'at' && rule.delayMinutes > 0 };
}

/**
 * Of these journey messages (their idempotency keys), those that tell of the time their milestone
 * names, each with what it says of it, by its rule as it was when the message was queued
 * (`journey_sends` keeps it: a rule changed since does not change what a queued message is).
 */
export async function findTimedMessages(tx: Tx, forceId: ForceId, keys: readonly string[]): Promise<Map<string, TimedMessage>> {
  const found = new Map<string, TimedMessage>();
  // A thousand a statement keeps each well inside the parameter limit.
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await tx
      .selectFrom('journey_sends')
      .select(['idempotency_key', 'rule_milestone', 'rule_delay_from', 'rule_delay_minutes'])
      .where('force_id', '=', forceId)
      .where('outcome', '=', 'queued')
      .where('idempotency_key', 'in', keys.slice(i, i + 1000))
      .execute();
    for (const row of rows) {
      if (row.rule_milestone === null || row.rule_delay_from === null || row.rule_delay_minutes === null) continue;
      const timed = timedMessageOf({ milestone: row.rule_milestone, delayFrom: row.rule_delay_from, delayMinutes: row.rule_delay_minutes });
      if (timed) found.set(row.idempotency_key, timed);
    }
  }
  return found;
}

/**
 * Why the journey will queue no reminder of the new time a milestone names (an appointment
 * changed, a court date set again) for each of these victims of its case. First the force's rules,
 * by the same matching the journey applies (crime type, outcome, category of victim, a fallback
 * giving way): none reminds of it; those on are for other crime types; for other categories of
 * victim; or a rule for this case speaks in place of a fallback (decision 0127). Then, of a rule
 * that fits, the journey's own decision for this victim: the one it recorded when the milestone's
 * journey has run, else the one it takes (`decide`) as it stands at `now`: statutory updates only,
 * no channel to reach them by, the time passed or coming before their next safe time (decision
 * 0134). A victim who will be reminded is not in the answer.
 */
export async function findUnreminded(tx: Tx, forceId: ForceId, about: NewTime, victimIds: readonly string[], now: Date): Promise<Map<string, Unreminded>> {
  const unreminded = new Map<string, Unreminded>();
  if (victimIds.length === 0) return unreminded;
  const rules = (await findActiveJourneyRules(tx, forceId)).map(ruleOf).filter((rule) => rule.milestone === about.milestone);
  const cases = new Map((await findJourneyCases(tx, forceId, [about.caseId])).map((row) => [row.id, row]));
  const found = cases.get(about.caseId);
  const victims = new Map((await victimsOf(tx, forceId, [about.caseId], cases)).map((victim) => [victim.id, victim]));
  const preferences = new Map((await findPreferencesOfCases(tx, forceId, [about.caseId])).map((row) => [row.victim_id, preferencesOf(row)]));
  const facts = { milestone: about.milestone, crimeType: about.details.crimeType ?? found?.crime_type ?? null, outcomeCode: about.details.outcomeCode ?? null };
  const reminders = rules.filter(isReminderRule);
  const fitting = new Map<string, JourneyRule[]>();
  for (const victimId of victimIds) {
    const victim = { enhancedRights: victims.get(victimId)?.enhancedRights ?? false, domesticAbuse: preferences.get(victimId)?.domesticAbuse ?? false };
    const reminding = matchRules(rules, facts, victim).filter(isReminderRule);
    if (reminding.length > 0) fitting.set(victimId, reminding);
    else if (reminders.length === 0) unreminded.set(victimId, 'no_rule');
    else if (!reminders.some((rule) => fitsCase(rule, facts))) unreminded.set(victimId, 'other_crime_types');
    else if (!reminders.some((rule) => ruleFits(rule, facts, victim))) unreminded.set(victimId, 'other_victims');
    else unreminded.set(victimId, 'fallback_gives_way');
  }
  if (fitting.size === 0 || !found) return unreminded;
  // A journey message's key is journey:<case>:<milestone>:<rule>:<victim> (journey-send.service.ts).
  const keyOf = (rule: JourneyRule, victimId: string) => `journey:${about.caseId}:${about.milestoneId}:${rule.id}:${victimId}`;
  const keys = about.milestoneId ? [...fitting].flatMap(([victimId, rulesOf]) => rulesOf.map((rule) => keyOf(rule, victimId))) : [];
  const decided = new Map((await findJourneyDecisions(tx, forceId, keys)).map((row) => [row.idempotency_key, row]));
  const reached = [...victims.values()].filter((victim) => fitting.has(victim.id));
  const handles = await findContactHandles(tx, forceId, reached.flatMap((v) => (v.personId ? [v.personId] : [])));
  const optedOut = await findOptedOutNumbers(tx, forceId, reached.flatMap((v) => phoneOf(v, handles) ?? []));
  const milestone = { milestone: about.milestone, details: about.details, occurredAt: now };
  for (const [victimId, rulesOf] of fitting) {
    const victim = victims.get(victimId);
    const reasons = rulesOf.map((rule): string | null => {
      const recorded = decided.get(keyOf(rule, victimId));
      if (recorded) return recorded.outcome === 'queued' ? null : (recorded.reason ?? '');
      if (!victim) return 'the victim is no longer on the case';
      const plan = decide(preferences.get(victimId) ?? preferencesOf(null), rule, milestone, victim, found, handles, optedOut, now);
      return 'reason' in plan ? plan.reason : null;
    });
    const why = reasons.find((reason) => reason !== null);
    if (reasons.every((reason) => reason !== null) && why !== undefined && why !== null) unreminded.set(victimId, { notQueued: why });
  }
  return unreminded;
}
