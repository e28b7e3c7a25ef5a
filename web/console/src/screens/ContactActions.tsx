// State-changing forms of the contact screen: reply, close, create case.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { closeContact, createCase, sendReply } from '../api';
import { useSubmission } from '../hooks';
import { ErrorSummary, InlineError, fieldMessage } from '../components';
import { CLOSE_OUTCOMES, type CloseOutcome } from '../types';

export const REPLY_MAX = 5000;

export function ReplyForm({ contactId, onSent }: { contactId: string; onSent: () => void }) {
  const [body, setBody] = useState('');
  const { error, setError, busy, run } = useSubmission();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!body.trim()) {
      setError({ message: '', fields: [{ path: 'body', message: 'Enter a reply' }] });
      return;
    }
    if (body.length > REPLY_MAX) {
      setError({ message: '', fields: [{ path: 'body', message: `Reply must be ${REPLY_MAX} characters or fewer` }] });
      return;
    }
    await run(async () => {
      await sendReply(contactId, body);
      setBody('');
      onSent();
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
          aria-describedby={`reply-hint reply-count${bodyError ? ' reply-body-error' : ''}`}
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
  const { error, setError, busy, run } = useSubmission();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!outcome) {
      setError({ message: '', fields: [{ path: 'outcome', message: 'Select an outcome' }] });
      return;
    }
    await run(async () => {
      await closeContact(contactId, outcome, note.trim() || undefined);
      onClosed(CLOSE_OUTCOMES.find((o) => o.value === outcome)?.label ?? outcome);
    });
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
          onChange={(e) => setOutcome(e.target.value as CloseOutcome | '')}
          aria-invalid={outcomeError ? true : undefined}
          aria-describedby={outcomeError ? 'close-outcome-error' : undefined}
        >
          <option value="">Choose an outcome</option>
          {CLOSE_OUTCOMES.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
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

interface CaseActionProps {
  contactId: string;
  caseReference: string | null;
  canCreate: boolean;
  onCreated: (reference: string | null) => void;
}

export function CaseAction({ contactId, caseReference, canCreate, onCreated }: CaseActionProps) {
  const [created, setCreated] = useState<string | null>(null);
  const { error, busy, run } = useSubmission();
  const reference = caseReference ?? created;

  async function create() {
    if (busy) return;
    await run(
      async () => {
        const result = await createCase(contactId);
        setCreated(result.reference);
        onCreated(result.reference);
      },
      // 409: a case already exists — refetch so its reference is shown.
      () => onCreated(null),
    );
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
      <ErrorSummary error={error} />
      <p className="hint">No case exists for this contact yet.</p>
      <button type="button" className="button button--secondary" data-testid="create-case" onClick={create} aria-disabled={busy}>
        {busy ? 'Creating case…' : 'Create case'}
      </button>
    </>
  );
}
