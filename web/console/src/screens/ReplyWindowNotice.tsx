import { formatDateTime } from '../format.ts';
import { describeWindowLength, isReplyWindowClosed, type ReplyWindow } from '../reply-window.ts';

type OpenWindow = NonNullable<ReplyWindow>;

/** What staff are told of a closed window: what happened, then what a reply will do. */
function closedText(window: OpenWindow): { heading: string; since: string; then: string } {
  const length = describeWindowLength(window.hours);
  if (window.kind === 'whatsapp') {
    return {
      heading: 'WhatsApp’s 24-hour window has closed',
      since: 'the person has not written to this number in the last 24 hours.',
      then: 'A reply goes only as the force’s approved WhatsApp template, if one is set for this number; otherwise it is not sent. The window opens again when they write.',
    };
  }
  if (window.kind === 'meta_private_reply') {
    return {
      heading: `Meta’s ${length} for a private reply to this comment have passed`,
      since: `Meta takes one private reply to a comment, within ${length} of it.`,
      then: 'A reply will not be sent. A force admin can set the channel to reply under comments in public; or reply when the person writes again.',
    };
  }
  return {
    heading: 'Meta’s messaging window has closed',
    since: `the person has not written to this account in the last ${length}.`,
    then: 'A reply will not be sent: Meta would refuse it. The window opens again when they write; until then reach them another way.',
  };
}

/** What staff are told of an open window: until when a reply reaches the person. */
function openText(window: OpenWindow): string {
  const until = formatDateTime(window.closesAt);
  const length = describeWindowLength(window.hours);
  if (window.kind === 'whatsapp') return `WhatsApp replies can be written freely until ${until}, 24 hours after the person last wrote.`;
  if (window.kind === 'meta_private_reply') return `A private reply to this comment can go until ${until}, ${length} after it; Meta takes one.`;
  return `Meta delivers a reply until ${until}, ${length} after the person last wrote.`;
}

/**
 * Told before typing: when the channel's window for a reply closes, or that it has and what a
 * reply will then do (WhatsApp: the force's approved template or nothing; Meta: nothing).
 */
export function ReplyWindowNotice({ window, now }: { window: ReplyWindow; now: number }) {
  if (!window) return null;
  if (isReplyWindowClosed(window, now)) {
    const text = closedText(window);
    return (
      <div className="reply-window-closed" role="note" data-testid="reply-window-closed">
        <p>
          <strong>{text.heading}</strong>
          {window.closesAt ? ` (at ${formatDateTime(window.closesAt)})` : ''}: {text.since}
        </p>
        <p>{text.then}</p>
      </div>
    );
  }
  return (
    <p className="hint" data-testid="reply-window-open">
      {openText(window)}
    </p>
  );
}

/** A comment's one private reply as the contact's detail gives it (decision 0111). */
export type PrivateReply = { commentedAt: string; sentAt: string | null; isSending: boolean; refusal: string | null } | null;

/**
 * Told before typing that the comment can have no private reply now, and why (Meta allows one,
 * within 7 days of the comment), in the server's words, which a reply would be refused with.
 */
export function PrivateReplyNotice({ privateReply }: { privateReply: PrivateReply }) {
  if (!privateReply?.refusal) return null;
  return (
    <div className="reply-window-closed" role="note" data-testid="private-reply-refused">
      <p>
        <strong>No private reply can go to this comment</strong>: {privateReply.refusal}
      </p>
      <p>A force admin can set the channel to reply under comments in public.</p>
    </div>
  );
}
