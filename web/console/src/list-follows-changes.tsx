// A page that lists records (queues, queue rules, staff) shows them as they are now when the live
// stream says one of them changed elsewhere: its queries are read again in place, so rows change
// where they stand, with no loading state, no focus moved and no scroll lost, and a polite status
// says so when what is shown changed (decision 0102). Forms are left alone: each holds what it was
// opened with and says itself that its record changed (changed-elsewhere.tsx, decision 0096).
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { LIVE_GATHER_MS } from './api/live-sync.ts';
import { sessionQuery } from './api/queries.ts';
import { useLiveEvent, type EditedRecord } from './live.ts';

/** What the page's status region says after a refresh; `count` tells one announcement from the next with the same words. */
export type ListRefreshed = { message: string; count: number };

/**
 * Reads `queries` again once `record.changed` names one of `records`, gathering the messages that
 * arrive within `gatherMs` into one read. Returns what to announce when the data shown changed
 * and someone other than this person made the change (their own save says so itself); `what`
 * names the list ("The queues").
 */
export function useListFollowsChanges({
  records,
  queries,
  what,
  gatherMs = LIVE_GATHER_MS,
}: {
  records: readonly EditedRecord[];
  queries: readonly QueryKey[];
  what: string;
  gatherMs?: number;
}): ListRefreshed | null {
  const queryClient = useQueryClient();
  const session = useQuery(sessionQuery);
  const [refreshed, setRefreshed] = useState<ListRefreshed | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const isByOthers = useRef(false);
  const isMounted = useRef(true);
  const latest = useRef({ records, queries, what, myId: session.data?.user.id });
  latest.current = { records, queries, what, myId: session.data?.user.id };

  async function refresh(before: readonly unknown[]) {
    timer.current = undefined;
    const shouldAnnounce = isByOthers.current;
    isByOthers.current = false;
    const { queries: keys, what: list } = latest.current;
    // Shown data stays on screen while it is read again; a read that fails leaves it as it was.
    await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey, exact: true }))).catch(() => undefined);
    // Data read again unchanged keeps its identity (structural sharing): nothing to announce.
    const isChanged = keys.some((queryKey, index) => queryClient.getQueryData(queryKey) !== before[index]);
    if (isChanged && shouldAnnounce && isMounted.current) {
      setRefreshed((last) => ({ message: `${list} changed elsewhere. This page now shows them as they are.`, count: (last?.count ?? 0) + 1 }));
    }
  }

  useLiveEvent((message) => {
    if (message.type !== 'record.changed' || !latest.current.records.includes(message.record)) return;
    if (message.byStaffId === undefined || message.byStaffId !== latest.current.myId) isByOthers.current = true;
    if (timer.current !== undefined) return;
    // What is shown as the message is heard: a form's own re-read of the same query (changed-elsewhere.tsx) may refresh it first.
    const before = latest.current.queries.map((queryKey) => queryClient.getQueryData(queryKey));
    timer.current = window.setTimeout(() => void refresh(before), gatherMs);
  });

  useEffect(() => {
    isMounted.current = true;
    return () => {
      isMounted.current = false;
      window.clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, []);

  return refreshed;
}

/**
 * The polite, visually hidden region that says a list was refreshed. It is on the page from the
 * start, so what appears in it is announced; each announcement is a new node, so the same words
 * twice are announced twice. It never takes focus.
 */
export function ListRefreshedStatus({ refreshed, testId }: { refreshed: ListRefreshed | null; testId: string }) {
  return (
    <div role="status" aria-live="polite" className="visually-hidden" data-testid={testId}>
      {refreshed && <span key={refreshed.count}>{refreshed.message}</span>}
    </div>
  );
}
