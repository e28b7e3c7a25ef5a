import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../api/errors.ts';
import { outboxQuery } from '../api/queries.ts';
import { ErrorSummary, Loading, PageHeading } from '../components.tsx';
import { formatDateTime, humanize, truncate } from '../format.ts';

export function OutboxScreen() {
  const outbox = useQuery(outboxQuery);
  const messages = outbox.data;
  return (
    <>
      <div className="page-header">
        <PageHeading title="Outbox">Outbox</PageHeading>
        <p className="page-header__meta">{messages ? `${messages.length} messages` : ''}</p>
        <button type="button" className="button button--secondary" onClick={() => void outbox.refetch()}>
          Refresh
        </button>
      </div>
      <ErrorSummary error={toUiError(outbox.error)} focus={false} />
      {!messages && outbox.isPending && <Loading what="outbox" />}
      {messages && messages.length === 0 && <p className="empty">The outbox is empty.</p>}
      {messages && messages.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Outgoing messages</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Channel</th>
                <th scope="col">Recipient</th>
                <th scope="col">Subject and body</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last error</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id} data-testid="outbox-row" data-status={m.status}>
                  <td>
                    <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                  </td>
                  <td>{humanize(m.channel)}</td>
                  <td className="break">{m.recipient}</td>
                  <td>
                    <details>
                      <summary>{m.subject ? truncate(m.subject, 80) : '(no subject)'}</summary>
                      <p className="msg__body">{m.body}</p>
                    </details>
                  </td>
                  <td>
                    <span className={`status status--${m.status}`}>{humanize(m.status)}</span>
                  </td>
                  <td className="num">{m.attempts}</td>
                  <td className="break">{m.lastError ?? <span className="muted">None</span>}</td>
                  <td>{m.sentAt ? <time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time> : <span className="muted">Not sent</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
