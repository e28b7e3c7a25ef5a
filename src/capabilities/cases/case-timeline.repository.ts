import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

/**
 * A case's timeline, oldest first, at most 500 entries: the case's own events, and what staff did
 * to its messages (sent a failed one again, marked a letter printed), so the case says who did
 * it. The machinery's own sends and receipts are on the case's messages, not its timeline.
 */
export async function findCaseTimelineEvents(tx: Tx, forceId: ForceId, caseId: string) {
  const messageIds = (await tx.selectFrom('outbox').select('id').where('force_id', '=', forceId).where('case_id', '=', caseId).execute()).map((m) => m.id);
  return tx
    .selectFrom('events')
    .select(['occurred_at', 'type', 'actor_type', 'data'])
    .where('force_id', '=', forceId)
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'case'), eb('subject_id', '=', caseId)]),
        ...(messageIds.length > 0 ? [eb.and([eb('subject_type', '=', 'outbox'), eb('subject_id', 'in', messageIds), eb('actor_type', '=', 'staff')])] : []),
      ]),
    )
    .orderBy('seq')
    .limit(500)
    .execute();
}
