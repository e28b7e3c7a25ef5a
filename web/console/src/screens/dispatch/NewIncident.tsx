import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { incidentTypesQuery, useCreateIncident } from '../../api/dispatch.ts';
import { toUiError, type UiError } from '../../api/errors.ts';
import { contactQuery, gradeQuery } from '../../api/queries.ts';
import { ErrorSummary, InlineError, Loading, PageHeading, fieldMessage } from '../../components.tsx';
import { contactHref } from '../../router.ts';
import { DispatchNav } from './DispatchBoard.tsx';
import { IncidentTypeOptions } from './IncidentTypeOptions.tsx';
import { NeedsField } from './NeedsField.tsx';
import { dispatchHref } from './dispatch-routes.ts';
import { GRADE_LABELS } from './dispatch-text.ts';
import { GRADES, prefillFromContact, readIncidentForm, type IncidentFormValues } from './incident-form.ts';

/** The type an incident starts with until someone classifies it (the force always keeps it). */
const UNCLASSIFIED = 'unclassified';

const FIELD_IDS = { type: 'incident-type', summary: 'incident-summary', grade: 'incident-grade', locationText: 'incident-address', lat: 'incident-lat', lon: 'incident-lon', requiredCapabilities: 'incident-needs' };

/** A new incident, directly or from a contact, whose summary, place and grade the form starts with. */
export function NewIncidentScreen({ contactId }: { contactId: string | null }) {
  const contact = useQuery({ ...contactQuery(contactId ?? ''), enabled: contactId !== null });
  const grade = useQuery({ ...gradeQuery(contactId ?? ''), enabled: contactId !== null });
  if (contactId && (contact.isPending || grade.isPending)) {
    return (
      <>
        <PageHeading title="New incident">New incident</PageHeading>
        <DispatchNav current="new" canCreate />
        <Loading what="the contact" />
      </>
    );
  }
  const initial = { type: UNCLASSIFIED, summary: '', grade: '', locationText: '', lat: '', lon: '', chosenNeeds: [], otherNeeds: '', ...prefillFromContact(contact.data, grade.data) };
  return <NewIncidentForm contactId={contactId} contactReference={contact.data?.contact.reference ?? null} initial={initial} contactError={toUiError(contact.error)} />;
}

function NewIncidentForm({ contactId, contactReference, initial, contactError }: { contactId: string | null; contactReference: string | null; initial: IncidentFormValues; contactError: UiError | null }) {
  const create = useCreateIncident();
  const types = useQuery(incidentTypesQuery);
  const [values, setValues] = useState(initial);
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(create.error) ?? toUiError(types.error);
  const set = (key: Exclude<keyof typeof values, 'chosenNeeds'>) => (event: { target: { value: string } }) => setValues((current) => ({ ...current, [key]: event.target.value }));
  const activeTypes = (types.data ?? []).filter((type) => type.isActive);
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
      <DispatchNav current="new" canCreate />
      {contactId && (
        <p data-testid="from-contact">
          Created from contact <a href={contactHref(contactId)}>{contactReference ?? 'the contact you came from'}</a>; it is linked to the new incident
          {contactReference ? ', and what it says is filled in below' : ''}.
        </p>
      )}
      <ErrorSummary error={contactError} focus={false} />
      <form onSubmit={submit} noValidate className="form" data-testid="new-incident">
        <ErrorSummary error={error} fieldIds={FIELD_IDS} />
        {field('type', 'Type', (describedBy) => (
          <select id={FIELD_IDS.type} value={values.type} onChange={set('type')} aria-describedby={describedBy}>
            {activeTypes.length === 0 && <option value={UNCLASSIFIED}>Not yet classified</option>}
            <IncidentTypeOptions types={activeTypes} />
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
        <NeedsField
          id={FIELD_IDS.requiredCapabilities}
          chosen={values.chosenNeeds}
          other={values.otherNeeds}
          error={fieldMessage(error, 'requiredCapabilities')}
          onChosen={(chosenNeeds) => setValues((current) => ({ ...current, chosenNeeds }))}
          onOther={(otherNeeds) => setValues((current) => ({ ...current, otherNeeds }))}
        />
        <button type="submit" className="button" data-testid="create-incident" aria-disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create incident'}
        </button>
      </form>
    </>
  );
}
