// The grade of a contact: current grade and its target deadline, grading and regrading (a regrade
// needs a reason), and every earlier grade.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSetGrade } from '../api/contact-mutations.ts';
import { invalidFields, toUiError, type FieldError, type UiError } from '../api/errors.ts';
import { gradeDefinitionsQuery, gradeQuery } from '../api/queries.ts';
import type { Grade, GradeDefinition } from '../api/types.ts';
import { useNow } from '../clock.ts';
import { ErrorSummary, InlineError, Loading, StatusMessage, fieldMessage } from '../components.tsx';
import { formatDateTime, humanize } from '../format.ts';

export const GRADE_REASON_MAX = 500;

/** "in 2 h 05 min", "overdue by 12 min". */
export function describeDue(dueIso: string, now: number): { text: string; isOverdue: boolean } {
  const minutes = Math.round((new Date(dueIso).getTime() - now) / 60_000);
  const span = (m: number) => (m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`);
  return minutes > 0 ? { text: `in ${span(minutes)}`, isOverdue: false } : { text: `overdue by ${span(-minutes)}`, isOverdue: true };
}

function describeTarget(minutes: number | null): string {
  if (minutes === null) return 'no attendance';
  if (minutes < 60) return `attend within ${minutes} min`;
  if (minutes % 60 === 0) return `attend within ${minutes / 60} h`;
  return `attend within ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function GradePanel({ contactId, isOpen, canGrade }: { contactId: string; isOpen: boolean; canGrade: boolean }) {
  const grade = useQuery(gradeQuery(contactId));
  const definitions = useQuery(gradeDefinitionsQuery);
  const now = useNow(30_000);
  const [notice, setNotice] = useState<string | null>(null);

  const view = grade.data;
  if (!view) return grade.isPending ? <Loading what="grade" /> : <ErrorSummary error={toUiError(grade.error)} focus={false} />;
  const labelOf = (value: Grade) => definitions.data?.find((d) => d.grade === value)?.label ?? humanize(value);
  const current = view.current;
  const target = current?.targetAt && isOpen ? describeDue(current.targetAt, now) : null;

  return (
    <div className="grade">
      <StatusMessage message={notice} />
      {current ? (
        <p data-testid="grade-current">
          <strong>{labelOf(current.grade)}</strong> since <time dateTime={current.gradedAt}>{formatDateTime(current.gradedAt)}</time> (
          {current.gradedBy.name})
          {current.targetAt ? (
            <>
              {' '}
              · target <time dateTime={current.targetAt}>{formatDateTime(current.targetAt)}</time>
            </>
          ) : (
            <> · no attendance target</>
          )}
        </p>
      ) : (
        <p>Not yet graded.</p>
      )}
      {target && (
        <p className={target.isOverdue ? 'field-error' : 'hint'} data-testid="grade-target">
          {target.isOverdue ? 'Target missed: ' : 'Target '}
          {target.text}
        </p>
      )}
      {isOpen && canGrade && definitions.data && (
        <GradeForm
          contactId={contactId}
          definitions={definitions.data}
          current={current?.grade ?? null}
          onSaved={(label) => setNotice(`Graded ${label}.`)}
        />
      )}
      {view.history.length > 1 && (
        <details>
          <summary>Grade history ({view.history.length})</summary>
          <ol className="grade-history">
            {view.history.map((record) => (
              <li key={record.id}>
                <time dateTime={record.gradedAt}>{formatDateTime(record.gradedAt)}</time>: {labelOf(record.grade)}
                {record.previousGrade && <> (was {labelOf(record.previousGrade)})</>} by {record.gradedBy.name}
                {record.reason && <> — {record.reason}</>}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

function GradeForm({
  contactId,
  definitions,
  current,
  onSaved,
}: {
  contactId: string;
  definitions: GradeDefinition[];
  current: Grade | null;
  onSaved: (label: string) => void;
}) {
  const [choice, setChoice] = useState<Grade | ''>('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const setGrade = useSetGrade(contactId);
  const error = invalid ?? toUiError(setGrade.error);
  const busy = setGrade.isPending;
  const isRegrade = current !== null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const fields: FieldError[] = [];
    if (!choice) fields.push({ path: 'grade', message: 'Choose a grade' });
    else if (choice === current) fields.push({ path: 'grade', message: 'Choose a different grade to regrade' });
    if (isRegrade && !reason.trim()) fields.push({ path: 'reason', message: 'Give the reason for the regrade' });
    if (reason.length > GRADE_REASON_MAX) fields.push({ path: 'reason', message: `Reason must be ${GRADE_REASON_MAX} characters or fewer` });
    setInvalid(fields.length > 0 || !choice ? invalidFields(fields) : null);
    if (fields.length > 0 || !choice) return;
    const trimmed = reason.trim();
    setGrade.mutate(trimmed ? { grade: choice, reason: trimmed } : { grade: choice }, {
      onSuccess: () => {
        setChoice('');
        setReason('');
        onSaved(definitions.find((d) => d.grade === choice)?.label ?? choice);
      },
    });
  }

  const gradeError = fieldMessage(error, 'grade');
  const reasonError = fieldMessage(error, 'reason');
  return (
    <form onSubmit={submit} noValidate className="form">
      <ErrorSummary error={error} fieldIds={{ grade: 'grade-choice', reason: 'grade-reason' }} />
      <div className={`field${gradeError ? ' field--error' : ''}`}>
        <label htmlFor="grade-choice">{isRegrade ? 'Regrade to' : 'Grade'}</label>
        <InlineError id="grade-choice-error" message={gradeError} />
        <select
          id="grade-choice"
          name="grade"
          data-testid="grade-choice"
          value={choice}
          onChange={(e) => setChoice(definitions.find((d) => d.grade === e.target.value)?.grade ?? '')}
          aria-invalid={gradeError ? true : undefined}
          aria-describedby={gradeError ? 'grade-choice-error' : undefined}
        >
          <option value="">Choose a grade</option>
          {definitions.map((d) => (
            <option key={d.grade} value={d.grade} disabled={d.grade === current}>
              {d.label} ({describeTarget(d.targetMinutes)})
            </option>
          ))}
        </select>
      </div>
      <div className={`field${reasonError ? ' field--error' : ''}`}>
        <label htmlFor="grade-reason">{isRegrade ? 'Reason for regrade' : 'Reason (optional)'}</label>
        <InlineError id="grade-reason-error" message={reasonError} />
        <textarea
          id="grade-reason"
          name="reason"
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError ? 'grade-reason-error' : undefined}
          aria-required={isRegrade ? true : undefined}
        />
      </div>
      <button type="submit" className="button" data-testid="grade-submit" aria-disabled={busy}>
        {busy ? 'Saving…' : isRegrade ? 'Regrade' : 'Set grade'}
      </button>
    </form>
  );
}
