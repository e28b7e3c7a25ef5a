import type { JsonValue } from '../../../platform/db/tables.ts';
import { ChannelSendError, type OutboundMessage, type ReplyWindowRule } from '../channel.ts';
import { isRecord } from './meta.payload.ts';

/** What `send` needs of a Page or Instagram account's configuration. */
export type GraphAccount = {
  platform: 'facebook' | 'instagram';
  /** The Page id, or the Instagram professional account id. */
  accountId: string;
  pageAccessToken: string;
  commentReplyMode: 'public' | 'private';
  /** Direct replies within Meta's standard window, or tagged HUMAN_AGENT (7 days). */
  directReplies: 'standard' | 'human_agent';
  apiBaseUrl: string;
};

/** Meta's refusal of a message sent outside the window it allows (error 10, subcode 2018278). */
const OUTSIDE_WINDOW = { code: 10, subcode: 2018278 };

/** Why a direct reply was not delivered: the person last wrote longer ago than Meta allows. */
function outsideWindowReason(): string {
  return (
    `Not delivered: Meta’s messaging window had closed (Meta error ${OUTSIDE_WINDOW.code}/${OUTSIDE_WINDOW.subcode}); the person last wrote more than 24 hours ago ` +
    '(7 days for a Page whose app has the Human Agent permission, set on the channel). Reach them another way, or reply when they write again.'
  );
}

/** Meta's standard messaging window, and the days a reply tagged HUMAN_AGENT may go, after the person's last message. */
const STANDARD_WINDOW_HOURS = 24;
const HUMAN_AGENT_WINDOW_HOURS = 7 * 24;
/** The days after a comment within which Meta takes the one private reply to it. */
const PRIVATE_REPLY_WINDOW_HOURS = 7 * 24;

/**
 * The window a reply goes within, by what it answers and the account's settings (decision 0103):
 * a direct message, Meta's 24 hours or, tagged HUMAN_AGENT, 7 days after the person's last
 * message; a comment answered privately, 7 days after it; a public reply under a comment, none.
 */
export function graphReplyWindow(contactMeta: { [key: string]: JsonValue }, settings: Pick<GraphAccount, 'commentReplyMode' | 'directReplies'>): ReplyWindowRule | null {
  if (contactMeta.kind === 'comment') return settings.commentReplyMode === 'private' ? { hours: PRIVATE_REPLY_WINDOW_HOURS, kind: 'meta_private_reply' } : null;
  return { hours: settings.directReplies === 'human_agent' ? HUMAN_AGENT_WINDOW_HOURS : STANDARD_WINDOW_HOURS, kind: 'meta_message' };
}

/** Why a reply was not sent: the window for it had closed, so Meta would refuse it. */
function windowClosedBeforeSending(message: OutboundMessage, account: GraphAccount): string {
  if (message.contactMeta.kind === 'comment') {
    return (
      'Not sent: Meta allows a private reply to a comment only within 7 days of it, and this comment is older. ' +
      'Reply under the comment in public, or reply when the person writes again.'
    );
  }
  const allowed =
    account.directReplies === 'human_agent'
      ? '7 days after the person’s last message (replies tagged as a person’s)'
      : '24 hours after the person’s last message (7 days for a Page whose app has the Human Agent permission, set on the channel)';
  return `Not sent: Meta’s messaging window has closed; Meta takes a reply only within ${allowed}. Reach them another way, or reply when they write again.`;
}

/**
 * Graph error codes that mean "slow down and try again" although they come with a 4xx: 4, 17, 32,
 * 341 and 613 are app, user, Page and platform throttling; 80001-80014 business use case limits.
 */
const THROTTLING_CODES = new Set([4, 17, 32, 341, 613]);
/** 1 (unknown) and 2 (service) are temporary, Meta's error guide says: wait and retry. */
const TEMPORARY_CODES = new Set([1, 2]);

/**
 * Meta's refusals of a comment's private reply, in staff's words (decision 0112). 10/2018278 is
 * the Messenger error codes' "outside of allowed window"; 551, "This person isn't available right
 * now". 2018108, with code 10, is answered when Meta will not take a private reply to the comment
 * (one already went, from Meta Business Suite say, or the comment is past its days): Meta does not
 * document which, so staff are told both.
 */
function privateReplyRefusal(code: number | null, subcode: number | null): string | null {
  const next = 'Reply under the comment in public, or reply when the person writes again.';
  if (code === 10 && subcode === 2018108) return `Not sent: Meta would not take a private reply to this comment. It may have had its one already (sent outside Bluelamp, in Meta Business Suite say), or be more than 7 days old. ${next}`;
  if (code === OUTSIDE_WINDOW.code && subcode === OUTSIDE_WINDOW.subcode) return `Not sent: Meta no longer takes a private reply to this comment: Meta allows one only within 7 days of it. ${next}`;
  if (code === 551) return 'Not sent: Meta says this person cannot be sent messages now; they may have turned off messages from the Page. Reply under the comment in public.';
  return null;
}

/**
 * A failed Graph call as the operator reads it, permanent unless Meta says it is throttling or
 * temporary; a comment's private reply refused in staff's words where Meta's reason is known.
 */
export function graphSendError(status: number, body: unknown, isPrivateReply = false): ChannelSendError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof error.code === 'number' ? error.code : null;
  const subcode = typeof error.error_subcode === 'number' ? error.error_subcode : null;
  const refused = isPrivateReply && status >= 400 && status < 500 ? privateReplyRefusal(code, subcode) : null;
  if (refused) return new ChannelSendError(refused, true);
  const message = typeof error.message === 'string' ? error.message : 'no error message';
  const isRetryable =
    status === 429 ||
    status >= 500 ||
    error.is_transient === true ||
    (code !== null && (THROTTLING_CODES.has(code) || TEMPORARY_CODES.has(code) || (code >= 80001 && code <= 80014)));
  if (code === OUTSIDE_WINDOW.code && subcode === OUTSIDE_WINDOW.subcode) return new ChannelSendError(outsideWindowReason(), true);
  const codeText = code === null ? '' : ` (code ${code}${subcode === null ? '' : `/${subcode}`})`;
  return new ChannelSendError(`Meta answered ${status}${codeText}: ${message}`.slice(0, 1000), status >= 400 && status < 500 && !isRetryable);
}

async function graphPost(fetcher: typeof fetch, account: GraphAccount, path: string, body: unknown, isPrivateReply = false): Promise<Record<string, unknown>> {
  const response = await fetcher(`${account.apiBaseUrl.replace(/\/+$/, '')}/${path}`, {
    method: 'POST',
    // The token goes in a header, not the query string, so it never lands in a URL or access log.
    headers: { 'content-type': 'application/json', authorization: `Bearer ${account.pageAccessToken}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // A proxy's HTML error page: the status alone decides.
  }
  if (!response.ok) throw graphSendError(response.status, json, isPrivateReply);
  if (!isRecord(json)) throw new ChannelSendError(`Meta answered ${response.status} without a JSON object`, true);
  return json;
}

/** The id Meta gives the sent message or comment; without one we cannot tell what happened, so no blind retry. */
function idFrom(json: Record<string, unknown>, field: 'message_id' | 'id'): { providerMessageId: string } {
  const id = json[field];
  if (typeof id !== 'string' || id.length === 0) throw new ChannelSendError(`Meta accepted the reply but returned no ${field}`, true);
  return { providerMessageId: id };
}

/**
 * The Send API edge: a Page sends as `/{page-id}/messages`; an Instagram account as `/me/messages`
 * (with the linked Page's token `me` is that Page, which sends for its Instagram account; with an
 * Instagram user token on graph.instagram.com `me` is the Instagram account itself).
 */
const messagesPath = (account: GraphAccount) =>
  account.platform === 'facebook' ? `${encodeURIComponent(account.accountId)}/messages` : 'me/messages';

/**
 * Replies in place: a direct message answers the person in the conversation; a comment gets a
 * public reply under it (Facebook `/{comment-id}/comments`, Instagram `/{comment-id}/replies`), or
 * with `commentReplyMode: 'private'` one private message to its author (Meta allows one per
 * comment, within 7 days).
 */
export async function sendGraphReply(message: OutboundMessage, account: GraphAccount, fetcher: typeof fetch): Promise<{ providerMessageId: string }> {
  // Meta would refuse it (error 10/2018278 for a direct message): nothing is sent, and the operator is told why at once.
  if (message.isOutsideReplyWindow) throw new ChannelSendError(windowClosedBeforeSending(message, account), true);
  if (message.contactMeta.kind === 'comment') {
    const stored = message.contactMeta.commentId;
    const commentId = message.replyToProviderMessageId ?? (typeof stored === 'string' ? stored : null);
    if (!commentId) throw new ChannelSendError('the contact names no comment to reply to', true);
    if (account.commentReplyMode === 'private') {
      const json = await graphPost(fetcher, account, messagesPath(account), { recipient: { comment_id: commentId }, messaging_type: 'RESPONSE', message: { text: message.body } }, true);
      return idFrom(json, 'message_id');
    }
    const edge = account.platform === 'facebook' ? 'comments' : 'replies';
    return idFrom(await graphPost(fetcher, account, `${encodeURIComponent(commentId)}/${edge}`, { message: message.body }), 'id');
  }

  const prefix = `${account.platform}:`;
  if (message.recipient.kind !== 'social' || !message.recipient.value.startsWith(prefix)) {
    throw new ChannelSendError(`the contact has no ${account.platform} handle to reply to`, true);
  }
  // Every reply here is a person's: with the Human Agent permission it may be tagged so, and Meta then delivers it for 7 days.
  const messaging = account.directReplies === 'human_agent' ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : { messaging_type: 'RESPONSE' };
  const json = await graphPost(fetcher, account, messagesPath(account), {
    recipient: { id: message.recipient.value.slice(prefix.length) },
    ...messaging,
    message: { text: message.body },
  });
  return idFrom(json, 'message_id');
}
