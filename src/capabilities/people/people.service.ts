import { sql } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId, type PersonId } from '../../platform/ids.ts';

export type IdentityKind = 'email' | 'phone' | 'social';

/** Lower-cased and trimmed, so one address is one identity. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A phone number in E.164 (UK numbers may be written nationally), or null if it is not one. */
export function normalisePhone(phone: string): string | null {
  const parsed = parsePhoneNumberFromString(phone.trim(), 'GB');
  return parsed?.isValid() ? parsed.number : null;
}

/** The stored form of a handle: emails lower-cased, phones in E.164, social ids as given. */
export function normaliseIdentity(kind: IdentityKind, value: string): string {
  if (kind === 'email') return normaliseEmail(value);
  if (kind === 'phone') return normalisePhone(value) ?? value.trim();
  return value.trim();
}

/**
 * The person who owns this handle in the force, or a new person with that identity. Concurrent
 * first contacts from one handle end with one person. The caller appends `person.created` with
 * its own events, at the end of its transaction (see docs/decisions/0002).
 */
export async function findOrCreatePerson(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { kind: IdentityKind; value: string; name: string | null },
): Promise<{ personId: PersonId; isNew: boolean }> {
  const value = normaliseIdentity(input.kind, input.value);
  // Two first contacts from one handle at once must end with one person: serialise on the handle.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${forceId}:${input.kind}:${value}`}, 0))`.execute(tx);
  const existing = await tx
    .selectFrom('identities')
    .select('person_id')
    .where('force_id', '=', forceId)
    .where('kind', '=', input.kind)
    .where('value', '=', value)
    .executeTakeFirst();
  if (existing) return { personId: existing.person_id as PersonId, isNew: false };

  const personId = newId<PersonId>();
  const now = clock.now();
  await tx.insertInto('people').values({ id: personId, force_id: forceId, display_name: input.name, created_at: now }).execute();
  await tx
    .insertInto('identities')
    .values({ id: newId(), force_id: forceId, person_id: personId, kind: input.kind, value, created_at: now })
    .execute();
  return { personId, isNew: true };
}

/** The person who owns this email address, or a new one (the portal's way in). */
export function findOrCreatePersonByEmail(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { email: string; name: string | null },
): Promise<{ personId: PersonId; isNew: boolean }> {
  return findOrCreatePerson(tx, forceId, clock, { kind: 'email', value: input.email, name: input.name });
}

/** The person's handle of one kind, if we know one (the oldest). */
export async function findPersonIdentity(tx: Tx, forceId: ForceId, personId: string, kind: IdentityKind): Promise<string | null> {
  const row = await tx
    .selectFrom('identities')
    .select('value')
    .where('force_id', '=', forceId)
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .orderBy('created_at')
    .executeTakeFirst();
  return row?.value ?? null;
}

/** The person's email address, if we know one. */
export function findPersonEmail(tx: Tx, forceId: ForceId, personId: string): Promise<string | null> {
  return findPersonIdentity(tx, forceId, personId, 'email');
}
