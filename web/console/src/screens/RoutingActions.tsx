// The moves on a contact open to whoever handles it: take it, escalate it to the control room,
// ask for a callback. Each is a mutation that refetches what it changed, refused or not.
import { useState, type FormEvent } from 'react';
import { useEscalateContact, useRequestCallback, useTakeContact } from '../api/contact-mutations.ts';
import { invalidFields, toUiError, type FieldError, type UiError } from '../api/errors.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../components.tsx';
import { contactHref } from '../router.ts';

export const REASON_MAX = 1000;
export const CALLBACK_NOTE_MAX = 1000;
/** The server's own check (routing.routes.ts): digits, spaces, brackets and dashes, optional +. */
const PHONE_PATTERN = /^\+?[0-9 ()-]{6,20}$/;

export function TakeAction({ contactId, onTaken }: { contactId: string; onTaken: () => void }) {
  const take = useTakeContact(contactId);
  return (
    <div className="routing__action">
      <ErrorSummary error={toUiError(take.error)} />
      <button
        type="button"
        className="button"
        data-testid="take-contact"
        aria-disabled={take.isPending}
        onClick={() => {
          if (!take.isPending) take.mutate(undefined, { onSuccess: onTaken });
        }}
      >
        {take.isPending ? 'Taking…' : 'Take this contact'}
      </button>
    </div>
  );
}

export function EscalateForm({ contactId, onEscalated }: { contactId: string; onEscalated: (queueName: string) => void }) {
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const escalate = useEscalateContact(contactId);
  const error = invalid ?? toUiError(escalate.error);
  const busy = escalate.isPending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const problem = !reason.trim()
      ? 'Give the reason for escalating to the control room'
      : reason.length > REASON_MAX
        ? `Reason must be ${REASON_MAX} characters or fewer`
        : null;
    setInvalid(problem ? invalidFields([{ path: 'reason', message: problem }]) : null);
    if (problem) return;
    escalate.mutate(reason.trim(), {
      onSuccess: (queue) => {
        setReason('');
        onEscalated(queue.queueName);
      },
    });
  }

  const reasonError = fieldMessage(error, 'reason');
  return (
    <form onSubmit={submit} noValidate className="form routing__action">
      <h3>Escalate to the control room</h3>
      <ErrorSummary error={error} fieldIds={{ reason: 'escalate-reason' }} />
      <div className={`field${reasonError ? ' field--error' : ''}`}>
        <label htmlFor="escalate-reason">Reason for escalating</label>
        <p id="escalate-hint" className="hint">
          The contact moves to the control-room queue with its messages, triage and assessments; its clocks start again there.
        </p>
        <InlineError id="escalate-reason-error" message={reasonError} />
        <textarea
          id="escalate-reason"
          name="reason"
          data-testid="escalate-reason"
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-required="true"
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={`escalate-hint${reasonError ? ' escalate-reason-error' : ''}`}
        />
      </div>
      <button type="submit" className="button button--warning" data-testid="escalate-submit" aria-disabled={busy}>
        {busy ? 'Escalating…' : 'Escalate to control room'}
      </button>
    </form>
  );
}

export function CallbackForm({ contactId }: { contactId: string }) {
  const [number, setNumber] = useState('');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const callback = useRequestCallback(contactId);
  const error = invalid ?? toUiError(callback.error);
  const created = callback.data ?? null;
  const busy = callback.isPending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const fields: FieldError[] = [];
    if (number.trim() && !PHONE_PATTERN.test(number.trim())) fields.push({ path: 'number', message: 'Enter a phone number, like 07700 900123' });
    if (note.length > CALLBACK_NOTE_MAX) fields.push({ path: 'note', message: `Note must be ${CALLBACK_NOTE_MAX} characters or fewer` });
    setInvalid(fields.length > 0 ? invalidFields(fields) : null);
    if (fields.length > 0) return;
    const input: { number?: string; note?: string } = {};
    if (number.trim()) input.number = number.trim();
    if (note.trim()) input.note = note.trim();
    callback.mutate(input, {
      onSuccess: () => {
        setNumber('');
        setNote('');
      },
    });
  }

  const numberError = fieldMessage(error, 'number');
  const noteError = fieldMessage(error, 'note');
  return (
    <form onSubmit={submit} noValidate className="form routing__action">
      <h3 id="h-routing-callback" tabIndex={-1}>
        Callback
      </h3>
      <div role="status" aria-live="polite" className={created ? 'notice' : 'visually-hidden'}>
        {created && (
          <>
            Callback created:{' '}
            <a href={contactHref(created.id)} className="ref" data-testid="callback-reference">
              {created.reference}
            </a>
          </>
        )}
      </div>
      <ErrorSummary error={error} fieldIds={{ number: 'callback-number', note: 'callback-note' }} />
      <div className={`field${numberError ? ' field--error' : ''}`}>
        <label htmlFor="callback-number">Number to call (optional)</label>
        <p id="callback-number-hint" className="hint">
          Leave empty to use the number the person contacted us from.
        </p>
        <InlineError id="callback-number-error" message={numberError} />
        <input
          id="callback-number"
          name="number"
          type="tel"
          autoComplete="off"
          data-testid="callback-number"
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          aria-invalid={numberError ? true : undefined}
          aria-describedby={`callback-number-hint${numberError ? ' callback-number-error' : ''}`}
        />
      </div>
      <div className={`field${noteError ? ' field--error' : ''}`}>
        <label htmlFor="callback-note">Note for whoever calls (optional)</label>
        <InlineError id="callback-note-error" message={noteError} />
        <textarea
          id="callback-note"
          name="note"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={noteError ? true : undefined}
          aria-describedby={noteError ? 'callback-note-error' : undefined}
        />
      </div>
      <button type="submit" className="button button--secondary" data-testid="callback-submit" aria-disabled={busy}>
        {busy ? 'Requesting…' : 'Request a callback'}
      </button>
    </form>
  );
}
