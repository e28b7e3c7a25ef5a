import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { contactState, isContactOpen } from '../contacts/contact.machine.ts';
import type { InboundMessage } from './intake.schema.ts';
import { findContact, findContactOnThread, findContactsByIds, findPersonContactByReference, findRecentOpenContactOnThread, listContactsOnThreadKind } from '../contacts/contacts.repository.ts';
import { findPeopleByHandles } from '../people/people.service.ts';
import { findContactOfRepliedMessage } from '../contacts/messages.repository.ts';

/** Where one inbound message came from, and the force's re-open window for its thread. */
export type InboundContext = {
  channel: string;
  channelAccountId: string | null;
  inboundRequestId: string | null;
  reopenWithinHours: number;
};

/** A contact an inbound message continues; `isTakenOver` when it moves to the message's thread. */
export type Thread = { id: string; reference: string; status: 'open' | 'closed'; closedAt: Date | null; priority: number; isTakenOver: boolean };

/**
 * The contact an inbound message continues, if any: the contact of a message it answers, one whose
 * reference it quotes, the open conversation it was made during (a call, for its AML), the person's
 * open (or recently closed) contact on its thread, or, when its thread has never had a contact,
 * the recent open contact it takes over (a call, its AML). `personId` is null for a sender nobody
 * knows yet: they have no contact of their own, so only a message we sent can lead them to one.
 */
export async function findThread(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  ctx: InboundContext,
  personId: string | null,
  message: InboundMessage,
): Promise<Thread | null> {
  const toThread = (row: { id: string; reference: string; status: 'open' | 'closed'; closed_at: Date | null; priority: number }, isTakenOver = false) => ({
    id: row.id,
    reference: row.reference,
    status: row.status,
    closedAt: row.closed_at,
    priority: row.priority,
    isTakenOver,
  });
  // A reply that names an earlier message joins that message's contact: a message we sent (our
  // ids are unguessable), or one of this person's own. Knowing someone else's message id (a CC'd
  // stranger) is not enough to write into their contact.
  const inReplyTo = (message.inReplyTo ?? []).filter((id) => id.length > 0).slice(0, 50);
  if (inReplyTo.length > 0) {
    const row = await findContactOfRepliedMessage(tx, forceId, inReplyTo, personId);
    if (row) return toThread(row);
  }
  // Every other way in is by the person's own contacts.
  if (personId === null) return null;
  // A reference number in the text (an email subject, say) joins that contact if it is the person's.
  const referenceHint = message.referenceHint;
  if (referenceHint) {
    const row = await findPersonContactByReference(tx, forceId, personId, referenceHint);
    if (row) return toThread(row);
  }
  // A message made during a conversation of another thread (a handset's location fix during the
  // 999 call it was dialled with) joins the open one that began last at or before it: a caller's
  // earlier call still open does not take the fix of the call they have just dialled. Closed ones
  // are read too: they are never joined, but one that began ends the caller's earlier calls.
  const join = message.joinContactStartedBy;
  if (join) {
    const candidates = await listContactsOnThreadKind(tx, forceId, personId, ctx.channel, join.threadKind);
    const row = latestStartedBy(candidates, join.at, clock.now(), join.withinMinutes, {
      toleranceSeconds: join.toleranceSeconds ?? 0,
      begunAt: join.begunAt ?? null,
      readsBeforeMinutes: join.readsBeforeMinutes ?? 0,
    });
    if (row) return toThread(row);
  }
  // Otherwise the person's open contact on this channel and thread, or a recently closed one.
  const open = await findContactOnThread(tx, forceId, personId, ctx.channel, message.threadKey);
  if (!open) {
    // A thread that never had a contact may take over one the person wrote to moments ago on another
    // thread of this channel: a 999 call whose handset's location (AML) arrived first. Only an open
    // one, and only one still on that thread: a contact taken over has moved to its call's thread.
    const takeOver = message.takeOverContactOn;
    if (!takeOver) return null;
    const since = new Date(clock.now().getTime() - takeOver.withinMinutes * 60_000);
    const row = await findRecentOpenContactOnThread(tx, forceId, personId, ctx.channel, takeOver.threadKey, since);
    return row ? toThread(row, true) : null;
  }
  if (isContactOpen(contactState(open))) return toThread(open);
  const windowMs = ctx.reopenWithinHours * 3600 * 1000;
  if (open.closed_at && clock.now().getTime() - open.closed_at.getTime() <= windowMs) return toThread(open);
  return null;
}

/**
 * The thread's contact held (`for no key update`) until the message's transaction ends, as it is
 * now: a member of staff may have re-opened or closed it since it was found. Whether the message re-opens
 * it is decided on this, so a contact re-opened by staff and by a message at one moment opens once
 * (decision 0193). Taken after the message's own locks (its provider id, its sender's handles), as
 * staff's moves take only the contact's. Not `for update`: that would hold off every row another
 * transaction inserts meanwhile that points at the contact (a message, a clock, an outbox row).
 */
export async function holdThread(tx: Tx, forceId: ForceId, thread: Thread): Promise<Thread> {
  const now = await findContact(tx, forceId, thread.id, ['status', 'closed_at', 'priority'], { lock: 'no key update' });
  // Contacts are never deleted: the row found a moment ago is still there.
  if (!now) throw new Error(`contact ${thread.id} vanished while a message joined it`);
  return { ...thread, status: now.status, closedAt: now.closed_at, priority: now.priority };
}

/**
 * Holds, before any message of a batch is recorded, the contacts its messages continue as they
 * stand now (each found as `findThread` finds it, with plain reads), in id order and in one
 * statement (decision 0198). Held one by one as each message came, in the provider's order, two
 * batches reaching the same contacts in opposite orders could each hold one the other waited for;
 * so could a batch holding a contact and then taking the force's reference counter for a new one
 * while another had done the opposite. Taken after the batch's provider ids and handles, as a single
 * message's `holdThread` is; that still re-reads each contact when its message comes (an earlier
 * message of the batch may have re-opened it), on a row already held. A contact found only then
 * is one the batch began, or one it could not have foreseen (staff re-opened it in between), held
 * then as before. A lone message holds its one contact before any other row, so it needs none of this.
 */
export async function holdBatchThreads(tx: Tx, forceId: ForceId, clock: Clock, ctx: InboundContext, messages: readonly InboundMessage[]): Promise<void> {
  if (messages.length < 2) return;
  const people = await findPeopleByHandles(tx, forceId, messages.map((message) => message.sender));
  const contactIds = new Set<string>();
  const looked = new Set<string>();
  for (const [index, message] of messages.entries()) {
    const personId = people[index] ?? null;
    // A sender nobody knows can only be answering a message we sent.
    if (personId === null && (message.inReplyTo ?? []).every((id) => id.length === 0)) continue;
    // Messages that would find their thread alike (a person's run of texts on one thread) look once.
    // No person is `null` in the key, never a string: unknown senders never share a key with a person.
    const key = JSON.stringify([personId, message.threadKey, message.inReplyTo, message.referenceHint, message.joinContactStartedBy, message.takeOverContactOn]);
    if (looked.has(key)) continue;
    looked.add(key);
    const found = await findThread(tx, forceId, clock, ctx, personId, message);
    if (found) contactIds.add(found.id);
  }
  await findContactsByIds(tx, forceId, [...contactIds], ['id'], { lock: 'no key update' });
}

/** How a fix's times are read against a conversation's: the sender's clock may differ from the platform's by up to `toleranceSeconds`. */
export type JoinOptions = { toleranceSeconds: number; begunAt: Date | null; readsBeforeMinutes?: number };

/**
 * Of the open candidates, the one whose conversation began last at or before `at` and no more than
 * `withinMinutes` before it; failing that, the first to begin within the tolerance after `at` (the
 * sender's clock behind the platform's). `at` is the sender's time (a handset's): one later than
 * now, or none, is taken as now, as nothing was made after it arrived. A start that is not a time
 * never matches. A conversation is not one the message was made in when the message's own start of
 * conversation (`begunAt`, when it says), or else `at`, is clearly after it was over: more than the
 * tolerance after its end (decision 0107), or after the sender's next conversation (any
 * candidate, closed ones too) began less the tolerance when that is also more than the tolerance
 * after its own start: the sender cannot be in two at once, whether or not its end reached us
 * (decision 0113).
 */
export function latestStartedBy<T extends { started_at: string | null; ended_at?: string | Date | null; status?: 'open' | 'closed' }>(
  candidates: readonly T[],
  at: Date | null,
  now: Date,
  withinMinutes: number,
  options: JoinOptions = { toleranceSeconds: 0, begunAt: null },
): T | null {
  const atMs = Math.min(at?.getTime() ?? now.getTime(), now.getTime());
  const toleranceMs = options.toleranceSeconds * 1000;
  const earliestMs = atMs - withinMinutes * 60_000;
  const madeMs = Math.min(options.begunAt?.getTime() ?? atMs, now.getTime());
  const startOf = (row: T) => (row.started_at === null ? Number.NaN : Date.parse(row.started_at));
  const starts = candidates.map(startOf).filter(Number.isFinite);
  /** When the sender's next conversation after one begun at `startedMs` began: by then that one was over. */
  const nextStartAfter = (startedMs: number) => Math.min(...starts.filter((ms) => ms > startedMs));
  let before: { row: T; startedMs: number } | null = null;
  let after: { row: T; startedMs: number } | null = null;
  for (const row of candidates) {
    if (row.status === 'closed') continue;
    const startedMs = startOf(row);
    if (!Number.isFinite(startedMs) || startedMs > atMs + toleranceMs || startedMs < earliestMs) continue;
    const endedMs = row.ended_at === null || row.ended_at === undefined ? Number.NaN : new Date(row.ended_at).getTime();
    if (Number.isFinite(endedMs) && madeMs > endedMs + toleranceMs) continue;
    if (madeMs > Math.max(nextStartAfter(startedMs) - toleranceMs, startedMs + toleranceMs)) continue;
    if (startedMs <= atMs) {
      if (!before || startedMs > before.startedMs) before = { row, startedMs };
    } else if (!after || startedMs < after.startedMs) {
      after = { row, startedMs };
    }
  }
  const found = (before ?? after)?.row;
  if (found || !options.readsBeforeMinutes) return found ?? null;
  // None by the sender's time: a message that reached us during an open conversation, begun within
  // `withinMinutes` before it arrived, whose time reads before that began by more than the tolerance
  // but no more than `readsBeforeMinutes`, is that conversation's (the latest such): its sender's
  // clock is behind, or the platform presented the conversation long after it was begun.
  const nowMs = now.getTime();
  let during: { row: T; startedMs: number } | null = null;
  for (const row of candidates) {
    const startedMs = startOf(row);
    if (row.status === 'closed' || (row.ended_at !== null && row.ended_at !== undefined) || !Number.isFinite(startedMs)) continue;
    if (startedMs > nowMs || startedMs < nowMs - withinMinutes * 60_000) continue;
    if (startedMs - atMs <= toleranceMs || startedMs - atMs > options.readsBeforeMinutes * 60_000) continue;
    if (!during || startedMs > during.startedMs) during = { row, startedMs };
  }
  return during?.row ?? null;
}
