import { createHash } from 'node:crypto';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { canonicalJson } from '../../platform/events/canonical-json.ts';
import { notFound } from '../../platform/errors.ts';
import { draftFromTriage } from './thrive-draft.schema.ts';
import { loadThriveSettings } from './thrive-settings.repository.ts';
import {
  THRIVE_ELEMENTS,
  type ThriveAssessmentView,
  type ThriveElement,
  type ThriveElementView,
  type ThriveInput,
  type ThriveView,
} from './thrive.schema.ts';
import { thriveAssessed } from './thrive.events.ts';
import { isContactOpen, requireOpenContact } from '../contacts/contact.machine.ts';
import { findContactToWorkOn } from '../contacts/contact-records.service.ts';
import { storedLast } from '../../platform/db/stored-order.ts';

type AssessmentRow = {
  id: string;
  assessed_at: Date;
  elements: { [key: string]: JsonValue };
  reassessment_due_at: Date;
  reassessment_flagged_at: Date | null;
  assessor_staff_id: string;
  assessor_name: string;
};

function readElements(stored: { [key: string]: JsonValue }): Record<ThriveElement, ThriveElementView> {
  const out = {} as Record<ThriveElement, ThriveElementView>;
  for (const element of THRIVE_ELEMENTS) {
    const value = stored[element];
    const item = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    out[element] = {
      rating: typeof item.rating === 'string' ? item.rating : '',
      rationale: typeof item.rationale === 'string' ? item.rationale : '',
    };
  }
  return out;
}

function toView(row: AssessmentRow): ThriveAssessmentView {
  return {
    id: row.id,
    assessedAt: row.assessed_at.toISOString(),
    assessor: { id: row.assessor_staff_id, name: row.assessor_name },
    elements: readElements(row.elements),
    reassessmentDueAt: row.reassessment_due_at.toISOString(),
  };
}

/** Loads a contact of the force (optionally locked), or throws not found. */
export async function findContactForAssessment(tx: Tx, forceId: ForceId, contactId: string, lock = false) {
  const contact = await findContactToWorkOn(tx, forceId, contactId, { lock });
  if (!contact) throw notFound('contact');
  return contact;
}

async function listAssessments(tx: Tx, forceId: ForceId, contactId: string): Promise<AssessmentRow[]> {
  return tx
    .selectFrom('thrive_assessments as a')
    .innerJoin('staff as s', 's.id', 'a.assessor_staff_id')
    .select([
      'a.id', 'a.assessed_at', 'a.elements', 'a.reassessment_due_at', 'a.reassessment_flagged_at',
      'a.assessor_staff_id', 's.name as assessor_name',
    ])
    .where('a.force_id', '=', forceId)
    .where('a.contact_id', '=', contactId)
    .orderBy('a.assessed_at', 'desc')
    .orderBy('a.seq', storedLast)
    .orderBy('a.id', 'desc')
    .execute();
}

async function buildView(deps: ServiceDeps, tx: Tx, forceId: ForceId, contactId: string): Promise<ThriveView> {
  const contact = await findContactForAssessment(tx, forceId, contactId);
  const settings = await loadThriveSettings(tx, forceId);
  const rows = await listAssessments(tx, forceId, contactId);
  const history = rows.map(toView);
  const latestRow = rows[0] ?? null;
  const dueAt = latestRow?.reassessment_due_at ?? null;
  return {
    contactId,
    latest: history[0] ?? null,
    history,
    draft: draftFromTriage(contact.triage),
    reassessAfterMinutes: settings.reassessAfterMinutes,
    reassessmentDueAt: dueAt?.toISOString() ?? null,
    // A closed contact needs no re-assessment, so it is never overdue.
    isOverdue: isContactOpen(contact.state) && dueAt !== null && deps.clock.now().getTime() >= dueAt.getTime(),
    isReassessmentFlagged: isContactOpen(contact.state) && latestRow?.reassessment_flagged_at != null,
  };
}

/** The contact's THRIVE picture: latest assessment, history, a draft from triage, and the re-assessment clock. */
export async function getThrive(deps: ServiceDeps, forceId: ForceId, contactId: string): Promise<ThriveView> {
  return withForce(deps.db, forceId, (tx) => buildView(deps, tx, forceId, contactId));
}

/** A hash of the whole assessment (ratings and rationales) so the event log vouches for the row. */
function hashElements(input: ThriveInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/**
 * Records a THRIVE assessment made by a member of staff. Assessments are never overwritten: each
 * is a new row, and each starts the force's re-assessment timer (a durable job that follows from
 * its event).
 */
export async function assessContact(
  deps: ServiceDeps,
  forceId: ForceId,
  contactId: string,
  staffId: StaffId,
  input: ThriveInput,
): Promise<ThriveView> {
  return withForce(deps.db, forceId, async (tx) => {
    const contact = await findContactForAssessment(tx, forceId, contactId, true);
    requireOpenContact(contact.state, 'assess');
    const settings = await loadThriveSettings(tx, forceId);
    const now = deps.clock.now();
    const dueAt = new Date(now.getTime() + settings.reassessAfterMinutes * 60_000);
    const assessmentId = newId();
    const elements = Object.fromEntries(
      THRIVE_ELEMENTS.map((e) => [e, { rating: input[e].rating, rationale: input[e].rationale }]),
    );
    await tx
      .insertInto('thrive_assessments')
      .values({
        id: assessmentId,
        force_id: forceId,
        contact_id: contactId,
        assessor_staff_id: staffId,
        assessed_at: now,
        elements: JSON.stringify(elements),
        reassess_after_minutes: settings.reassessAfterMinutes,
        reassessment_due_at: dueAt,
      })
      .execute();
    const ratings = Object.fromEntries(THRIVE_ELEMENTS.map((e) => [e, input[e].rating]));
    record(
      tx,
      forceId,
      deps.clock,
      thriveAssessed.of({
        actor: { type: 'staff', id: staffId },
        subjectId: contactId,
        // Ratings in full; the rationales stay in the assessment row (free text about people does not
        // belong in a log that can never be changed), which the hash ties to this event.
        data: { assessmentId, ratings, elementsHash: hashElements(input), reassessmentDueAt: dueAt.toISOString() },
      }),
    );
    return buildView(deps, tx, forceId, contactId);
  });
}
