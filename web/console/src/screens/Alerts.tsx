// The supervisors' alert banner, above every screen: alerts waiting for acknowledgement, threat to
// life first, about contacts, about incidents whose response target was missed (each links to
// its incident, where the reason is recorded; a contact's missed target says when it was due, and
// how late its clock stopped), and about cases whose Victims' Code clocks could not
// be opened (each links to its case; once they are opened it says so, and when, until it is
// acknowledged). A threat to life raised while the console is open is
// announced at once (role=alert); other new alerts politely. Alert text comes from contacts, so it
// is only ever rendered as text.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useAcknowledgeAlert } from '../api/admin-mutations.ts';
import { invalidFields, toUiError, type UiError } from '../api/errors.ts';
import { openAlertsQuery } from '../api/queries.ts';
import type { AlertKind, SupervisorAlert } from '../api/types.ts';
import { ErrorSummary, InlineError, StatusMessage, fieldMessage, focusById } from '../components.tsx';
import { formatDateTime, formatWaiting } from '../format.ts';
import { contactHref } from '../router.ts';
import { caseHref } from './cases/case-routes.ts';
import { dispatchHref } from './dispatch/dispatch-routes.ts';

export const ALERT_KIND_LABELS: Readonly<Record<AlertKind, string>> = {
  threat_to_life: 'Threat to life',
  sla_breach: 'SLA breached',
  response_breach: 'Response target missed',
  victim_updates_unopened: "Victims' Code not watched",
};

/** What an alert is about, as its link shows it: the contact, the incident whose target was missed, or the case whose Victims' Code clocks could not be opened. */
export function alertSubject(alert: SupervisorAlert): { reference: string; href: string } {
  switch (alert.kind) {
    case 'response_breach':
      return { reference: alert.incidentReference, href: dispatchHref({ name: 'incident', id: alert.incidentId }) };
    case 'victim_updates_unopened':
      return { reference: alert.caseReference, href: caseHref({ name: 'case', id: alert.caseId }) };
    default:
      return { reference: alert.contactReference, href: contactHref(alert.contactId) };
  }
}

export const ALERT_NOTE_MAX = 1000;

function isAlertKind(kind: string): kind is AlertKind {
  return kind in ALERT_KIND_LABELS;
}

export function alertKindLabel(kind: string): string {
  return isAlertKind(kind) ? ALERT_KIND_LABELS[kind] : kind;
}

/** The alert's message without the reference the server starts it with (the link shows it). */
export function alertText(alert: SupervisorAlert): string {
  const prefix = `${alertSubject(alert).reference}: `;
  const text = alert.message.startsWith(prefix) ? alert.message.slice(prefix.length) : alert.message;
  // A missed response target's banner goes on to say where to record why: asking twice reads oddly.
  return alert.kind === 'response_breach' ? text.replace(/; say why\.$/, '.') : text;
}

/**
 * A contact's missed target by its due time, not when supervisors were alerted (a target missed
 * while its check was behind is alerted only as its clock stops, long after: decision 0141), and,
 * once its clock has stopped, how late ("Due 02 Mar 2026, 09:30; its clock stopped 02 Mar 2026,
 * 11:45, 2 h 15 min after the target."). A clock still running says nothing more: the banner is not
 * read again when it stops, so "not met yet" could go stale. Null for any other alert.
 */
export function missedTargetText(alert: SupervisorAlert): string | null {
  return alert.kind === 'sla_breach' && alert.dueAt ? `Due ${formatDateTime(alert.dueAt)}${stoppedLate(alert.dueAt, alert.clockStoppedAt)}.` : null;
}

function stoppedLate(dueAt: string, stoppedAt: string | null): string {
  if (!stoppedAt) return '';
  const minutes = Math.floor((Date.parse(stoppedAt) - Date.parse(dueAt)) / 60_000);
  const after = minutes < 1 ? 'less than a minute' : minutes < 60 ? `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}` : formatWaiting(dueAt, Date.parse(stoppedAt));
  return `; its clock stopped ${formatDateTime(stoppedAt)}, ${after} after the target`;
}

/** A contact's missed target, as `missedTargetText` says it, its due time marked up as a time. */
export function MissedTargetDue({ alert }: { alert: SupervisorAlert }) {
  if (alert.kind !== 'sla_breach' || !alert.dueAt) return null;
  return (
    <span className="alert__what" data-testid="alert-due">
      Due <time dateTime={alert.dueAt}>{formatDateTime(alert.dueAt)}</time>
      {stoppedLate(alert.dueAt, alert.clockStoppedAt)}.{' '}
    </span>
  );
}

/**
 * What a case's alert says once its clocks were opened after all (decision 0128): the duties are
 * watched again, since when, and that it waits only for acknowledgement. Null for any other alert.
 */
export function putRightText(alert: SupervisorAlert): string | null {
  const at = putRightAt(alert);
  return at ? `Put right ${formatDateTime(at)}: ${PUT_RIGHT_WORDS}` : null;
}

const PUT_RIGHT_WORDS = "the clocks are open and its victims' updates are being watched again. Acknowledge that they were not watched for a while.";

function putRightAt(alert: SupervisorAlert): string | null {
  return alert.kind === 'victim_updates_unopened' ? alert.putRightAt : null;
}

/** The label an alert is shown under: a case's alert put right says the duty was not watched, not that it is not. */
export function alertLabel(alert: SupervisorAlert): string {
  return putRightText(alert) ? "Victims' Code was not watched" : alertKindLabel(alert.kind);
}

function threatFirst(alerts: SupervisorAlert[]): SupervisorAlert[] {
  const rank = (a: SupervisorAlert) => (a.kind === 'threat_to_life' ? 0 : 1);
  return [...alerts].sort((a, b) => rank(a) - rank(b) || a.raisedAt.localeCompare(b.raisedAt));
}

export function AlertsBanner() {
  // Live messages about alerts refetch it (api/live-sync.ts).
  const alerts = useQuery(openAlertsQuery);
  const [notice, setNotice] = useState<string | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(() => new Set());
  const seen = useRef<Set<string> | null>(null);

  // Alerts already waiting when the console opened are shown, not announced; later ones are.
  useEffect(() => {
    if (!alerts.data) return;
    const known = seen.current;
    if (known) {
      const added = alerts.data.filter((a) => !known.has(a.id));
      const threats = added.filter((a) => a.kind === 'threat_to_life');
      if (threats.length > 0) setFresh((prev) => new Set([...prev, ...threats.map((a) => a.id)]));
      const others = added.filter((a) => a.kind !== 'threat_to_life');
      const [only] = others;
      if (others.length === 1 && only) setNotice([`New alert: ${alertSubject(only).reference}, ${alertText(only)}`, missedTargetText(only)].filter(Boolean).join(' '));
      else if (others.length > 1) setNotice(`${others.length} new alerts.`);
    }
    seen.current = new Set([...(known ?? []), ...alerts.data.map((a) => a.id)]);
  }, [alerts.data]);

  if (!alerts.data && !alerts.error) return null;
  const list = threatFirst(alerts.data ?? []);
  const threats = list.filter((a) => a.kind === 'threat_to_life').length;

  return (
    <section
      className={`alert-banner${threats > 0 ? ' alert-banner--threat' : ''}`}
      aria-labelledby="alert-banner-title"
      data-testid="alert-banner"
    >
      <h2 id="alert-banner-title" className="alert-banner__title">
        {list.length === 0 ? 'Alerts' : `Alerts waiting for a supervisor (${list.length})`}
        {threats > 0 && <span className="alert-banner__count"> · {threats} threat to life</span>}
      </h2>
      <StatusMessage message={notice} id="alert-notice" />
      <ErrorSummary error={toUiError(alerts.error)} focus={false} />
      {list.length === 0 ? (
        <p className="alert-banner__empty">No alerts waiting.</p>
      ) : (
        <ul className="alert-list">
          {list.map((alert) => (
            <AlertItem
              key={alert.id}
              alert={alert}
              isNew={fresh.has(alert.id)}
              onAcknowledged={() => {
                setNotice(`${alertKindLabel(alert.kind)} alert for ${alertSubject(alert).reference} acknowledged.`);
                // The button that had focus goes with the alert.
                focusById('alert-notice');
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertItem({ alert, isNew, onAcknowledged }: { alert: SupervisorAlert; isNew: boolean; onAcknowledged: () => void }) {
  const subject = alertSubject(alert);
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const acknowledge = useAcknowledgeAlert();
  const error = invalid ?? toUiError(acknowledge.error);
  const busy = acknowledge.isPending;
  const noteId = `alert-note-${alert.id}`;
  const textId = `alert-text-${alert.id}`;
  const putRight = putRightAt(alert);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const isTooLong = note.length > ALERT_NOTE_MAX;
    setInvalid(isTooLong ? invalidFields([{ path: 'note', message: `Note must be ${ALERT_NOTE_MAX} characters or fewer` }]) : null);
    if (isTooLong) return;
    const trimmed = note.trim();
    acknowledge.mutate(trimmed ? { alertId: alert.id, note: trimmed } : { alertId: alert.id }, { onSuccess: onAcknowledged });
  }

  const text = (
    <p id={textId} className="alert__text">
      <strong className="alert__kind">{alertLabel(alert)}</strong>{' '}
      <a href={subject.href} className="ref alert__ref">
        {subject.reference}
      </a>
      {': '}
      {alertText(alert)}{' '}
      {alert.kind === 'response_breach' && (
        // The message names the grade and the countdown; the due time and where to answer it follow.
        <span className="alert__what" data-grade={alert.grade.code} data-clock={alert.clockKind}>
          Due <time dateTime={alert.dueAt}>{formatDateTime(alert.dueAt)}</time>; record why on the incident.{' '}
        </span>
      )}
      <MissedTargetDue alert={alert} />
      {putRight && (
        // Still shown until acknowledged: supervisors should know the duties went unwatched for a while.
        <span className="alert__what" data-testid="alert-put-right">
          Put right <time dateTime={putRight}>{formatDateTime(putRight)}</time>: {PUT_RIGHT_WORDS}{' '}
        </span>
      )}
      <span className="alert__time">
        Raised <time dateTime={alert.raisedAt}>{formatDateTime(alert.raisedAt)}</time>
      </span>
    </p>
  );
  const noteError = fieldMessage(error, 'note');
  return (
    <li className={`alert alert--${alert.kind}`} data-testid="alert" data-kind={alert.kind} data-alert-id={alert.id} data-reference={subject.reference}>
      {isNew ? <div role="alert">{text}</div> : text}
      <form className="alert__ack" onSubmit={submit} noValidate>
        <ErrorSummary error={error} fieldIds={{ note: noteId }} />
        <div className={`field field--inline${noteError ? ' field--error' : ''}`}>
          <label htmlFor={noteId}>
            Note<span className="visually-hidden"> on the alert for {subject.reference}</span> (optional)
          </label>
          <InlineError id={`${noteId}-error`} message={noteError} />
          <input
            id={noteId}
            name="note"
            type="text"
            className="alert__note"
            value={note}
            autoComplete="off"
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={noteError ? `${noteId}-error` : undefined}
          />
        </div>
        <button type="submit" className="button button--small" aria-describedby={textId} aria-disabled={busy}>
          Acknowledge
        </button>
      </form>
    </li>
  );
}
