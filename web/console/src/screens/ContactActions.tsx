// State-changing forms of the contact screen: reply, close, reopen, create case.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useCloseContact, useCreateCase, useReopenContact, useSendReply } from '../api/contact-mutations.ts';
import { invalidFields, toUiError, type UiError } from '../api/errors.ts';
import type { CloseOutcome, ContactMessage } from '../api/types.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../components.tsx';
import { CLOSE_OUTCOME_LABELS, keysOf } from '../labels.ts';

const CLOSE_OUTCOMES = keysOf(CLOSE_OUTCOME_LABELS);

function isCloseOutcome(value: string): value is CloseOutcome {
  return value in CLOSE_OUTCOME_LABELS;
}

export const REPLY_MAX = 5000;

/** The first words of a message, as the reply box shows what it answers (the server cuts the same way). */
function excerptOf(body: string): string {
  const words = body.split(/\s+/).filter((word) => word.length > 0);
  const text = words.slice(0, 12).join(' ');
  return words.length > 12 || text.length > 120 ? `${[...text].slice(0, 120).join('')}…` : text;
}

/**
 * The reply box. `quoting`: the message staff chose to answer ("Reply to this message"), shown
 * above the box until sent or dismissed; `onSent` gets what the server said of the quote, if anything.
 */
export function ReplyForm({
  contactId,
  onSent,
  quoting = null,
  onStopQuoting,
}: {
  contactId: string;
  onSent: (quoteNote: string | null) => void;
  quoting?: ContactMessage | null;
  onStopQuoting?: () => void;
}) {
  const [body, setBody] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const reply = useSendReply(contactId);
  const error = invalid ?? toUiError(reply.error);
  const busy = reply.isPending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const problem = !body.trim() ? 'Enter a reply' : body.length > REPLY_MAX ? `Reply must be ${REPLY_MAX} characters or fewer` : null;
    setInvalid(problem ? invalidFields([{ path: 'body', message: problem }]) : null);
    if (problem) return;
    reply.mutate(quoting ? { body, quoteMessageId: quoting.id } : { body }, {
      onSuccess: (sent) => {
        setBody('');
        onStopQuoting?.();
        onSent(sent.quoteNote);
      },
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  }

  const bodyError = fieldMessage(error, 'body');
  const remaining = REPLY_MAX - body.length;
  return (
    <form onSubmit={submit} noValidate className="form">
      <ErrorSummary error={error} fieldIds={{ body: 'reply-body' }} />
      {quoting && (
        <p className="reply-quoting" data-testid="reply-quoting" id="reply-quoting">
          <span>
            Replying to{quoting.author === 'public' ? '' : ' our message'}: <q>{excerptOf(quoting.body)}</q>
          </span>{' '}
          <button type="button" className="button button--secondary button--small" data-testid="reply-quoting-clear" onClick={() => onStopQuoting?.()}>
            Do not quote it
          </button>
        </p>
      )}
      <div className={`field${bodyError ? ' field--error' : ''}`}>
        <label htmlFor="reply-body">Reply to the person</label>
        <p id="reply-hint" className="hint">
          Sent on the contact’s channel. Press Ctrl+Enter to send.
        </p>
        <InlineError id="reply-body-error" message={bodyError} />
        <textarea
          id="reply-body"
          name="body"
          data-testid="reply-body"
          rows={5}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={onKeyDown}
          aria-invalid={bodyError ? true : undefined}
          aria-describedby={`${quoting ? 'reply-quoting ' : ''}reply-hint reply-count${bodyError ? ' reply-body-error' : ''}`}
        />
        <p id="reply-count" className={`hint${remaining < 0 ? ' hint--over' : ''}`}>
          {remaining >= 0 ? `${remaining} characters remaining` : `${-remaining} characters too many`}
        </p>
      </div>
      <button type="submit" className="button" data-testid="reply-send" aria-disabled={busy}>
        {busy ? 'Sending…' : 'Send reply'}
      </button>
    </form>
  );
}

export function CloseForm({ contactId, onClosed }: { contactId: string; onClosed: (outcomeLabel: string) => void }) {
  const [outcome, setOutcome] = useState<CloseOutcome | ''>('');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const close = useCloseContact(contactId);
  const error = invalid ?? toUiError(close.error);
  const busy = close.isPending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setInvalid(outcome ? null : invalidFields([{ path: 'outcome', message: 'Select an outcome' }]));
    if (!outcome) return;
    const trimmed = note.trim();
    close.mutate(trimmed ? { outcome, note: trimmed } : { outcome }, { onSuccess: () => onClosed(CLOSE_OUTCOME_LABELS[outcome]) });
  }

  const outcomeError = fieldMessage(error, 'outcome');
  const noteError = fieldMessage(error, 'note');
  return (
    <form onSubmit={submit} noValidate className="form">
      <ErrorSummary error={error} fieldIds={{ outcome: 'close-outcome', note: 'close-note' }} />
      <div className={`field${outcomeError ? ' field--error' : ''}`}>
        <label htmlFor="close-outcome">Outcome</label>
        <InlineError id="close-outcome-error" message={outcomeError} />
        <select
          id="close-outcome"
          name="outcome"
          data-testid="close-outcome"
          value={outcome}
          onChange={(e) => setOutcome(isCloseOutcome(e.target.value) ? e.target.value : '')}
          aria-invalid={outcomeError ? true : undefined}
          aria-describedby={outcomeError ? 'close-outcome-error' : undefined}
        >
          <option value="">Choose an outcome</option>
          {CLOSE_OUTCOMES.map((value) => (
            <option key={value} value={value}>
              {CLOSE_OUTCOME_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <div className={`field${noteError ? ' field--error' : ''}`}>
        <label htmlFor="close-note">Note (optional)</label>
        <InlineError id="close-note-error" message={noteError} />
        <textarea
          id="close-note"
          name="note"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={noteError ? true : undefined}
          aria-describedby={noteError ? 'close-note-error' : undefined}
        />
      </div>
      <button type="submit" className="button button--warning" data-testid="close-contact" aria-disabled={busy}>
        {busy ? 'Closing…' : 'Close contact'}
      </button>
    </form>
  );
}

/** Opens a closed contact again (a mistaken close, or the person came back): back into its queue. */
export function ReopenForm({ contactId, onReopened }: { contactId: string; onReopened: () => void }) {
  const [reason, setReason] = useState('');
  const reopen = useReopenContact(contactId);
  const busy = reopen.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const trimmed = reason.trim();
    reopen.mutate(trimmed ? { reason: trimmed } : {}, { onSuccess: onReopened });
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary error={toUiError(reopen.error)} fieldIds={{ reason: 'reopen-reason' }} />
      <div className="field">
        <label htmlFor="reopen-reason">Reason (optional)</label>
        <textarea id="reopen-reason" data-testid="reopen-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="submit" className="button button--secondary" data-testid="reopen-contact" aria-disabled={busy}>
        {busy ? 'Reopening…' : 'Reopen contact'}
      </button>
    </form>
  );
}

interface CaseActionProps {
  contactId: string;
  caseReference: string | null;
  canCreate: boolean;
  onCreated: (reference: string) => void;
}

export function CaseAction({ contactId, caseReference, canCreate, onCreated }: CaseActionProps) {
  const create = useCreateCase(contactId);
  const reference = caseReference ?? create.data?.reference ?? null;

  function start() {
    if (create.isPending) return;
    create.mutate(undefined, { onSuccess: (created) => onCreated(created.reference) });
  }

  if (reference) {
    return (
      <p className="case">
        Case reference: <strong data-testid="case-reference">{reference}</strong>
      </p>
    );
  }
  if (!canCreate) return <p className="empty">No case has been created.</p>;
  return (
    <>
      <ErrorSummary error={toUiError(create.error)} />
      <p className="hint">No case exists for this contact yet.</p>
      <button type="button" className="button button--secondary" data-testid="create-case" onClick={start} aria-disabled={create.isPending}>
        {create.isPending ? 'Creating case…' : 'Create case'}
      </button>
    </>
  );
}
