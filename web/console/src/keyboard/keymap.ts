// The desk's keyboard shortcuts: one table, read by the handler (shortcuts.tsx) and the help
// overlay alike, so what the overlay shows is what the keys do. Pure: no DOM access beyond the
// element a key was pressed in.

/** What a shortcut does. Desk actions move focus to the control that does the work, visibly. */
export type ShortcutAction = 'help' | 'queue' | 'nextContact' | 'reply' | 'assign' | 'grade' | 'thrive' | 'close';

/** Where a shortcut works: anywhere in the console, or on one contact. */
export type ShortcutScope = 'anywhere' | 'desk' | 'contact';

export type Shortcut = { key: string; action: ShortcutAction; scope: ShortcutScope; label: string };

export const SHORTCUTS: readonly Shortcut[] = [
  { key: '?', action: 'help', scope: 'anywhere', label: 'Show or hide these shortcuts (Escape leaves a field first)' },
  { key: 'q', action: 'queue', scope: 'desk', label: 'Go to the queue' },
  { key: 'n', action: 'nextContact', scope: 'desk', label: 'Open the next contact: yours first, otherwise take the most urgent waiting one' },
  { key: 'a', action: 'assign', scope: 'contact', label: 'Assign: take this contact, or choose who gets it' },
  { key: 'r', action: 'reply', scope: 'contact', label: 'Write a reply (Ctrl+Enter sends it)' },
  { key: 't', action: 'thrive', scope: 'contact', label: 'Assess THRIVE' },
  { key: 'g', action: 'grade', scope: 'contact', label: 'Grade' },
  { key: 'c', action: 'close', scope: 'contact', label: 'Close the contact' },
];

/**
 * The controls a contact shortcut moves focus to, first present wins: the control itself, then the
 * section's heading (a panel with nothing to do, such as a grade already set, still shows where it is).
 */
export const FOCUS_TARGETS: Record<Exclude<ShortcutAction, 'help' | 'queue' | 'nextContact'>, readonly string[]> = {
  assign: ['[data-testid="take-contact"]', 'select[id^="contact-assign-"]', '#h-routing'],
  reply: ['#reply-body', '#h-reply'],
  thrive: ['input[type="radio"][id^="thrive-"]:checked', 'input[type="radio"][id^="thrive-"]', '#h-thrive'],
  grade: ['#grade-choice', '#h-grade'],
  close: ['#close-outcome', '#h-close', '#h-reopen'],
};

/** The parts of a keydown a shortcut depends on (a KeyboardEvent has them all). */
export type KeyPress = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat?: boolean;
  defaultPrevented?: boolean;
  target: EventTarget | null;
};

/** The element shapes looked at; an HTMLElement has them. */
type ElementLike = { tagName?: string; isContentEditable?: boolean; type?: string; closest?: (selector: string) => unknown };

const TYPING_INPUT_TYPES = new Set(['text', 'search', 'email', 'number', 'password', 'tel', 'url', 'date', 'datetime-local', 'time', 'month', 'week', '']);

/**
 * Whether a key pressed in this element is someone typing (or choosing in a list), so no shortcut
 * may fire: text inputs, text areas, selects, editable content. Buttons, links, radios and
 * checkboxes are not: a letter there does nothing else.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as ElementLike;
  if (el.isContentEditable) return true;
  const tag = (el.tagName ?? '').toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') return TYPING_INPUT_TYPES.has((el.type ?? '').toLowerCase());
  return false;
}

/**
 * The shortcut a key press means where the person is, or null: never while typing in a field,
 * never with Ctrl, Cmd or Alt (the browser's and the screen reader's own keys), never a held-down
 * repeat, never a key a control already handled. Contact shortcuts only on a contact; desk ones
 * only for someone who works the queue; help everywhere (it is how the others are found).
 */
export function shortcutFor(press: KeyPress, where: { isOnContact: boolean; worksQueue: boolean }): ShortcutAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.repeat || press.defaultPrevented) return null;
  if (isTypingTarget(press.target)) return null;
  const shortcut = SHORTCUTS.find((s) => s.key === press.key || (s.key.length === 1 && s.key !== '?' && s.key === press.key.toLowerCase()));
  if (!shortcut) return null;
  if (shortcut.scope === 'desk' && !where.worksQueue) return null;
  if (shortcut.scope === 'contact' && !where.isOnContact) return null;
  return shortcut.action;
}

/**
 * Whether a key press is the way out of a field: Escape while typing (with no modifier), so the
 * shortcuts work again without tabbing into the next field, which may be a text box too.
 */
export function isLeaveFieldKey(press: KeyPress): boolean {
  if (press.key !== 'Escape' || press.ctrlKey || press.metaKey || press.altKey || press.defaultPrevented) return false;
  return isTypingTarget(press.target);
}

/** The shortcuts to list in the help overlay for this person (those they can use somewhere). */
export function shortcutsFor(where: { worksQueue: boolean; canReadContacts: boolean }): Shortcut[] {
  return SHORTCUTS.filter((s) => s.scope === 'anywhere' || (s.scope === 'desk' ? where.worksQueue : where.canReadContacts));
}

/** A contact in a list, as the next-contact shortcut sees it (the queue's own order kept). */
export type QueuedContact = { id: string; assignedToMe: boolean; isAssigned: boolean };

/**
 * Which contact "next" opens: the first of the person's own (other than the one on screen), in
 * the queue's order (threat to life, then most urgent, then longest waiting); otherwise the first
 * nobody holds, to take. Null when there is nothing to do.
 */
export function pickNextContact(contacts: readonly QueuedContact[], currentId: string | null): { id: string; take: boolean } | null {
  const mine = contacts.find((c) => c.assignedToMe && c.id !== currentId);
  if (mine) return { id: mine.id, take: false };
  const waiting = contacts.find((c) => !c.isAssigned && c.id !== currentId);
  return waiting ? { id: waiting.id, take: true } : null;
}
