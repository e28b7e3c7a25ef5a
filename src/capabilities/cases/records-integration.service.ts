import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { invalid } from '../../platform/errors.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { insertCase } from './cases.service.ts';
import { applyCaseMilestone, canBeOfficerInCase, type CaseMilestone } from './case-milestones.service.ts';
import { CASE_MOVE_EVENTS, caseState, type CaseMove, type CaseStatus } from './case.machine.ts';
import { recordsUpdateApplied } from './records-integration.events.ts';
import { findStatusMapping, planMoves, type CrimeTypeMapping, type MappedMove } from './records-mapping.schema.ts';
import { readRecordsMapping } from './records-mapping.service.ts';
import { contentHashOf, courtListingOf, isNewListing, readRecordsHistory, upsertRecordsVictims, type CourtListing } from './records-case-parts.service.ts';
import { hasStandingAppointment, requireReachableTime } from './case-appointments.repository.ts';
import type { RecordsCaseUpdate, RecordsUpdateResult } from './records-integration.schema.ts';

// Case updates from the force's records system (Niche, Athena, Connect). A case is found by the
// system and its reference; an update is applied once, in the order the records system made them
// (by its `updatedAt`), and its status becomes moves of the case's machine through the force's
// mapping, each one the same `case.*` event an investigator's milestone appends.

/** How far ahead of Bluelamp's clock an update's time may be. */
const MAX_CLOCK_AHEAD_MS = 24 * 3_600_000;

type CaseRow = {
  id: string;
  reference: string;
  status: CaseStatus;
  suspect_stage: 'none' | 'identified' | 'arrested' | 'interviewed';
  charged: boolean;
  outcome_code: string | null;
  officer_in_case: string | null;
  team: string | null;
  crime_type: string | null;
  summary: string;
  records_status: string | null;
  records_updated_at: Date | null;
};

async function lockCase(tx: Tx, forceId: ForceId, system: string, reference: string): Promise<CaseRow | undefined> {
  return tx
    .selectFrom('cases')
    .select(['id', 'reference', 'status', 'suspect_stage', 'charged', 'outcome_code', 'officer_in_case', 'team', 'crime_type', 'summary', 'records_status', 'records_updated_at'])
    .where('force_id', '=', forceId)
    .where('records_system', '=', system)
    .where('records_reference', '=', reference)
    .forUpdate()
    .executeTakeFirst();
}

/** The force's crime type for the update's code: one of its own, or the records system's code mapped to one. */
async function resolveCrimeType(tx: Tx, forceId: ForceId, mappings: readonly CrimeTypeMapping[], system: string, code: string): Promise<string | null> {
  const own = await tx.selectFrom('crime_types').select('code').where('force_id', '=', forceId).where('code', '=', code).where('active', '=', true).executeTakeFirst();
  if (own) return own.code;
  const wanted = code.toUpperCase();
  const mapped = mappings.find((m) => m.system === system && m.code === wanted) ?? mappings.find((m) => m.system === '*' && m.code === wanted);
  return mapped?.crimeType ?? null;
}

/**
 * The member of staff an officer-in-case field names: by email address (a collar number is not
 * known to Bluelamp), and only one who may be an officer in case (active, in a role that works cases).
 */
async function resolveOfficer(tx: Tx, forceId: ForceId, given: string): Promise<string | null> {
  if (!given.includes('@')) return null;
  const staff = await tx
    .selectFrom('staff')
    .select(['id', 'role', 'is_active'])
    .where('force_id', '=', forceId)
    .where(sql<string>`lower(email)`, '=', given.toLowerCase())
    .executeTakeFirst();
  return staff && canBeOfficerInCase(staff) ? staff.id : null;
}

/**
 * Whether an update with this time and content was applied to the case, by its
 * `records.update_applied` (those recorded before the content was kept have none: not applied).
 */
async function wasApplied(tx: Tx, forceId: ForceId, caseId: string, updatedAt: Date, contentHash: string): Promise<boolean> {
  const found = await tx
    .selectFrom('events')
    .select('id')
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', '=', recordsUpdateApplied.type)
    .where(sql<string>`data->>'updatedAt'`, '=', updatedAt.toISOString())
    .where(sql<string>`data->>'contentHash'`, '=', contentHash)
    .executeTakeFirst();
  return found !== undefined;
}

/** A court date milestone's particulars: its time (a day alone says so, for the victim's message) and its court. */
function listingMilestone(court: CourtListing): Pick<CaseMilestone, 'at' | 'place' | 'details'> {
  return { at: court.at, ...(court.place ? { place: court.place } : {}), ...(court.isDateOnly ? { details: { isDateOnly: 'true' } } : {}) };
}

/**
 * Applies one update from the force's records system: creates the case or changes it, or does
 * nothing for a duplicate (the same `updatedAt` and content as the last applied) or an update
 * older than it.
 * Every move goes through the case's machine and appends its `case.*` event.
 */
export async function applyRecordsUpdate(deps: ServiceDeps, forceId: ForceId, tokenId: string, update: RecordsCaseUpdate): Promise<RecordsUpdateResult> {
  const actor: Actor = { type: 'system', id: tokenId };
  const updatedAt = new Date(update.updatedAt);
  // A time far ahead (a records system's clock gone wrong) would make every later update look old.
  if (updatedAt.getTime() > deps.clock.now().getTime() + MAX_CLOCK_AHEAD_MS) throw invalid('updatedAt', 'is more than a day ahead of now; check the records system’s clock');
  const court = update.courtDate ? courtListingOf(update.courtDate) : null;
  if (court) requireReachableTime(deps.clock.now(), court.at, 'courtDate.at', true);
  update.appointments?.forEach((appointment, index) => requireReachableTime(deps.clock.now(), appointment.at, `appointments.${index}.at`, true));
  return withForce(deps.db, forceId, async (tx) => {
    // Two deliveries of one case's updates at once are taken one after the other, so the first can
    // create the case and the second finds it.
    const lockKey = `${forceId}:records:${update.system}:${update.reference}`;
    await sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`.execute(tx);
    const existing = await lockCase(tx, forceId, update.system, update.reference);
    const contentHash = contentHashOf(update);
    if (existing?.records_updated_at) {
      const last = existing.records_updated_at.getTime();
      // The same time is a retry only when the content is one applied at that time too: a records
      // system that stamps whole seconds can make two different changes in one (decision 0070),
      // and the later arrival is taken as the later change.
      const isDuplicate = updatedAt.getTime() === last && (await wasApplied(tx, forceId, existing.id, updatedAt, contentHash));
      if (updatedAt.getTime() < last || isDuplicate) {
        return {
          result: isDuplicate ? 'duplicate' : 'out_of_order',
          caseId: existing.id,
          caseReference: existing.reference,
          status: existing.status,
          moves: [],
          warnings: [],
          message: isDuplicate
            ? 'This update was applied before; nothing was changed'
            : `A later update (${existing.records_updated_at.toISOString()}) was applied already; this older one was ignored`,
        };
      }
    }
    const warnings: string[] = [];
    const mapping = await readRecordsMapping(tx, forceId);
    let crimeType: string | null | undefined;
    if (update.crimeType) {
      crimeType = await resolveCrimeType(tx, forceId, mapping.crimeTypes, update.system, update.crimeType);
      if (!crimeType) warnings.push(`crime type ${update.crimeType} is neither one of the force's crime types nor mapped to one; the case's crime type is unchanged`);
    }

    let caseId: string;
    let caseReference: string;
    if (existing) {
      caseId = existing.id;
      caseReference = existing.reference;
      const changes: { crime_type?: string; summary?: string } = {};
      if (crimeType && crimeType !== existing.crime_type) changes.crime_type = crimeType;
      if (update.summary !== undefined && update.summary !== existing.summary) changes.summary = update.summary;
      if (Object.keys(changes).length > 0) await tx.updateTable('cases').set(changes).where('force_id', '=', forceId).where('id', '=', caseId).execute();
    } else {
      const created = await insertCase(tx, deps, forceId, actor, {
        crimeType: crimeType ?? null,
        summary: update.summary ?? '',
        records: { system: update.system, reference: update.reference, updatedAt },
      });
      caseId = created.id;
      caseReference = created.reference;
    }
    if (update.victims) await upsertRecordsVictims(tx, deps, forceId, actor, caseId, update.victims);

    const applied: RecordsUpdateResult['moves'] = [];
    const apply = async (move: CaseMove, implied: boolean, milestone: Omit<CaseMilestone, 'type'> = {}) => {
      if (move.type === 'record') return;
      const note = implied ? `${update.system}: implied by status ${update.status ?? ''}`.trim() : update.status ? `${update.system} status ${update.status}` : `${update.system} update`;
      await applyCaseMilestone(tx, deps, forceId, caseId, actor, { type: move.type, note, ...milestone }, 'records_system');
      applied.push({ move: move.type, event: CASE_MOVE_EVENTS[move.type], implied });
    };
    const stateNow = async () => {
      const row = await tx.selectFrom('cases').select(['status', 'suspect_stage', 'charged', 'outcome_code', 'officer_in_case', 'team']).where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirstOrThrow();
      return { state: caseState(row), officer: row.officer_in_case, team: row.team };
    };

    // Allocation: when the officer in case or the team differs from the case's.
    let isAllocated = false;
    const officerGiven = update.officerInCase ?? null;
    const officerId = officerGiven ? await resolveOfficer(tx, forceId, officerGiven) : null;
    if (officerGiven && !officerId) warnings.push(`officer in case ${officerGiven} is not a member of this force's staff in Bluelamp who works cases (active, an investigator or a supervisor); only the team is recorded`);
    const before = await stateNow();
    if ((officerId && officerId !== before.officer) || (update.team && update.team !== before.team)) {
      if (before.state.status === 'closed') warnings.push('the case is closed: the change of officer or team was not recorded');
      else {
        await apply({ type: 'allocate' }, false, { officerInCase: officerId, team: update.team ?? null });
        isAllocated = true;
      }
    }

    // The status: only a status different from the one last applied moves the case.
    const plannedTypes = new Set<MappedMove>();
    if (update.status && update.status.toUpperCase() !== (existing?.records_status ?? '').toUpperCase()) {
      const entry = findStatusMapping(mapping.statuses, update.system, update.status);
      if (!entry) warnings.push(`status ${update.status} has no entry in the force's mapping for ${update.system}; no milestone was recorded`);
      else {
        const outcomeCode = update.outcome?.code ?? entry.outcomeCode;
        // The victim is told why, in their language: a reason given with the update (Welsh if given too), else the mapping's.
        const given = update.outcome?.reason;
        const reason = given ?? entry.reason ?? `Closed in ${update.system} with outcome ${outcomeCode ?? ''}`;
        const reasonCy = given ? (update.outcome?.reasonCy ?? null) : entry.reason ? entry.reasonCy : `Wedi’i gau yn ${update.system} gyda chanlyniad ${outcomeCode ?? ''}`;
        const wanted = entry.moves.filter((move) => {
          if (move !== 'allocate') return true;
          if (!isAllocated) warnings.push(`status ${update.status} means allocation, but no known officer or new team was given`);
          return false;
        });
        const plan = planMoves((await stateNow()).state, wanted, outcomeCode);
        for (const skipped of plan.skipped) warnings.push(`${skipped.move} not recorded: ${skipped.reason}`);
        for (const step of plan.moves) {
          // A court date set with no date (the records system's status came before the listing):
          // the victim would be told of a hearing "on  at ". Recorded when the date comes.
          if (step.move.type === 'court_date_set' && !court) {
            warnings.push(`court_date_set not recorded: status ${update.status} gave no courtDate; it is recorded, and the victim told, when an update gives the date`);
            continue;
          }
          // A change or a cancellation with no appointment standing is recorded, but tells no victim of
          // it (decisions 0122, 0126).
          if ((step.move.type === 'appointment_changed' || step.move.type === 'appointment_cancelled') && !(await hasStandingAppointment(tx, forceId, caseId))) {
            const what = step.move.type === 'appointment_changed' ? 'change' : 'cancellation';
            warnings.push(`status ${update.status} means ${step.move.type}, but the case has no appointment standing: the ${what} is recorded and the victims are not told of it`);
          }
          if (step.move.type !== 'record') plannedTypes.add(step.move.type);
          await apply(step.move, step.implied, {
            ...(step.move.type === 'close' ? { outcomeCode: step.move.outcomeCode, reason, ...(reasonCy ? { reasonCy } : {}) } : {}),
            ...(step.move.type === 'court_date_set' && court ? listingMilestone(court) : {}),
          });
        }
      }
    }

    // Court dates and appointments: what is new or changed since the records system's last word.
    const history = await readRecordsHistory(tx, forceId, caseId);
    if (court && !plannedTypes.has('court_date_set') && isNewListing(history.courtDate, court)) {
      const plan = planMoves((await stateNow()).state, ['court_date_set'], null);
      for (const step of plan.moves) {
        await apply(step.move, step.implied, step.move.type === 'court_date_set' ? listingMilestone(court) : {});
      }
    }
    // An appointment given twice in one update is one appointment: the later entry is its last word.
    // A day alone (or midnight UK time) is a day whose time is not known, as for a court date.
    const appointments = new Map((update.appointments ?? []).map((appointment) => [appointment.reference, { ...appointment, ...courtListingOf(appointment) }]));
    for (const appointment of appointments.values()) {
      const known = history.appointments.get(appointment.reference);
      const type = appointment.isCancelled
        ? known && !known.isCancelled
          ? 'appointment_cancelled'
          : null
        : !known || known.isCancelled
          ? 'appointment_made'
          : isNewListing(known, appointment)
            ? 'appointment_changed'
            : null;
      if (!type) continue;
      if ((await stateNow()).state.status === 'closed') {
        warnings.push(`appointment ${appointment.reference} not recorded: the case is closed`);
        continue;
      }
      await apply({ type }, false, {
        at: appointment.at,
        ...(appointment.place ? { place: appointment.place } : {}),
        details: { appointmentReference: appointment.reference, ...(appointment.isDateOnly ? { isDateOnly: 'true' } : {}) },
      });
    }

    await tx
      .updateTable('cases')
      .set({ records_updated_at: updatedAt, updated_at: deps.clock.now(), ...(update.status ? { records_status: update.status.toUpperCase() } : {}) })
      .where('force_id', '=', forceId)
      .where('id', '=', caseId)
      .execute();
    const status = (await stateNow()).state.status;
    record(
      tx,
      forceId,
      deps.clock,
      recordsUpdateApplied.of({
        actor,
        subjectId: caseId,
        data: { system: update.system, reference: update.reference, updatedAt: updatedAt.toISOString(), contentHash, status: update.status ?? null, isNew: !existing, moves: applied.map((m) => m.move), warnings },
      }),
    );
    return {
      result: existing ? 'updated' : 'created',
      caseId,
      caseReference,
      status: status === 'new' ? 'recorded' : status,
      moves: applied,
      warnings,
      message: existing ? `Case ${caseReference} updated` : `Case ${caseReference} created`,
    };
  });
}
