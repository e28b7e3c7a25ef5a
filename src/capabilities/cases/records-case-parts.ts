import type { Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import type { RecordsCaseUpdate } from './records-integration.schema.ts';
import { findVictimPerson } from './case-victim-person.ts';

// The parts of a case a records-system update compares with what it said before: its victims
// (kept by the records system's reference for each), its court date and its appointments (read
// back from the case's own events, so there is one record of them).

type Victim = NonNullable<RecordsCaseUpdate['victims']>[number];

/**
 * Adds the victims the case lacks and brings the known ones up to date, matched by the records
 * system's reference. A victim with an email address or a phone number is the person who holds it
 * (`findVictimPerson`), so they can open the case page the journeys write to.
 */
export async function upsertRecordsVictims(tx: Tx, deps: Pick<ServiceDeps, 'clock'>, forceId: ForceId, actor: Actor, caseId: string, victims: readonly Victim[]): Promise<void> {
  const rows = await tx
    .selectFrom('case_people')
    .select(['id', 'records_reference', 'person_id', 'name', 'email', 'phone', 'language', 'enhanced_rights'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('records_reference', 'is not', null)
    .execute();
  const byReference = new Map(rows.map((row) => [row.records_reference, row]));
  for (const victim of victims) {
    const values = { name: victim.name, email: victim.email ?? null, phone: victim.phone ?? null, language: victim.language ?? null, enhanced_rights: victim.enhancedRights ?? false };
    const known = byReference.get(victim.reference);
    const linked = known?.person_id ? { personId: null, events: [] } : await findVictimPerson(tx, forceId, deps.clock, actor, { caseId, ...values });
    if (linked.events.length > 0) record(tx, forceId, deps.clock, ...linked.events);
    if (!known) {
      const id = newId();
      await tx
        .insertInto('case_people')
        .values({ id, force_id: forceId, case_id: caseId, person_id: linked.personId, role: 'victim', records_reference: victim.reference, added_at: deps.clock.now(), ...values })
        .execute();
      // A reference given twice in one update is one victim: the later entry is its last word.
      byReference.set(victim.reference, { id, records_reference: victim.reference, person_id: linked.personId, ...values });
      continue;
    }
    const isSame = known.name === values.name && known.email === values.email && known.phone === values.phone && known.language === values.language && known.enhanced_rights === values.enhanced_rights;
    if (isSame && !linked.personId) continue;
    const person = linked.personId ? { person_id: linked.personId } : {};
    await tx.updateTable('case_people').set({ ...values, ...person }).where('force_id', '=', forceId).where('id', '=', known.id).execute();
    byReference.set(victim.reference, { ...known, ...values, ...person });
  }
}

export type RecordsHistory = {
  courtDate: { at: string; place: string } | null;
  appointments: Map<string, { at: string; place: string; isCancelled: boolean }>;
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
      history.courtDate = { at, place };
      continue;
    }
    const reference = details.appointmentReference;
    if (typeof reference !== 'string') continue;
    history.appointments.set(reference, { at, place, isCancelled: event.type === 'case.appointment_cancelled' });
  }
  return history;
}
