import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

// The print queue's statements beside the outbox's own (outbox.repository.ts lists the queue).

/**
 * Of these cases, those with a letter waiting in the print queue: one statement, on the outbox's
 * index by case (migration 0027), so a milestone of a case with none tells no print queue.
 */
export async function casesWithLettersToPrint(tx: Tx, forceId: ForceId, caseIds: readonly string[]): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set();
  const rows = await tx
    .selectFrom('outbox')
    .select('case_id')
    .distinct()
    .where('force_id', '=', forceId)
    .where('case_id', 'in', [...new Set(caseIds)])
    .where('status', '=', 'held')
    .where('channel', '=', 'letter')
    .execute();
  return new Set(rows.flatMap((row) => (row.case_id === null ? [] : [row.case_id])));
}
