// A supervisor's moves on one contact: take it back from whoever holds it, or give it to a named
// person. AssignForm serves the supervisor's board too.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useAssignContact, useTakeBackContact } from '../api/contact-mutations.ts';
import { invalidFields, toUiError, type UiError } from '../api/errors.ts';
import { routingBoardQuery } from '../api/queries.ts';
import type { BoardStaff } from '../api/types.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../components.tsx';
import { PRESENCE_LABELS } from '../labels.ts';
import { REASON_MAX } from './RoutingActions.tsx';

interface SupervisorActionsProps {
  contactId: string;
  reference: string;
  assignedTo: { id: string; name: string } | null;
  onChanged: (message: string, moveFocus?: boolean) => void;
}

export function SupervisorActions({ contactId, reference, assignedTo, onChanged }: SupervisorActionsProps) {
  // The board is the list of people who work the queue, with their presence and load.
  const board = useQuery(routingBoardQuery);

  return (
    <div className="routing__supervisor">
      <h3>Supervisor</h3>
      {assignedTo && (
        <TakeBackForm contactId={contactId} holder={assignedTo.name} onTakenBack={() => onChanged(`${reference} taken back from ${assignedTo.name}.`, true)} />
      )}
      <ErrorSummary error={toUiError(board.error)} focus={false} />
      {board.data && (
        <AssignForm
          idPrefix="contact-assign"
          contactId={contactId}
          reference={reference}
          staff={board.data.staff}
          currentHolderId={assignedTo?.id ?? null}
          onAssigned={(name) => onChanged(`${reference} given to ${name}.`)}
        />
      )}
    </div>
  );
}

function TakeBackForm({ contactId, holder, onTakenBack }: { contactId: string; holder: string; onTakenBack: () => void }) {
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const takeBack = useTakeBackContact();
  const error = invalid ?? toUiError(takeBack.error);
  const busy = takeBack.isPending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const isTooLong = reason.length > REASON_MAX;
    setInvalid(isTooLong ? invalidFields([{ path: 'reason', message: `Reason must be ${REASON_MAX} characters or fewer` }]) : null);
    if (isTooLong) return;
    const trimmed = reason.trim();
    takeBack.mutate(trimmed ? { contactId, reason: trimmed } : { contactId }, {
      onSuccess: () => {
        setReason('');
        onTakenBack();
      },
    });
  }

  const reasonError = fieldMessage(error, 'reason');
  return (
    <form onSubmit={submit} noValidate className="form routing__action">
      <ErrorSummary error={error} fieldIds={{ reason: 'takeback-reason' }} />
      <div className={`field${reasonError ? ' field--error' : ''}`}>
        <label htmlFor="takeback-reason">Reason for taking it back from {holder} (optional)</label>
        <InlineError id="takeback-reason-error" message={reasonError} />
        <input
          id="takeback-reason"
          name="reason"
          type="text"
          autoComplete="off"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError ? 'takeback-reason-error' : undefined}
        />
      </div>
      <button type="submit" className="button button--secondary" data-testid="take-back" aria-disabled={busy}>
        {busy ? 'Taking back…' : 'Take back'}
      </button>
    </form>
  );
}

function describeLoad(person: BoardStaff): string {
  const held = person.contacts.length;
  return `${PRESENCE_LABELS[person.presence]}${person.isStale ? ', unseen' : ''}, holds ${held}`;
}

interface AssignFormProps {
  /** Makes the ids unique when several forms are on one page. */
  idPrefix: string;
  contactId: string;
  reference: string;
  staff: BoardStaff[];
  currentHolderId: string | null;
  onAssigned: (name: string) => void;
  /** Shorter layout for a table cell: the label is only for screen readers. */
  compact?: boolean;
}

/** Give a contact to a named person. Offline people cannot be given work, so they cannot be chosen. */
export function AssignForm({ idPrefix, contactId, reference, staff, currentHolderId, onAssigned, compact = false }: AssignFormProps) {
  const [staffId, setStaffId] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const assign = useAssignContact(contactId);
  const error = invalid ?? toUiError(assign.error);
  const busy = assign.isPending;
  const selectId = `${idPrefix}-${contactId}`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const person = staff.find((p) => p.id === staffId);
    setInvalid(person ? null : invalidFields([{ path: 'staffId', message: `Choose who to give ${reference} to` }]));
    if (!person) return;
    assign.mutate(person.id, {
      onSuccess: () => {
        setStaffId('');
        onAssigned(person.name);
      },
    });
  }

  const staffError = fieldMessage(error, 'staffId');
  return (
    <form onSubmit={submit} noValidate className={compact ? 'assign assign--compact' : 'form routing__action assign'}>
      <ErrorSummary error={error} fieldIds={{ staffId: selectId }} />
      <div className={`field${compact ? ' field--inline' : ''}${staffError ? ' field--error' : ''}`}>
        <label htmlFor={selectId} className={compact ? 'visually-hidden' : undefined}>
          Assign to{compact && <> (contact {reference})</>}
        </label>
        <InlineError id={`${selectId}-error`} message={staffError} />
        <select
          id={selectId}
          name="staffId"
          data-testid="assign-staff"
          value={staffId}
          onChange={(e) => setStaffId(e.target.value)}
          aria-invalid={staffError ? true : undefined}
          aria-describedby={staffError ? `${selectId}-error` : undefined}
        >
          <option value="">Choose a person</option>
          {staff.map((person) => (
            <option key={person.id} value={person.id} disabled={person.presence === 'offline' || person.id === currentHolderId}>
              {person.name} ({person.id === currentHolderId ? 'holds it now' : describeLoad(person)})
            </option>
          ))}
        </select>
        {compact && (
          <button type="submit" className="button button--small" data-testid="assign-submit" aria-disabled={busy}>
            Assign<span className="visually-hidden"> {reference}</span>
          </button>
        )}
      </div>
      {!compact && (
        <button type="submit" className="button button--secondary" data-testid="assign-submit" aria-disabled={busy}>
          {busy ? 'Assigning…' : 'Assign'}
        </button>
      )}
    </form>
  );
}
