import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type CaseId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { nextReference } from '../../platform/references.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { caseCreated } from './case.events.ts';
import { findContact } from '../contacts/contacts.repository.ts';

/**
 * Creates the case for a contact (one per contact). The victim's journey starts with the "report
 * received" message, whose job follows from the case's event.
 */
export async function createCaseFromContact(
  deps: ServiceDeps,
  forceId: ForceId,
  contactId: string,
  staffId: StaffId,
): Promise<{ id: CaseId; reference: string }> {
  return withForce(deps.db, forceId, async (tx) => {
    const contact = await findContact(tx, forceId, contactId, ['id', 'person_id', 'reference'], { lock: true });
    if (!contact) throw notFound('contact');
    const existing = await tx
      .selectFrom('cases')
      .select(['reference'])
      .where('force_id', '=', forceId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    if (existing) throw conflict(`case ${existing.reference} already exists for this contact`);

    const caseId = newId<CaseId>();
    const reference = await nextReference(tx, forceId, deps.clock, 'case');
    await tx
      .insertInto('cases')
      .values({
        id: caseId,
        force_id: forceId,
        reference,
        contact_id: contactId,
        person_id: contact.person_id,
        status: 'open',
        created_at: deps.clock.now(),
        created_by: staffId,
      })
      .execute();
    record(
      tx,
      forceId,
      deps.clock,
      caseCreated.of({ actor: { type: 'staff', id: staffId }, subjectId: caseId, data: { reference, contactId, contactReference: contact.reference } }),
    );
    return { id: caseId, reference };
  });
}
