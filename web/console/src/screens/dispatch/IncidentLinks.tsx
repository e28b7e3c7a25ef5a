// What ties an incident to others: merging it, a duplicate, into the incident it duplicates (the
// live ones of the same type nearby are offered, or any live one by its reference; asked again
// before it is done, as it cannot be undone), and the contacts linked to it, each of which may be
// unlinked with a reason.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { incidentQuery, incidentTypesQuery, liveIncidentsQuery, nearbyIncidentsQuery, useMergeIncident, useUnlinkContact, type IncidentView } from '../../api/dispatch.ts';
import { invalidFields, toUiError, type UiError } from '../../api/errors.ts';
import { ErrorSummary, HintedTextInput, InlineError, fieldMessage, focusById } from '../../components.tsx';
import { formatDateTime, humanize } from '../../format.ts';
import { contactHref } from '../../router.ts';
import { dispatchHref } from './dispatch-routes.ts';
import { GRADE_LABELS, INCIDENT_STATUS_LABELS } from './dispatch-text.ts';
import { chooseIncident, isChosen, type ChosenIncident } from './incident-choice.ts';

type Announce = (message: string) => void;

const OTHER = 'reference';

/** Whether this incident can still be merged away: live, and not resolved (a resolved one is closed instead). */
export function canMergeAway(incident: IncidentView): boolean {
  return !['resolved', 'closed', 'cancelled', 'resolved_without_deployment'].includes(incident.status);
}

/** For an incident merged as a duplicate, where it went, linked. */
export function MergedInto({ incident }: { incident: IncidentView }) {
  const intoId = incident.mergedIntoId;
  const into = useQuery({ ...incidentQuery(intoId ?? ''), enabled: intoId !== null });
  if (!intoId) return null;
  return (
    <div className="panel" data-testid="merged-into">
      <p>
        This incident was merged into{' '}
        <a id="merged-into-link" href={dispatchHref({ name: 'incident', id: intoId })}>
          {into.data?.reference ?? 'the incident it duplicates'}
        </a>
        , which carries on with its contacts.
      </p>
    </div>
  );
}

/** Merging this incident, a duplicate, into the one it duplicates. */
export function MergeIncident({ incident, onDone }: { incident: IncidentView; onDone: Announce }) {
  const { lat, lon } = incident.location;
  const hasPosition = lat !== null && lon !== null;
  const nearby = useQuery({ ...nearbyIncidentsQuery({ lat: lat ?? 0, lon: lon ?? 0, type: incident.type }), enabled: hasPosition });
  const live = useQuery(liveIncidentsQuery);
  const types = useQuery(incidentTypesQuery);
  const merge = useMergeIncident(incident.id);
  const [choice, setChoice] = useState('');
  const [reference, setReference] = useState('');
  const [pending, setPending] = useState<ChosenIncident | null>(null);
  const [invalid, setInvalid] = useState<UiError | null>(null);
  // A resolved incident cannot take a merge: the job is done.
  const offered = (nearby.data ?? []).filter((other) => other.id !== incident.id && other.status !== 'resolved');
  const typeLabel = types.data?.find((type) => type.code === incident.type)?.label ?? humanize(incident.type);
  const error = invalid ?? toUiError(merge.error) ?? toUiError(nearby.error) ?? toUiError(live.error);
  const typing = choice === OTHER || (hasPosition && !nearby.isPending && offered.length === 0) || !hasPosition;
  const firstId = offered.length > 0 ? `merge-into-${offered[0]?.id ?? ''}` : 'merge-reference';
  const referenceError = fieldMessage(error, 'intoIncidentId');

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const picked = typing ? { chosenId: '', reference } : { chosenId: choice, reference: '' };
    if (!typing && !choice) return setInvalid(invalidFields([{ path: 'intoIncidentId', message: 'Choose the incident this one duplicates' }]));
    const chosen = chooseIncident(picked, live.data ?? [], { field: 'intoIncidentId', selfId: incident.id, what: 'this one duplicates' });
    if (!isChosen(chosen)) return setInvalid(chosen);
    setInvalid(null);
    merge.reset();
    setPending(chosen);
    requestAnimationFrame(() => focusById('merge-confirm'));
  }

  function confirm() {
    if (!pending || merge.isPending) return;
    merge.mutate(pending.id, {
      onSuccess: () => {
        onDone(`${incident.reference} merged into ${pending.reference}.`);
        requestAnimationFrame(() => focusById('merged-into-link'));
      },
      onError: () => setPending(null),
    });
  }

  return (
    <section aria-labelledby="merge-heading">
      <h2 id="merge-heading">Merge into another incident</h2>
      <ErrorSummary error={error} fieldIds={{ intoIncidentId: typing ? 'merge-reference' : firstId }} />
      {pending ? (
        <div className="panel" data-testid="merge-confirm">
          <p id="merge-confirm" tabIndex={-1}>
            <strong>
              Merge {incident.reference} into {pending.reference}? {incident.reference} is cancelled as merged and its contacts move to {pending.reference}. This cannot be undone.
            </strong>
          </p>
          <div className="dispatch-actions">
            <button type="button" className="button button--warning" data-testid="merge-yes" aria-disabled={merge.isPending} onClick={confirm}>
              {merge.isPending ? 'Merging…' : 'Yes, merge'}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setPending(null)}>
              No, go back
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={review} noValidate className="form" data-testid="merge-incident">
          <p className="hint">If this incident is a duplicate, merge it into the one it duplicates: it is cancelled as merged and its contacts move there.</p>
          {!hasPosition && <p>This incident has no map position, so no nearby incidents can be offered. Enter the reference of the incident it duplicates.</p>}
          {hasPosition && nearby.isPending && <p className="loading">Looking for live {typeLabel.toLowerCase()} incidents nearby…</p>}
          {hasPosition && !nearby.isPending && offered.length === 0 && <p>No other live {typeLabel.toLowerCase()} incident is nearby. Enter the reference of the incident it duplicates.</p>}
          <div className={`field${referenceError ? ' field--error' : ''}`}>
            {offered.length > 0 && (
              <fieldset aria-describedby={referenceError && !typing ? 'merge-into-error' : undefined}>
                <legend>Which incident does it duplicate?</legend>
                {!typing && <InlineError id="merge-into-error" message={referenceError} />}
                <div className="choice-list">
                  {offered.map((other) => (
                    <label key={other.id} htmlFor={`merge-into-${other.id}`}>
                      <input type="radio" id={`merge-into-${other.id}`} name="merge-into" value={other.id} checked={choice === other.id} onChange={() => setChoice(other.id)} />
                      <span>
                        {other.reference}: {other.summary || typeLabel} ({[INCIDENT_STATUS_LABELS[other.status], other.grade ? GRADE_LABELS[other.grade] : 'not graded', `${other.distanceMetres} m away`].join(', ')})
                      </span>
                    </label>
                  ))}
                  <label htmlFor="merge-into-other">
                    <input type="radio" id="merge-into-other" name="merge-into" value={OTHER} checked={choice === OTHER} onChange={() => setChoice(OTHER)} />
                    <span>Another incident, by its reference</span>
                  </label>
                </div>
              </fieldset>
            )}
            {typing && (
              <>
                <HintedTextInput
                  id="merge-reference"
                  label="Reference of the incident it duplicates"
                  hint="For example INC-42. It must be live and not yet resolved."
                  error={referenceError}
                  value={reference}
                  onChange={setReference}
                />
              </>
            )}
          </div>
          <button type="submit" className="button button--secondary" data-testid="merge-review">
            Continue
          </button>
        </form>
      )}
    </section>
  );
}

/** The contacts linked to the incident now (and those unlinked, for the record); each may be unlinked with a reason. */
export function LinkedContacts({ incident, canUnlink, onDone }: { incident: IncidentView; canUnlink: boolean; onDone: Announce }) {
  const linked = incident.contacts.filter((contact) => contact.unlinkedAt === null);
  const unlinked = incident.contacts.filter((contact) => contact.unlinkedAt !== null);
  const [unlinking, setUnlinking] = useState<string | null>(null);
  return (
    <section aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">Linked contacts</h2>
      {linked.length === 0 ? (
        <p>No contacts are linked.</p>
      ) : (
        <ul className="notes-log" data-testid="linked-contacts">
          {linked.map((contact) => (
            <li key={contact.contactId} data-testid="linked-contact" data-reference={contact.reference}>
              <a href={contactHref(contact.contactId)}>{contact.reference}</a> (linked {formatDateTime(contact.linkedAt)})
              {canUnlink &&
                (unlinking === contact.contactId ? (
                  <UnlinkForm
                    incident={incident}
                    contact={contact}
                    onCancel={() => setUnlinking(null)}
                    onDone={(message) => {
                      setUnlinking(null);
                      onDone(message);
                    }}
                  />
                ) : (
                  <div className="dispatch-actions">
                    <button type="button" className="button button--secondary button--small" data-testid="unlink-contact" onClick={() => setUnlinking(contact.contactId)}>
                      Unlink<span className="visually-hidden"> contact {contact.reference}</span>
                    </button>
                  </div>
                ))}
            </li>
          ))}
        </ul>
      )}
      {unlinked.length > 0 && (
        <>
          <h3>Unlinked</h3>
          <ul data-testid="unlinked-contacts">
            {unlinked.map((contact) => (
              <li key={`${contact.contactId}-${contact.linkedAt}`}>
                <a href={contactHref(contact.contactId)}>{contact.reference}</a> (linked {formatDateTime(contact.linkedAt)}, unlinked {formatDateTime(contact.unlinkedAt ?? '')})
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function UnlinkForm({ incident, contact, onCancel, onDone }: { incident: IncidentView; contact: IncidentView['contacts'][number]; onCancel: () => void; onDone: Announce }) {
  const unlink = useUnlinkContact(incident.id);
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(unlink.error);
  const reasonError = fieldMessage(error, 'reason');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (unlink.isPending) return;
    const given = reason.trim();
    if (given.length < 3) return setInvalid(invalidFields([{ path: 'reason', message: given ? 'Reason must be at least 3 characters' : 'Say why the contact is unlinked' }]));
    setInvalid(null);
    unlink.mutate({ contactId: contact.contactId, reason: given }, { onSuccess: () => onDone(`${contact.reference} unlinked from ${incident.reference}.`) });
  }

  return (
    <form onSubmit={submit} noValidate className="form" data-testid="unlink-form">
      <ErrorSummary error={error} fieldIds={{ reason: 'unlink-reason' }} />
      <div className={`field${reasonError ? ' field--error' : ''}`}>
        <HintedTextInput
          id="unlink-reason"
          label={`Why unlink ${contact.reference}?`}
          hint="For example: linked by mistake, about a different event. The link stays on record."
          error={reasonError}
          value={reason}
          onChange={setReason}
        />
      </div>
      <div className="dispatch-actions">
        <button type="submit" className="button button--warning" data-testid="unlink-yes" aria-disabled={unlink.isPending}>
          {unlink.isPending ? 'Unlinking…' : 'Unlink contact'}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Keep it linked
        </button>
      </div>
    </form>
  );
}
