import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { OUTBOX_MOVES, type OutboxStatus } from './outbox.machine.ts';
import { outboxDeliveredAfterAll, outboxSentAfterAll, outboxUndeliveredAfterAll } from './outbox.events.ts';

// A message failed because its outcome was unknown (decision 0163) that went after all (decision
// 0173). Only the taking whose outcome was unknown (`in_doubt_token`) can be found to have gone: a
// run that stopped records, late, the provider's id for it; that id's receipts then find the row.
// The row stays failed, so what followed its failure (a note, another route decided) stands, and
// each fact is recorded once: a late report repeated, or about a failure whose reason was known
// (the provider refused it), changes nothing. The carrier's first final word stands: delivered, or
// not delivered (decision 0176), never both.

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
 * Whether the provider's taking of the message for send token `token` is recorded already, under
 * this provider id: a report naming the message settled it while its run slept (decision 0176).
 */
export async function isSentAfterAllAs(tx: Tx, forceId: ForceId, sent: { id: string; token: number; providerMessageId: string }): Promise<boolean> {
  const row = await tx
    .selectFrom('outbox')
    .select('id')
    .where('force_id', '=', forceId)
    .where('id', '=', sent.id)
    .where('in_doubt_token', '=', sent.token)
    .where('provider_message_id', '=', sent.providerMessageId)
    .where('sent_after_all_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
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
  const isFirst = await setFinalWord(tx, forceId, row.id, receipt.providerMessageId, OUTBOX_MOVES.deliver_after_all.from, { delivered_after_all_at: at });
  if (!isFirst) return null;
  return outboxDeliveredAfterAll.of({
    actor: SYSTEM,
    subjectId: row.id,
    data: { ...aboutRow(row), providerMessageId: receipt.providerMessageId, deliveredAt: at.toISOString(), isProviderTime: receipt.at !== null },
  });
}

/**
 * Records that a message failed with its outcome unknown, which its provider took after all, did
 * not reach the person (decision 0176): the carrier could not deliver it, for `reason`, at the
 * provider's time when its receipt gave one (else `heardAt`). Returns its event, or null when the
 * row is not such a message, or the carrier's final word on it was recorded already.
 */
export async function recordUndeliveredAfterAll(
  tx: Tx,
  forceId: ForceId,
  row: AboutRow & { in_doubt_token: number | null },
  receipt: { providerMessageId: string; reason: string; at: Date | null; heardAt: Date },
): Promise<NewEvent | null> {
  if (row.in_doubt_token === null) return null;
  const at = receipt.at ?? receipt.heardAt;
  const reason = receipt.reason.slice(0, 300);
  const isFirst = await setFinalWord(tx, forceId, row.id, receipt.providerMessageId, OUTBOX_MOVES.undeliver_after_all.from, {
    undelivered_after_all_at: at,
    undelivered_after_all_reason: reason,
  });
  if (!isFirst) return null;
  return outboxUndeliveredAfterAll.of({
    actor: SYSTEM,
    subjectId: row.id,
    data: { ...aboutRow(row), providerMessageId: receipt.providerMessageId, undeliveredAt: at.toISOString(), isProviderTime: receipt.at !== null, reason },
  });
}

/**
 * Sets the carrier's final word on a message in doubt that its provider took after all (by its id),
 * where none was recorded: delivered, or not. True when this was the first word; the first stands.
 */
async function setFinalWord(
  tx: Tx,
  forceId: ForceId,
  id: string,
  providerMessageId: string,
  from: readonly OutboxStatus[],
  word: { delivered_after_all_at: Date } | { undelivered_after_all_at: Date; undelivered_after_all_reason: string },
): Promise<boolean> {
  const updated = await tx
    .updateTable('outbox')
    .set(word)
    .where('force_id', '=', forceId)
    .where('id', '=', id)
    .where('status', 'in', from)
    .where('in_doubt_token', 'is not', null)
    .where('provider_message_id', '=', providerMessageId)
    .where('delivered_after_all_at', 'is', null)
    .where('undelivered_after_all_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A provider's report that names the outbox message it is about (the id we put in its callback
 * URL), as the channel read it: the provider account it came from, and whether a recipient as the
 * outbox stored it is the number the report says the text went to (numbers are compared as
 * numbers, however the recipient was written).
 */
export type NamedReceipt = { outboxId: string; isRecipient: (stored: string) => boolean; account: string; provider: string; providerMessageId: string };

/**
 * Records that the provider took, after all, the message failed with its outcome unknown that its
 * report names by outbox id (decision 0176): the run that stopped while handing it over never
 * woke, so the row never learnt the provider's id. Only a row of this force (the one whose account
 * the report came through), handed to the provider account the report came from (decision 0184),
 * sent to the number the report names, whose provider id is unknown, so a report (or a guessed id)
 * never takes a row whose id is known, nor one another account of the force sent, nor another
 * force's. A row being written now (its run woke, or staff are sending it again) is passed over:
 * its report waits in the backlog as any other. Returns the event, or null when no such row is found.
 */
export async function recordNamedSentAfterAll(tx: Tx, forceId: ForceId, at: Date, named: NamedReceipt): Promise<NewEvent | null> {
  if (!UUID.test(named.outboxId)) return null;
  const row = await tx
    .selectFrom('outbox')
    .select(['id', 'in_doubt_token', 'recipient'])
    .where('force_id', '=', forceId)
    .where('id', '=', named.outboxId)
    .where('sent_through_account', '=', named.account)
    .where('status', 'in', OUTBOX_MOVES.sent_after_all.from)
    .where('in_doubt_token', 'is not', null)
    .where('provider_message_id', 'is', null)
    .where('sent_after_all_at', 'is', null)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row || row.in_doubt_token === null || !named.isRecipient(row.recipient)) return null;
  return recordSentAfterAll(tx, forceId, at, { id: row.id, token: row.in_doubt_token, provider: named.provider, providerMessageId: named.providerMessageId });
}

/**
 * Whether the outbox row a report names was handed to another provider account than `account`,
 * the one the report came from. Its callback URL was given to that account alone, so such a
 * report is never the row's: it is refused (decisions 0196, 0204), not kept for the row's sid.
 */
export async function isNamedRowOfAnotherAccount(tx: Tx, forceId: ForceId, outboxId: string, account: string): Promise<boolean> {
  if (!UUID.test(outboxId)) return false;
  const row = await tx
    .selectFrom('outbox')
    .select('id')
    .where('force_id', '=', forceId)
    .where('id', '=', outboxId)
    .where('sent_through_account', 'is not', null)
    .where('sent_through_account', '<>', account)
    .executeTakeFirst();
  return row !== undefined;
}
