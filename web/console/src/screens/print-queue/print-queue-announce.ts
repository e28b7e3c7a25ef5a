// What the print queue's list says when its rows change under a person using a screen reader
// (decision 0156): letters added, taken by a colleague, withdrawn, or no longer to be posted. The
// list refetches on the live stream's `print_queue.changed` (api/live-sync.ts); this compares what
// was shown with what is shown now, and says it in one polite region, changes close together in
// one announcement. A letter this person marked or withdrew says itself what became of it.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { sessionQuery } from '../../api/queries.ts';
import type { ListRefreshed } from '../../list-follows-changes.tsx';
import { useLiveEvent } from '../../live.ts';
import type { LetterToPrint } from './print-queue-api.ts';

/** How long after the first change shown the list waits for more before it says what changed. */
export const ANNOUNCE_GATHER_MS = 1_000;

/** How many letters changed, and how, between two readings of the list. */
export type LetterChanges = { added: number; taken: number; withdrawn: number; overtaken: number; left: number };

/** What the live stream said became of a letter: who moved it (none when the system did). */
export type HeardChange = { change: 'queued' | 'printed' | 'withdrawn'; byStaffId: string | null };

const NONE: LetterChanges = { added: 0, taken: 0, withdrawn: 0, overtaken: 0, left: 0 };
const letters = (n: number) => `${n} ${n === 1 ? 'letter' : 'letters'}`;

/**
 * What changed from `before` to `after`: letters added; letters gone, by a colleague (`taken`), by
 * the system (`withdrawn`) or unheard of (`left`, say on "Refresh"), never this person's own
 * (`myId`); letters still there that the server now says must not be posted. Pure.
 */
export function letterChanges(before: readonly LetterToPrint[], after: readonly LetterToPrint[], heard: ReadonlyMap<string, HeardChange>, myId: string | undefined): LetterChanges {
  const was = new Map(before.map((letter) => [letter.id, letter]));
  const now = new Set(after.map((letter) => letter.id));
  const changes = { ...NONE };
  for (const letter of after) {
    const earlier = was.get(letter.id);
    if (!earlier) changes.added += 1;
    else if (earlier.doNotPrint === null && letter.doNotPrint !== null) changes.overtaken += 1;
  }
  for (const letter of before) {
    if (now.has(letter.id)) continue;
    const why = heard.get(letter.id);
    if (why?.byStaffId != null && why.byStaffId === myId) continue;
    if (why?.change === 'printed' || (why?.change === 'withdrawn' && why.byStaffId !== null)) changes.taken += 1;
    else if (why?.change === 'withdrawn') changes.withdrawn += 1;
    else changes.left += 1;
  }
  return changes;
}

/** The words for what changed, one short sentence a kind, or null when nothing did. */
export function letterChangesText(changes: LetterChanges): string | null {
  const parts = [
    changes.added > 0 ? `${letters(changes.added)} added to the print queue.` : '',
    changes.taken > 0 ? `${letters(changes.taken)} taken by a colleague.` : '',
    changes.withdrawn > 0 ? `${letters(changes.withdrawn)} withdrawn, not to be posted.` : '',
    changes.overtaken > 0 ? `${letters(changes.overtaken)} must no longer be posted.` : '',
    changes.left > 0 ? `${letters(changes.left)} no longer in the print queue.` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}

const sum = (a: LetterChanges, b: LetterChanges): LetterChanges => ({
  added: a.added + b.added,
  taken: a.taken + b.taken,
  withdrawn: a.withdrawn + b.withdrawn,
  overtaken: a.overtaken + b.overtaken,
  left: a.left + b.left,
});

/**
 * Follows the list's rows (`rows`, as shown) and returns what to announce when they change: the
 * changes within `gatherMs` of the first make one announcement. The rows first shown are not news.
 */
export function usePrintQueueAnnouncement(rows: readonly LetterToPrint[] | undefined, gatherMs = ANNOUNCE_GATHER_MS): ListRefreshed | null {
  const session = useQuery(sessionQuery);
  const [announced, setAnnounced] = useState<ListRefreshed | null>(null);
  const heard = useRef(new Map<string, HeardChange>());
  const shown = useRef(rows);
  const gathered = useRef(NONE);
  const timer = useRef<number | undefined>(undefined);
  const myId = session.data?.user.id;

  // Heard before the list is read again (api/live-sync.ts gathers messages before it refetches).
  useLiveEvent((message) => {
    if (message.type !== 'print_queue.changed' || message.letterId === undefined || message.change === 'overtaken') return;
    heard.current.set(message.letterId, { change: message.change, byStaffId: message.byStaffId ?? null });
  });

  useEffect(() => {
    const before = shown.current;
    shown.current = rows;
    if (!before || !rows || before === rows) return;
    const changes = letterChanges(before, rows, heard.current, myId);
    // What was heard of letters no longer shown is spent.
    const ids = new Set(rows.map((letter) => letter.id));
    for (const id of heard.current.keys()) if (!ids.has(id)) heard.current.delete(id);
    if (letterChangesText(changes) === null) return;
    gathered.current = sum(gathered.current, changes);
    timer.current ??= window.setTimeout(() => {
      timer.current = undefined;
      const message = letterChangesText(gathered.current);
      gathered.current = NONE;
      if (message) setAnnounced((last) => ({ message, count: (last?.count ?? 0) + 1 }));
    }, gatherMs);
  }, [rows, myId, gatherMs]);

  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
      timer.current = undefined;
    },
    [],
  );

  return announced;
}
