import { createHash } from 'node:crypto';
import type { Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import type { RecordsCaseUpdate } from './records-integration.schema.ts';
import { findVictimPerson } from './case-victim-person.service.ts';
import { detailsOf, personDifferences } from './case-people.service.ts';
import { casePersonAdded, casePersonChanged, caseRemovedPersonStillListed } from './case-people.events.ts';
import { CasePersonMoveRefused, casePersonState, moveCasePerson } from './case-person.machine.ts';
import { retimeVictimUpdates } from './victim-updates.service.ts';
import { dayOrTimeOf } from './uk-days.schema.ts';
import { postalAddressOf, postalColumnsOf } from './postal-address.schema.ts';

// The parts of a case a records-system update compares with what it said before: its victims
// (kept by the records system's reference for each), its court date and its appointments (read
// back from the case's own events, so there is one record of them).

type Victim = NonNullable<RecordsCaseUpdate['victims']>[number];

/** JSON with every object's keys in order, so the same content always reads the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What an update says, as a SHA-256 of its content as validated: the same update sent again
 * (a retry) has the same one, whatever the order of its fields (decision 0070).
 */
export function contentHashOf(update: RecordsCaseUpdate): string {
  return createHash('sha256').update(stableJson(update)).digest('hex');
}

/**
 * A victim staff removed whom the records system still lists: staff removal stands (decision
 * 0080), so they are not added back and their removed row is not changed. The first update that
 * lists them after the removal says so once on the case's timeline, through the person's machine;
 * later ones have nothing new to say.
 */
async function noteRemovedVictimListed(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock'>,
  forceId: ForceId,
  actor: Actor,
  caseId: string,
  row: { id: string; person_id: string | null; name: string; enhanced_rights: boolean; removed_at: Date | null; listed_after_removal_at: Date | null },
  reference: string,
): Promise<void> {
  const move = moveCasePerson(casePersonState(row), 'listed_after_removal');
  if (move instanceof CasePersonMoveRefused) return;
  row.listed_after_removal_at = deps.clock.now();
  await tx.updateTable('case_people').set({ listed_after_removal_at: row.listed_after_removal_at }).where('force_id', '=', forceId).where('id', '=', row.id).execute();
  record(
    tx,
    forceId,
    deps.clock,
    caseRemovedPersonStillListed.of({
      actor,
      subjectId: caseId,
      data: { casePersonId: row.id, role: 'victim', personId: row.person_id, source: 'records_system', note: null, details: { ...detailsOf({ role: 'victim', ...row }), recordsReference: reference }, recordsReference: reference },
    }),
  );
}

/**
 * Adds the victims the case lacks and brings the known ones up to date, matched by the records
 * system's reference: a change records `case.person_changed` with what differs (the same details
 * again record nothing), and a change of enhanced rights re-times the victim's open clocks. A victim with an email address or a phone number is the person who holds it
 * (`findVictimPerson`), so they can open the case page the journeys write to. A victim staff
 * removed stays removed (`noteRemovedVictimListed`).
 */
export async function upsertRecordsVictims(tx: Tx, deps: Pick<ServiceDeps, 'clock'>, forceId: ForceId, actor: Actor, caseId: string, victims: readonly Victim[]): Promise<void> {
  const rows = await tx
    .selectFrom('case_people')
    .select(['id', 'records_reference', 'person_id', 'name', 'email', 'phone', 'language', 'enhanced_rights', 'postal_lines', 'postal_town', 'postal_postcode', 'removed_at', 'listed_after_removal_at'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('records_reference', 'is not', null)
    .execute();
  const byReference = new Map(rows.map((row) => [row.records_reference, row]));
  for (const victim of victims) {
    // As with an email address or a phone number, an update that gives no postal address clears it.
    const postalAddress = victim.postalAddress ?? null;
    const values = { name: victim.name, email: victim.email ?? null, phone: victim.phone ?? null, language: victim.language ?? null, enhanced_rights: victim.enhancedRights ?? false, ...postalColumnsOf(postalAddress) };
    const known = byReference.get(victim.reference);
    if (known?.removed_at) {
      await noteRemovedVictimListed(tx, deps, forceId, actor, caseId, known, victim.reference);
      continue;
    }
    const linked = known?.person_id ? { personId: null, events: [] } : await findVictimPerson(tx, forceId, deps.clock, actor, { caseId, ...values });
    if (linked.events.length > 0) record(tx, forceId, deps.clock, ...linked.events);
    if (!known) {
      const id = newId();
      await tx
        .insertInto('case_people')
        .values({ id, force_id: forceId, case_id: caseId, person_id: linked.personId, role: 'victim', records_reference: victim.reference, added_at: deps.clock.now(), ...values })
        .execute();
      // Recorded as a victim an investigator adds is: on the case's timeline, and their clocks opened.
      record(
        tx,
        forceId,
        deps.clock,
        casePersonAdded.of({ actor, subjectId: caseId, data: { casePersonId: id, role: 'victim', personId: linked.personId, source: 'records_system', note: null, details: detailsOf({ role: 'victim', ...values }) } }),
      );
      // A reference given twice in one update (the same entry repeated; the schema refuses two that differ) is one victim.
      byReference.set(victim.reference, { id, records_reference: victim.reference, person_id: linked.personId, removed_at: null, listed_after_removal_at: null, ...values });
      continue;
    }
    const { changed, from, to } = personDifferences({ ...known, postalAddress: postalAddressOf(known) }, { ...values, postalAddress }, ['name', 'email', 'phone', 'language', 'enhancedRights', 'postalAddress']);
    if (changed.length === 0 && !linked.personId) continue;
    const person = linked.personId ? { person_id: linked.personId } : {};
    await tx.updateTable('case_people').set({ ...values, ...person }).where('force_id', '=', forceId).where('id', '=', known.id).execute();
    byReference.set(victim.reference, { ...known, ...values, ...person });
    if (changed.length === 0) continue;
    // Recorded as an investigator's change is: what differs, and their open clocks re-timed to new rights.
    const retimed = changed.includes('enhancedRights') ? await retimeVictimUpdates(tx, forceId, deps.clock, known.id, values.enhanced_rights, { actor, source: 'records_system' }) : 0;
    record(
      tx,
      forceId,
      deps.clock,
      casePersonChanged.of({
        actor,
        subjectId: caseId,
        data: { casePersonId: known.id, role: 'victim', personId: known.person_id ?? linked.personId, source: 'records_system', note: null, details: detailsOf({ role: 'victim', ...values }), changed, from, to, retimed },
      }),
    );
  }
}

/** A court listing or an appointment as a case records it: its instant, and whether only its day is known. */
export type CourtListing = { at: string; isDateOnly: boolean; place: string };

/** The listing a records system gave, its time as `dayOrTimeOf` reads it. */
export function courtListingOf(given: { at: string; place?: string | undefined }): CourtListing {
  return { ...dayOrTimeOf(given.at), place: given.place ?? '' };
}

/** Whether a listing or an appointment says something the case's last word did not: another day or time, another place. */
export function isNewListing(last: { at: string; place: string; isDateOnly: boolean } | null | undefined, listing: CourtListing): boolean {
  return !last || Date.parse(last.at) !== Date.parse(listing.at) || last.isDateOnly !== listing.isDateOnly || last.place !== listing.place;
}

export type RecordsHistory = {
  courtDate: { at: string; place: string; isDateOnly: boolean } | null;
  appointments: Map<string, { at: string; place: string; isDateOnly: boolean; isCancelled: boolean }>;
};

/** The case's latest court date and each appointment's latest state, from its events. */
export async function readRecordsHistory(tx: Tx, forceId: ForceId, caseId: string): Promise<RecordsHistory> {
  const events = await tx
    .selectFrom('events')
    .select(['type', 'data'])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', 'in', ['case.court_date_set', 'case.appointment_made', 'case.appointment_changed', 'case.appointment_cancelled'])
    .orderBy('seq')
    .execute();
  const history: RecordsHistory = { courtDate: null, appointments: new Map() };
  for (const event of events) {
    const details = (event.data as { details?: Record<string, unknown> }).details ?? {};
    const at = typeof details.at === 'string' ? details.at : '';
    const place = typeof details.place === 'string' ? details.place : '';
    if (event.type === 'case.court_date_set') {
      history.courtDate = { at, place, isDateOnly: details.isDateOnly === 'true' };
      continue;
    }
    const reference = details.appointmentReference;
    if (typeof reference !== 'string') continue;
    history.appointments.set(reference, { at, place, isDateOnly: details.isDateOnly === 'true', isCancelled: event.type === 'case.appointment_cancelled' });
  }
  return history;
}
