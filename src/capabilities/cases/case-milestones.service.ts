import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { ROLE_LABELS, STAFF_ROLES, roleHasPermission, type StaffRole } from '../../platform/auth/permissions.ts';
import { caseMilestoneEvent } from './case.events.ts';
import { appointmentsOf, readCaseMilestones, type Appointment } from './case-appointments.schema.ts';
import { readAppointmentEvents, requireCurrentAppointment, requireReachableTime } from './case-appointments.repository.ts';
import { COURT_DATE_EVENTS, restoredListing } from './court-dates.schema.ts';
import { caseRow, caseState, moveCase, type CaseMove, type CaseMoveType } from './case.machine.ts';
import { getCase, requireCrimeType, type CaseView } from './cases.service.ts';
import { dateAloneOf, ukDayOf, ukMidnightOf } from './uk-days.schema.ts';

// A case's milestones: what an investigator or the force's records system says happened, each
// one a move of the case's machine and one event, from which the victim's messages follow. So a
// milestone that would tell a victim something false or empty (a time not given, an appointment
// that is not there, an officer who has left) is refused before it is recorded.

/** One milestone asked of a case, with what the person or system said about it. */
export type CaseMilestone = {
  type: Exclude<CaseMoveType, 'record'>;
  note?: string | null;
  /** For `allocate`: the officer in case (a staff id) and/or the team. */
  officerInCase?: string | null;
  team?: string | null;
  /** For `close`: the Home Office outcome code and the reason in words. */
  outcomeCode?: string;
  reason?: string;
  /** The reason in Welsh, told to a Welsh-speaking victim instead. */
  reasonCy?: string;
  /** For court dates and appointments: when (ISO) and where. */
  at?: string;
  place?: string;
  crimeType?: string;
  /** For an appointment's change or cancellation: which one (the event that made it). */
  appointmentId?: string;
  /** Further particulars for the timeline (the records system's appointment reference, say). */
  details?: Record<string, string>;
  /** The client's id for the request: a milestone already recorded with it on the case is not recorded again. */
  submissionId?: string;
};

/** Milestones whose message tells the victim a time to come, and so must have one. */
const NEEDS_TIME: ReadonlySet<CaseMilestone['type']> = new Set(['appointment_made', 'appointment_changed', 'court_date_set']);
/** Milestones whose message tells the victim where to go. */
const NEEDS_PLACE: ReadonlySet<CaseMilestone['type']> = new Set(['appointment_made', 'court_date_set']);
/** Milestones staff may give as a day alone: an appointment whose time is not known yet (decision 0080). */
const MAY_BE_DAY_ALONE: ReadonlySet<CaseMilestone['type']> = new Set(['appointment_made', 'appointment_changed']);

/** Whether a milestone's time stands for its day alone (`isDateOnly`, decision 0077). */
const isDayAlone = (milestone: CaseMilestone): boolean => milestone.details?.isDateOnly === 'true';

/**
 * A staff milestone as the case records it: a date written alone ("2026-03-17") is a day whose
 * time is not known yet, stored as the records system's is (decision 0077): the UK midnight that
 * begins the day, with `isDateOnly`, so the victim is told the day, reminded at 09:00 UK time the
 * day before, and given an all-day calendar entry. Pure.
 */
export function withDayAlone(milestone: CaseMilestone): CaseMilestone {
  const day = milestone.at ? dateAloneOf(milestone.at) : null;
  if (!day) return milestone;
  return { ...milestone, at: ukMidnightOf(day).toISOString(), details: { ...milestone.details, isDateOnly: 'true' } };
}

/**
 * Refuses a staff milestone whose message would have blanks or a time gone by: an appointment or
 * a court date needs its time, in the future (and within reach: `recordCaseMilestone`), and a
 * new one its place. An appointment may be a day alone, today or later: a day has not passed
 * until it is over (decision 0077). A court date may not: the hearing's time is what the
 * Witness Care Unit gives. (The records system's milestones are checked where its update is
 * taken: it resends past dates.)
 */
export function requireMilestoneParticulars(now: Date, milestone: CaseMilestone): void {
  if (isDayAlone(milestone) && !MAY_BE_DAY_ALONE.has(milestone.type)) {
    throw invalid('at', 'must be a date and time: only an appointment may be given as a day whose time is not known yet');
  }
  if (NEEDS_TIME.has(milestone.type)) {
    if (!milestone.at) throw invalid('at', `must be given: the victim is told when the ${milestone.type === 'court_date_set' ? 'hearing' : 'appointment'} is`);
    if (isDayAlone(milestone)) {
      if (ukDayOf(Date.parse(milestone.at)).day < ukDayOf(now.getTime()).day) throw invalid('at', 'must be today or a day to come: the victim is told to come that day');
    } else if (Date.parse(milestone.at) <= now.getTime()) {
      throw invalid('at', 'must be in the future: the victim is told to come then');
    }
  }
  if (NEEDS_PLACE.has(milestone.type) && !milestone.place?.trim()) {
    throw invalid('place', `must be given: the victim is told where the ${milestone.type === 'court_date_set' ? 'hearing' : 'appointment'} is`);
  }
}

async function requireOutcome(tx: Tx, forceId: ForceId, code: string): Promise<void> {
  const found = await tx.selectFrom('case_outcome_types').select('code').where('force_id', '=', forceId).where('code', '=', code).where('active', '=', true).executeTakeFirst();
  if (!found) throw invalid('outcomeCode', `is not one of the force's outcome types (${code})`);
}

const isStaffRole = (role: string): role is StaffRole => (STAFF_ROLES as readonly string[]).includes(role);

/** Whether a member of staff may be a case's officer in case: active, in a role that works cases. */
export function canBeOfficerInCase(staff: { is_active: boolean; role: string }): boolean {
  return staff.is_active && isStaffRole(staff.role) && roleHasPermission(staff.role, 'cases:investigate');
}

/** The officer an allocation names: one of the force's active staff whose role works cases. */
async function requireOfficerInCase(tx: Tx, forceId: ForceId, staffId: string): Promise<{ id: string; name: string }> {
  const officer = await tx.selectFrom('staff').select(['id', 'name', 'role', 'is_active']).where('force_id', '=', forceId).where('id', '=', staffId).executeTakeFirst();
  if (!officer) throw invalid('officerInCase', 'is not a member of staff of this force');
  if (!officer.is_active) throw invalid('officerInCase', `${officer.name} is deactivated; choose an officer who works cases now`);
  if (!canBeOfficerInCase(officer)) {
    const role = isStaffRole(officer.role) ? ROLE_LABELS[officer.role].toLowerCase() : officer.role;
    throw invalid('officerInCase', `${officer.name} is a ${role}, a role that does not work cases; choose an investigator or a supervisor`);
  }
  return officer;
}

/**
 * The appointment a staff change or cancellation is about: the one it names, or the latest one
 * standing. Refused when there is none, which the victim would otherwise be told of.
 */
async function requireStandingAppointment(tx: Tx, forceId: ForceId, caseId: string, appointmentId: string | undefined): Promise<Appointment> {
  const appointments = appointmentsOf(await readAppointmentEvents(tx, forceId, caseId));
  const target = appointmentId ? appointments.find((a) => a.id === appointmentId) : appointments.findLast((a) => a.status === 'current');
  if (!target) {
    if (appointmentId) throw invalid('appointmentId', 'is not an appointment on this case');
    throw conflict('this case has no appointment standing to change or cancel; record the appointment as made first');
  }
  if (target.status === 'cancelled') throw invalid('appointmentId', 'is an appointment already cancelled');
  return target;
}

/**
 * The time (a day alone stays one) and place of the appointment a change is about, the one it
 * names or the latest standing; none when the case has no such appointment or it names no time.
 */
async function standingParticulars(tx: Tx, forceId: ForceId, caseId: string, appointmentId: string | undefined): Promise<Record<string, string>> {
  const appointments = appointmentsOf(await readAppointmentEvents(tx, forceId, caseId));
  const target = appointmentId ? appointments.find((a) => a.id === appointmentId) : appointments.findLast((a) => a.status === 'current');
  if (!target?.at) return {};
  return { at: target.at, ...(target.isDateOnly ? { isDateOnly: 'true' } : {}), ...(target.place ? { place: target.place } : {}) };
}

/** Whether a milestone with this submission id is already on the case (its row is locked by the caller). */
async function isSubmitted(tx: Tx, forceId: ForceId, caseId: string, submissionId: string): Promise<boolean> {
  const found = await tx
    .selectFrom('events')
    .select('id')
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', 'like', 'case.%')
    .where(sql<string>`data->>'submissionId'`, '=', submissionId)
    .executeTakeFirst();
  return found !== undefined;
}

/**
 * Applies a milestone to a locked case row in the caller's transaction: the machine decides, the
 * row follows, one event is appended. One whose submission id the case has seen does nothing.
 */
export async function applyCaseMilestone(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock'>,
  forceId: ForceId,
  caseId: string,
  actor: Actor,
  milestone: CaseMilestone,
  source: 'staff' | 'records_system',
): Promise<void> {
  const row = await tx
    .selectFrom('cases')
    .select(['id', 'reference', 'status', 'suspect_stage', 'charged', 'outcome_code'])
    .where('force_id', '=', forceId)
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('case');
  // The lock makes a second delivery of the same request wait for the first, then find it here.
  if (milestone.submissionId && (await isSubmitted(tx, forceId, caseId, milestone.submissionId))) return;
  const move: CaseMove = milestone.type === 'close' ? { type: 'close', outcomeCode: milestone.outcomeCode ?? '' } : { type: milestone.type };
  if (move.type === 'close') {
    if (!milestone.outcomeCode) throw invalid('outcomeCode', 'is required to close a case');
    if (!milestone.reason?.trim()) throw invalid('reason', 'is required to close a case: the victim is told why');
    await requireOutcome(tx, forceId, milestone.outcomeCode);
  }
  const { to, event } = moveCase(caseState(row), move);
  // After the machine: a court date on a case with no charge is refused for that, not for its blanks.
  if (source === 'staff') requireMilestoneParticulars(deps.clock.now(), milestone);
  const details: Record<string, string> = { ...milestone.details };
  const extra: { officer_in_case?: string | null; team?: string | null; closed_reason?: string | null; crime_type?: string } = {};
  if (milestone.type === 'allocate') {
    if (!milestone.officerInCase && !milestone.team) throw invalid('officerInCase', 'allocate to an officer in case, a team, or both');
    if (milestone.officerInCase) {
      const officer = await requireOfficerInCase(tx, forceId, milestone.officerInCase);
      details.officerInCase = officer.id;
      details.officerName = officer.name;
      extra.officer_in_case = officer.id;
    }
    if (milestone.team) {
      details.team = milestone.team;
      extra.team = milestone.team;
    }
  }
  if (milestone.type === 'close') {
    details.outcomeCode = milestone.outcomeCode ?? '';
    details.reason = milestone.reason ?? '';
    if (milestone.reasonCy?.trim()) details.reasonCy = milestone.reasonCy.trim();
    extra.closed_reason = milestone.reason ?? null;
  }
  if (milestone.type === 'reopen') extra.closed_reason = null;
  if (milestone.crimeType) {
    await requireCrimeType(tx, forceId, milestone.crimeType);
    details.crimeType = milestone.crimeType;
    extra.crime_type = milestone.crimeType;
  }
  if (milestone.appointmentId && milestone.type !== 'appointment_changed' && milestone.type !== 'appointment_cancelled') {
    throw invalid('appointmentId', 'is only for changing or cancelling an appointment');
  }
  if (source === 'staff' && (milestone.type === 'appointment_changed' || milestone.type === 'appointment_cancelled')) {
    const appointment = await requireStandingAppointment(tx, forceId, caseId, milestone.appointmentId);
    details.appointmentId = appointment.id;
    // A change that gives no new place keeps the old one, and the victim is told it.
    if (milestone.type === 'appointment_changed' && !milestone.place && appointment.place) details.place = appointment.place;
  } else if (milestone.appointmentId) {
    await requireCurrentAppointment(tx, forceId, caseId, milestone.appointmentId);
    details.appointmentId = milestone.appointmentId;
  }
  // A cancellation names the appointment it cancels, the latest standing when it names none: one
  // that can name none had nothing to cancel, and tells no victim of a cancellation (decision 0126).
  if (milestone.type === 'appointment_cancelled' && !details.appointmentId) {
    const standing = appointmentsOf(await readAppointmentEvents(tx, forceId, caseId)).findLast((a) => a.status === 'current');
    if (standing) details.appointmentId = standing.id;
  }
  // A change that gives no time (a records system's status the force maps to it) leaves the
  // appointment's time standing: the change says so, so the victim is told it, and reminded of it
  // in place of the reminder the change takes back (decision 0117).
  if (milestone.type === 'appointment_changed' && !milestone.at) Object.assign(details, await standingParticulars(tx, forceId, caseId, milestone.appointmentId));
  if (milestone.at) details.at = milestone.at;
  if (milestone.place) details.place = milestone.place;
  // A case closed by mistake and reopened has the hearing its closing ended, if still to come:
  // the reopening lists it again, so the victim is reminded of it (decision 0121).
  if (milestone.type === 'reopen') Object.assign(details, restoredListing(await readCaseMilestones(tx, forceId, caseId, COURT_DATE_EVENTS), deps.clock.now()));
  await tx
    .updateTable('cases')
    .set({ ...caseRow(to), ...extra, updated_at: deps.clock.now() })
    .where('force_id', '=', forceId)
    .where('id', '=', caseId)
    .execute();
  if (event === 'case.created') throw new Error('a milestone never records a case');
  const submission = milestone.submissionId ? { submissionId: milestone.submissionId } : {};
  record(tx, forceId, deps.clock, caseMilestoneEvent(event, { actor, caseId, data: { reference: row.reference, source, note: milestone.note ?? null, details, ...submission } }));
}

/** An investigator records a milestone on a case (an appointment may be a day alone); the same submission id again records nothing more. */
export async function recordCaseMilestone(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, caseId: string, asked: CaseMilestone): Promise<CaseView> {
  const milestone = withDayAlone(asked);
  // A time out of reach is bad input whatever the case: refused before the case is read.
  if (milestone.at) requireReachableTime(deps.clock.now(), milestone.at, 'at');
  await withForce(deps.db, forceId, (tx) => applyCaseMilestone(tx, deps, forceId, caseId, { type: 'staff', id: staffId }, milestone, 'staff'));
  // Read after commit: the recorder appends the milestone's event as the transaction commits.
  return getCase(deps, forceId, caseId);
}
