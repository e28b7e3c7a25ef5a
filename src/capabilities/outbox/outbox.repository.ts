import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { OutboxAlternative, Tables } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { channelFailureEvent, outboxDelivered, type ChannelFailure } from './outbox.events.ts';
import { OUTBOX_MOVES, canMoveOutbox, type OutboxMove } from './outbox.machine.ts';
import { recordDeliveredAfterAll, recordUndeliveredAfterAll } from './outbox-after-all.repository.ts';
import { storedFirst, storedLast } from '../../platform/db/stored-order.ts';
import type { RefusedReportReason } from '../../platform/observability/refused-delivery-reports.ts';

/** The states a move starts from, as a statement's condition on `o.status`. */
export function fromStatuses(move: OutboxMove) {
  return sql.join(OUTBOX_MOVES[move].from.map((status) => sql.lit(status)));
}

// The outbox's statements. A row's status moves pending → sent → delivered, or to held (a letter
// waiting to be printed; a message no provider can take), or from any channel to the next through
// `failChannel`, and to failed when none is left; one not yet sent may be withdrawn (suppressed).
// Delivered and suppressed are final; a failed one is sent again only by staff (`restartOutboxMessage`).
// The moves and the states they start from are outbox.machine.ts's.

export type OutboxRow = Selectable<Tables['outbox']>;

/** One outbox message of the force, locked for the caller's transaction when asked. */
export async function findOutboxMessage(tx: Tx, forceId: ForceId, id: string, options: { lock?: boolean } = {}): Promise<OutboxRow | undefined> {
  let query = tx.selectFrom('outbox').selectAll().where('force_id', '=', forceId).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * Outbox messages of the force by id (those that exist), one statement. With a `lock`, each is
 * locked against change until the caller commits, in id order: the delivery reads them so (for
 * update, as it takes them to send: decision 0163), and a withdrawal that locked one first is
 * waited for, so delivery sees it withdrawn (decision 0074).
 */
export async function findOutboxMessages(tx: Tx, forceId: ForceId, ids: readonly string[], options: { lock?: 'share' | 'update' } = {}): Promise<OutboxRow[]> {
  if (ids.length === 0) return [];
  const query = tx.selectFrom('outbox').selectAll().where('force_id', '=', forceId).where('id', 'in', [...ids]);
  if (options.lock === 'update') return query.orderBy('id').forUpdate().execute();
  return options.lock === 'share' ? query.orderBy('id').forShare().execute() : query.execute();
}

/** The most values one statement takes: a thousand keeps each well inside the parameter limit. */
const CHUNK = 1000;

/** Ids sorted as PostgreSQL sorts uuids (their hex digits, case aside), each once. */
function inIdOrder(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))].sort();
}

/**
 * Locks these messages of the force (those that exist) for update until the caller commits, in id
 * order, the order every locking read of the outbox takes (decision 0151): a writer that changes
 * several takes them all so first, so it never holds one while waiting for one of a lower id
 * that another transaction (a journey, a withdrawal) holds while waiting for it. Returns each
 * one's send token (decision 0163).
 */
export async function lockOutboxMessages(tx: Tx, forceId: ForceId, ids: readonly string[]): Promise<Map<string, number>> {
  const sorted = inIdOrder(ids);
  const tokens = new Map<string, number>();
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const rows = await tx.selectFrom('outbox').select(['id', 'send_token']).where('force_id', '=', forceId).where('id', 'in', sorted.slice(i, i + CHUNK)).orderBy('id').forUpdate().execute();
    for (const row of rows) tokens.set(row.id, Number(row.send_token));
  }
  return tokens;
}

/**
 * Locks the force's messages with these provider ids as `lockOutboxMessages` does, in one id order
 * across all (their ids read first): a request reporting on several then applies each in turn.
 */
export async function lockOutboxByProviderIds(tx: Tx, forceId: ForceId, providerMessageIds: readonly string[]): Promise<void> {
  const unique = [...new Set(providerMessageIds)];
  const ids: string[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await tx.selectFrom('outbox').select('id').where('force_id', '=', forceId).where('provider_message_id', 'in', unique.slice(i, i + CHUNK)).execute();
    ids.push(...rows.map((row) => row.id));
  }
  await lockOutboxMessages(tx, forceId, ids);
}

/**
 * Records that the message reached the person. Returns whether it applied (it was not already
 * final, and, with `token`, a delivery run holding that send token records it: decision 0163).
 */
export async function markOutboxDelivered(tx: Tx, forceId: ForceId, id: string, at: Date, from: readonly OutboxRow['status'][], token?: number): Promise<boolean> {
  const updated = await tx
    .updateTable('outbox')
    .set((eb) => ({ status: 'delivered', delivered_at: at, sent_at: eb.fn.coalesce('sent_at', eb.val(at)), last_error: null, sending_job_id: null, sending_at: null }))
    .where('force_id', '=', forceId)
    .where('id', '=', id)
    .where('status', 'in', from)
    .$if(token !== undefined, (query) => query.where('send_token', '=', token ?? -1))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Puts back to pending the force's messages held on a channel for one of these reasons; returns them. */
export async function unholdOutboxMessages(tx: Tx, forceId: ForceId, channel: OutboxRow['channel'], reasons: readonly string[]): Promise<OutboxRow[]> {
  // Locked first in id order (`lockOutboxMessages`); the update alone would take them in the order it found them.
  const held = await tx
    .selectFrom('outbox')
    .select('id')
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('status', 'in', OUTBOX_MOVES.release.from)
    .where('last_error', 'in', reasons)
    .orderBy('id')
    .forUpdate()
    .execute();
  const released: OutboxRow[] = [];
  for (let i = 0; i < held.length; i += CHUNK) {
    const update = tx.updateTable('outbox').set({ status: OUTBOX_MOVES.release.to, last_error: null }).where('force_id', '=', forceId);
    released.push(...(await update.where('id', 'in', held.slice(i, i + CHUNK).map((row) => row.id)).returningAll().execute()));
  }
  return released;
}

/**
 * Fails a message its delivery job gave up on (decision 0116): only one still pending (a message
 * sent waits on its provider's receipt, one held on a person, not on the job), moved as the
 * machine's `fail`, with the reason for its channel. Returns the message as it was and the reason,
 * or undefined when it had moved on.
 */
export async function giveUpOutboxMessage(tx: Tx, forceId: ForceId, id: string, reasonOn: (channel: string) => string): Promise<{ row: OutboxRow; reason: string } | undefined> {
  const row = await findOutboxMessage(tx, forceId, id, { lock: true });
  if (row?.status !== 'pending' || !canMoveOutbox(row.status, 'fail')) return undefined;
  const reason = reasonOn(row.channel).slice(0, 1000);
  await tx.updateTable('outbox').set({ status: OUTBOX_MOVES.fail.to, last_error: reason }).where('force_id', '=', forceId).where('id', '=', id).where('status', '=', 'pending').execute();
  return { row, reason };
}

/**
 * The channel the message is on failed for good: it moves to the next channel the person allows
 * (the row takes that channel's recipient, subject and body, and is pending again), or fails when
 * none is left. `fallbacks` is the count the caller saw: a failure reported for a channel the
 * message has already left (a late receipt, a job run twice) changes nothing and is `stale`, as is
 * one from a delivery run that no longer holds the message's send `token` (decision 0163).
 */
export async function failChannel(tx: Tx, forceId: ForceId, id: string, fallbacks: number, reason: string, token?: number): Promise<ChannelFailure> {
  const row = await findOutboxMessage(tx, forceId, id, { lock: true });
  // Falling back and failing start from the same states: a message already final is left alone.
  if (!row || row.fallbacks !== fallbacks || !canMoveOutbox(row.status, 'fall_back')) return { kind: 'stale' };
  if (token !== undefined && row.send_token !== token) return { kind: 'stale' };
  const [next, ...rest] = row.alternatives;
  const base = tx.updateTable('outbox').where('force_id', '=', forceId).where('id', '=', id);
  if (!next) {
    await base.set((eb) => ({ status: OUTBOX_MOVES.fail.to, attempts: eb('attempts', '+', 1), last_error: reason.slice(0, 1000), sending_job_id: null, sending_at: null })).execute();
    return { kind: 'failed', channel: row.channel };
  }
  await base
    .set((eb) => ({
      channel: next.channel,
      recipient: next.recipient,
      subject: next.subject,
      body: next.body,
      alternatives: JSON.stringify(rest),
      status: OUTBOX_MOVES.fall_back.to,
      attempts: eb('attempts', '+', 1),
      last_error: reason.slice(0, 1000),
      provider_message_id: null,
      sent_at: null,
      fallbacks: fallbacks + 1,
      sending_job_id: null,
      sending_at: null,
    }))
    .execute();
  return { kind: 'fell_back', from: row.channel, to: next.channel, step: fallbacks + 1 };
}

/**
 * Puts a failed message back on its way from a new first channel (sent again by staff): the row
 * takes the first channel's recipient and texts, the rest become its alternatives, and it is
 * pending from `notBefore`, its channel count one more, so nothing said about the send that
 * failed (a late receipt, a job run again) applies to this one. `fallbacks` is the count the caller
 * saw: when the row has moved since (another member of staff sent it again first) nothing applies.
 * Returns the row as it is now, or undefined.
 */
export async function restartOutboxMessage(
  tx: Tx,
  forceId: ForceId,
  id: string,
  from: { fallbacks: number },
  to: { channels: readonly OutboxAlternative[]; notBefore: Date | null },
): Promise<OutboxRow | undefined> {
  const [first, ...rest] = to.channels;
  if (!first) throw new Error('a message sent again needs at least one channel');
  return tx
    .updateTable('outbox')
    .set({
      channel: first.channel,
      recipient: first.recipient,
      subject: first.subject,
      body: first.body,
      alternatives: JSON.stringify(rest),
      status: OUTBOX_MOVES.send_again.to,
      last_error: null,
      provider_message_id: null,
      sent_at: null,
      delivered_at: null,
      // Sent again, it is no longer the send whose outcome was unknown: nothing late about that applies (decision 0173).
      in_doubt_token: null,
      sent_after_all_at: null,
      delivered_after_all_at: null,
      undelivered_after_all_at: null,
      undelivered_after_all_reason: null,
      not_before: to.notBefore,
      fallbacks: from.fallbacks + 1,
      sending_job_id: null,
      sending_at: null,
    })
    .where('force_id', '=', forceId)
    .where('id', '=', id)
    .where('status', 'in', OUTBOX_MOVES.send_again.from)
    .where('fallbacks', '=', from.fallbacks)
    .returningAll()
    .executeTakeFirst();
}

/** A provider's final word on a message it took. */
export type OutboxReceipt = {
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  reason: string | null;
  /** When the provider says it happened, if it said (Twilio's RawDlrDoneDate); and when we heard, if not now. */
  at?: Date | null;
  heardAt?: Date;
  /** The provider account whose credentials verified it (Twilio's Account SID); absent for a provider with none. */
  account?: string;
};

/**
 * Applies a provider's delivery receipt to the outbox message it sent, and returns the events that
 * record what followed (delivered; or the channel's failure: the fallback, or the message failed),
 * or null when no outbox message has that provider id (the receipt is about something else).
 * A receipt from another account than the one the message went through (`sent_through_account`;
 * none for a provider with one account, and for rows taken before 0098) settles nothing: a force's
 * other Twilio account can sign a receipt of any sid (decision 0202); `onRefused` hears why.
 * Channels call this from the webhook that receives receipts, in its transaction.
 */
export async function applyOutboxReceipt(tx: Tx, forceId: ForceId, now: Date, receipt: OutboxReceipt, onRefused?: (reason: RefusedReportReason) => void): Promise<NewEvent[] | null> {
  const row = await tx
    .selectFrom('outbox')
    .selectAll()
    .where('force_id', '=', forceId)
    .where('provider_message_id', '=', receipt.providerMessageId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return null;
  if (row.sent_through_account !== (receipt.account ?? null)) {
    onRefused?.(row.sent_through_account === null ? 'unrecorded_account' : 'other_account');
    return [];
  }
  const about = { purpose: row.purpose, contactId: row.contact_id, caseId: row.case_id };
  const message = { id: row.id, ...about };
  if (receipt.status === 'delivered' || receipt.status === 'read') {
    // Failed with its outcome unknown, it went after all: recorded, and the row stays failed (decision 0173).
    if (row.status === 'failed') {
      const event = await recordDeliveredAfterAll(tx, forceId, row, { providerMessageId: receipt.providerMessageId, at: receipt.at ?? null, heardAt: receipt.heardAt ?? now });
      return event ? [event] : [];
    }
    if (!(await markOutboxDelivered(tx, forceId, row.id, now, ['sent']))) return [];
    return [
      outboxDelivered.of({
        actor: { type: 'system', id: null },
        subjectId: row.id,
        data: { ...about, channel: row.channel, proof: 'receipt', providerMessageId: receipt.providerMessageId },
      }),
    ];
  }
  if (receipt.status === 'failed') {
    const reason = `${row.channel}: ${receipt.reason ?? 'the provider could not deliver it'}`;
    // Failed with its outcome unknown, taken after all, it did not reach them: recorded, it stays failed (decision 0176).
    if (row.status === 'failed') {
      const event = await recordUndeliveredAfterAll(tx, forceId, row, { providerMessageId: receipt.providerMessageId, reason, at: receipt.at ?? null, heardAt: receipt.heardAt ?? now });
      return event ? [event] : [];
    }
    const event = channelFailureEvent(await failChannel(tx, forceId, row.id, row.fallbacks, reason), message, reason);
    return event ? [event] : [];
  }
  return [];
}

/** Letters waiting to be printed and posted, oldest first, each with its case's reference (null for none). */
export async function listPrintQueue(tx: Tx, forceId: ForceId, limit = 200): Promise<(OutboxRow & { case_reference: string | null })[]> {
  return tx
    .selectFrom('outbox')
    .leftJoin('cases', (join) => join.onRef('cases.id', '=', 'outbox.case_id').on('cases.force_id', '=', forceId))
    .selectAll('outbox')
    .select('cases.reference as case_reference')
    .where('outbox.force_id', '=', forceId)
    .where('outbox.status', '=', 'held')
    .where('outbox.channel', '=', 'letter')
    .orderBy('outbox.created_at').orderBy('outbox.seq', storedFirst).orderBy('outbox.id')
    .limit(limit)
    .execute();
}

/** A case's messages delivered to the portal inbox, newest first. */
export async function listPortalInbox(tx: Tx, forceId: ForceId, caseId: string, limit = 200): Promise<OutboxRow[]> {
  return tx
    .selectFrom('outbox')
    .selectAll()
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('channel', '=', 'portal')
    .where('status', '=', 'delivered')
    .orderBy('delivered_at', 'desc')
    .orderBy('seq', storedLast)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Whether this text names an outbox message of the force (a provider echoing the reference we gave it). */
export async function isOutboxMessage(tx: Tx, forceId: ForceId, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const row = await tx.selectFrom('outbox').select('id').where('force_id', '=', forceId).where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A LIKE pattern for text that starts with `prefix`, its own wildcards taken literally. */
function startsWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The idempotency keys of the force's messages not yet sent whose key starts with `prefix` (migration 0047's index). */
export async function findUnsentKeys(tx: Tx, forceId: ForceId, prefix: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('outbox')
    .select('idempotency_key')
    .where('force_id', '=', forceId)
    // Literal states, so the planner matches the partial index even for a generic plan.
    .where(sql<boolean>`status in (${fromStatuses('withdraw')})`)
    .where('idempotency_key', 'like', startsWith(prefix))
    .execute();
  return rows.map((row) => row.idempotency_key);
}

/** What a withdrawal records of each message it withdrew. */
export type WithdrawnRow = Pick<OutboxRow, 'id' | 'purpose' | 'contact_id' | 'case_id' | 'channel'>;

/** Which of the force's messages a withdrawal is about: by id, by idempotency key, or a case's of one purpose whose key starts so. */
export type UnsentSelection = { ids: readonly string[] } | { keys: readonly string[] } | { caseId: string; purpose: string; keyPrefixes: readonly string[] };

/**
 * Locks the force's messages not yet sent (those a withdrawal may start from) that match, in id
 * order, the order every locking read of the outbox takes (see `findOutboxMessages`), so two of
 * them never wait on each other.
 */
export async function lockUnsentOutbox(tx: Tx, forceId: ForceId, which: UnsentSelection): Promise<OutboxRow[]> {
  const base = tx.selectFrom('outbox').selectAll().where('force_id', '=', forceId).where('status', 'in', OUTBOX_MOVES.withdraw.from);
  if ('caseId' in which) {
    if (which.keyPrefixes.length === 0) return [];
    return base
      .where('case_id', '=', which.caseId)
      .where('purpose', '=', which.purpose)
      .where((eb) => eb.or(which.keyPrefixes.map((prefix) => eb('idempotency_key', 'like', startsWith(prefix)))))
      .orderBy('id')
      .forUpdate()
      .execute();
  }
  const lockEach = async (column: 'id' | 'idempotency_key', values: readonly string[]) => {
    const rows: OutboxRow[] = [];
    for (let i = 0; i < values.length; i += CHUNK) rows.push(...(await base.where(column, 'in', values.slice(i, i + CHUNK)).orderBy('id').forUpdate().execute()));
    return rows;
  };
  // Ids sorted before they are split, so every statement's rows come after the one before's.
  if ('ids' in which) return lockEach('id', inIdOrder(which.ids));
  if (which.keys.length <= CHUNK) return lockEach('idempotency_key', which.keys);
  // Keys in several statements would lock in id order only within each: their ids are found first.
  const ids: string[] = [];
  for (let i = 0; i < which.keys.length; i += CHUNK) {
    ids.push(...(await base.clearSelect().select('id').where('idempotency_key', 'in', which.keys.slice(i, i + CHUNK)).execute()).map((row) => row.id));
  }
  return lockEach('id', inIdOrder(ids));
}

/**
 * Withdraws these messages, each still not sent, with the reason: they become suppressed and their
 * delivery jobs find nothing to send. Returns the rows it applied to.
 */
export async function suppressOutboxMessages(tx: Tx, forceId: ForceId, ids: readonly string[], reason: string): Promise<WithdrawnRow[]> {
  if (ids.length === 0) return [];
  return tx
    .updateTable('outbox')
    .set({ status: OUTBOX_MOVES.withdraw.to, last_error: reason.slice(0, 1000) })
    .where('force_id', '=', forceId)
    .where('id', 'in', [...ids])
    .where('status', 'in', OUTBOX_MOVES.withdraw.from)
    .returning(['id', 'purpose', 'contact_id', 'case_id', 'channel'])
    .execute();
}
