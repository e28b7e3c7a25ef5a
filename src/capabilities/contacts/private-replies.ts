import type { Tx } from '../../platform/db/database.ts';
import { conflict, isUniqueViolation } from '../../platform/errors.ts';
import type { ForceId } from '../../platform/ids.ts';
import { commentedAtOf, findLatestInboundWithProviderId, findPrivateReplyNotFailed } from './messages.repository.ts';

/**
 * A comment's one private reply (Meta's Private Replies, decision 0109): Meta takes one message to
 * the commenter per comment, within 7 days of the comment. The comment a reply answers is the
 * contact's latest one; the reply names it (`messages.private_reply_to`), and a unique index holds
 * one reply per comment that is on its way or that Meta took. A failed one leaves the index.
 */

/** The days after a comment within which Meta takes its private reply. */
export const PRIVATE_REPLY_DAYS = 7;

/** The comment a private reply would answer, and what became of an earlier private reply to it. */
export type PrivateReplyState = {
  commentId: string;
  commentedAt: Date;
  /** When the reply Meta took was written; null if none was. */
  sentAt: Date | null;
  /** True while an earlier reply is queued or being retried: it holds the one. */
  isSending: boolean;
};

/** The contact's latest comment and the private reply already given to it, or null when it has no comment. */
export async function findPrivateReplyState(tx: Tx, forceId: ForceId, contactId: string): Promise<PrivateReplyState | null> {
  const comment = await findLatestInboundWithProviderId(tx, forceId, contactId);
  if (!comment?.provider_message_id) return null;
  const taken = await findPrivateReplyNotFailed(tx, forceId, comment.provider_message_id);
  const isSending = taken?.delivery_status === 'queued' || taken?.delivery_status === 'retrying';
  return { commentId: comment.provider_message_id, commentedAt: commentedAtOf(comment), sentAt: taken && !isSending ? new Date(taken.created_at) : null, isSending };
}

/** A date and time as staff in England and Wales read it: "5 December 2026 at 14:02". */
export function londonTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' }).format(at);
}

/** Why a private reply to the comment cannot go now, in staff's words, or null when it can. */
export function privateReplyRefusal(state: PrivateReplyState, now: Date): string | null {
  if (state.sentAt) return `A private reply was already sent to this comment on ${londonTime(state.sentAt)}; Meta allows one. Reply under the comment in public, or when the person writes again.`;
  if (state.isSending) return 'A private reply to this comment is already being sent; Meta allows one. Reply when the person writes again.';
  if (now.getTime() >= state.commentedAt.getTime() + PRIVATE_REPLY_DAYS * 86_400_000) {
    return `Meta allows private replies only within ${PRIVATE_REPLY_DAYS} days of the comment; it was made on ${londonTime(state.commentedAt)}. Reply when the person writes again.`;
  }
  return null;
}

/**
 * Checks a private reply before it is stored, refusing (409) a second one or one past the days,
 * and returns the comment it answers for the reply to name.
 */
export async function claimPrivateReply(tx: Tx, forceId: ForceId, contactId: string, now: Date): Promise<string> {
  const state = await findPrivateReplyState(tx, forceId, contactId);
  if (!state) throw conflict('This contact names no comment to reply to privately.');
  const refusal = privateReplyRefusal(state, now);
  if (refusal) throw conflict(refusal);
  return state.commentId;
}

/** Runs the reply's insert; another operator's reply to the same comment, stored first, makes it the refusal. */
export async function withOnePrivateReply<T>(insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A private reply to this comment is already being sent; Meta allows one. Reply when the person writes again.');
    throw error;
  }
}
