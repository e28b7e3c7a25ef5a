// Where keyboard focus goes when the letter it was on leaves the print queue's list (taken by a
// colleague, withdrawn) while the list is open. Its row goes from the page, and with it the link
// that had focus: left alone, focus falls to the page's body and a keyboard or screen-reader user
// no longer knows where they were. It goes instead to the same link of the letter after it, or of
// the one before when it was the last, or to the list's heading when no letter is left. The move
// says nothing beyond the name of what takes focus: what changed is said once, by the list's
// polite region (decisions 0156, 0159). Focus the person put anywhere else is left where it is.
import { useLayoutEffect, useRef, type FocusEvent } from 'react';
import type { LetterToPrint } from './print-queue-api.ts';

/** The attribute that marks a link in a letter's row ("open", "case"), so focus can go to the same link of another letter. */
export const ROW_LINK = 'data-row-link';

type Focused = { letterId: string; link: string; element: Element };

/**
 * The letter whose row's link should take focus when `gone` has left: the first after it still
 * listed, else the last before it, else the first listed now; undefined when none is listed. Pure.
 */
export function letterTakingFocus(before: readonly LetterToPrint[], after: readonly LetterToPrint[], gone: string): LetterToPrint | undefined {
  const listed = new Map(after.map((letter) => [letter.id, letter]));
  const at = before.findIndex((letter) => letter.id === gone);
  if (at < 0) return undefined;
  const isListed = (letter: LetterToPrint) => listed.has(letter.id);
  const id = (before.slice(at + 1).find(isListed) ?? before.slice(0, at).reverse().find(isListed))?.id;
  return id === undefined ? after[0] : listed.get(id);
}

/**
 * Follows which row's link has focus (the handlers go on the list's body) and, once `rows` no
 * longer hold its letter and focus has fallen to the page, moves it as above; `headingId` is the
 * list's heading, focusable from script.
 */
export function useFocusStaysInList(rows: readonly LetterToPrint[] | undefined, headingId: string) {
  const focused = useRef<Focused | null>(null);
  const shown = useRef(rows);

  useLayoutEffect(() => {
    const before = shown.current;
    shown.current = rows;
    const was = focused.current;
    if (!was || !before || !rows || rows.some((letter) => letter.id === was.letterId)) return;
    focused.current = null;
    const active = document.activeElement;
    // Only focus that went with the row: anywhere else, the person put it there.
    if (was.element.isConnected || (active !== null && active !== document.body)) return;
    const next = letterTakingFocus(before, rows, was.letterId);
    const row = next && document.querySelector(`[data-testid="print-queue-row"][data-id="${CSS.escape(next.id)}"]`);
    const target = row?.querySelector<HTMLElement>(`[${ROW_LINK}="${CSS.escape(was.link)}"]`) ?? row?.querySelector<HTMLElement>(`[${ROW_LINK}]`) ?? document.getElementById(headingId);
    target?.focus();
  }, [rows, headingId]);

  return {
    onFocus: (event: FocusEvent<HTMLElement>) => {
      const row = event.target.closest('[data-testid="print-queue-row"]');
      const letterId = row?.getAttribute('data-id');
      const link = event.target.getAttribute(ROW_LINK);
      focused.current = letterId && link ? { letterId, link, element: event.target } : null;
    },
    onBlur: (event: FocusEvent<HTMLElement>) => {
      const left = event.target;
      // Focus moved to something else: a row's link sets itself again as it takes focus.
      if (event.relatedTarget !== null) {
        focused.current = null;
        return;
      }
      // To nothing: a click on the page, the window put aside, or the row taken from the page.
      // Only the first is the person's doing; the row's link is then still there and no longer focused.
      window.setTimeout(() => {
        if (focused.current?.element === left && left.isConnected && document.activeElement !== left) focused.current = null;
      }, 0);
    },
  };
}
