import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { listOpenContacts } from '../api';
import { ErrorSummary, Loading, PageHeading, PriorityBadge, StatusMessage } from '../components';
import { channelLabel, formatDateTime, formatWaiting, truncate } from '../format';
import { useNow, useResource } from '../hooks';
import { useLiveEvent } from '../live';
import { contactHref } from '../router';
import type { ContactSummary } from '../types';

function describeUpdate(previous: ContactSummary[], next: ContactSummary[]): string {
  const known = new Set(previous.map((c) => c.id));
  const added = next.filter((c) => !known.has(c.id));
  const urgent = added.filter((c) => c.priority === 1).length;
  let text = `Queue updated: ${next.length} open ${next.length === 1 ? 'contact' : 'contacts'}.`;
  if (added.length > 0) {
    text += ` ${added.length} new`;
    if (urgent > 0) text += `, including ${urgent} priority 1`;
    text += '.';
  }
  return text;
}

export function QueueScreen() {
  const now = useNow(30_000);
  const queue = useResource((signal) => listOpenContacts(signal), []);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const shown = useRef<ContactSummary[] | null>(null);
  const announceNext = useRef(false);

  useLiveEvent((event) => {
    if (event.type === 'queue.changed' || event.type === 'resync') {
      announceNext.current = true;
      queue.reload();
    }
  });

  // Announce live changes once the refetched data has arrived.
  useEffect(() => {
    if (!queue.data) return;
    if (announceNext.current && shown.current) {
      announceNext.current = false;
      setAnnouncement(describeUpdate(shown.current, queue.data));
    }
    shown.current = queue.data;
  }, [queue.data]);

  const contacts = queue.data;

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
          {contacts ? `${contacts.length} waiting` : ''}
          {queue.loading && contacts ? ' · refreshing…' : ''}
        </p>
        <button type="button" className="button button--secondary" onClick={queue.reload}>
          Refresh
        </button>
      </div>
      <StatusMessage message={announcement} visible={false} />
      <ErrorSummary error={queue.error} focus={false} />
      {!contacts && queue.loading && <Loading what="queue" />}
      {contacts && contacts.length === 0 && <p className="empty">No open contacts. The queue is clear.</p>}
      {contacts && contacts.length > 0 && (
        <div className="table-wrap">
          <table className="table table--queue">
            <caption className="visually-hidden">Open contacts, most urgent first, then longest waiting</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Priority</th>
                <th scope="col">Channel</th>
                <th scope="col">Summary</th>
                <th scope="col">Person</th>
                <th scope="col">Assigned</th>
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
                  className={`queue-row queue-row--p${c.priority}`}
                  onClick={(e) => openFromRow(e, c.id)}
                >
                  <th scope="row">
                    <a href={contactHref(c.id)} className="ref">
                      {c.reference}
                    </a>
                  </th>
                  <td>
                    <PriorityBadge priority={c.priority} label={c.priorityLabel} />
                  </td>
                  <td data-testid="queue-channel">{channelLabel(c.channel)}</td>
                  <td className="summary" title={c.summary}>
                    {truncate(c.summary, 120)}
                  </td>
                  <td>{c.personName ?? <span className="muted">Unknown</span>}</td>
                  <td>{c.assignedToName ?? <span className="muted">Unassigned</span>}</td>
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
