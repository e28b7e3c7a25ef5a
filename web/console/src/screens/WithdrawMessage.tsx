// Withdrawing a message before it goes (decision 0074): the row's "Withdraw" opens a reason, and
// the message is withdrawn only when the member of staff says why. What the server refuses (no
// reason, the message went a moment ago) is shown in the form; once withdrawn, the list read
// again shows it withdrawn with the reason.
import { useId, useState, type FormEvent } from 'react';
import { useWithdrawOutboxMessage } from '../api/admin-mutations.ts';
import { toUiError } from '../api/errors.ts';
import { ErrorSummary, InlineError, fieldMessage, focusById } from '../components.tsx';

/** The longest reason the server takes. */
const REASON_MAX = 500;

/** Whether a message in this status can still be withdrawn: it has not gone. */
export function isWithdrawable(status: string): boolean {
  return status === 'pending' || status === 'held';
}

/** "Withdraw" for one message not yet sent; `about` names it for a screen reader ("the message to …"). */
export function WithdrawMessage({ outboxId, about }: { outboxId: string; about: string }) {
  const withdraw = useWithdrawOutboxMessage();
  const [isOpen, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const id = useId();
  const reasonId = `withdraw-reason-${id}`;
  const error = toUiError(withdraw.error);
  const reasonError = fieldMessage(error, 'reason');

  function open() {
    setOpen(true);
    // After the form renders: the person is taken to the reason.
    setTimeout(() => focusById(reasonId), 0);
  }
  function cancel() {
    setOpen(false);
    setReason('');
    withdraw.reset();
  }
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (withdraw.isPending) return;
    withdraw.mutate({ outboxId, reason });
  }

  if (!isOpen) {
    return (
      <button type="button" className="button button--secondary" data-testid="withdraw-message" onClick={open}>
        Withdraw<span className="visually-hidden"> {about}</span>
      </button>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="form" aria-label={`Withdraw ${about}`} data-testid="withdraw-form">
      <ErrorSummary error={error} fieldIds={{ reason: reasonId }} />
      <div className={`field${reasonError ? ' field--error' : ''}`}>
        <label htmlFor={reasonId}>Why withdraw it?</label>
        <p className="hint" id={`${reasonId}-hint`}>
          It will not be sent. The reason is kept with the message and in the force&rsquo;s log.
        </p>
        <InlineError id={`${reasonId}-error`} message={reasonError} />
        <textarea
          id={reasonId}
          data-testid="withdraw-reason"
          rows={2}
          maxLength={REASON_MAX}
          value={reason}
          aria-describedby={reasonError ? `${reasonId}-hint ${reasonId}-error` : `${reasonId}-hint`}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      <button type="submit" className="button button--warning" data-testid="withdraw-submit" aria-disabled={withdraw.isPending}>
        {withdraw.isPending ? 'Withdrawing…' : 'Withdraw message'}
      </button>{' '}
      <button type="button" className="button button--secondary" onClick={cancel}>
        Cancel
      </button>
    </form>
  );
}
