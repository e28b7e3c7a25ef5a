import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { findContactForAssessment } from '../thrive/thrive.service.ts';
import { loadGradeTargets } from './grading-settings.repository.ts';
import { parseGradeTargets } from './grading-settings.schema.ts';
import { GRADES, GRADE_LABELS, type Grade, type GradeDefinition, type GradeRecordView, type GradeView } from './grading.schema.ts';
import { contactGraded, contactRegraded } from './grading.events.ts';
import { isContactOpen, requireOpenContact } from '../contacts/contact.machine.ts';
import { gradeContactIncident } from '../incidents/incident-grades.service.ts';
import { storedLast } from '../../platform/db/stored-order.ts';

const GRADE_TEXT: Record<Grade, { label: string; description: string }> = {
  immediate: { label: GRADE_LABELS.immediate, description: 'Danger to life, use or threat of violence, serious injury, or a crime in progress: attend now.' },
  priority: { label: GRADE_LABELS.priority, description: 'Genuine concern for safety, evidence at risk, or a vulnerable person: attend soon.' },
  scheduled: { label: GRADE_LABELS.scheduled, description: 'Needs police attendance, but can wait for an appointment that suits the person.' },
  resolution_without_deployment: {
    label: GRADE_LABELS.resolution_without_deployment,
    description: 'Resolved by phone, online or by referral: no attendance.',
  },
};

/** The force's grade definitions with its attendance targets. */
export async function listGradeDefinitions(deps: ServiceDeps, forceId: ForceId): Promise<GradeDefinition[]> {
  return withForce(deps.db, forceId, async (tx) => {
    const targets = await loadGradeTargets(tx, forceId);
    return GRADES.map((grade) => ({ grade, ...GRADE_TEXT[grade], targetMinutes: targets[grade] }));
  });
}

/** Definitions with the built-in targets (for documentation and tests). */
export function defaultGradeDefinitions(): GradeDefinition[] {
  const targets = parseGradeTargets(null);
  return GRADES.map((grade) => ({ grade, ...GRADE_TEXT[grade], targetMinutes: targets[grade] }));
}

async function buildGradeView(deps: ServiceDeps, tx: Tx, forceId: ForceId, contactId: string): Promise<Omit<GradeView, 'incidentId'>> {
  const contact = await findContactForAssessment(tx, forceId, contactId);
  const rows = await tx
    .selectFrom('contact_grades as g')
    .innerJoin('staff as s', 's.id', 'g.graded_by')
    .select(['g.id', 'g.grade', 'g.previous_grade', 'g.reason', 'g.graded_at', 'g.graded_by', 's.name', 'g.target_minutes', 'g.target_at'])
    .where('g.force_id', '=', forceId)
    .where('g.contact_id', '=', contactId)
    .orderBy('g.graded_at', 'desc')
    .orderBy('g.seq', storedLast)
    .orderBy('g.id', 'desc')
    .execute();
  const history: GradeRecordView[] = rows.map((row) => ({
    id: row.id,
    grade: row.grade,
    previousGrade: (GRADES as readonly string[]).includes(row.previous_grade ?? '') ? (row.previous_grade as Grade) : null,
    reason: row.reason,
    gradedAt: row.graded_at.toISOString(),
    gradedBy: { id: row.graded_by, name: row.name },
    targetMinutes: row.target_minutes,
    targetAt: row.target_at?.toISOString() ?? null,
  }));
  const current = history[0] ?? null;
  const targetAt = rows[0]?.target_at ?? null;
  return {
    contactId,
    current,
    history,
    isTargetBreached: isContactOpen(contact.state) && targetAt !== null && deps.clock.now().getTime() > targetAt.getTime(),
  };
}

/** The contact's current grade, its target deadline, and every earlier grade. */
export async function getContactGrade(deps: ServiceDeps, forceId: ForceId, contactId: string): Promise<GradeView> {
  return withForce(deps.db, forceId, async (tx) => {
    const view = await buildGradeView(deps, tx, forceId, contactId);
    const link = await tx
      .selectFrom('incident_contacts')
      .select('incident_id')
      .where('force_id', '=', forceId)
      .where('contact_id', '=', contactId)
      .where('unlinked_at', 'is', null)
      .executeTakeFirst();
    return { ...view, incidentId: link?.incident_id ?? null };
  });
}

/**
 * Grades a contact, or regrades it. A regrade needs a reason and adds a row, so the original
 * grade and every change stay on record. The target deadline runs from this grading. The grade
 * is carried onto the contact's incident, which is created when the contact has none.
 */
export async function gradeContact(
  deps: ServiceDeps,
  forceId: ForceId,
  contactId: string,
  staffId: StaffId,
  input: { grade: Grade; reason?: string | undefined },
): Promise<GradeView> {
  return withForce(deps.db, forceId, async (tx) => {
    const contact = await findContactForAssessment(tx, forceId, contactId, true);
    requireOpenContact(contact.state, 'grade');
    const previous = await tx
      .selectFrom('contact_grades')
      .select(['grade'])
      .where('force_id', '=', forceId)
      .where('contact_id', '=', contactId)
      .orderBy('graded_at', 'desc')
      .orderBy('seq', storedLast)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const reason = input.reason?.trim() || null;
    if (previous && previous.grade === input.grade) throw conflict(`this contact is already graded ${input.grade}`);
    if (previous && !reason) throw invalid('body.reason', 'a regrade needs a reason');

    const targets = await loadGradeTargets(tx, forceId);
    const now = deps.clock.now();
    const targetMinutes = targets[input.grade];
    const targetAt = targetMinutes === null ? null : new Date(now.getTime() + targetMinutes * 60_000);
    const gradeId = newId();
    await tx
      .insertInto('contact_grades')
      .values({
        id: gradeId,
        force_id: forceId,
        contact_id: contactId,
        grade: input.grade,
        previous_grade: previous?.grade ?? null,
        reason,
        graded_by: staffId,
        graded_at: now,
        target_minutes: targetMinutes,
        target_at: targetAt,
      })
      .execute();
    const incidentId = await gradeContactIncident(tx, forceId, deps.clock, staffId, { contactId, grade: input.grade, reason });
    const actor = { type: 'staff', id: staffId } as const;
    const target = targetAt?.toISOString() ?? null;
    record(
      tx,
      forceId,
      deps.clock,
      previous
        ? contactRegraded.of({ actor, subjectId: contactId, data: { gradeId, from: previous.grade, to: input.grade, by: staffId, reason, targetAt: target } })
        : contactGraded.of({ actor, subjectId: contactId, data: { gradeId, grade: input.grade, reason, targetAt: target } }),
    );
    return { ...(await buildGradeView(deps, tx, forceId, contactId)), incidentId };
  });
}
