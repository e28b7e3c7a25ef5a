import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { personLinked, personUnlinked, personViewed } from './people.events.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { normaliseIdentity } from './people.service.ts';
import type { IdentityKind } from './people.schema.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

/** The person and everyone an operator has linked to them (directly), still linked. */
export async function linkedPersonIds(tx: Tx, forceId: ForceId, personId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('person_links')
    .select(['person_id', 'linked_person_id'])
    .where('force_id', '=', forceId)
    .where('unlinked_at', 'is', null)
    .where((eb) => eb.or([eb('person_id', '=', personId), eb('linked_person_id', '=', personId)]))
    .execute();
  const ids = new Set([personId]);
  for (const row of rows) ids.add(row.person_id === personId ? row.linked_person_id : row.person_id);
  return [...ids];
}

async function requirePerson(tx: Tx, forceId: ForceId, personId: string, options: { lock?: boolean } = {}): Promise<void> {
  const query = tx.selectFrom('people').select('id').where('force_id', '=', forceId).where('id', '=', personId);
  const row = await (options.lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw notFound('person');
}

/** A person with their identities, their links and the people linked to them. Reading it is recorded. */
export async function getPerson(deps: ServiceDeps, forceId: ForceId, personId: string, staffId: StaffId) {
  return withForce(deps.db, forceId, async (tx) => {
    const person = await tx.selectFrom('people').select(['id', 'display_name']).where('force_id', '=', forceId).where('id', '=', personId).executeTakeFirst();
    if (!person) throw notFound('person');
    const ids = await linkedPersonIds(tx, forceId, personId);
    const identities = await tx
      .selectFrom('identities')
      .select(['id', 'person_id', 'kind', 'value'])
      .where('force_id', '=', forceId)
      .where('person_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('seq', storedFirst)
      .orderBy('id')
      .execute();
    const links = await tx
      .selectFrom('person_links as l')
      .leftJoin('staff as s', 's.id', 'l.linked_by')
      .select(['l.id', 'l.person_id', 'l.linked_person_id', 'l.reason', 'l.linked_at', 'l.unlinked_at', 's.name as linked_by_name'])
      .where('l.force_id', '=', forceId)
      .where((eb) => eb.or([eb('l.person_id', '=', personId), eb('l.linked_person_id', '=', personId)]))
      .orderBy('l.linked_at')
      .orderBy('l.seq', storedFirst)
      .orderBy('l.id')
      .execute();
    record(tx, forceId, deps.clock, personViewed.of({ actor: { type: 'staff', id: staffId }, subjectId: personId, data: {} }));
    return {
      id: person.id,
      name: person.display_name,
      identities: identities.map((i) => ({ id: i.id, personId: i.person_id, kind: i.kind, value: i.value, isLinked: i.person_id !== personId })),
      links: links.map((l) => ({
        id: l.id,
        otherPersonId: l.person_id === personId ? l.linked_person_id : l.person_id,
        reason: l.reason,
        linkedAt: l.linked_at.toISOString(),
        linkedByName: l.linked_by_name,
        unlinkedAt: l.unlinked_at?.toISOString() ?? null,
      })),
    };
  });
}

/** People who own a handle (to find the record to link). */
export async function findPeopleByIdentity(deps: ServiceDeps, forceId: ForceId, kind: IdentityKind, value: string) {
  return withForce(deps.db, forceId, async (tx) => {
    const rows = await tx
      .selectFrom('identities as i')
      .innerJoin('people as p', 'p.id', 'i.person_id')
      .select(['p.id', 'p.display_name', 'i.kind', 'i.value'])
      .where('i.force_id', '=', forceId)
      .where('i.kind', '=', kind)
      .where('i.value', '=', normaliseIdentity(kind, value))
      .execute();
    return rows.map((row) => ({ id: row.id, name: row.display_name, kind: row.kind, value: row.value }));
  });
}

/** Records that two person records are the same human. Both keep their identities and history. */
export async function linkPeople(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  input: { personId: string; otherPersonId: string; reason: string },
) {
  if (input.personId === input.otherPersonId) throw invalid('body.personId', 'cannot link a person to themselves');
  return withForce(deps.db, forceId, async (tx) => {
    // Both records are locked, in one order whichever side the operator starts from, so two
    // operators linking the same pair at once take turns: the second finds the first's link.
    for (const personId of [input.personId, input.otherPersonId].sort()) await requirePerson(tx, forceId, personId, { lock: true });
    const linked = await linkedPersonIds(tx, forceId, input.personId);
    if (linked.includes(input.otherPersonId)) throw conflict('these people are already linked');
    const id = newId();
    await tx
      .insertInto('person_links')
      .values({
        id,
        force_id: forceId,
        person_id: input.personId,
        linked_person_id: input.otherPersonId,
        reason: input.reason,
        linked_by: staffId,
        linked_at: deps.clock.now(),
      })
      .execute();
    record(
      tx,
      forceId,
      deps.clock,
      personLinked.of({ actor: { type: 'staff', id: staffId }, subjectId: input.personId, data: { linkId: id, otherPersonId: input.otherPersonId, reason: input.reason } }),
    );
    return { id };
  });
}

/** Undoes a link; the link and its undoing both stay on record. */
export async function unlinkPeople(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, input: { personId: string; linkId: string; reason: string }) {
  return withForce(deps.db, forceId, async (tx) => {
    const updated = await tx
      .updateTable('person_links')
      .set({ unlinked_at: deps.clock.now(), unlinked_by: staffId })
      .where('force_id', '=', forceId)
      .where('id', '=', input.linkId)
      .where((eb) => eb.or([eb('person_id', '=', input.personId), eb('linked_person_id', '=', input.personId)]))
      .where('unlinked_at', 'is', null)
      .returning(['id', 'person_id', 'linked_person_id'])
      .executeTakeFirst();
    if (!updated) throw notFound('active link');
    record(
      tx,
      forceId,
      deps.clock,
      personUnlinked.of({
        actor: { type: 'staff', id: staffId },
        subjectId: input.personId,
        data: { linkId: updated.id, otherPersonId: updated.person_id === input.personId ? updated.linked_person_id : updated.person_id, reason: input.reason },
      }),
    );
  });
}
