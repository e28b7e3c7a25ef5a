import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { findContactHandles, normalisePhone } from '../people/people.service.ts';

/** Where one person's one-time code goes, and by what. */
export type CodeAddress = { channel: 'email' | 'sms'; recipient: string };

/**
 * Where a person's one-time code (to check a report, to open a case page) is sent: their email
 * address, else their phone number by text, so someone who reported by phone or text can check on
 * it too. Never by text to someone who said, on any case of theirs, "never text me" or "portal
 * only": anyone who knows a reference can ask for a code, and a text from the police on a shared
 * phone can put a victim of domestic abuse in danger. Null when there is nowhere to send it.
 */
export async function findCodeAddress(tx: Tx, forceId: ForceId, personId: string): Promise<CodeAddress | null> {
  const handle = (await findContactHandles(tx, forceId, [personId])).get(personId);
  if (handle?.email) return { channel: 'email', recipient: handle.email };
  const phone = handle?.phone ? normalisePhone(handle.phone) : null;
  if (!phone) return null;
  const barred = await tx
    .selectFrom('victim_contact_preferences as p')
    .select(sql<number>`1`.as('barred'))
    .where('p.force_id', '=', forceId)
    .where((eb) => eb.or([eb('p.never_sms', '=', true), eb('p.portal_only', '=', true)]))
    .where((eb) =>
      eb.or([
        eb('p.victim_id', '=', personId),
        eb('p.victim_id', 'in', eb.selectFrom('case_people as v').select('v.id').where('v.force_id', '=', forceId).where('v.person_id', '=', personId)),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return barred ? null : { channel: 'sms', recipient: phone };
}
