import { useState, type FormEvent, type ReactNode } from 'react';
import { useCreateIncident } from '../../api/dispatch.ts';
import { toUiError, type UiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, PageHeading, fieldMessage } from '../../components.tsx';
import { contactHref } from '../../router.ts';
import { DispatchNav } from './DispatchBoard.tsx';
import { dispatchHref } from './dispatch-routes.ts';
import { GRADE_LABELS } from './dispatch-text.ts';
import { GRADES, readIncidentForm } from './incident-form.ts';

/** The national incident categories the force's list starts from. */
const TYPES = [
  { value: 'public_safety', label: 'Public safety and welfare' },
  { value: 'crime', label: 'Crime' },
  { value: 'anti_social_behaviour', label: 'Anti-social behaviour' },
  { value: 'transport', label: 'Transport' },
] as const;


const FIELD_IDS = { type: 'incident-type', summary: 'incident-summary', grade: 'incident-grade', locationText: 'incident-address', lat: 'incident-lat', lon: 'incident-lon', requiredCapabilities: 'incident-needs' };

export function NewIncidentScreen({ contactId }: { contactId: string | null }) {
  const create = useCreateIncident();
  const [values, setValues] = useState({ type: 'public_safety', summary: '', grade: '', locationText: '', lat: '', lon: '', needs: '' });
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(create.error);
  const set = (key: keyof typeof values) => (event: { target: { value: string } }) => setValues((current) => ({ ...current, [key]: event.target.value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    const body = readIncidentForm(values, contactId);
    if ('fields' in body) {
      setInvalid(body);
      return;
    }
    setInvalid(null);
    create.mutate(body, { onSuccess: (incident) => void (window.location.hash = dispatchHref({ name: 'incident', id: incident.id })) });
  }

  const field = (key: keyof typeof FIELD_IDS, label: string, input: (describedBy: string | undefined, isInvalid: boolean) => ReactNode, hint?: string) => {
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
    <>
      <PageHeading title="New incident">New incident</PageHeading>
      <DispatchNav current="new" />
      {contactId && (
        <p>
          Created from contact <a href={contactHref(contactId)}>the contact you came from</a>; it is linked to the new incident.
        </p>
      )}
      <form onSubmit={submit} noValidate className="form" data-testid="new-incident">
        <ErrorSummary error={error} fieldIds={FIELD_IDS} />
        {field('type', 'Type', (describedBy) => (
          <select id={FIELD_IDS.type} value={values.type} onChange={set('type')} aria-describedby={describedBy}>
            {TYPES.map((type) => (
              <option key={type.value} value={type.value}>
                {type.label}
              </option>
            ))}
          </select>
        ))}
        {field('summary', 'What is happening', (describedBy, isInvalid) => (
          <textarea id={FIELD_IDS.summary} rows={3} value={values.summary} onChange={set('summary')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
        ))}
        {field('grade', 'Grade', (describedBy) => (
          <select id={FIELD_IDS.grade} value={values.grade} onChange={set('grade')} aria-describedby={describedBy}>
            <option value="">Not graded yet</option>
            {GRADES.map((grade) => (
              <option key={grade} value={grade}>
                {GRADE_LABELS[grade]}
              </option>
            ))}
          </select>
        ))}
        {field('locationText', 'Address or place', (describedBy, isInvalid) => (
          <input id={FIELD_IDS.locationText} type="text" value={values.locationText} onChange={set('locationText')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />
        ))}
        {field('lat', 'Latitude', (describedBy, isInvalid) => <input id={FIELD_IDS.lat} type="text" inputMode="decimal" value={values.lat} onChange={set('lat')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />, 'For example 52.6285. Needed to recommend units by arrival time.')}
        {field('lon', 'Longitude', (describedBy, isInvalid) => <input id={FIELD_IDS.lon} type="text" inputMode="decimal" value={values.lon} onChange={set('lon')} aria-describedby={describedBy} aria-invalid={isInvalid || undefined} />, 'For example 1.2895.')}
        {field('requiredCapabilities', 'Units must have', (describedBy) => <input id={FIELD_IDS.requiredCapabilities} type="text" value={values.needs} onChange={set('needs')} aria-describedby={describedBy} />, 'Optional, separated by commas, for example: firearms, dog.')}
        <button type="submit" className="button" data-testid="create-incident" aria-disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create incident'}
        </button>
      </form>
    </>
  );
}
