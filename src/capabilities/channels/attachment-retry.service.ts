import { sql } from 'kysely';
import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { retryRefusal } from './attachment.machine.ts';
import { attachmentRetried } from './channel.events.ts';

/**
 * A member of staff tries again a download the provider kept failing (decision 0106): the
 * attachment moves from refused back to linked, `attachment.retried` names who asked, and the
 * event's follow-up queues its fetch job anew; consoles hear of it as of the download itself.
 * 404 for another force's or an unknown id. 409, with the reason, for a file a check refused (a
 * link into our own network, a hash that does not match, too large, a kind the channel does not
 * carry: trying again would change nothing), one already downloaded, and one already being
 * fetched: a second click while the first try runs asks for nothing more.
 */
export async function retryAttachment(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, attachmentId: string): Promise<{ state: 'fetching' }> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await tx
      .selectFrom('attachments as a')
      .innerJoin('messages as m', (join) => join.onRef('m.id', '=', 'a.message_id').onRef('m.force_id', '=', 'a.force_id'))
      .select(['a.id', 'a.message_id', 'a.sha256', 'a.refusal', 'a.refusal_kind', 'm.contact_id'])
      .where('a.force_id', '=', forceId)
      .where('a.id', '=', attachmentId)
      .executeTakeFirst();
    if (!row) throw notFound('attachment');
    const refused = retryRefusal(row);
    if (refused) throw conflict(refused);
    // Only from refused-because-unreachable, in one statement: of two tries at once, one moves it.
    const moved = await tx
      .updateTable('attachments')
      .set({ refusal: null, refusal_kind: null, retries: sql<number>`retries + 1` })
      .where('force_id', '=', forceId)
      .where('id', '=', attachmentId)
      .where('sha256', '=', '')
      .where('refusal_kind', '=', 'unreachable')
      .returning('retries')
      .executeTakeFirst();
    if (!moved) throw conflict(retryRefusal({ ...row, refusal: null, refusal_kind: null }) ?? 'the file is already being fetched from the provider');
    record(
      tx,
      forceId,
      deps.clock,
      attachmentRetried.of({
        actor: { type: 'staff', id: staffId },
        subjectId: row.contact_id,
        data: { attachmentId: row.id, messageId: row.message_id, retry: moved.retries, previousReason: row.refusal ?? '' },
      }),
    );
    return { state: 'fetching' as const };
  });
}
