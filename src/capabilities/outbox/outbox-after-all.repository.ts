import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { OUTBOX_MOVES } from './outbox.machine.ts';
import { outboxDeliveredAfterAll, outboxSentAfterAll } from './outbox.events.ts';

// A message failed because its outcome was unknown (decision 0163) that went after all (decision
// 0173). Only the taking whose outcome was unknown (`in_doubt_token`) can be found to have gone: a
// run that stopped records, late, the provider's id for it; that id's receipts then find the row.
// The row stays failed, so what followed its failure (a note, another route decided) stands, and
// each fact is recorded once: a late report repeated, or about a failure whose reason was known
// (the provider refused it), changes nothing.

const SYSTEM = { type: 'system' as const, id: null };

/** What the after-all events say of the message. */
type AboutRow = { id: string; purpose: string; contact_id: string | null; case_id: string | null; channel: string };

const aboutRow = (row: AboutRow) => ({ purpose: row.purpose, contactId: row.contact_id, caseId: row.case_id, channel: row.channel });

/**
 * Records that the provider took a message failed with its outcome unknown after all: the run that
 * held send token `token` when it was failed so reports, late, the provider's id for it. Applies
 * once, only to that taking (a row sent again since has no such token), and returns its event.
 */
export async function recordSentAfterAll(
  tx: Tx,
  forceId: ForceId,
  at: Date,
  sent: { id: string; token: number; provider: string; providerMessageId: string },
): Promise<NewEvent | null> {
  const row = await tx
    .updateTable('outbox')
    .set({ provider_message_id: sent.providerMessageId, sent_after_all_at: at })
    .where('force_id', '=', forceId)
    .where('id', '=', sent.id)
    .where('status', 'in', OUTBOX_MOVES.sent_after_all.from)
    .where('in_doubt_token', '=', sent.token)
    .where('sent_after_all_at', 'is', null)
    .where('provider_message_id', 'is', null)
    .returning(['id', 'purpose', 'contact_id', 'case_id', 'channel'])
    .executeTakeFirst();
  if (!row) return null;
  return outboxSentAfterAll.of({ actor: SYSTEM, subjectId: row.id, data: { ...aboutRow(row), provider: sent.provider, providerMessageId: sent.providerMessageId } });
}

/**
 * Records that a message failed with its outcome unknown reached the person after all, at the
 * provider's time when its receipt gave one (else `heardAt`). Returns its event, or null when the
 * row is not such a message or it was recorded already.
 */
export async function recordDeliveredAfterAll(
  tx: Tx,
  forceId: ForceId,
  row: AboutRow & { in_doubt_token: number | null },
  receipt: { providerMessageId: string; at: Date | null; heardAt: Date },
): Promise<NewEvent | null> {
  if (row.in_doubt_token === null) return null;
  const at = receipt.at ?? receipt.heardAt;
  const updated = await tx
    .updateTable('outbox')
    .set({ delivered_after_all_at: at })
    .where('force_id', '=', forceId)
    .where('id', '=', row.id)
    .where('status', 'in', OUTBOX_MOVES.deliver_after_all.from)
    .where('in_doubt_token', 'is not', null)
    .where('provider_message_id', '=', receipt.providerMessageId)
    .where('delivered_after_all_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return null;
  return outboxDeliveredAfterAll.of({
    actor: SYSTEM,
    subjectId: row.id,
    data: { ...aboutRow(row), providerMessageId: receipt.providerMessageId, deliveredAt: at.toISOString(), isProviderTime: receipt.at !== null },
  });
}
