// WhatsApp's customer service window of a contact, as the contact screen reads it (decision 0097).

/** The window as a contact's detail gives it (null: the channel has none). */
export type ReplyWindow = { closesAt: string | null; isOpen: boolean } | null;

/** Whether the window has closed by `now` (the server's time, in ms): it may close while the screen is open. */
export function isReplyWindowClosed(window: ReplyWindow, now: number): boolean {
  if (!window) return false;
  if (!window.isOpen || window.closesAt === null) return true;
  return Date.parse(window.closesAt) <= now;
}
