// Linking a contact on no incident to a live one about the same event, from the contact's screen:
// one of the live incidents chosen from the list (nearest first when the contact has a position,
// else newest first, as the board has them), or one named by its reference. A link made by mistake is undone from the incident's screen.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { incidentTypesQuery, liveIncidentsQuery, useLinkContact } from '../../api/dispatch.ts';
import { toUiError, type UiError } from '../../api/errors.ts';
import { ErrorSummary, HintedTextInput, InlineError, fieldMessage } from '../../components.tsx';
import { humanize } from '../../format.ts';
import { GRADE_LABELS, INCIDENT_STATUS_LABELS } from './dispatch-text.ts';
import { chooseIncident, isChosen, nearestFirst } from './incident-choice.ts';

const FIELDS = { incident: 'link-incident', reference: 'link-incident-reference' };
const SUMMARY_LENGTH = 60;

const formatMetres = (metres: number) => (metres < 1000 ? `${metres} m` : `${(metres / 1000).toFixed(1)} km`);

/** The form that links the contact to a live incident; `onLinked` gets the incident's reference. */
export function LinkToIncident(props: { contactId: string; contactReference: string; place: { lat: number; lon: number } | null; onLinked: (reference: string) => void }) {
  const { contactId, contactReference, place, onLinked } = props;
  const live = useQuery(liveIncidentsQuery);
  const types = useQuery(incidentTypesQuery);
  const link = useLinkContact(contactId);
  const [values, setValues] = useState({ chosenId: '', reference: '' });
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(link.error) ?? toUiError(live.error);
  // Errors about the choice name the list; a typed reference has its own field.
  const choiceError = fieldMessage(error, 'incident');
  const referenceError = fieldMessage(error, 'reference');
  const label = (type: string) => types.data?.find((t) => t.code === type)?.label ?? humanize(type);
  const short = (text: string) => (text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 1)}…` : text);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (link.isPending) return;
    const field = values.reference.trim() ? 'reference' : 'incident';
    const chosen = chooseIncident(values, live.data ?? [], { field, selfId: null, what: 'the contact is about' });
    if (!isChosen(chosen)) return setInvalid(chosen);
    setInvalid(null);
    link.mutate(chosen.id, {
      onSuccess: () => {
        setValues({ chosenId: '', reference: '' });
        onLinked(chosen.reference);
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate className="form" data-testid="link-to-incident">
      <h3>Link to an incident</h3>
      <p className="hint">If {contactReference} is about an incident already open, link it there rather than creating another.</p>
      <ErrorSummary error={error} fieldIds={{ incident: FIELDS.incident, reference: FIELDS.reference, contactId: FIELDS.incident }} />
      <div className={`field${choiceError ? ' field--error' : ''}`}>
        <label htmlFor={FIELDS.incident}>Live incident</label>
        {place && (
          <p id={`${FIELDS.incident}-hint`} className="hint">
            Nearest to where the person is first.
          </p>
        )}
        <InlineError id={`${FIELDS.incident}-error`} message={choiceError} />
        <select
          id={FIELDS.incident}
          value={values.chosenId}
          onChange={(e) => setValues((v) => ({ ...v, chosenId: e.target.value }))}
          aria-describedby={[place ? `${FIELDS.incident}-hint` : null, choiceError ? `${FIELDS.incident}-error` : null].filter(Boolean).join(' ') || undefined}
          aria-invalid={choiceError ? true : undefined}
        >
          <option value="">{live.isPending ? 'Loading live incidents…' : 'Choose'}</option>
          {nearestFirst(live.data ?? [], place).map(({ incident, metres }) => (
            <option key={incident.id} value={incident.id}>
              {incident.reference}: {label(incident.type)}, {short(incident.summary || 'no summary')} (
              {[INCIDENT_STATUS_LABELS[incident.status], incident.grade ? GRADE_LABELS[incident.grade.code] : 'not graded', metres === null ? null : `${formatMetres(metres)} away`].filter(Boolean).join(', ')})
            </option>
          ))}
        </select>
      </div>
      <div className={`field${referenceError ? ' field--error' : ''}`}>
        <HintedTextInput
          id={FIELDS.reference}
          label="Or its reference"
          hint="For example INC-42."
          error={referenceError}
          value={values.reference}
          onChange={(reference) => setValues((v) => ({ ...v, reference }))}
        />
      </div>
      <button type="submit" className="button button--secondary" data-testid="link-to-incident-submit" aria-disabled={link.isPending}>
        {link.isPending ? 'Linking…' : 'Link to incident'}
      </button>
    </form>
  );
}
