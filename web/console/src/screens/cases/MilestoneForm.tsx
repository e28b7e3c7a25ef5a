import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { caseAppointmentsQuery, caseCataloguesQuery, useRecordMilestone, type CaseView, type MilestoneInput, type MilestoneType } from '../../api/cases.ts';
import { toUiError, type UiError } from '../../api/errors.ts';
import type { StaffUser } from '../../api/types.ts';
import { ErrorSummary, InlineError, StatusMessage, fieldMessage } from '../../components.tsx';
import { formatDateTime, formatDay } from '../../format.ts';
import { MILESTONE_LABELS, allowedMilestones, fieldsOf, milestoneAt } from './case-text.ts';

const FIELD_IDS = {
  type: 'milestone-type',
  officerInCase: 'milestone-officer',
  team: 'milestone-team',
  at: 'milestone-at',
  timeUnknown: 'milestone-time-unknown',
  place: 'milestone-place',
  appointmentId: 'milestone-appointment',
  outcomeCode: 'milestone-outcome',
  reason: 'milestone-reason',
  reasonCy: 'milestone-reason-cy',
  note: 'milestone-note',
};
type FieldKey = keyof typeof FIELD_IDS;

const EMPTY = { officer: 'me', team: '', at: '', day: '', place: '', appointmentId: '', outcomeCode: '', reason: '', reasonCy: '', note: '' };

/**
 * Records a milestone. The choice offers what the case's machine allows now (a hint mirrored in
 * case-text.ts); the server decides, and its refusal is shown as it gives it.
 */
export function MilestoneForm({ view, user }: { view: CaseView; user: StaffUser }) {
  const record = useRecordMilestone(view.id);
  const catalogues = useQuery(caseCataloguesQuery);
  const appointments = useQuery(caseAppointmentsQuery(view.id));
  const current = (appointments.data ?? []).filter((a) => a.status === 'current');
  const allowed = allowedMilestones(view).filter((type) => current.length > 0 || (type !== 'appointment_changed' && type !== 'appointment_cancelled'));
  const [chosen, setChosen] = useState<MilestoneType | ''>('');
  const type: MilestoneType | undefined = chosen && allowed.includes(chosen) ? chosen : allowed[0];
  const [values, setValues] = useState(EMPTY);
  // "Time not known yet": the appointment is a day alone, told to the victim as a day.
  const [isTimeUnknown, setTimeUnknown] = useState(false);
  // One id per milestone meant: a double click or a retry records it once; a changed form is a new one.
  const [submissionId, setSubmissionId] = useState(() => crypto.randomUUID());
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const error = invalid ?? toUiError(record.error);
  const set = (key: keyof typeof EMPTY) => (event: { target: { value: string } }) => {
    setValues((now) => ({ ...now, [key]: event.target.value }));
    setSubmissionId(crypto.randomUUID());
  };
  const shows = type ? fieldsOf(type) : null;

  function bodyOf(milestone: MilestoneType): MilestoneInput | UiError {
    const body: MilestoneInput = { type: milestone, submissionId };
    const fields = fieldsOf(milestone);
    if (values.note.trim()) body.note = values.note.trim();
    if (fields.allocate) {
      if (values.officer === 'me') body.officerInCase = user.id;
      else if (values.officer === 'current' && view.officerInCase) body.officerInCase = view.officerInCase;
      if (values.team.trim()) body.team = values.team.trim();
    }
    if (fields.when) {
      const when = milestoneAt({ at: values.at, day: values.day, isTimeUnknown: fields.dayAlone && isTimeUnknown });
      if ('error' in when) return { message: '', fields: [{ path: 'at', message: when.error }] };
      if (when.at) body.at = when.at;
    }
    if (fields.place && values.place.trim()) body.place = values.place.trim();
    if (fields.appointment && values.appointmentId) body.appointmentId = values.appointmentId;
    if (fields.close) {
      if (values.outcomeCode) body.outcomeCode = values.outcomeCode;
      if (values.reason.trim()) body.reason = values.reason.trim();
      if (values.reasonCy.trim()) body.reasonCy = values.reasonCy.trim();
    }
    return body;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (record.isPending || !type) return;
    const body = bodyOf(type);
    if ('fields' in body) {
      setInvalid(body);
      return;
    }
    setInvalid(null);
    setDone(null);
    record.mutate(body, {
      onSuccess: (updated) => {
        setDone(`Recorded on ${updated.reference}: ${MILESTONE_LABELS[type]}.`);
        setValues(EMPTY);
        setTimeUnknown(false);
        setChosen('');
        setSubmissionId(crypto.randomUUID());
      },
    });
  }

  const field = (key: FieldKey, label: string, input: (describedBy: string | undefined, isInvalid: boolean) => ReactNode, hint?: string) => {
    const message = fieldMessage(error, key);
    const id = FIELD_IDS[key];
    const describedBy = [hint ? `${id}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className={`field${message ? ' field--error' : ''}`}>
        <label htmlFor={id}>{label}</label>
        {hint && (
          <p id={`${id}-hint`} className="hint">
            {hint}
          </p>
        )}
        <InlineError id={`${id}-error`} message={message} />
        {input(describedBy, message !== null)}
      </div>
    );
  };

  return (
    <section aria-labelledby="h-record-milestone">
      <h2 id="h-record-milestone">Record a milestone</h2>
      <StatusMessage message={done} />
      <form onSubmit={submit} noValidate className="form" data-testid="milestone-form">
        <ErrorSummary error={error} fieldIds={FIELD_IDS} />
        {field(
          'type',
          'What happened',
          (describedBy) => (
            <select id={FIELD_IDS.type} value={type ?? ''} onChange={(event) => {
                setChosen(event.target.value as MilestoneType);
                setSubmissionId(crypto.randomUUID());
              }} aria-describedby={describedBy}>
              {allowed.map((option) => (
                <option key={option} value={option}>
                  {MILESTONE_LABELS[option]}
                </option>
              ))}
            </select>
          ),
          'Only the milestones this case can take now are offered. The victim’s updates follow from what you record.',
        )}
        {shows?.allocate && (
          <>
            {field('officerInCase', 'Officer in case', (describedBy) => (
              <select id={FIELD_IDS.officerInCase} value={values.officer} onChange={set('officer')} aria-describedby={describedBy}>
                <option value="me">Me ({user.name})</option>
                {view.officerInCase && view.officerInCase !== user.id && <option value="current">Keep the current officer in case</option>}
                <option value="none">No officer: a team only</option>
              </select>
            ))}
            {field('team', 'Team', (describedBy, isInvalid) => (
              <input id={FIELD_IDS.team} type="text" value={values.team} onChange={set('team')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
            ), 'Optional when an officer is chosen, for example: CID North.')}
          </>
        )}
        {shows?.appointment &&
          field('appointmentId', 'Which appointment', (describedBy, isInvalid) => (
            <select id={FIELD_IDS.appointmentId} value={values.appointmentId} onChange={set('appointmentId')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined}>
              <option value="">The latest one</option>
              {current.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.at ? (a.isDateOnly ? `${formatDay(a.at)} (no time given)` : formatDateTime(a.at)) : 'Time not given'}
                  {a.place ? `, ${a.place}` : ''}
                </option>
              ))}
            </select>
          ))}
        {shows?.dayAlone && (
          <div className="checkbox">
            <input
              id={FIELD_IDS.timeUnknown}
              type="checkbox"
              checked={isTimeUnknown}
              onChange={(event) => {
                setTimeUnknown(event.target.checked);
                setSubmissionId(crypto.randomUUID());
              }}
            />{' '}
            <label htmlFor={FIELD_IDS.timeUnknown}>Time not known yet</label>
          </div>
        )}
        {shows?.when &&
          (shows.dayAlone && isTimeUnknown
            ? field('at', 'Date', (describedBy, isInvalid) => (
                <input id={FIELD_IDS.at} type="date" value={values.day} onChange={set('day')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
              ), 'The victim is told the day without a time, and reminded at 9am the day before. Record a change with the time when it is known.')
            : field('at', type === 'court_date_set' ? 'Date and time of the hearing' : 'Date and time', (describedBy, isInvalid) => (
                <input id={FIELD_IDS.at} type="datetime-local" value={values.at} onChange={set('at')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
              )))}
        {shows?.place &&
          field('place', type === 'court_date_set' ? 'Court' : 'Place', (describedBy, isInvalid) => (
            <input id={FIELD_IDS.place} type="text" value={values.place} onChange={set('place')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
          ))}
        {shows?.close && (
          <>
            {field('outcomeCode', 'Outcome', (describedBy, isInvalid) => (
              <select id={FIELD_IDS.outcomeCode} value={values.outcomeCode} onChange={set('outcomeCode')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined}>
                <option value="">Choose the Home Office outcome</option>
                {(catalogues.data?.outcomeTypes ?? []).map((outcome) => (
                  <option key={outcome.code} value={outcome.code}>
                    {outcome.code}: {outcome.label}
                  </option>
                ))}
              </select>
            ))}
            {field('reason', 'Why it is closed', (describedBy, isInvalid) => (
              <textarea id={FIELD_IDS.reason} rows={3} value={values.reason} onChange={set('reason')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
            ), 'The victim is told this, in these words.')}
            {field('reasonCy', 'Why it is closed, in Welsh', (describedBy, isInvalid) => (
              <textarea id={FIELD_IDS.reasonCy} rows={3} lang="cy" value={values.reasonCy} onChange={set('reasonCy')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
            ), 'Optional. A victim who reads Welsh is told this instead.')}
          </>
        )}
        {field('note', 'Note for the timeline', (describedBy, isInvalid) => (
          <textarea id={FIELD_IDS.note} rows={2} value={values.note} onChange={set('note')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
        ), 'Optional. Staff see it on the case’s timeline.')}
        <button type="submit" className="button" data-testid="record-milestone" aria-disabled={record.isPending || !type}>
          {record.isPending ? 'Recording…' : 'Record milestone'}
        </button>
      </form>
    </section>
  );
}
