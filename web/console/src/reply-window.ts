// A contact's reply window, as the contact screen reads it: WhatsApp's customer service window
// (decision 0097), Meta's messaging window for Messenger and Instagram, and Meta's days for a
// private reply to a comment (decision 0103).

/** The window as a contact's detail gives it (null: the channel, or this kind of reply, has none). */
export type ReplyWindow = { closesAt: string | null; isOpen: boolean; kind: 'whatsapp' | 'meta_message' | 'meta_private_reply'; hours: number } | null;

/** Whether the window has closed by `now` (the server's time, in ms): it may close while the screen is open. */
export function isReplyWindowClosed(window: Pick<NonNullable<ReplyWindow>, 'closesAt' | 'isOpen'> | null, now: number): boolean {
  if (!window) return false;
  if (!window.isOpen || window.closesAt === null) return true;
  return Date.parse(window.closesAt) <= now;
}

/** The window's length as staff read it: "24 hours", "7 days". */
export function describeWindowLength(hours: number): string {
  if (hours % 24 === 0 && hours > 24) return `${hours / 24} days`;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}
