import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { toUiError } from '../api/errors.ts';
import { contactListQuery, contactSearchQuery } from '../api/queries.ts';
import type { AssignedFilter, ContactSummary } from '../api/types.ts';
import { useServerNow } from '../clock.ts';
import { ErrorSummary, Loading, PageHeading, PriorityBadge, SlaCountdown, StatusMessage, ThreatToLifeBadge } from '../components.tsx';
import { channelLabel, formatDateTime, formatWaiting, truncate } from '../format.ts';
import { useLiveEvent } from '../live.ts';
import { contactHref } from '../router.ts';

/** How many open contacts there are in all, and how many of them wait for someone or are the viewer's. */
type QueueCounts = { open: number; waiting: number; mine: number };

const FILTERS: ReadonlyArray<{ value: AssignedFilter; label: string; empty: string; meta: (n: QueueCounts) => string; total: (n: QueueCounts) => number }> = [
  {
    value: 'any',
    label: 'All',
    empty: 'No open contacts. The queue is clear.',
    // Waiting and assigned are counted apart, so the two add up to the open total.
    meta: (n) => `${n.open} open: ${n.waiting} waiting, ${n.open - n.waiting} assigned`,
    total: (n) => n.open,
  },
  { value: 'me', label: 'Mine', empty: 'No open contacts are assigned to you.', meta: (n) => `${n.mine} assigned to you`, total: (n) => n.mine },
  { value: 'unassigned', label: 'Unassigned', empty: 'No open contacts are waiting for someone.', meta: (n) => `${n.waiting} waiting`, total: (n) => n.waiting },
];

/** The totals behind the queue's counts: one-row searches, refreshed with the queue (same key family). */
function useQueueCounts(): QueueCounts | null {
  const open = useQuery(contactSearchQuery({ status: 'open', limit: 1 }));
  const waiting = useQuery(contactSearchQuery({ status: 'open', assignee: 'unassigned', limit: 1 }));
  const mine = useQuery(contactSearchQuery({ status: 'open', assignee: 'me', limit: 1 }));
  if (!open.data || !waiting.data || !mine.data) return null;
  return { open: open.data.total, waiting: waiting.data.total, mine: mine.data.total };
}

function isAssignedFilter(value: string): value is AssignedFilter {
  return FILTERS.some((f) => f.value === value);
}

function describeUpdate(previous: ContactSummary[], next: ContactSummary[]): string {
  const known = new Set(previous.map((c) => c.id));
  const added = next.filter((c) => !known.has(c.id));
  const urgent = added.filter((c) => c.priority === 1).length;
  const threats = added.filter((c) => c.isThreatToLife).length;
  let text = `Queue updated: ${next.length} open ${next.length === 1 ? 'contact' : 'contacts'}.`;
  if (added.length > 0) {
    text += ` ${added.length} new`;
    if (threats > 0) text += `, including ${threats} threat to life`;
    else if (urgent > 0) text += `, including ${urgent} priority 1`;
    text += '.';
  }
  return text;
}

export function QueueScreen() {
  // Every second, for the SLA countdowns.
  const now = useServerNow(1_000);
  const [filter, setFilter] = useState<AssignedFilter>('any');
  // Live messages refetch it (api/live-sync.ts); a new filter shows the last list until its own arrives.
  const queue = useQuery({ ...contactListQuery(filter), placeholderData: keepPreviousData });
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const shown = useRef<{ filter: AssignedFilter; contacts: ContactSummary[] } | null>(null);
  const announceNext = useRef(false);

  useLiveEvent((event) => {
    // Assignments (routing.changed) move rows between filters and change who holds them: not worth announcing.
    if (event.type === 'queue.changed' || event.type === 'resync') announceNext.current = true;
  });

  // Announce live changes once the refetched list has arrived.
  useEffect(() => {
    if (!queue.data || queue.isPlaceholderData) return;
    // A list for another filter is a new list, not an update.
    if (announceNext.current && shown.current?.filter === filter) setAnnouncement(describeUpdate(shown.current.contacts, queue.data));
    announceNext.current = false;
    shown.current = { filter, contacts: queue.data };
  }, [queue.data, queue.isPlaceholderData, filter]);

  const contacts = queue.data;
  const current = FILTERS.find((f) => f.value === filter) ?? FILTERS[0];
  const counts = useQueueCounts();
  const total = counts && current ? current.total(counts) : null;

  function openFromRow(event: MouseEvent<HTMLTableRowElement>, id: string) {
    // The reference link handles keyboard and modified clicks; this makes the whole row a mouse target.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if ((event.target as Element).closest('a, button')) return;
    if (window.getSelection()?.toString()) return;
    window.location.hash = contactHref(id);
  }

  return (
    <>
      <div className="page-header">
        <PageHeading title="Open contacts">Open contacts</PageHeading>
        <p className="page-header__meta">
          {counts && current ? current.meta(counts) : ''}
          {queue.isFetching && contacts ? ' · refreshing…' : ''}
        </p>
        <div className="field field--inline">
          <label htmlFor="queue-filter">Show</label>
          <select
            id="queue-filter"
            data-testid="queue-filter"
            className="select--narrow"
            value={filter}
            onChange={(e) => {
              if (isAssignedFilter(e.target.value)) setFilter(e.target.value);
            }}
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button--secondary" onClick={() => void queue.refetch()}>
          Refresh
        </button>
      </div>
      <StatusMessage message={announcement} visible={false} />
      <ErrorSummary error={toUiError(queue.error)} focus={false} />
      {!contacts && queue.isPending && <Loading what="queue" />}
      {contacts && contacts.length === 0 && <p className="empty">{current?.empty}</p>}
      {contacts && total !== null && contacts.length < total && (
        <p className="notice" data-testid="queue-more">
          Showing the {contacts.length} most urgent of {total}. <a href="#/contacts">Find contacts</a> to see every one, page by page.
        </p>
      )}
      {contacts && contacts.length > 0 && (
        <div className="table-wrap">
          <table className="table table--queue">
            <caption className="visually-hidden">
              {filter === 'me' ? 'Open contacts assigned to you' : filter === 'unassigned' ? 'Open contacts nobody holds' : 'Open contacts'}, threat to
              life first, then most urgent, then longest waiting
            </caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Priority</th>
                <th scope="col">Channel</th>
                <th scope="col">Summary</th>
                <th scope="col">Person</th>
                <th scope="col">Queue</th>
                <th scope="col">Assigned</th>
                <th scope="col">SLA</th>
                <th scope="col" className="num">
                  Waiting
                </th>
              </tr>
            </thead>
            <tbody>
              {contacts.map((c) => (
                <tr
                  key={c.id}
                  data-testid="queue-row"
                  data-reference={c.reference}
                  data-priority={c.priority}
                  data-threat-to-life={c.isThreatToLife || undefined}
                  className={`queue-row queue-row--p${c.priority}${c.isThreatToLife ? ' queue-row--ttl' : ''}`}
                  onClick={(e) => openFromRow(e, c.id)}
                >
                  <th scope="row">
                    <a href={contactHref(c.id)} className="ref">
                      {c.reference}
                    </a>
                  </th>
                  <td>
                    <PriorityBadge priority={c.priority} label={c.priorityLabel} />
                    {c.isThreatToLife && (
                      <>
                        {' '}
                        <ThreatToLifeBadge />
                      </>
                    )}
                  </td>
                  <td data-testid="queue-channel">{channelLabel(c.channel)}</td>
                  <td className="summary" title={c.summary}>
                    {truncate(c.summary, 120)}
                  </td>
                  <td>{c.personName ?? <span className="muted">Unknown</span>}</td>
                  <td>{c.queueName ?? <span className="muted">None</span>}</td>
                  <td>{c.assignedToName ?? <span className="muted">Unassigned</span>}</td>
                  <td className="nowrap">{c.sla ? <SlaCountdown clock={c.sla} now={now} testId="queue-sla" /> : <span className="muted">None</span>}</td>
                  <td className="num">
                    <time dateTime={c.receivedAt} title={`Received ${formatDateTime(c.receivedAt)}`}>
                      {formatWaiting(c.receivedAt, now)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
