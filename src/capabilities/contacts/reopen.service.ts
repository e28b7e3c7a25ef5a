import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { requeueReopenedContact } from '../queue/routing.service.ts';
import type { ContactSummary } from './contacts.schema.ts';
import { loadContactSummary, lockContactState } from './contacts.service.ts';
import { moveEvent } from './contact.events.ts';
import { contactRow, contactState, moveContact } from './contact.machine.ts';
import { updateContact } from './contacts.repository.ts';

/**
 * A member of staff re-opens a closed contact, to reply, assess or grade it again: it is open,
 * held by nobody, and back in its queue with fresh clocks, as when a new message re-opens it. The
 * outcome it was closed with stays in its timeline.
 */
export async function reopenContact(
  deps: ServiceDeps,
  forceId: ForceId,
  contactId: string,
  staffId: StaffId,
  input: { reason?: string | undefined },
): Promise<ContactSummary> {
  return withForce(deps.db, forceId, async (tx) => {
    const reopening = moveContact(contactState(await lockContactState(tx, forceId, contactId)), { type: 'reopen' });
    await updateContact(tx, forceId, contactId, { ...contactRow(reopening.to), closed_at: null, outcome: null, assigned_at: null });
    const requeued = await requeueReopenedContact(tx, forceId, deps.clock, contactId);
    record(
      tx,
      forceId,
      deps.clock,
      moveEvent(reopening, { actor: { type: 'staff', id: staffId }, contactId, data: { reason: input.reason?.trim() || null } }),
      ...requeued,
    );
    return loadContactSummary(tx, forceId, contactId, deps.clock.now());
  });
}
