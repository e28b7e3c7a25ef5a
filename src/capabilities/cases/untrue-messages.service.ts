import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { findUntrueReminders, type HeldMessage } from './appointment-reminders.service.ts';
import { victimOfKey, type ReminderRules } from './appointment-reminders.schema.ts';

// What the delivery and the print queue ask of a message before it goes (decisions 0117, 0135):
// is it still to be sent? A journey message for a victim removed from the case since it was
// queued is not (decision 0143): the victim removed is often one added in error, someone who must
// not learn of the case; and a message whose news no longer stands is not (decisions 0117, 0126).

/** Why a message for a victim since removed from its case does not go, as staff read it. */
export const REMOVED_VICTIM_REASON = 'the victim was removed from the case';

/** A case_people id as journey keys end with it: anything else (an older key's last part) names no row. */
const ROW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Of these messages, the journey messages whose victim (the last part of their key, journey-send)
 * was removed from the case, each with why. One read for the lot, whatever their number. Messages
 * staff wrote themselves (a reply to the victim's contact) carry no victim: staff chose to send them.
 */
async function findForRemovedVictims(tx: Tx, forceId: ForceId, messages: readonly HeldMessage[]): Promise<Map<string, string>> {
  const journey = messages.filter((message) => message.case_id && message.idempotency_key.startsWith('journey:') && ROW_ID.test(victimOfKey(message.idempotency_key)));
  const found = new Map<string, string>();
  if (journey.length === 0) return found;
  const removed = await tx
    .selectFrom('case_people')
    .select(['id', 'case_id'])
    .where('force_id', '=', forceId)
    .where('id', 'in', [...new Set(journey.map((message) => victimOfKey(message.idempotency_key).toLowerCase()))])
    .where('removed_at', 'is not', null)
    .execute();
  const caseOfRemoved = new Map(removed.map((row) => [row.id, row.case_id]));
  for (const message of journey) {
    if (caseOfRemoved.get(victimOfKey(message.idempotency_key).toLowerCase()) === message.case_id) found.set(message.id, REMOVED_VICTIM_REASON);
  }
  return found;
}

/**
 * Which of these messages must not go at `now`, each with why: those for a victim removed from the
 * case, then of the others those whose news no longer stands (`findUntrueReminders`). Reads only.
 */
export async function findUntrueMessages(tx: Tx, forceId: ForceId, now: Date, messages: readonly HeldMessage[], rules: ReminderRules): Promise<Map<string, string>> {
  const untrue = await findForRemovedVictims(tx, forceId, messages);
  const others = messages.filter((message) => !untrue.has(message.id));
  if (others.length === 0) return untrue;
  for (const [id, reason] of await findUntrueReminders(tx, forceId, now, others, rules)) untrue.set(id, reason);
  return untrue;
}
