import { withForce, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict } from '../../platform/errors.ts';
import { GRADES, type Grade } from '../grading/grading.schema.ts';
import { isIncidentEnding, requireLiveIncident } from './incident.machine.ts';
import { insertIncident, loadIncident, lockIncident } from './incidents.service.ts';
import type { IncidentView } from './incidents.schema.ts';
import { incidentRegraded } from './response-clocks.events.ts';
import { syncResponseClock } from './response-clocks.service.ts';

/** The opening code of an incident made by grading a contact, until someone classifies it. */
export const UNCLASSIFIED_TYPE = 'unclassified';

/**
 * Sets the grade of a live incident in the caller's transaction (locking it) and recomputes its
 * countdown against the new grade's targets. Setting the grade it already has is a conflict.
 */
export async function setIncidentGrade(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  staffId: StaffId,
  incidentId: string,
  input: { grade: Grade; reason: string | null; contactId: string | null },
): Promise<void> {
  const incident = await lockIncident(tx, forceId, incidentId);
  requireLiveIncident(incident.state, 'grading it');
  const current = await tx.selectFrom('incidents').select('grade').where('force_id', '=', forceId).where('id', '=', incidentId).executeTakeFirstOrThrow();
  if (current.grade === input.grade) throw conflict(`this incident is already graded ${input.grade}`);
  await tx.updateTable('incidents').set({ grade: input.grade, updated_at: clock.now() }).where('force_id', '=', forceId).where('id', '=', incidentId).execute();
  record(
    tx,
    forceId,
    clock,
    incidentRegraded.of({ actor: { type: 'staff', id: staffId }, subjectId: incidentId, data: { from: current.grade, to: input.grade, reason: input.reason, contactId: input.contactId } }),
  );
  await syncResponseClock(tx, forceId, clock, incidentId, 'regraded');
}

/** Whether grade `a` is more urgent than `b` (any grade is more urgent than none). */
export function isMoreUrgent(a: Grade | null, b: Grade | null): boolean {
  if (a === null) return false;
  return b === null || GRADES.indexOf(a) < GRADES.indexOf(b);
}

/** Grades or regrades an incident from its own screen; the countdown is recomputed against the new targets. */
export async function regradeIncident(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, incidentId: string, input: { grade: Grade; reason?: string | undefined }): Promise<IncidentView> {
  return withForce(deps.db, forceId, async (tx) => {
    await setIncidentGrade(tx, forceId, deps.clock, staffId, incidentId, { grade: input.grade, reason: input.reason?.trim() || null, contactId: null });
    return loadIncident(tx, forceId, incidentId);
  });
}

/**
 * Carries a contact's new grade onto its incident, in the grading's transaction: the live incident
 * the contact is linked to is regraded (unless it already has that grade, or has ended); a contact
 * on no incident gets a new one, unclassified, unless the grade needs no deployment. Returns the incident.
 */
export async function gradeContactIncident(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  staffId: StaffId,
  input: { contactId: string; grade: Grade; reason: string | null },
): Promise<string | null> {
  const link = await tx
    .selectFrom('incident_contacts as l')
    .innerJoin('incidents as i', 'i.id', 'l.incident_id')
    .select(['i.id', 'i.grade', 'i.status'])
    .where('l.force_id', '=', forceId)
    .where('l.contact_id', '=', input.contactId)
    .where('l.unlinked_at', 'is', null)
    .executeTakeFirst();
  if (link) {
    // An incident that has ended keeps the grade it was worked at.
    const isEnded = isIncidentEnding(link.status);
    if (!isEnded && link.grade !== input.grade) await setIncidentGrade(tx, forceId, clock, staffId, link.id, { grade: input.grade, reason: input.reason, contactId: input.contactId });
    return link.id;
  }
  if (input.grade === 'resolution_without_deployment') return null;
  return insertIncident(tx, forceId, clock, staffId, { type: UNCLASSIFIED_TYPE, grade: input.grade, contactIds: [input.contactId], requiredCapabilities: [] });
}
