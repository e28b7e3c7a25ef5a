import { formatDateTime } from '../format.ts';
import { isReplyWindowClosed, type ReplyWindow } from '../reply-window.ts';

/**
 * Told before typing: past WhatsApp's 24 hours a reply goes only as the force's approved template
 * (or not at all); within them, when they end.
 */
export function ReplyWindowNotice({ window, now }: { window: ReplyWindow; now: number }) {
  if (!window) return null;
  if (isReplyWindowClosed(window, now)) {
    return (
      <div className="reply-window-closed" role="note" data-testid="reply-window-closed">
        <p>
          <strong>WhatsApp’s 24-hour window has closed</strong>
          {window.closesAt ? ` (at ${formatDateTime(window.closesAt)})` : ''}: the person has not written to this number in the last 24 hours.
        </p>
        <p>
          A reply goes only as the force’s approved WhatsApp template, if one is set for this number; otherwise it is not sent. The window opens
          again when they write.
        </p>
      </div>
    );
  }
  return (
    <p className="hint" data-testid="reply-window-open">
      WhatsApp replies can be written freely until {formatDateTime(window.closesAt)}, 24 hours after the person last wrote.
    </p>
  );
}
