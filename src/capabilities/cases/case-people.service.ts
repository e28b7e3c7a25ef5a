import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { findContactHandles } from '../people/people.service.ts';
import { findSmsOptOutsOf } from '../channels/sms-opt-outs.service.ts';
import { findVictimPerson } from './case-victim-person.service.ts';
import { casePersonAdded, casePersonChanged, casePersonRemoved, type PersonField } from './case-people.events.ts';
import { retimeVictimUpdates, withdrawVictimUpdates } from './victim-updates.service.ts';
import { CasePersonMoveRefused, casePersonState, moveCasePerson } from './case-person.machine.ts';
import { postalAddressOf, postalColumnsOf, type PostalAddress } from './postal-address.schema.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// The people on a case (case_people): its victims, witnesses and suspects. The person who reported
// a case's contact or online report is recorded as its victim when the case is made (decision
// 0056); investigators add, change and remove people afterwards. Each change is one event on the
// case; a victim's enhanced rights (Victims' Code) set how soon their open clocks fall due.

export type CaseRole = 'victim' | 'witness' | 'suspect';
export type NewCasePerson = { role: CaseRole; name?: string | undefined; personId?: string | null | undefined; email?: string | null | undefined; phone?: string | null | undefined; postalAddress?: PostalAddress | null | undefined; enhancedRights?: boolean | undefined; note?: string | null | undefined };
export type CasePersonChange = { name?: string | undefined; email?: string | null | undefined; phone?: string | null | undefined; postalAddress?: PostalAddress | null | undefined; enhancedRights?: boolean | undefined; note?: string | null | undefined };

/** A person's particulars as their events give them for the timeline: name, role, and a victim's enhanced rights. */
export function detailsOf(row: { role: CaseRole; name: string; enhanced_rights: boolean }): Record<string, string> {
  return { name: row.name, role: row.role, ...(row.role === 'victim' ? { enhancedRights: row.enhanced_rights ? 'yes' : 'no' } : {}) };
}

/** A person's particulars as a change compares them. */
export type Particulars = { name: string; email: string | null; phone: string | null; language?: string | null; enhanced_rights: boolean; postalAddress?: PostalAddress | null };

/** Fields said to have changed but whose values stay out of the log: no event holds an address. */
const ADDRESS_FIELDS: ReadonlySet<PersonField> = new Set(['email', 'phone', 'postalAddress']);

function valueOf(row: Particulars, field: PersonField): string | null {
  if (field === 'enhancedRights') return row.enhanced_rights ? 'yes' : 'no';
  if (field === 'language') return row.language ?? null;
  // Compared whole, never logged (ADDRESS_FIELDS).
  if (field === 'postalAddress') return row.postalAddress ? JSON.stringify(row.postalAddress) : null;
  return row[field];
}

/**
 * What differs between a person's particulars before and after, among `fields`: the fields, in
 * that order, and each one's value before and after (an address's only as changed). Pure.
 */
export function personDifferences(before: Particulars, after: Particulars, fields: readonly PersonField[]): { changed: PersonField[]; from: Record<string, string | null>; to: Record<string, string | null> } {
  const changed = fields.filter((field) => valueOf(before, field) !== valueOf(after, field));
  const told = changed.filter((field) => !ADDRESS_FIELDS.has(field));
  return {
    changed,
    from: Object.fromEntries(told.map((field) => [field, valueOf(before, field)])),
    to: Object.fromEntries(told.map((field) => [field, valueOf(after, field)])),
  };
}

/**
 * Records each case's reporter (a known person) as its victim, with their name, email and phone
 * as known, in the caller's transaction and with one statement per read and write. Returns the
 * events for the caller to record beside its cases' own.
 */
export async function addReportersAsVictims(tx: Tx, clock: Clock, forceId: ForceId, actor: Actor, cases: readonly { caseId: string; personId: string }[]): Promise<NewEvent[]> {
  if (cases.length === 0) return [];
  const personIds = [...new Set(cases.map((c) => c.personId))];
  const names = new Map((await tx.selectFrom('people').select(['id', 'display_name']).where('force_id', '=', forceId).where('id', 'in', personIds).execute()).map((p) => [p.id, p.display_name]));
  const handles = await findContactHandles(tx, forceId, personIds);
  const now = clock.now();
  const rows = cases.map((c) => ({
    id: newId(),
    force_id: forceId,
    case_id: c.caseId,
    person_id: c.personId,
    role: 'victim' as const,
    name: names.get(c.personId) ?? '',
    email: handles.get(c.personId)?.email ?? null,
    phone: handles.get(c.personId)?.phone ?? null,
    enhanced_rights: false,
    added_at: now,
  }));
  await tx.insertInto('case_people').values(rows).execute();
  return rows.map((row) =>
    casePersonAdded.of({
      actor,
      subjectId: row.case_id,
      data: { casePersonId: row.id, role: 'victim', personId: row.person_id, source: 'reporter', note: null, details: detailsOf(row) },
    }),
  );
}

/** Records the victims named when a case is recorded directly, in the caller's transaction; returns their events. */
export async function addNamedVictims(tx: Tx, clock: Clock, forceId: ForceId, actor: Actor, caseId: string, victims: readonly { name: string; enhancedRights?: boolean | undefined }[]): Promise<NewEvent[]> {
  if (victims.length === 0) return [];
  const now = clock.now();
  const rows = victims.map((victim) => ({ id: newId(), force_id: forceId, case_id: caseId, person_id: null, role: 'victim' as const, name: victim.name, enhanced_rights: victim.enhancedRights ?? false, added_at: now }));
  await tx.insertInto('case_people').values(rows).execute();
  return rows.map((row) =>
    casePersonAdded.of({ actor, subjectId: caseId, data: { casePersonId: row.id, role: 'victim', personId: null, source: 'staff', note: null, details: detailsOf(row) } }),
  );
}

export type CasePersonView = {
  id: string;
  role: CaseRole;
  name: string;
  enhancedRights: boolean;
  personId: string | null;
  email: string | null;
  phone: string | null;
  /** A victim's postal address, for their letters (decision 0136); null when none is kept. */
  postalAddress: PostalAddress | null;
  /** When their number replied STOP to the force's texts, or staff recorded an opt-out: none is sent to it. */
  smsOptedOutAt: string | null;
  /** How: the person's STOP (lifted by their START) or recorded by staff (decision 0071); null when not opted out. */
  smsOptOutSource: 'keyword' | 'staff' | null;
};

/** The people on a case, in the order they were added, each with whether their number opted out of texts. */
export async function readCasePeople(tx: Tx, forceId: ForceId, caseId: string): Promise<CasePersonView[]> {
  const people = await tx
    .selectFrom('case_people')
    .select(['id', 'role', 'name', 'enhanced_rights', 'person_id', 'email', 'phone', 'postal_lines', 'postal_town', 'postal_postcode'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('removed_at', 'is', null)
    .orderBy('added_at')
    // Rows stored before `seq` (migration 0074) have none and come first: of those added at one time, by id (decision 0185).
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .execute();
  const optedOut = await findSmsOptOutsOf(tx, forceId, people.map((p) => p.phone));
  return people.map((p) => ({
    id: p.id,
    role: p.role,
    name: p.name,
    enhancedRights: p.enhanced_rights,
    personId: p.person_id,
    email: p.email,
    phone: p.phone,
    postalAddress: postalAddressOf(p),
    smsOptedOutAt: (p.phone ? optedOut.get(p.phone)?.at.toISOString() : undefined) ?? null,
    smsOptOutSource: (p.phone ? optedOut.get(p.phone)?.source : undefined) ?? null,
  }));
}

async function lockCase(tx: Tx, forceId: ForceId, caseId: string): Promise<void> {
  const found = await tx.selectFrom('cases').select('id').where('force_id', '=', forceId).where('id', '=', caseId).forUpdate().executeTakeFirst();
  if (!found) throw notFound('case');
}

/** Adds a victim, witness or suspect to a case: someone named, or a known person (their name, email and phone by default). */
export async function addCasePerson(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, caseId: string, input: NewCasePerson): Promise<{ id: string }> {
  if (input.enhancedRights && input.role !== 'victim') throw invalid('enhancedRights', 'is for a victim only');
  if (input.postalAddress && input.role !== 'victim') throw invalid('postalAddress', 'is kept for a victim only');
  return withForce(deps.db, forceId, async (tx) => {
    await lockCase(tx, forceId, caseId);
    let known: { name: string; email: string | null; phone: string | null } = { name: '', email: null, phone: null };
    if (input.personId) {
      const person = await tx.selectFrom('people').select(['id', 'display_name']).where('force_id', '=', forceId).where('id', '=', input.personId).executeTakeFirst();
      if (!person) throw invalid('personId', 'is not a person known to this force');
      const already = await tx
        .selectFrom('case_people')
        .select('id')
        .where('force_id', '=', forceId)
        .where('case_id', '=', caseId)
        .where('person_id', '=', input.personId)
        .where('role', '=', input.role)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      if (already) throw conflict(`this person is already a ${input.role} on the case`);
      const handle = (await findContactHandles(tx, forceId, [person.id])).get(person.id);
      known = { name: person.display_name ?? '', email: handle?.email ?? null, phone: handle?.phone ?? null };
    }
    const name = input.name?.trim() || known.name;
    if (!name) throw invalid('name', 'is required for someone who is not a known person with a name');
    const actor = { type: 'staff' as const, id: staffId };
    const email = input.email === undefined ? known.email : input.email;
    const phone = input.phone === undefined ? known.phone : input.phone;
    // A victim named with an address is the person who holds it, so the case page can be theirs.
    const linked = !input.personId && input.role === 'victim' ? await findVictimPerson(tx, forceId, deps.clock, actor, { caseId, name, email, phone }) : { personId: null, events: [] };
    const row = {
      id: newId(),
      force_id: forceId,
      case_id: caseId,
      person_id: input.personId ?? linked.personId,
      role: input.role,
      name,
      email,
      phone,
      ...postalColumnsOf(input.postalAddress ?? null),
      enhanced_rights: input.role === 'victim' && (input.enhancedRights ?? false),
      added_at: deps.clock.now(),
    };
    await tx.insertInto('case_people').values(row).execute();
    record(
      tx,
      forceId,
      deps.clock,
      ...linked.events,
      casePersonAdded.of({
        actor,
        subjectId: caseId,
        data: { casePersonId: row.id, role: row.role, personId: row.person_id, source: 'staff', note: input.note ?? null, details: detailsOf(row) },
      }),
    );
    return { id: row.id };
  });
}

async function requireCasePerson(tx: Tx, forceId: ForceId, caseId: string, casePersonId: string) {
  await lockCase(tx, forceId, caseId);
  const row = await tx
    .selectFrom('case_people')
    .select(['id', 'person_id', 'role', 'name', 'email', 'phone', 'enhanced_rights', 'postal_lines', 'postal_town', 'postal_postcode', 'removed_at', 'listed_after_removal_at'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('id', '=', casePersonId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('person on the case');
  return row;
}

/**
 * Changes a person's details on a case. A change of a victim's enhanced rights re-times their
 * clocks not yet met (`retimeVictimUpdates`), in the same transaction.
 */
export async function changeCasePerson(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, caseId: string, casePersonId: string, change: CasePersonChange): Promise<{ retimed: number }> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await requireCasePerson(tx, forceId, caseId, casePersonId);
    if (change.enhancedRights !== undefined && row.role !== 'victim') throw invalid('enhancedRights', 'is for a victim only');
    if (change.postalAddress && row.role !== 'victim') throw invalid('postalAddress', 'is kept for a victim only');
    if (change.name !== undefined && !change.name.trim()) throw invalid('name', 'must not be empty');
    const next = {
      name: change.name?.trim() ?? row.name,
      email: change.email === undefined ? row.email : change.email,
      phone: change.phone === undefined ? row.phone : change.phone,
      enhanced_rights: change.enhancedRights ?? row.enhanced_rights,
    };
    const before = { ...row, postalAddress: postalAddressOf(row) };
    const postalAddress = change.postalAddress === undefined ? before.postalAddress : change.postalAddress;
    const { changed, from, to } = personDifferences(before, { ...next, postalAddress }, ['name', 'email', 'phone', 'enhancedRights', 'postalAddress']);
    if (changed.length === 0) return { retimed: 0 };
    const actor = { type: 'staff' as const, id: staffId };
    // A victim named only until now, given an address, becomes the person who holds it (decision 0064).
    const linked =
      row.role === 'victim' && !row.person_id && (changed.includes('email') || changed.includes('phone'))
        ? await findVictimPerson(tx, forceId, deps.clock, actor, { caseId, name: next.name, email: next.email, phone: next.phone })
        : { personId: null, events: [] };
    const personId = row.person_id ?? linked.personId;
    await tx
      .updateTable('case_people')
      .set({ ...next, ...postalColumnsOf(postalAddress), ...(linked.personId ? { person_id: linked.personId } : {}) })
      .where('force_id', '=', forceId)
      .where('id', '=', casePersonId)
      .execute();
    const retimed = changed.includes('enhancedRights') ? await retimeVictimUpdates(tx, forceId, deps.clock, casePersonId, next.enhanced_rights, { actor, source: 'staff' }) : 0;
    record(
      tx,
      forceId,
      deps.clock,
      ...linked.events,
      casePersonChanged.of({
        actor,
        subjectId: caseId,
        data: { casePersonId, role: row.role, personId, source: 'staff', note: change.note ?? null, details: detailsOf({ role: row.role, ...next }), changed, from, to, retimed },
      }),
    );
    return { retimed };
  });
}

/**
 * Removes a person from a case, through their machine: the row is marked, never deleted; a victim
 * removed is told nothing more, and their Victims' Code updates not yet given are withdrawn
 * (decision 0077). The records system does not put them back (decision 0080).
 */
export async function removeCasePerson(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, caseId: string, casePersonId: string, note?: string | null): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const row = await requireCasePerson(tx, forceId, caseId, casePersonId);
    const move = moveCasePerson(casePersonState(row), 'remove');
    if (move instanceof CasePersonMoveRefused) throw move;
    const actor = { type: 'staff' as const, id: staffId };
    await tx.updateTable('case_people').set({ removed_at: deps.clock.now() }).where('force_id', '=', forceId).where('id', '=', casePersonId).execute();
    if (row.role === 'victim') await withdrawVictimUpdates(tx, forceId, deps.clock, casePersonId, { actor, source: 'staff' });
    record(
      tx,
      forceId,
      deps.clock,
      casePersonRemoved.of({
        actor,
        subjectId: caseId,
        data: { casePersonId, role: row.role, personId: row.person_id, source: 'staff', note: note ?? null, details: detailsOf(row) },
      }),
    );
  });
}
