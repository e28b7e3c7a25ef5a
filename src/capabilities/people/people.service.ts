import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId, type PersonId } from '../../platform/ids.ts';

/** Lower-cased and trimmed, so one address is one identity. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The person who owns this email address in the force, or a new person with that identity.
 * Concurrent first contacts from one address end with one person. The caller appends the
 * `person.created` event with its own, at the end of its transaction (see docs/decisions/0002).
 */
export async function findOrCreatePersonByEmail(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { email: string; name: string | null },
): Promise<{ personId: PersonId; isNew: boolean }> {
  const email = normaliseEmail(input.email);
  // Two first contacts from one address at once must end with one person: serialise on the address.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${forceId}:email:${email}`}, 0))`.execute(tx);
  const existing = await tx
    .selectFrom('identities')
    .select('person_id')
    .where('force_id', '=', forceId)
    .where('kind', '=', 'email')
    .where('value', '=', email)
    .executeTakeFirst();
  if (existing) return { personId: existing.person_id as PersonId, isNew: false };

  const personId = newId<PersonId>();
  const now = clock.now();
  await tx.insertInto('people').values({ id: personId, force_id: forceId, display_name: input.name, created_at: now }).execute();
  await tx
    .insertInto('identities')
    .values({ id: newId(), force_id: forceId, person_id: personId, kind: 'email', value: email, created_at: now })
    .execute();
  return { personId, isNew: true };
}

/** The person's email address, if we know one. */
export async function findPersonEmail(tx: Tx, forceId: ForceId, personId: string): Promise<string | null> {
  const row = await tx
    .selectFrom('identities')
    .select('value')
    .where('force_id', '=', forceId)
    .where('person_id', '=', personId)
    .where('kind', '=', 'email')
    .orderBy('created_at')
    .executeTakeFirst();
  return row?.value ?? null;
}
