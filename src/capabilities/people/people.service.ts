import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId, type PersonId } from '../../platform/ids.ts';
import { normalisePhone, type IdentityKind } from './people.schema.ts';
import { asciiDomain } from '../../platform/email-address.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

/**
 * Lower-cased and trimmed, its domain in ASCII (an IDN's punycode), so one address is one identity
 * whether its domain came as typed or as a mail header writes it (decision 0146). An address whose
 * domain cannot be converted is only lower-cased and trimmed.
 */
export function normaliseEmail(email: string): string {
  return convertEmail(email) ?? email.trim().toLowerCase();
}

/** `normaliseEmail`'s form of an address whose domain it converts; null for one it only lower-cases (no domain name after an @). */
export function convertEmail(email: string): string | null {
  const value = email.trim().toLowerCase();
  const at = value.lastIndexOf('@');
  const domain = at > 0 ? asciiDomain(value.slice(at + 1)) : null;
  return domain ? `${value.slice(0, at)}@${domain}` : null;
}

/** The stored form of a handle: emails lower-cased, phones in E.164, social ids as given. */
export function normaliseIdentity(kind: IdentityKind, value: string): string {
  if (kind === 'email') return normaliseEmail(value);
  if (kind === 'phone') return normalisePhone(value) ?? value.trim();
  return value.trim();
}

function handleLockKey(forceId: ForceId, handle: { kind: string; value: string }): string {
  return `${forceId}:${handle.kind}:${handle.value}`;
}

/**
 * Takes these handles' locks, held to the end of the caller's transaction, as finding or creating
 * their people does. Taken in one order (sorted keys), so two callers cannot each hold one the
 * other waits for: a batch whose messages come from several people takes all their handles first.
 */
export async function lockHandles(tx: Tx, forceId: ForceId, handles: readonly { kind: IdentityKind; value: string }[]): Promise<void> {
  const lockKeys = [...new Set(handles.map((handle) => handleLockKey(forceId, { kind: handle.kind, value: normaliseIdentity(handle.kind, handle.value) })))].sort();
  if (lockKeys.length === 0) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${lockKeys}::text[]) with ordinality as l(k, n) order by n`.execute(tx);
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
  input: HandleInput,
): Promise<{ personId: PersonId; isNew: boolean }> {
  const [found] = await findOrCreatePeople(tx, forceId, clock, [input]);
  if (!found) throw new Error('no person was found or created');
  return found;
}

export type HandleInput = { kind: IdentityKind; value: string; name: string | null };

/**
 * `findOrCreatePerson` for several handles at once, with a fixed number of statements (a batch of
 * reports). Results are in input order; a handle given twice is one person, new only the first
 * time it appears, named by that first appearance, as if the handles were taken one by one.
 */
export async function findOrCreatePeople(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  inputs: readonly HandleInput[],
): Promise<{ personId: PersonId; isNew: boolean }[]> {
  if (inputs.length === 0) return [];
  const handles = inputs.map((input) => ({ kind: input.kind, value: normaliseIdentity(input.kind, input.value) }));
  const keyOf = (handle: { kind: string; value: string }) => handleLockKey(forceId, handle);
  // Two first contacts from one handle at once must end with one person: serialise on the handle.
  await lockHandles(tx, forceId, inputs);
  const known = await knownPeopleOf(tx, forceId, handles);
  const now = clock.now();
  const created: { personId: PersonId; kind: IdentityKind; value: string; name: string | null }[] = [];
  const results = handles.map((handle, index) => {
    const existing = known.get(keyOf(handle));
    if (existing) return { personId: existing, isNew: false };
    const personId = newId<PersonId>();
    known.set(keyOf(handle), personId);
    created.push({ personId, kind: handle.kind, value: handle.value, name: inputs[index]?.name ?? null });
    return { personId, isNew: true };
  });
  if (created.length > 0) {
    await tx
      .insertInto('people')
      .values(created.map((person) => ({ id: person.personId, force_id: forceId, display_name: person.name, created_at: now })))
      .execute();
    await tx
      .insertInto('identities')
      .values(created.map((person) => ({ id: newId(), force_id: forceId, person_id: person.personId, kind: person.kind, value: person.value, created_at: now })))
      .execute();
  }
  return results;
}

/**
 * The people who own these handles in the force, in input order (null for a handle nobody has),
 * creating none: a read, one statement per kind of handle.
 */
export async function findPeopleByHandles(tx: Tx, forceId: ForceId, inputs: readonly { kind: IdentityKind; value: string }[]): Promise<(PersonId | null)[]> {
  const handles = inputs.map((input) => ({ kind: input.kind, value: normaliseIdentity(input.kind, input.value) }));
  const known = await knownPeopleOf(tx, forceId, handles);
  return handles.map((handle) => known.get(handleLockKey(forceId, handle)) ?? null);
}

/** The stored owners of these handles (already normalised), by their lock key. */
async function knownPeopleOf(tx: Tx, forceId: ForceId, handles: readonly { kind: IdentityKind; value: string }[]): Promise<Map<string, PersonId>> {
  const known = new Map<string, PersonId>();
  for (const kind of [...new Set(handles.map((handle) => handle.kind))]) {
    const values = [...new Set(handles.filter((handle) => handle.kind === kind).map((handle) => handle.value))];
    const rows = await tx
      .selectFrom('identities')
      .select(['person_id', 'value'])
      .where('force_id', '=', forceId)
      .where('kind', '=', kind)
      .where('value', 'in', values)
      .execute();
    for (const row of rows) known.set(handleLockKey(forceId, { kind, value: row.value }), row.person_id as PersonId);
  }
  return known;
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

/**
 * Adds a phone number each of these people gave beside the handle they are known by (a portal
 * report's email address), so staff see it, find the person by it and call them back on it. Only
 * a valid number, and only one no one else in the force has: a number that is already another
 * person's stays theirs (an operator links the two if they are one human). Returns the people who
 * gained a number, for the caller's `person.identity_added` events.
 */
export async function addPhoneIdentities(tx: Tx, forceId: ForceId, clock: Clock, given: readonly { personId: string; phone: string }[]): Promise<string[]> {
  const rows = given.flatMap(({ personId, phone }) => {
    const value = normalisePhone(phone);
    return value ? [{ id: newId(), force_id: forceId, person_id: personId, kind: 'phone' as const, value, created_at: clock.now() }] : [];
  });
  if (rows.length === 0) return [];
  const added = await tx.insertInto('identities').values(rows).onConflict((oc) => oc.columns(['force_id', 'kind', 'value']).doNothing()).returning('person_id').execute();
  return added.map((row) => row.person_id);
}

/**
 * A stored handle as it is used: an email identity written before decision 0146 (or one decision
 * 0154 left on a linked record) may still have its domain in Unicode, which our senders cannot take.
 */
function storedHandle(kind: string, value: string): string {
  return kind === 'email' ? normaliseEmail(value) : value;
}

/** The person's handle of one kind, if we know one (the oldest), emails with their domain in ASCII. */
export async function findPersonIdentity(tx: Tx, forceId: ForceId, personId: string, kind: IdentityKind): Promise<string | null> {
  const row = await tx
    .selectFrom('identities')
    .select('value')
    .where('force_id', '=', forceId)
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .orderBy('created_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .executeTakeFirst();
  return row ? storedHandle(kind, row.value) : null;
}

/** Every handle the person holds, as stored (a kind no longer known is left out). */
export async function listPersonHandles(tx: Tx, forceId: ForceId, personId: string): Promise<{ kind: IdentityKind; value: string }[]> {
  const rows = await tx.selectFrom('identities').select(['kind', 'value']).where('force_id', '=', forceId).where('person_id', '=', personId).orderBy('created_at').orderBy('seq').execute();
  return rows.flatMap((row) => (isIdentityKind(row.kind) ? [{ kind: row.kind, value: row.value }] : []));
}

function isIdentityKind(kind: string): kind is IdentityKind {
  return kind === 'email' || kind === 'phone' || kind === 'social';
}

/** The person's email address, if we know one. */
export function findPersonEmail(tx: Tx, forceId: ForceId, personId: string): Promise<string | null> {
  return findPersonIdentity(tx, forceId, personId, 'email');
}

/** The email address (its domain in ASCII) and phone number of each of several people (the oldest of each kind), with one query. */
export async function findContactHandles(tx: Tx, forceId: ForceId, personIds: readonly string[]): Promise<Map<string, { email: string | null; phone: string | null }>> {
  const handles = new Map<string, { email: string | null; phone: string | null }>();
  if (personIds.length === 0) return handles;
  const rows = await tx
    .selectFrom('identities')
    .select(['person_id', 'kind', 'value'])
    .where('force_id', '=', forceId)
    .where('person_id', 'in', [...new Set(personIds)])
    .where('kind', 'in', ['email', 'phone'])
    .orderBy('created_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const found = handles.get(row.person_id) ?? { email: null, phone: null };
    if (row.kind === 'email' && !found.email) found.email = storedHandle(row.kind, row.value);
    if (row.kind === 'phone' && !found.phone) found.phone = row.value;
    handles.set(row.person_id, found);
  }
  return handles;
}
