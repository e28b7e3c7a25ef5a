// The incident screen's own changes: finishing it (resolve, close, cancel, resolve without
// deployment, each asked for again before it is made), regrading it, correcting what it is (type,
// summary, what units must have) and setting where it is.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { closingCodesQuery, incidentTypesQuery, useMoveIncident, useRegradeIncident, useSetIncidentLocation, useUpdateIncident, type IncidentStatusInput, type IncidentView } from '../../api/dispatch.ts';
import { invalidFields, toUiError, type UiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, fieldMessage, focusById } from '../../components.tsx';
import { GRADE_LABELS } from './dispatch-text.ts';
import { GRADES, correctionFormValues, readCorrectionForm, readLocationForm } from './incident-form.ts';
import { closingCodeHint, confirmMoveQuestion, incidentMovesFor, readMoveForm } from './incident-moves.ts';
import { IncidentTypeOptions } from './IncidentTypeOptions.tsx';
import { NeedsField } from './NeedsField.tsx';

type Announce = (message: string) => void;

/** One labelled field with its inline error; the control is given its ids. */
function Field({ id, label, error, hint, children }: { id: string; label: string; error: string | null; hint?: string; children: (describedBy: string | undefined) => ReactNode }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <InlineError id={`${id}-error`} message={error} />
      {children(describedBy)}
    </div>
  );
}

const MOVE_FIELDS = { move: 'incident-move', closingCode: 'incident-closing-code' };

/** Finishing the incident: choose the move and its closing code, then confirm. */
export function FinishIncident({ incident, onDone }: { incident: IncidentView; onDone: Announce }) {
  const choices = incidentMovesFor(incident.status);
  const codes = useQuery({ ...closingCodesQuery, enabled: choices.length > 0 });
  const move = useMoveIncident(incident.id);
  const [values, setValues] = useState({ move: '', closingCode: '' });
  const [pending, setPending] = useState<IncidentStatusInput | null>(null);
  const [invalid, setInvalid] = useState<UiError | null>(null);
  if (choices.length === 0) return null;
  const error = invalid ?? toUiError(move.error) ?? toUiError(codes.error);
  const chosen = choices.find((c) => c.move === values.move);
  // `merged` is given by merging, never chosen.
  const usable = (codes.data ?? []).filter((c) => c.isActive && c.code !== 'merged');
  const codeLabel = (code: string | undefined) => usable.find((c) => c.code === code)?.label ?? null;

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = readMoveForm(incident.status, values);
    if ('fields' in body) {
      setInvalid(body);
      return;
    }
    setInvalid(null);
    move.reset();
    setPending(body);
    requestAnimationFrame(() => focusById('incident-move-confirm'));
  }

  function confirm() {
    if (!pending || move.isPending) return;
    move.mutate(pending, {
      onSuccess: (changed) => {
        setPending(null);
        setValues({ move: '', closingCode: '' });
        onDone(`${incident.reference} is ${changed.status.replaceAll('_', ' ')}.`);
      },
      onError: () => setPending(null),
    });
  }

  return (
    <section aria-labelledby="finish-heading">
      <h2 id="finish-heading">Finish the incident</h2>
      <ErrorSummary error={error} fieldIds={MOVE_FIELDS} />
      {pending ? (
        <div className="panel" data-testid="incident-move-confirm">
          <p id="incident-move-confirm" tabIndex={-1}>
            <strong>{confirmMoveQuestion(incident.reference, pending, codeLabel(pending.closingCode))}</strong>
          </p>
          <div className="dispatch-actions">
            <button type="button" className="button button--warning" data-testid="incident-move-yes" aria-disabled={move.isPending} onClick={confirm}>
              {move.isPending ? 'Saving…' : `Yes, ${choices.find((c) => c.move === pending.move)?.label.toLowerCase() ?? 'go on'}`}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setPending(null)}>
              No, go back
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={review} noValidate className="form" data-testid="finish-incident">
          <Field id={MOVE_FIELDS.move} label="What happened" error={fieldMessage(error, 'move')} hint={chosen?.hint}>
            {(describedBy) => (
              <select id={MOVE_FIELDS.move} value={values.move} onChange={(e) => setValues((v) => ({ ...v, move: e.target.value }))} aria-describedby={describedBy}>
                <option value="">Choose</option>
                {choices.map((c) => (
                  <option key={c.move} value={c.move}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {chosen?.needsCode && (
            <Field
              id={MOVE_FIELDS.closingCode}
              label={chosen.move === 'cancel' ? 'Why it is cancelled' : 'Closing code'}
              error={fieldMessage(error, 'closingCode')}
              hint={closingCodeHint(chosen.move, values.closingCode)}
            >
              {(describedBy) => (
                <select id={MOVE_FIELDS.closingCode} value={values.closingCode} onChange={(e) => setValues((v) => ({ ...v, closingCode: e.target.value }))} aria-describedby={describedBy}>
                  <option value="">{codes.isPending ? 'Loading closing codes…' : 'Choose'}</option>
                  {usable.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <button type="submit" className="button button--secondary" data-testid="incident-move-review">
            Continue
          </button>
        </form>
      )}
    </section>
  );
}

const GRADE_FIELDS = { grade: 'incident-regrade', reason: 'incident-regrade-reason' };

/** Grading or regrading the incident; its countdown is recomputed against the new grade. */
export function RegradeIncident({ incident, onDone }: { incident: IncidentView; onDone: Announce }) {
  const regrade = useRegradeIncident(incident.id);
  const [grade, setGrade] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(regrade.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (regrade.isPending) return;
    const chosen = GRADES.find((g) => g === grade);
    if (!chosen) return setInvalid(invalidFields([{ path: 'grade', message: 'Choose a grade' }]));
    if (chosen === incident.grade?.code) return setInvalid(invalidFields([{ path: 'grade', message: `It is already graded ${GRADE_LABELS[chosen]}` }]));
    setInvalid(null);
    regrade.mutate(
      { grade: chosen, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      {
        onSuccess: () => {
          setGrade('');
          setReason('');
          onDone(`${incident.reference} graded ${GRADE_LABELS[chosen]}.`);
        },
      },
    );
  }

  return (
    <section aria-labelledby="regrade-heading">
      <h2 id="regrade-heading">{incident.grade ? 'Regrade' : 'Grade'}</h2>
      <form onSubmit={submit} noValidate className="form" data-testid="regrade-incident">
        <ErrorSummary error={error} fieldIds={GRADE_FIELDS} />
        <Field id={GRADE_FIELDS.grade} label="Grade" error={fieldMessage(error, 'grade')} hint="The response countdown starts again against the new grade's targets.">
          {(describedBy) => (
            <select id={GRADE_FIELDS.grade} value={grade} onChange={(e) => setGrade(e.target.value)} aria-describedby={describedBy}>
              <option value="">Choose</option>
              {GRADES.map((g) => (
                <option key={g} value={g}>
                  {GRADE_LABELS[g]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={GRADE_FIELDS.reason} label="Reason (optional)" error={fieldMessage(error, 'reason')}>
          {(describedBy) => <input id={GRADE_FIELDS.reason} type="text" value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <button type="submit" className="button button--secondary" aria-disabled={regrade.isPending}>
          {regrade.isPending ? 'Saving…' : incident.grade ? 'Regrade' : 'Set grade'}
        </button>
      </form>
    </section>
  );
}

const LOCATION_FIELDS = { locationText: 'incident-location-text', lat: 'incident-location-lat', lon: 'incident-location-lon' };

/** Setting where the incident is: without a position no unit can be recommended by arrival time. */
export function SetIncidentLocation({ incident, onDone }: { incident: IncidentView; onDone: Announce }) {
  const set = useSetIncidentLocation(incident.id);
  const { location } = incident;
  const [values, setValues] = useState({ locationText: location.text ?? '', lat: location.lat?.toString() ?? '', lon: location.lon?.toString() ?? '' });
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(set.error);
  const hasPosition = location.lat !== null && location.lon !== null;
  const change = (key: keyof typeof values) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: event.target.value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (set.isPending) return;
    const body = readLocationForm(values);
    if ('fields' in body) return setInvalid(body);
    setInvalid(null);
    set.mutate(body, { onSuccess: () => onDone(`Location of ${incident.reference} saved.`) });
  }

  const input = (key: keyof typeof values, describedBy: string | undefined, decimal = false) => (
    <input
      id={LOCATION_FIELDS[key]}
      type="text"
      inputMode={decimal ? 'decimal' : undefined}
      value={values[key]}
      onChange={change(key)}
      aria-describedby={describedBy}
      aria-invalid={fieldMessage(error, key) ? true : undefined}
    />
  );
  return (
    <section aria-labelledby="location-heading">
      <h2 id="location-heading">Location</h2>
      {!hasPosition && <p data-testid="no-position">This incident has no map position, so units cannot be recommended by arrival time. Add its latitude and longitude.</p>}
      <form onSubmit={submit} noValidate className="form" data-testid="incident-location">
        <ErrorSummary error={error} fieldIds={LOCATION_FIELDS} />
        <Field id={LOCATION_FIELDS.locationText} label="Address or place" error={fieldMessage(error, 'locationText')}>
          {(describedBy) => input('locationText', describedBy)}
        </Field>
        <Field id={LOCATION_FIELDS.lat} label="Latitude" error={fieldMessage(error, 'lat')} hint="For example 52.6285. Leave both empty if not known.">
          {(describedBy) => input('lat', describedBy, true)}
        </Field>
        <Field id={LOCATION_FIELDS.lon} label="Longitude" error={fieldMessage(error, 'lon')} hint="For example 1.2895.">
          {(describedBy) => input('lon', describedBy, true)}
        </Field>
        <button type="submit" className="button button--secondary" data-testid="save-location" aria-disabled={set.isPending}>
          {set.isPending ? 'Saving…' : 'Save location'}
        </button>
      </form>
    </section>
  );
}

const CORRECTION_FIELDS = { type: 'incident-correct-type', summary: 'incident-correct-summary', requiredCapabilities: 'incident-correct-needs' };

/**
 * Correcting what the incident is as information arrives: its type, what is happening, and what
 * units must have. The grade is not here (Regrade is), and a new type leaves the countdown as it is.
 */
export function CorrectIncident({ incident, onDone }: { incident: IncidentView; onDone: Announce }) {
  const update = useUpdateIncident(incident.id);
  const types = useQuery(incidentTypesQuery);
  const [values, setValues] = useState(() => correctionFormValues(incident));
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(update.error) ?? toUiError(types.error);
  const change = (key: 'type' | 'summary') => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: event.target.value }));
  // A type the force has since retired is still offered as what the incident is now.
  const offered = (types.data ?? []).filter((type) => type.isActive || type.code === incident.type);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    const body = readCorrectionForm(values, incident);
    if ('fields' in body) return setInvalid(body);
    setInvalid(null);
    update.mutate(body, { onSuccess: () => onDone(`${incident.reference} corrected.`) });
  }

  return (
    <section aria-labelledby="correct-heading">
      <h2 id="correct-heading">Correct the incident</h2>
      <form onSubmit={submit} noValidate className="form" data-testid="correct-incident">
        <ErrorSummary error={error} fieldIds={CORRECTION_FIELDS} />
        <Field id={CORRECTION_FIELDS.type} label="Type" error={fieldMessage(error, 'type')} hint="Changing the type does not change the grade or the countdown.">
          {(describedBy) => (
            <select id={CORRECTION_FIELDS.type} value={values.type} onChange={change('type')} aria-describedby={describedBy}>
              {offered.length === 0 && <option value={incident.type}>{incident.type.replaceAll('_', ' ')}</option>}
              <IncidentTypeOptions types={offered} />
            </select>
          )}
        </Field>
        <Field id={CORRECTION_FIELDS.summary} label="What is happening" error={fieldMessage(error, 'summary')}>
          {(describedBy) => (
            <textarea id={CORRECTION_FIELDS.summary} rows={3} value={values.summary} onChange={change('summary')} aria-describedby={describedBy} aria-invalid={fieldMessage(error, 'summary') ? true : undefined} />
          )}
        </Field>
        <NeedsField
          id={CORRECTION_FIELDS.requiredCapabilities}
          chosen={values.chosenNeeds}
          other={values.otherNeeds}
          error={fieldMessage(error, 'requiredCapabilities')}
          onChosen={(chosenNeeds) => setValues((v) => ({ ...v, chosenNeeds }))}
          onOther={(otherNeeds) => setValues((v) => ({ ...v, otherNeeds }))}
        />
        <button type="submit" className="button button--secondary" data-testid="save-correction" aria-disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save changes'}
        </button>
      </form>
    </section>
  );
}
