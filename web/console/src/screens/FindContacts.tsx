// Find contacts: every contact of the force, open and closed, by text (reference, person, phone,
// email, message), status, priority, channel, queue and holder, a page at a time newest first,
// with how many the search finds in all. The queue shows open work only; this is where the rest is.
import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { toUiError } from '../api/errors.ts';
import { contactSearchQuery, queuesQuery } from '../api/queries.ts';
import type { ContactSearchParams } from '../api/types.ts';
import { ErrorSummary, Loading, PageHeading, PriorityBadge, ThreatToLifeBadge } from '../components.tsx';
import { CHANNEL_LABELS, channelLabel, formatDateTime, humanize, truncate } from '../format.ts';
import { PRIORITY_LABELS } from '../labels.ts';
import { contactHref } from '../router.ts';

const PAGE_SIZE = 50;

type Filters = {
  q: string;
  status: NonNullable<ContactSearchParams['status']>;
  priority: string;
  channel: string;
  queue: string;
  assignee: string;
};
const NO_FILTERS: Filters = { q: '', status: 'any', priority: '', channel: '', queue: '', assignee: '' };
/** Where the page starts: a cursor, and the position of its first row (for "showing 51–100"). */
type Place = { after?: string; before?: string; offset: number };

function toParams(filters: Filters, place: Place): ContactSearchParams {
  const priority = Number(filters.priority);
  return {
    status: filters.status,
    limit: PAGE_SIZE,
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(priority >= 1 && priority <= 4 ? { priority } : {}),
    ...(filters.channel ? { channel: filters.channel } : {}),
    ...(filters.queue ? { queue: filters.queue } : {}),
    ...(filters.assignee ? { assignee: filters.assignee } : {}),
    ...(place.after ? { after: place.after } : {}),
    ...(place.before ? { before: place.before } : {}),
  };
}

function isStatus(value: string): value is Filters['status'] {
  return value === 'any' || value === 'open' || value === 'closed';
}

export function FindContactsScreen() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [place, setPlace] = useState<Place>({ offset: 0 });
  const queues = useQuery(queuesQuery);
  const result = useQuery({ ...contactSearchQuery(toParams(applied, place)), placeholderData: keepPreviousData });
  const page = result.data;

  function apply(next: Filters) {
    setApplied(next);
    setPlace({ offset: 0 });
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    apply(draft);
  }
  const set = (field: keyof Filters) => (value: string) => setDraft((current) => ({ ...current, [field]: value }));

  const shownFrom = page && page.contacts.length > 0 ? place.offset + 1 : 0;
  const shownTo = page ? place.offset + page.contacts.length : 0;
  const error = toUiError(result.error);

  return (
    <>
      <div className="page-header">
        <PageHeading title="Find contacts">Find contacts</PageHeading>
        <p className="page-header__meta" data-testid="find-count" aria-live="polite">
          {page ? (page.total === 0 ? 'No contacts found' : `Showing ${shownFrom}–${shownTo} of ${page.total}`) : ''}
          {result.isFetching && page ? ' · refreshing…' : ''}
        </p>
      </div>
      <form className="filters" role="search" aria-label="Find contacts" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="find-q">Reference, name, phone, email or words in a message</label>
          <input id="find-q" data-testid="find-q" type="search" maxLength={200} value={draft.q} onChange={(e) => set('q')(e.target.value)} />
        </div>
        <div className="field field--inline">
          <label htmlFor="find-status">Status</label>
          <select
            id="find-status"
            value={draft.status}
            onChange={(e) => {
              if (isStatus(e.target.value)) set('status')(e.target.value);
            }}
          >
            <option value="any">Open and closed</option>
            <option value="open">Open</option>
            <option value="closed">Closed</option>
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="find-priority">Priority</label>
          <select id="find-priority" value={draft.priority} onChange={(e) => set('priority')(e.target.value)}>
            <option value="">Any</option>
            {Object.entries(PRIORITY_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="find-channel">Channel</label>
          <select id="find-channel" value={draft.channel} onChange={(e) => set('channel')(e.target.value)}>
            <option value="">Any</option>
            {Object.entries(CHANNEL_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="find-queue">Queue</label>
          <select id="find-queue" value={draft.queue} onChange={(e) => set('queue')(e.target.value)}>
            <option value="">Any</option>
            {(queues.data ?? []).map((queue) => (
              <option key={queue.id} value={queue.id}>
                {queue.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="find-assignee">Held by</label>
          <select id="find-assignee" value={draft.assignee} onChange={(e) => set('assignee')(e.target.value)}>
            <option value="">Anyone or nobody</option>
            <option value="me">Me</option>
            <option value="unassigned">Nobody</option>
          </select>
        </div>
        <button type="submit" className="button" data-testid="find-submit">
          Search
        </button>{' '}
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setDraft(NO_FILTERS);
            apply(NO_FILTERS);
          }}
        >
          Clear
        </button>
      </form>
      <ErrorSummary error={error} focus={false} />
      {!page && result.isPending && <Loading what="contacts" />}
      {page && page.contacts.length === 0 && <p className="empty">No contacts match. Try fewer filters or other words.</p>}
      {page && page.contacts.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="find-results">
            <caption className="visually-hidden">Contacts found, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">Channel</th>
                <th scope="col">Summary</th>
                <th scope="col">Person</th>
                <th scope="col">Queue</th>
                <th scope="col">Held by</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {page.contacts.map((c) => (
                <tr key={c.id} data-testid="find-row" data-reference={c.reference} data-status={c.status}>
                  <th scope="row">
                    <a href={contactHref(c.id)} className="ref">
                      {c.reference}
                    </a>
                  </th>
                  <td>{humanize(c.status)}</td>
                  <td>
                    <PriorityBadge priority={c.priority} label={c.priorityLabel} />
                    {c.isThreatToLife && (
                      <>
                        {' '}
                        <ThreatToLifeBadge />
                      </>
                    )}
                  </td>
                  <td>{channelLabel(c.channel)}</td>
                  <td className="summary" title={c.summary}>
                    {truncate(c.summary, 120)}
                  </td>
                  <td>{c.personName ?? <span className="muted">Unknown</span>}</td>
                  <td>{c.queueName ?? <span className="muted">None</span>}</td>
                  <td>{c.assignedToName ?? <span className="muted">Nobody</span>}</td>
                  <td>
                    <time dateTime={c.receivedAt}>{formatDateTime(c.receivedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && (page.previousCursor || page.nextCursor) && (
        <nav className="pager" aria-label="Pages of contacts found">
          <button
            type="button"
            className="button button--secondary"
            data-testid="find-previous"
            disabled={!page.previousCursor}
            onClick={() => page.previousCursor && setPlace({ before: page.previousCursor, offset: Math.max(0, place.offset - PAGE_SIZE) })}
          >
            Previous
          </button>{' '}
          <button
            type="button"
            className="button button--secondary"
            data-testid="find-next"
            disabled={!page.nextCursor}
            onClick={() => page.nextCursor && setPlace({ after: page.nextCursor, offset: place.offset + page.contacts.length })}
          >
            Next
          </button>
        </nav>
      )}
    </>
  );
}
