import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { findContactHandles } from '../people/people.service.ts';
import { normalisePhone } from '../people/people.schema.ts';
import { storedLast } from '../../platform/db/stored-order.ts';

/** Where one person's one-time code goes, and by what. */
export type CodeAddress = { channel: 'email' | 'sms'; recipient: string };

/** The addresses kept on someone's victim row of a case, as an officer or the records system last set them. */
export type OwnAddresses = { email: string | null; phone: string | null };

/**
 * Where a person's one-time code (to check a report, to open a case page) is sent: their email
 * address, else their phone number by text, so someone who reported by phone or text can check on
 * it too. The addresses on their victim row (`own`) come before the handles they are known by, as
 * the journeys take them: an officer who corrects a mistyped address corrects where the codes go,
 * and the owner of the mistyped one can no longer open the victim's case. Never by text to someone
 * who said, on any case of theirs, "never text me" or "portal only": anyone who knows a reference
 * can ask for a code, and a text from the police on a shared phone can put a victim of domestic
 * abuse in danger. Null when there is nowhere to send it.
 */
export async function findCodeAddress(tx: Tx, forceId: ForceId, personId: string, own: OwnAddresses | null = null): Promise<CodeAddress | null> {
  const handle = (await findContactHandles(tx, forceId, [personId])).get(personId);
  const email = own?.email?.trim() || handle?.email;
  if (email) return { channel: 'email', recipient: email };
  const phone = (own?.phone ? normalisePhone(own.phone) : null) ?? (handle?.phone ? normalisePhone(handle.phone) : null);
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

/**
 * The addresses on the reporter's victim row of the case made from their report, if there is one
 * (the newest, not removed): a correction an officer made there reaches the report's code too, or
 * the owner of a mistyped address could read the report's replies and learn its case's reference.
 */
export async function findReportVictimAddresses(tx: Tx, forceId: ForceId, contactId: string, personId: string): Promise<OwnAddresses | null> {
  const row = await tx
    .selectFrom('case_people as v')
    .innerJoin('cases as c', (join) => join.onRef('c.id', '=', 'v.case_id').onRef('c.force_id', '=', 'v.force_id'))
    .select(['v.email', 'v.phone'])
    .where('v.force_id', '=', forceId)
    .where('c.contact_id', '=', contactId)
    .where('v.person_id', '=', personId)
    .where('v.role', '=', 'victim')
    .where('v.removed_at', 'is', null)
    .orderBy('v.added_at', 'desc')
    .orderBy('v.seq', storedLast)
    .orderBy('v.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
