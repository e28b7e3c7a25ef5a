import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict } from '../../platform/errors.ts';
import { queueDefaultChanged } from './queue.events.ts';
import { forgetForceQueues, toQueue, type Queue } from './queues.service.ts';

/**
 * Makes one of the force's queues its default queue, where new contacts no rule matches go, in
 * place of the one that was, as one event (decision 0091). Every queue of the force is locked for
 * the change, so two admins doing it at once take turns and the force has one default throughout.
 * The queues' versions are not counted: no one's open targets form is made out of date. Contacts
 * already queued stay where they are. Null: the force has no such queue.
 */
export async function makeDefaultQueue(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  queueId: string,
  actorStaffId: string,
): Promise<{ queue: Queue; previousDefault: Queue | null } | null> {
  // In one order, so two changes lock the rows the same way round.
  const rows = await tx.selectFrom('queues').selectAll().where('force_id', '=', forceId).orderBy('id').forUpdate().execute();
  const chosen = rows.find((row) => row.id === queueId);
  if (!chosen) return null;
  if (chosen.is_default) throw conflict(`${chosen.name} is already the default queue`);
  // Public contacts that no rule matches would wait in the control room among 999 calls.
  if (chosen.is_control_room) {
    throw conflict(`${chosen.name} cannot be the default queue: it is the control room's, and contacts that match no rule would wait there. Choose a queue the digital desk answers.`);
  }
  const previous = rows.find((row) => row.is_default);
  await tx.updateTable('queues').set({ is_default: false }).where('force_id', '=', forceId).where('is_default', '=', true).execute();
  const row = await tx.updateTable('queues').set({ is_default: true }).where('force_id', '=', forceId).where('id', '=', queueId).returningAll().executeTakeFirstOrThrow();
  forgetForceQueues(forceId, tx);
  record(
    tx,
    forceId,
    clock,
    queueDefaultChanged.of({ actor: { type: 'staff', id: actorStaffId }, subjectId: queueId, data: { fromQueueId: previous?.id ?? null, toQueueId: queueId } }),
  );
  return { queue: toQueue(row), previousDefault: previous ? toQueue({ ...previous, is_default: false }) : null };
}
