import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSendOutboxAgain } from '../api/admin-mutations.ts';
import { toUiError } from '../api/errors.ts';
import { outboxQuery } from '../api/queries.ts';
import { ErrorSummary, focusById, Loading, PageHeading, StatusMessage } from '../components.tsx';
import { formatDateTime, humanize, truncate, wentAfterAllText } from '../format.ts';
import { WithdrawMessage, isWithdrawable } from './WithdrawMessage.tsx';

/** A channel in the words of a sentence ("sent again by text message"). */
const CHANNEL_WORDS: Readonly<Record<string, string>> = { email: 'email', sms: 'text message', portal: 'the portal inbox', letter: 'letter' };

/** A status in words: a message taken back before it went is withdrawn. */
const statusText = (status: string) => (status === 'suppressed' ? 'Withdrawn' : humanize(status));

/**
 * The outbox; a failed message can be sent again by staff who may (`outbox:send_again`, decision
 * 0058), and one not yet gone withdrawn, with the reason (`outbox:withdraw`, decision 0074).
 */
export function OutboxScreen({ canSendAgain, canWithdraw }: { canSendAgain: boolean; canWithdraw: boolean }) {
  const outbox = useQuery(outboxQuery);
  const messages = outbox.data;
  const [notice, setNotice] = useState<string | null>(null);
  const sendAgain = useSendOutboxAgain();
  const sending = sendAgain.isPending ? sendAgain.variables : null;

  function send(id: string, recipient: string) {
    if (sending) return;
    setNotice(null);
    sendAgain.mutate(id, {
      onSuccess: (message) => {
        const when = message.status === 'pending' ? 'It is waiting to be sent' : `It is now ${humanize(message.status).toLowerCase()}`;
        setNotice(`The message to ${recipient} is sent again: by ${CHANNEL_WORDS[message.channel] ?? message.channel} to ${message.recipient}. ${when}.`);
        focusById('outbox-notice');
      },
    });
  }

  return (
    <>
      <div className="page-header">
        <PageHeading title="Outbox">Outbox</PageHeading>
        <p className="page-header__meta">{messages ? `${messages.length} messages` : ''}</p>
        <button type="button" className="button button--secondary" onClick={() => void outbox.refetch()}>
          Refresh
        </button>
      </div>
      <StatusMessage message={notice} id="outbox-notice" />
      <ErrorSummary error={toUiError(sendAgain.error)} />
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
                <th scope="col">Last error or reason</th>
                <th scope="col">Sent</th>
                {(canSendAgain || canWithdraw) && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id} data-testid="outbox-row" data-status={m.status} data-id={m.id}>
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
                    <span className={`status status--${m.status}`}>{statusText(m.status)}</span>
                  </td>
                  <td className="num">{m.attempts}</td>
                  <td className="break">
                    {m.lastError ?? <span className="muted">None</span>}
                    {m.wentAfterAll && (
                      <>
                        <br />
                        <strong data-testid="went-after-all">{wentAfterAllText(m.wentAfterAll)}</strong>
                      </>
                    )}
                  </td>
                  <td>{m.sentAt ? <time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time> : <span className="muted">Not sent</span>}</td>
                  {(canSendAgain || canWithdraw) && (
                    <td>
                      {canWithdraw && isWithdrawable(m.status) && <WithdrawMessage outboxId={m.id} about={`the message to ${m.recipient}`} />}
                      {canSendAgain && m.status === 'failed' && (
                        <button
                          type="button"
                          className="button button--secondary"
                          data-testid="outbox-send-again"
                          onClick={() => send(m.id, m.recipient)}
                          aria-disabled={sending !== null}
                        >
                          {sending === m.id ? 'Sending again…' : 'Send again'}
                          <span className="visually-hidden"> the message to {m.recipient}</span>
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
