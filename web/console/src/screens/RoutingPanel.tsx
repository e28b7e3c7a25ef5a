// Routing of one contact: its queue, who holds it, what it needs of them, its SLA clocks counting
// down live, its alerts, and the moves open to the person looking (take it, escalate it, ask for a
// callback; a supervisor also takes it back or gives it to someone).
import { useState, type FormEvent } from 'react';
import { assignContactTo, escalateContact, getRoutingBoard, requestCallback, takeBackContact, takeContact } from '../api';
import { ErrorSummary, InlineError, SlaCountdown, fieldMessage } from '../components';
import { formatClock, formatDateTime, humanize } from '../format';
import { useCoalesced, useResource, useServerNow, useSubmission } from '../hooks';
import { useLiveEvent } from '../live';
import { contactHref } from '../router';
import { SLA_STATE_LABELS, liveSlaState } from '../sla';
import { SKILL_LABELS, can, presenceLabel, type BoardStaff, type ContactRouting, type SlaClockView, type StaffUser } from '../types';
import { alertKindLabel, alertText } from './Alerts';

export const REASON_MAX = 1000;
export const CALLBACK_NOTE_MAX = 1000;
/** The server's own check (routing.routes.ts): digits, spaces, brackets and dashes, optional +. */
const PHONE_PATTERN = /^\+?[0-9 ()-]{6,20}$/;

export function skillLabel(skill: string): string {
  return SKILL_LABELS[skill] ?? humanize(skill);
}

function SkillList({ skills }: { skills: string[] }) {
  if (skills.length === 0) return <span className="muted">None</span>;
  return <>{skills.map(skillLabel).join(', ')}</>;
}

interface RoutingPanelProps {
  contactId: string;
  reference: string;
  isOpen: boolean;
  routing: ContactRouting;
  user: StaffUser;
  /**
   * A move succeeded: refetch, show `message` (unless the form shows its own), and move focus to
   * it when the control that had focus is gone.
   */
  onChanged: (message: string | null, moveFocus?: boolean) => void;
  /** A move was refused: refetch, since the contact probably changed under us. */
  onRefused: () => void;
}

export function RoutingPanel({ contactId, reference, isOpen, routing, user, onChanged, onRefused }: RoutingPanelProps) {
  const now = useServerNow(1_000);
  const canWork = can(user, 'queue:work');
  const canEscalate = can(user, 'contacts:escalate');
  const canSupervise = can(user, 'routing:supervise');
  const canCallback = can(user, 'contacts:reply');
  const assignedToMe = routing.assignedTo?.id === user.id;

  return (
    <section aria-labelledby="h-routing" className="panel routing" data-testid="routing-panel">
      <h2 id="h-routing">Routing</h2>
      {routing.isThreatToLife && (
        <p className="routing__ttl">
          <strong>Possible threat to life.</strong> Put first in its queue; supervisors were alerted.
        </p>
      )}
      <dl className="facts facts--routing">
        <div>
          <dt>Queue</dt>
          <dd data-testid="routing-queue">
            {routing.queue ? (
              <>
                {routing.queue.name}
                {routing.queue.isControlRoom && routing.queue.name.toLowerCase() !== 'control room' && ' (control room)'}
              </>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Assigned to</dt>
          <dd data-testid="routing-assigned">
            {routing.assignedTo ? (
              <>
                {routing.assignedTo.name}
                {assignedToMe && ' (you)'}
              </>
            ) : (
              <span className="muted">Nobody yet</span>
            )}
            {routing.assignedAt && (
              <span className="facts__sub">
                since <time dateTime={routing.assignedAt}>{formatDateTime(routing.assignedAt)}</time>
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Entered queue</dt>
          <dd>
            {routing.enqueuedAt ? <time dateTime={routing.enqueuedAt}>{formatDateTime(routing.enqueuedAt)}</time> : <span className="muted">—</span>}
          </dd>
        </div>
        <div>
          <dt>Skills needed</dt>
          <dd>
            <SkillList skills={routing.requiredSkills} />
          </dd>
        </div>
        <div>
          <dt>Skills preferred</dt>
          <dd>
            <SkillList skills={routing.preferredSkills} />
          </dd>
        </div>
      </dl>

      {routing.callback && (
        <p className="callback-of" data-testid="callback-of">
          This is a callback
          {routing.callback.forContactId && routing.callback.forReference ? (
            <>
              {' '}
              for{' '}
              <a href={contactHref(routing.callback.forContactId)} className="ref">
                {routing.callback.forReference}
              </a>
            </>
          ) : null}
          .{routing.callback.number && <> Number to call: <span className="mono">{routing.callback.number}</span>.</>}
        </p>
      )}

      <h3>SLA clocks</h3>
      <SlaClocks clocks={routing.clocks} now={now} />

      {routing.alerts.length > 0 && (
        <>
          <h3>Alerts</h3>
          <ul className="contact-alerts">
            {routing.alerts.map((alert) => (
              <li key={alert.id} className={`contact-alert contact-alert--${alert.kind}`} data-testid="contact-alert" data-kind={alert.kind}>
                <strong>{alertKindLabel(alert.kind)}</strong>: {alertText(alert)}{' '}
                <span className="hint">
                  Raised <time dateTime={alert.raisedAt}>{formatDateTime(alert.raisedAt)}</time>.{' '}
                  {alert.acknowledgedAt ? (
                    <>
                      Acknowledged by {alert.acknowledgedByName ?? 'a supervisor'}{' '}
                      <time dateTime={alert.acknowledgedAt}>{formatDateTime(alert.acknowledgedAt)}</time>
                      {alert.note && <>: {alert.note}</>}
                    </>
                  ) : (
                    <strong>Waiting for a supervisor.</strong>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}

      {isOpen && canWork && !routing.assignedTo && (
        <TakeAction contactId={contactId} onTaken={() => onChanged(`You have taken ${reference}.`, true)} onRefused={onRefused} />
      )}
      {isOpen && canEscalate && !routing.queue?.isControlRoom && (
        <EscalateForm contactId={contactId} onEscalated={(queueName) => onChanged(`Escalated to ${queueName}.`, true)} onRefused={onRefused} />
      )}
      {canCallback && <CallbackForm contactId={contactId} onCreated={() => onChanged(null)} />}
      {isOpen && canSupervise && (
        <SupervisorActions
          contactId={contactId}
          reference={reference}
          assignedTo={routing.assignedTo}
          onChanged={onChanged}
          onRefused={onRefused}
        />
      )}
    </section>
  );
}

function describeStopped(clock: SlaClockView): string {
  const span = formatClock(Math.abs(clock.remainingMs) / 1000);
  switch (clock.state) {
    case 'met':
      return `Met with ${span} to spare`;
    case 'missed':
      return `Missed by ${span}`;
    default:
      // Escalation, a new priority or a return to the queue ended it and started another.
      return clock.stopReason ? `(${humanize(clock.stopReason).toLowerCase()})` : '';
  }
}

function SlaClocks({ clocks, now }: { clocks: SlaClockView[]; now: number }) {
  if (clocks.length === 0) return <p className="empty">No SLA clocks.</p>;
  return (
    <ul className="sla-clocks">
      {clocks.map((clock) => {
        const isRunning = clock.stoppedAt === null;
        const state = liveSlaState(clock, now);
        return (
          <li key={clock.id} className={`sla-clock sla-clock--${state}`} data-testid="sla-clock" data-kind={clock.kind} data-state={state}>
            <span className="sla-clock__label">{clock.label}</span>{' '}
            <span className={`status sla-state sla-state--${state}`}>{SLA_STATE_LABELS[state]}</span>{' '}
            {isRunning ? <SlaCountdown clock={clock} now={now} /> : <span>{describeStopped(clock)}</span>}
            <span className="sla-clock__due hint">
              Due <time dateTime={clock.dueAt}>{formatDateTime(clock.dueAt)}</time> (priority {clock.priority})
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function TakeAction({ contactId, onTaken, onRefused }: { contactId: string; onTaken: () => void; onRefused: () => void }) {
  const { error, busy, run } = useSubmission();
  async function take() {
    if (busy) return;
    await run(async () => {
      await takeContact(contactId);
      onTaken();
    }, onRefused);
  }
  return (
    <div className="routing__action">
      <ErrorSummary error={error} />
      <button type="button" className="button" data-testid="take-contact" aria-disabled={busy} onClick={() => void take()}>
        {busy ? 'Taking…' : 'Take this contact'}
      </button>
    </div>
  );
}

function EscalateForm({ contactId, onEscalated, onRefused }: { contactId: string; onEscalated: (queueName: string) => void; onRefused: () => void }) {
  const [reason, setReason] = useState('');
  const { error, setError, busy, run } = useSubmission();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!reason.trim()) {
      setError({ message: '', fields: [{ path: 'body.reason', message: 'Give the reason for escalating to the control room' }] });
      return;
    }
    if (reason.length > REASON_MAX) {
      setError({ message: '', fields: [{ path: 'body.reason', message: `Reason must be ${REASON_MAX} characters or fewer` }] });
      return;
    }
    await run(async () => {
      const queue = await escalateContact(contactId, reason.trim());
      setReason('');
      onEscalated(queue.queueName);
    }, onRefused);
  }

  const reasonError = fieldMessage(error, 'body.reason');
  return (
    <form onSubmit={submit} noValidate className="form routing__action">
      <h3>Escalate to the control room</h3>
      <ErrorSummary error={error} fieldIds={{ 'body.reason': 'escalate-reason' }} />
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

function CallbackForm({ contactId, onCreated }: { contactId: string; onCreated: () => void }) {
  const [number, setNumber] = useState('');
  const [note, setNote] = useState('');
  const [created, setCreated] = useState<{ id: string; reference: string } | null>(null);
  const { error, setError, busy, run } = useSubmission();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const fields: { path: string; message: string }[] = [];
    if (number.trim() && !PHONE_PATTERN.test(number.trim())) fields.push({ path: 'body.number', message: 'Enter a phone number, like 07700 900123' });
    if (note.length > CALLBACK_NOTE_MAX) fields.push({ path: 'body.note', message: `Note must be ${CALLBACK_NOTE_MAX} characters or fewer` });
    if (fields.length > 0) {
      setError({ message: '', fields });
      return;
    }
    await run(async () => {
      const callback = await requestCallback(contactId, { number: number.trim() || undefined, note: note.trim() || undefined });
      setCreated(callback);
      setNumber('');
      setNote('');
      onCreated();
    });
  }

  const numberError = fieldMessage(error, 'body.number') ?? fieldMessage(error, 'number');
  const noteError = fieldMessage(error, 'body.note');
  return (
    <form onSubmit={submit} noValidate className="form routing__action">
      <h3>Callback</h3>
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
      <ErrorSummary error={error} fieldIds={{ 'body.number': 'callback-number', number: 'callback-number', 'body.note': 'callback-note' }} />
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

interface SupervisorActionsProps {
  contactId: string;
  reference: string;
  assignedTo: { id: string; name: string } | null;
  onChanged: (message: string | null, moveFocus?: boolean) => void;
  onRefused: () => void;
}

function SupervisorActions({ contactId, reference, assignedTo, onChanged, onRefused }: SupervisorActionsProps) {
  // The board is the list of people who work the queue, with their presence and load.
  const board = useResource((signal) => getRoutingBoard(signal), []);
  const reloadBoard = useCoalesced(board.reload, 300);
  useLiveEvent((event) => {
    if (event.type === 'routing.changed' || event.type === 'resync') reloadBoard();
  });

  return (
    <div className="routing__supervisor">
      <h3>Supervisor</h3>
      {assignedTo && (
        <TakeBackForm contactId={contactId} holder={assignedTo.name} onTakenBack={() => onChanged(`${reference} taken back from ${assignedTo.name}.`, true)} onRefused={onRefused} />
      )}
      <ErrorSummary error={board.error} focus={false} />
      {board.data && (
        <AssignForm
          idPrefix="contact-assign"
          contactId={contactId}
          reference={reference}
          staff={board.data.staff}
          currentHolderId={assignedTo?.id ?? null}
          onAssigned={(name) => onChanged(`${reference} given to ${name}.`)}
          onRefused={onRefused}
        />
      )}
    </div>
  );
}

function TakeBackForm({ contactId, holder, onTakenBack, onRefused }: { contactId: string; holder: string; onTakenBack: () => void; onRefused: () => void }) {
  const [reason, setReason] = useState('');
  const { error, setError, busy, run } = useSubmission();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (reason.length > REASON_MAX) {
      setError({ message: '', fields: [{ path: 'body.reason', message: `Reason must be ${REASON_MAX} characters or fewer` }] });
      return;
    }
    await run(async () => {
      await takeBackContact(contactId, reason.trim() || undefined);
      setReason('');
      onTakenBack();
    }, onRefused);
  }

  const reasonError = fieldMessage(error, 'body.reason');
  return (
    <form onSubmit={submit} noValidate className="form routing__action">
      <ErrorSummary error={error} fieldIds={{ 'body.reason': 'takeback-reason' }} />
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
  return `${presenceLabel(person.presence)}${person.isStale ? ', unseen' : ''}, holds ${held}`;
}

interface AssignFormProps {
  /** Makes the ids unique when several forms are on one page. */
  idPrefix: string;
  contactId: string;
  reference: string;
  staff: BoardStaff[];
  currentHolderId: string | null;
  onAssigned: (name: string) => void;
  onRefused: () => void;
  /** Shorter layout for a table cell: the label is only for screen readers. */
  compact?: boolean;
}

/** Give a contact to a named person. Offline people cannot be given work, so they cannot be chosen. */
export function AssignForm({ idPrefix, contactId, reference, staff, currentHolderId, onAssigned, onRefused, compact = false }: AssignFormProps) {
  const [staffId, setStaffId] = useState('');
  const { error, setError, busy, run } = useSubmission();
  const selectId = `${idPrefix}-${contactId}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const person = staff.find((p) => p.id === staffId);
    if (!person) {
      setError({ message: '', fields: [{ path: 'body.staffId', message: `Choose who to give ${reference} to` }] });
      return;
    }
    await run(async () => {
      await assignContactTo(contactId, person.id);
      setStaffId('');
      onAssigned(person.name);
    }, onRefused);
  }

  const staffError = fieldMessage(error, 'body.staffId');
  return (
    <form onSubmit={submit} noValidate className={compact ? 'assign assign--compact' : 'form routing__action assign'}>
      <ErrorSummary error={error} fieldIds={{ 'body.staffId': selectId }} />
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
