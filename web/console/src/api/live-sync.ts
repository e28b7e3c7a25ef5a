// Live messages keep the queries fresh: each message names what changed, and the queries that show
// it are invalidated (the ones on screen refetch, the rest when next shown). One change on the
// server often sends several messages at once, so they are gathered for a moment and each query
// refetched once for the lot.
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { caseKeys } from './cases.ts';
import { queryKeys, keysOfContact } from './query-keys.ts';
import type { LiveMessage } from './types.ts';

/** Everything but who is signed in: a missed event never changes that. */
export const EVERYTHING = 'everything';

/** The queries a live message makes stale, or EVERYTHING when events may have been missed. */
export function staleAfter(message: LiveMessage): readonly QueryKey[] | typeof EVERYTHING {
  switch (message.type) {
    case 'hello':
      return [];
    case 'queue.changed':
      return keysOfContact(message.contactId);
    case 'routing.changed':
      // Assignments, presence or queues: who holds what, on every screen that shows it.
      return [queryKeys.contacts.lists, queryKeys.contacts.details, queryKeys.routing.all];
    case 'alert.raised':
      // About a contact (its screen shows its alerts), an incident's missed target (its screen and
      // the board), or a case whose Victims' Code clocks could not be opened (its timeline says so).
      if (message.contactId !== undefined) return [queryKeys.alerts, queryKeys.contacts.detail(message.contactId), queryKeys.routing.board];
      if (message.caseId !== undefined) return [queryKeys.alerts, caseKeys.detail(message.caseId)];
      return [queryKeys.alerts, ...(message.incidentId !== undefined ? [queryKeys.dispatch.incident(message.incidentId)] : [])];
    case 'alert.acknowledged':
      // A case's names its case (its timeline says so); otherwise the message does not say whose
      // alert it was, and only the contact on screen refetches.
      if (message.caseId !== undefined) return [queryKeys.alerts, caseKeys.detail(message.caseId)];
      return [queryKeys.alerts, queryKeys.contacts.details, queryKeys.routing.board];
    case 'alert.put_right':
      // The banner says the case's alert was put right, and when; the case's timeline says so too.
      return [queryKeys.alerts, caseKeys.detail(message.caseId)];
    case 'incidents.changed':
      // One incident: its screen, and the lists (board, unit board, map) that show it. Under one
      // prefix, so the whole family is one refetch of the list and one of the screen on show.
      return [queryKeys.dispatch.incidents];
    case 'units.changed':
      // A unit's status: the unit board and the map (a recommendation is asked for again by hand).
      return [queryKeys.dispatch.units];
    case 'case.victim_updates_changed':
      return [queryKeys.victimUpdates];
    case 'areas.changed':
      // Imported, renamed, re-set or removed: the areas page, the dispatcher's map and the unit
      // lists that name home areas show them as they now are.
      return [queryKeys.dispatch.areas];
    case 'print_queue.changed':
      // A letter joined the print queue or left it (printed and posted, or withdrawn): the queue
      // shows the letters waiting now; a letter open on screen says itself who took it.
      return [queryKeys.printQueue];
    case 'journey_rules.changed':
      // Another admin's change: the journey rules page shows the rules as they now are.
      return [queryKeys.admin.journeyRules];
    case 'record.changed':
      // Heard by the form open on that record (changed-elsewhere.tsx), which offers it as it is
      // now; a form's own copy of what it opened is never swapped under the person editing it.
      return [];
    case 'resync':
      return EVERYTHING;
  }
}

/** How long messages are gathered before the queries they name refetch. */
export const LIVE_GATHER_MS = 200;

interface LiveSource {
  subscribe(listener: (message: LiveMessage) => void): () => void;
}

/** Invalidates queries as live messages arrive, until the returned function is called. */
export function syncQueriesWithLive(live: LiveSource, queryClient: QueryClient, gatherMs = LIVE_GATHER_MS): () => void {
  let pending = new Map<string, QueryKey>();
  let isEverything = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    if (isEverything) {
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
    } else {
      for (const queryKey of pending.values()) void queryClient.invalidateQueries({ queryKey });
    }
    pending = new Map();
    isEverything = false;
  };

  const unsubscribe = live.subscribe((message) => {
    const stale = staleAfter(message);
    if (stale === EVERYTHING) isEverything = true;
    else for (const key of stale) pending.set(JSON.stringify(key), key);
    if (!isEverything && pending.size === 0) return;
    timer ??= setTimeout(flush, gatherMs);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
