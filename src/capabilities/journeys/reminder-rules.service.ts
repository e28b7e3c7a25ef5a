import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { MILESTONES_NAMING_A_TIME } from './journey-rule-admin.schema.ts';
import { fitsCase, matchRules, ruleFits, type JourneyRule } from './journey-rules.ts';
import { findActiveJourneyRules, findCaseVictims, findJourneyCases, findPreferencesOfCases } from './journey.repository.ts';
import { preferencesOf, ruleOf } from './preferences.schema.ts';
import type { NewTime, TimedMessage, Unreminded } from '../cases/appointment-reminders.service.ts';

// Which journey messages tell of a time: those of a rule of a milestone naming one (an appointment
// made or changed, a court date set). A reminder is one whose rule counts back from that time and
// goes no later than it. The default rules' `appointment.reminder` and `case.court_date.reminder`
// are such rules, and so is any a force admin makes, whatever message it sends (decision 0122). A
// reminder is
// taken back when what it names changes, and is checked when it would go (decision 0117), as is
// the news of it held for the victim's safe time (decision 0126): the cases room asks this through
// the composition root, as the journeys room reads the cases room.

/** Whether a rule reminds of the time its milestone names: counted from that time, going at or before it. Pure. */
export function isReminderRule(rule: Pick<JourneyRule, 'milestone' | 'delayFrom' | 'delayMinutes'>): boolean {
  return rule.delayFrom === 'at' && rule.delayMinutes <= 0 && MILESTONES_NAMING_A_TIME.has(rule.milestone);
}

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
 * Why the force's rules switched on will queue no reminder of the new time a milestone names (an
 * appointment changed, a court date set again) for each of these victims of its case, by the same
 * matching the journey applies (crime type, outcome, category of victim, a fallback giving way):
 * none reminds of it; those on are for other crime types; for other categories of victim; or a rule
 * for this case speaks in place of a fallback. A victim who will be reminded is not in the answer
 * (decision 0127). The victim's own preferences (statutory updates only, no address) are not asked:
 * the reason tells what the force's rules do.
 */
export async function findUnreminded(tx: Tx, forceId: ForceId, about: NewTime, victimIds: readonly string[]): Promise<Map<string, Unreminded>> {
  const unreminded = new Map<string, Unreminded>();
  if (victimIds.length === 0) return unreminded;
  const rules = (await findActiveJourneyRules(tx, forceId)).map(ruleOf).filter((rule) => rule.milestone === about.milestone);
  const [found] = await findJourneyCases(tx, forceId, [about.caseId]);
  const victims = new Map((await findCaseVictims(tx, forceId, [about.caseId])).map((row) => [row.id, row]));
  const preferences = new Map((await findPreferencesOfCases(tx, forceId, [about.caseId])).map((row) => [row.victim_id, preferencesOf(row)]));
  const facts = { milestone: about.milestone, crimeType: about.details.crimeType ?? found?.crime_type ?? null, outcomeCode: about.details.outcomeCode ?? null };
  const reminders = rules.filter(isReminderRule);
  for (const victimId of victimIds) {
    const victim = { enhancedRights: victims.get(victimId)?.enhanced_rights ?? false, domesticAbuse: preferences.get(victimId)?.domesticAbuse ?? false };
    if (matchRules(rules, facts, victim).some(isReminderRule)) continue;
    if (reminders.length === 0) unreminded.set(victimId, 'no_rule');
    else if (!reminders.some((rule) => fitsCase(rule, facts))) unreminded.set(victimId, 'other_crime_types');
    else if (!reminders.some((rule) => ruleFits(rule, facts, victim))) unreminded.set(victimId, 'other_victims');
    else unreminded.set(victimId, 'fallback_gives_way');
  }
  return unreminded;
}
