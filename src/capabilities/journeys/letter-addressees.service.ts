import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { postalAddressOf } from '../cases/postal-address.schema.ts';
import { victimOfKey } from '../cases/appointment-reminders.schema.ts';
import { letterRecipientOf } from './letter-recipient.schema.ts';

// A journey letter waits in the print queue, perhaps for days, addressed as the victim's address
// stood when it was written (decision 0136). Corrected since (the first was wrong) or cleared, it
// would be posted to the wrong door: it is not to be printed, as a letter whose news no longer
// stands is not (decision 0135). A victim removed from the case is told nothing more by any
// channel, letters included (`findUntrueMessages`, decision 0143).

// Why a letter must not be posted when its victim's address changed.
const LETTER_ADDRESS_CHANGED = 'the victim’s postal address has changed since it was written';
const LETTER_ADDRESS_CLEARED = 'the victim’s postal address was cleared since it was written';

/**
 * Of these outbox messages, the journey letters (key journey:<case>:…:<victim>) that must not be
 * posted now, each with why: their victim's postal address is no longer the one they carry.
 * Other messages are not read; one statement when there are letters.
 */
export async function findMisaddressedLetters(
  tx: Tx,
  forceId: ForceId,
  messages: readonly { id: string; channel: string; idempotency_key: string; case_id: string | null; recipient: string }[],
): Promise<Map<string, string>> {
  const letters = messages.flatMap((m) => (m.channel === 'letter' && m.case_id && m.idempotency_key.startsWith('journey:') ? [{ ...m, victimId: victimOfKey(m.idempotency_key) }] : []));
  const found = new Map<string, string>();
  if (letters.length === 0) return found;
  const rows = await tx
    .selectFrom('case_people')
    .select(['id', 'case_id', 'removed_at', 'postal_lines', 'postal_town', 'postal_postcode'])
    .where('force_id', '=', forceId)
    .where('id', 'in', [...new Set(letters.map((l) => l.victimId))])
    .execute();
  const victims = new Map(rows.map((row) => [row.id, row]));
  for (const letter of letters) {
    const victim = victims.get(letter.victimId);
    if (!victim || victim.case_id !== letter.case_id || victim.removed_at) continue;
    // The address block, less the name above it (a name corrected does not move the letter).
    const block = letterRecipientOf({ name: null, postalAddress: postalAddressOf(victim) });
    if (block === null) found.set(letter.id, LETTER_ADDRESS_CLEARED);
    else if (letter.recipient !== block && !letter.recipient.endsWith(`\n${block}`)) found.set(letter.id, LETTER_ADDRESS_CHANGED);
  }
  return found;
}
