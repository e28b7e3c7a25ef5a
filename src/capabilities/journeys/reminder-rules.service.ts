import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { MILESTONES_NAMING_A_TIME } from './journey-rule-admin.schema.ts';
import type { JourneyRule } from './journey-rules.ts';

// Which journey messages are reminders: those of a rule that counts back from the time its
// milestone names (an appointment made or changed, a court date set) and goes no later than that
// time. The default rules' `appointment.reminder` and `case.court_date.reminder` are such rules,
// and so is any a force admin makes, whatever message it sends (decision 0122). A reminder is
// taken back when what it names changes, and is checked when it would go (decision 0117): the
// cases room asks this through the composition root, as the journeys room reads the cases room.

/** Whether a rule reminds of the time its milestone names: counted from that time, going at or before it. Pure. */
export function isReminderRule(rule: Pick<JourneyRule, 'milestone' | 'delayFrom' | 'delayMinutes'>): boolean {
  return rule.delayFrom === 'at' && rule.delayMinutes <= 0 && MILESTONES_NAMING_A_TIME.has(rule.milestone);
}

/**
 * Of these journey messages (their idempotency keys), those a reminder rule queued, as the rule
 * stands now (a rule is never deleted; `journey_sends` names the rule of each message).
 */
export async function findReminderKeys(tx: Tx, forceId: ForceId, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // A thousand a statement keeps each well inside the parameter limit.
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await tx
      .selectFrom('journey_sends')
      .innerJoin('journey_rules', (join) => join.onRef('journey_rules.id', '=', 'journey_sends.rule_id').onRef('journey_rules.force_id', '=', 'journey_sends.force_id'))
      .select(['journey_sends.idempotency_key', 'journey_rules.milestone', 'journey_rules.delay_from', 'journey_rules.delay_minutes'])
      .where('journey_sends.force_id', '=', forceId)
      .where('journey_sends.outcome', '=', 'queued')
      .where('journey_sends.idempotency_key', 'in', keys.slice(i, i + 1000))
      .execute();
    for (const row of rows) {
      if (isReminderRule({ milestone: row.milestone, delayFrom: row.delay_from, delayMinutes: row.delay_minutes })) found.add(row.idempotency_key);
    }
  }
  return found;
}

/**
 * Whether a rule switched on reminds of an appointment's time when it is changed: then the change's
 * own journey queues the reminder of the new time in place of one taken back.
 */
export async function isChangeReminded(tx: Tx, forceId: ForceId): Promise<boolean> {
  const rules = await tx
    .selectFrom('journey_rules')
    .select(['milestone', 'delay_from', 'delay_minutes'])
    .where('force_id', '=', forceId)
    .where('active', '=', true)
    .where('milestone', '=', 'case.appointment_changed')
    .execute();
  return rules.some((rule) => isReminderRule({ milestone: rule.milestone, delayFrom: rule.delay_from, delayMinutes: rule.delay_minutes }));
}
