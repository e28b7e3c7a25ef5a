import { useQuery } from '@tanstack/react-query';
import { caseAppointmentsQuery, caseMessagesQuery, type CaseMessage } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, Loading } from '../../components.tsx';
import { formatDateTime, formatDay, wentAfterAllText } from '../../format.ts';
import { MESSAGE_STATUS_LABELS, outboundChannelLabel, purposeText } from './case-text.ts';
import { WithdrawMessage, isWithdrawable } from '../WithdrawMessage.tsx';

/** The case's appointments, current first, as its appointment milestones leave them. */
export function AppointmentsPanel({ caseId }: { caseId: string }) {
  const appointments = useQuery(caseAppointmentsQuery(caseId));
  const list = [...(appointments.data ?? [])].sort((a, b) => (a.status === b.status ? 0 : a.status === 'current' ? -1 : 1));
  return (
    <section aria-labelledby="h-case-appointments">
      <h2 id="h-case-appointments">Appointments</h2>
      {appointments.isError && <ErrorSummary error={toUiError(appointments.error)} focus={false} />}
      {appointments.isPending ? (
        <Loading what="appointments" />
      ) : list.length === 0 ? (
        <p>No appointments.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="case-appointments">
            <caption className="visually-hidden">Appointments, current first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Where</th>
                <th scope="col">Note</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.map((appointment) => (
                <tr key={appointment.id} data-status={appointment.status}>
                  <td>{appointment.at ? (appointment.isDateOnly ? `${formatDay(appointment.at)} (no time given)` : formatDateTime(appointment.at)) : 'Time not given'}</td>
                  <td>{appointment.place ?? 'Place not given'}</td>
                  <td>{appointment.note ?? ''}</td>
                  <td>
                    {appointment.status === 'cancelled'
                      ? `Cancelled ${formatDateTime(appointment.cancelledAt)}`
                      : appointment.changedAt
                        ? `Changed ${formatDateTime(appointment.changedAt)}`
                        : `Made ${formatDateTime(appointment.madeAt)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** When a message went (or why it did not), in words. */
function deliveryText(message: CaseMessage): string {
  switch (message.status) {
    case 'delivered':
      return `Delivered ${formatDateTime(message.deliveredAt)}${message.sentAt ? ` (sent ${formatDateTime(message.sentAt)})` : ''}`;
    case 'sent':
      return `Sent ${formatDateTime(message.sentAt)}`;
    case 'pending':
      return message.notBefore ? `Not before ${formatDateTime(message.notBefore)}` : 'Waiting to send';
    default:
      return MESSAGE_STATUS_LABELS[message.status];
  }
}

/** "journey:case.suspect_arrested" → "Suspect arrested". */
/** A message's status in words: one staff (or a change) took back before it went is withdrawn; one a journey never queued is not sent. */
function statusText(message: CaseMessage): string {
  return message.kind === 'outbox' && message.status === 'suppressed' ? 'Withdrawn' : MESSAGE_STATUS_LABELS[message.status];
}

/**
 * What each victim has been told and when: every message with its delivery proof, and those held
 * back with the reason. Staff who may (`outbox:withdraw`) withdraw one not yet gone (decision 0074).
 */
export function MessagesPanel({ caseId, canWithdraw }: { caseId: string; canWithdraw: boolean }) {
  const messages = useQuery(caseMessagesQuery(caseId));
  return (
    <section aria-labelledby="h-case-messages">
      <h2 id="h-case-messages">Messages to victims</h2>
      {messages.isError && <ErrorSummary error={toUiError(messages.error)} focus={false} />}
      {messages.isPending ? (
        <Loading what="messages" />
      ) : (messages.data ?? []).length === 0 ? (
        <p>No messages have been sent to victims on this case.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="case-messages">
            <caption className="visually-hidden">Messages to victims, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">To</th>
                <th scope="col">Update</th>
                <th scope="col">Status</th>
                <th scope="col">Delivery</th>
                {canWithdraw && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {(messages.data ?? []).map((message) => (
                <tr key={message.id} data-testid="case-message" data-status={message.status} data-id={message.id}>
                  <td>{formatDateTime(message.queuedAt)}</td>
                  <td>
                    {message.victim?.name ?? 'Victim'}
                    <br />
                    <span className="hint">
                      {outboundChannelLabel(message.channel)}
                      {message.recipient ? ` · ${message.recipient}` : ''}
                    </span>
                  </td>
                  <td>
                    {purposeText(message.purpose)}
                    {message.subject && (
                      <>
                        <br />
                        <span className="hint">{message.subject}</span>
                      </>
                    )}
                  </td>
                  <td>{statusText(message)}</td>
                  <td>
                    {deliveryText(message)}
                    {message.wentAfterAll && (
                      <>
                        <br />
                        <strong data-testid="went-after-all">{wentAfterAllText(message.wentAfterAll)}</strong>
                      </>
                    )}
                    {message.reason && (
                      <>
                        <br />
                        <span className="hint">Why: {message.reason}</span>
                      </>
                    )}
                  </td>
                  {canWithdraw && (
                    <td>
                      {message.kind === 'outbox' && isWithdrawable(message.status) && (
                        <WithdrawMessage outboxId={message.id} about={`the ${purposeText(message.purpose).toLowerCase()} message to ${message.victim?.name ?? 'the victim'}`} />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
