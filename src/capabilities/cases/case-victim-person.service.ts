import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { findOrCreatePerson } from '../people/people.service.ts';
import { normalisePhone } from '../people/people.schema.ts';
import { personCreated } from '../people/people.events.ts';

// A victim an officer or the records system names with an email address or a phone number is the
// known person who holds that address (found, or made, as intake makes one for a first message),
// so the case page's codes can reach them there and the portal the journeys write to is theirs
// (decision 0064). Someone named with no address stays unlinked: nothing could reach them.

/** The handle a victim row's addresses give: the email address, else a number that can be one. */
function handleOf(row: { email: string | null; phone: string | null }): { kind: 'email' | 'phone'; value: string } | null {
  const email = row.email?.trim();
  if (email) return { kind: 'email', value: email };
  const phone = row.phone ? normalisePhone(row.phone) : null;
  return phone ? { kind: 'phone', value: phone } : null;
}

/**
 * The person a victim row without one is, by the address on it, in the caller's transaction; null
 * when it has no address, or when that person is already a victim on the case (they follow it
 * through that row). `events` holds `person.created` for someone new, for the caller to record.
 */
export async function findVictimPerson(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  actor: Actor,
  victim: { caseId: string; name: string; email: string | null; phone: string | null },
): Promise<{ personId: string | null; events: NewEvent[] }> {
  const handle = handleOf(victim);
  if (!handle) return { personId: null, events: [] };
  const found = await findOrCreatePerson(tx, forceId, clock, { ...handle, name: victim.name || null });
  const already = await tx
    .selectFrom('case_people')
    .select('id')
    .where('force_id', '=', forceId)
    .where('case_id', '=', victim.caseId)
    .where('person_id', '=', found.personId)
    .where('role', '=', 'victim')
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (already) return { personId: null, events: [] };
  const events = found.isNew ? [personCreated.of({ actor, subjectId: found.personId, data: { identityKind: handle.kind } })] : [];
  return { personId: found.personId, events };
}
