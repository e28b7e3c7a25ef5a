// An incident's missed response targets and why each was missed: the reason from the force's list
// and free text, recorded here by whoever may dispatch (a supervisor's breach alert links here).
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { breachReasonsQuery, useRecordBreachReason, type IncidentView } from '../../api/dispatch.ts';
import { invalidFields, toUiError, type UiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { formatDateTime } from '../../format.ts';
import { GRADE_LABELS, TARGET_KIND_WORDS } from './dispatch-text.ts';

type ClockRecord = IncidentView['clocks'][number];

export const BREACH_TEXT_MAX = 1000;

/** "Deploy target missed: Immediate, urban, 3 minutes, due 14:03". */
export function describeMissedTarget(clock: ClockRecord): string {
  return `${TARGET_KIND_WORDS[clock.kind]} target missed: ${GRADE_LABELS[clock.grade]}, ${clock.setting}, ${clock.targetMinutes} ${clock.targetMinutes === 1 ? 'minute' : 'minutes'}, due ${formatDateTime(clock.dueAt)}`;
}

/**
 * How late the target was met, for one met after its due time ("First unit sent 06 Dec 2026,
 * 13:39, 2 minutes after the target."): a breach found only when the clock stopped (decision
 * 0132) is marked at the stop, so the due time alone would not say when the unit went.
 */
export function metLateText(clock: ClockRecord): string | null {
  if (!clock.stoppedAt || (clock.stopReason !== 'dispatched' && clock.stopReason !== 'arrived')) return null;
  const lateMs = Date.parse(clock.stoppedAt) - Date.parse(clock.dueAt);
  if (!(lateMs > 0)) return null;
  const minutes = Math.floor(lateMs / 60_000);
  const after = minutes < 1 ? 'less than a minute' : `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  return `${clock.stopReason === 'dispatched' ? 'First unit sent' : 'First unit on scene'} ${formatDateTime(clock.stoppedAt)}, ${after} after the target.`;
}

export function MissedTargets({ incident, canExplain, onRecorded }: { incident: IncidentView; canExplain: boolean; onRecorded: (message: string) => void }) {
  const missed = incident.clocks.filter((clock) => clock.breachedAt !== null);
  if (missed.length === 0) return null;
  return (
    <section aria-labelledby="missed-heading">
      <h2 id="missed-heading">Missed targets</h2>
      <ul className="notes-log" data-testid="missed-targets">
        {missed.map((clock) => (
          <li key={clock.id} data-testid="missed-target" data-kind={clock.kind} data-has-reason={clock.breachReason ? 'true' : 'false'}>
            <strong>{describeMissedTarget(clock)}</strong>
            {metLateText(clock) && <p data-testid="met-late">{metLateText(clock)}</p>}
            {clock.breachReason ? (
              <p data-testid="breach-reason">
                Reason: {clock.breachReason.label}
                {clock.breachReason.text && <> — {clock.breachReason.text}</>} (recorded {formatDateTime(clock.breachReason.recordedAt)})
              </p>
            ) : canExplain ? (
              <BreachReasonForm incidentId={incident.id} clock={clock} onRecorded={onRecorded} />
            ) : (
              <p>No reason recorded yet.</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function BreachReasonForm({ incidentId, clock, onRecorded }: { incidentId: string; clock: ClockRecord; onRecorded: (message: string) => void }) {
  const reasons = useQuery(breachReasonsQuery);
  const record = useRecordBreachReason(incidentId);
  const [reasonCode, setReasonCode] = useState('');
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(record.error) ?? toUiError(reasons.error);
  const ids = { reasonCode: `breach-reason-${clock.id}`, text: `breach-text-${clock.id}` };
  const reasonError = fieldMessage(error, 'reasonCode');
  const textError = fieldMessage(error, 'text');
  const active = (reasons.data ?? []).filter((reason) => reason.isActive);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (record.isPending) return;
    const trimmed = text.trim();
    const problems: { path: string; message: string }[] = [];
    if (!reasonCode) problems.push({ path: 'reasonCode', message: 'Choose why the target was missed' });
    if (reasonCode === 'other' && !trimmed) problems.push({ path: 'text', message: 'Say what happened when the reason is “Other”' });
    if (trimmed.length > BREACH_TEXT_MAX) problems.push({ path: 'text', message: `What happened must be ${BREACH_TEXT_MAX} characters or fewer` });
    setInvalid(problems.length > 0 ? invalidFields(problems) : null);
    if (problems.length > 0) return;
    record.mutate(
      { clockId: clock.id, body: trimmed ? { reasonCode, text: trimmed } : { reasonCode } },
      { onSuccess: () => onRecorded(`Reason recorded for the missed ${TARGET_KIND_WORDS[clock.kind].toLowerCase()} target.`) },
    );
  }

  return (
    <form onSubmit={submit} noValidate data-testid="breach-reason-form">
      <ErrorSummary error={error} fieldIds={ids} />
      <div className={`field${reasonError ? ' field--error' : ''}`}>
        <label htmlFor={ids.reasonCode}>Why was the {TARGET_KIND_WORDS[clock.kind].toLowerCase()} target missed?</label>
        <InlineError id={`${ids.reasonCode}-error`} message={reasonError} />
        <select id={ids.reasonCode} value={reasonCode} onChange={(e) => setReasonCode(e.target.value)} aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? `${ids.reasonCode}-error` : undefined}>
          <option value="">Choose a reason</option>
          {active.map((reason) => (
            <option key={reason.code} value={reason.code}>
              {reason.label}
            </option>
          ))}
        </select>
      </div>
      <div className={`field${textError ? ' field--error' : ''}`}>
        <label htmlFor={ids.text}>What happened (needed for “Other”)</label>
        <InlineError id={`${ids.text}-error`} message={textError} />
        <textarea id={ids.text} rows={2} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={textError ? true : undefined} aria-describedby={textError ? `${ids.text}-error` : undefined} />
      </div>
      <button type="submit" className="button button--secondary" aria-disabled={record.isPending}>
        {record.isPending ? 'Recording…' : 'Record reason'}
      </button>
    </form>
  );
}
