// THRIVE assessment of a contact: the form (pre-filled from triage, always confirmed by a person),
// the latest assessment, its history, and the re-assessment clock. Also renders the grade panel,
// so the contact screen needs one line for both.
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useAssessThrive } from '../api/contact-mutations.ts';
import { invalidFields, toUiError, type FieldError, type UiError } from '../api/errors.ts';
import { thriveQuery } from '../api/queries.ts';
import type { StaffUser, ThriveAssessment, ThriveElement, ThriveInput, ThriveRating, ThriveView } from '../api/types.ts';
import { useNow } from '../clock.ts';
import { ErrorSummary, InlineError, Loading, StatusMessage, fieldMessage } from '../components.tsx';
import { formatDateTime, humanize } from '../format.ts';
import { THRIVE_ELEMENTS, thriveRatings } from '../labels.ts';
import { hasPermission } from '../permissions.ts';
import { GradePanel, describeDue } from './GradePanel.tsx';

export const RATIONALE_MAX = 2000;

/** What the form holds: a rating not yet chosen is empty. */
type FormValues = Record<ThriveElement, { rating: string; rationale: string }>;

function emptyValues(): FormValues {
  return {
    threat: { rating: '', rationale: '' },
    harm: { rating: '', rationale: '' },
    risk: { rating: '', rationale: '' },
    investigation: { rating: '', rationale: '' },
    vulnerability: { rating: '', rationale: '' },
    engagement: { rating: '', rationale: '' },
  };
}

/** Ratings from the draft; rationales are always the assessor's own words. */
function valuesFromDraft(view: ThriveView): FormValues {
  const values = emptyValues();
  for (const { key } of THRIVE_ELEMENTS) values[key].rating = view.draft[key].rating ?? '';
  return values;
}

export function ThriveAndGradePanels({ contactId, isOpen, user }: { contactId: string; isOpen: boolean; user: StaffUser }) {
  return (
    <>
      <section aria-labelledby="h-grade" className="panel">
        <h2 id="h-grade">Grade</h2>
        <GradePanel contactId={contactId} isOpen={isOpen} canGrade={hasPermission(user, 'grade:set')} />
      </section>
      <section aria-labelledby="h-thrive" className="panel">
        <h2 id="h-thrive">THRIVE assessment</h2>
        <ThrivePanel contactId={contactId} isOpen={isOpen} canAssess={hasPermission(user, 'thrive:assess')} />
      </section>
    </>
  );
}

export function ThrivePanel({ contactId, isOpen, canAssess }: { contactId: string; isOpen: boolean; canAssess: boolean }) {
  const thrive = useQuery(thriveQuery(contactId));
  const now = useNow(30_000);
  const [notice, setNotice] = useState<string | null>(null);

  const view = thrive.data;
  if (!view) return thrive.isPending ? <Loading what="THRIVE assessment" /> : <ErrorSummary error={toUiError(thrive.error)} focus={false} />;

  const due = view.reassessmentDueAt && isOpen ? describeDue(view.reassessmentDueAt, now) : null;
  return (
    <div className="thrive">
      <StatusMessage message={notice} />
      {due && (
        <p className={due.isOverdue ? 'field-error' : 'hint'} data-testid="thrive-due">
          {due.isOverdue ? 'Re-assessment overdue' : 'Re-assessment due'} {due.text} (
          <time dateTime={view.reassessmentDueAt ?? undefined}>{formatDateTime(view.reassessmentDueAt)}</time>)
        </p>
      )}
      {!view.latest && <p>Not yet assessed.</p>}
      {view.latest && <AssessmentSummary assessment={view.latest} heading="Latest assessment" />}
      {isOpen && canAssess && (
        <ThriveForm
          contactId={contactId}
          view={view}
          onSaved={(saved) => setNotice(`THRIVE assessment recorded at ${formatDateTime(saved.latest?.assessedAt ?? null)}.`)}
        />
      )}
      {view.history.length > 1 && (
        <details>
          <summary>Earlier assessments ({view.history.length - 1})</summary>
          {view.history.slice(1).map((assessment) => (
            <AssessmentSummary key={assessment.id} assessment={assessment} heading="Assessment" />
          ))}
        </details>
      )}
    </div>
  );
}

function AssessmentSummary({ assessment, heading }: { assessment: ThriveAssessment; heading: string }) {
  return (
    <div className="thrive-assessment" data-testid="thrive-assessment">
      <h3>
        {heading}: <time dateTime={assessment.assessedAt}>{formatDateTime(assessment.assessedAt)}</time> by {assessment.assessor.name}
      </h3>
      <dl>
        {THRIVE_ELEMENTS.map(({ key, label }) => (
          <div key={key}>
            <dt>
              {label}: {humanize(assessment.elements[key].rating)}
            </dt>
            <dd>{assessment.elements[key].rationale}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The form's values as the request body, or the fields still to complete. */
function toAssessment(values: FormValues): ThriveInput | FieldError[] {
  const issues: FieldError[] = [];
  const elementOf = <E extends ThriveElement>(key: E): { rating: ThriveRating<E>; rationale: string } | null => {
    const label = THRIVE_ELEMENTS.find((e) => e.key === key)?.label ?? key;
    const rating = thriveRatings(key).find((r) => r === values[key].rating);
    if (!rating) issues.push({ path: `${key}.rating`, message: `Choose a rating for ${label.toLowerCase()}` });
    const rationale = values[key].rationale.trim();
    if (!rationale) issues.push({ path: `${key}.rationale`, message: `Explain the ${label.toLowerCase()} rating` });
    else if (rationale.length > RATIONALE_MAX) issues.push({ path: `${key}.rationale`, message: `${label} rationale must be ${RATIONALE_MAX} characters or fewer` });
    return rating ? { rating, rationale } : null;
  };
  const threat = elementOf('threat');
  const harm = elementOf('harm');
  const risk = elementOf('risk');
  const investigation = elementOf('investigation');
  const vulnerability = elementOf('vulnerability');
  const engagement = elementOf('engagement');
  if (issues.length > 0 || !threat || !harm || !risk || !investigation || !vulnerability || !engagement) return issues;
  return { threat, harm, risk, investigation, vulnerability, engagement };
}

function ThriveForm({ contactId, view, onSaved }: { contactId: string; view: ThriveView; onSaved: (view: ThriveView) => void }) {
  const [values, setValues] = useState<FormValues>(() => valuesFromDraft(view));
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const assess = useAssessThrive(contactId);
  const error = invalid ?? toUiError(assess.error);
  const busy = assess.isPending;
  // A new contact or a fresh draft starts the form again from the draft.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the contact and the latest assessment only: every refetch gives a new `view`, and resetting on it would wipe what the assessor is typing
  useEffect(() => setValues(valuesFromDraft(view)), [contactId, view.latest?.id]);

  const set = (key: ThriveElement, change: Partial<FormValues[ThriveElement]>) =>
    setValues((current) => ({ ...current, [key]: { ...current[key], ...change } }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const assessment = toAssessment(values);
    setInvalid(Array.isArray(assessment) ? invalidFields(assessment) : null);
    if (Array.isArray(assessment)) return;
    assess.mutate(assessment, { onSuccess: onSaved });
  }

  const fieldIds = Object.fromEntries(
    THRIVE_ELEMENTS.flatMap(({ key }) => [
      [`${key}.rating`, `thrive-${key}-${values[key].rating || (THRIVE_ELEMENTS.find((e) => e.key === key)?.ratings[0] ?? '')}`],
      [`${key}.rationale`, `thrive-${key}-rationale`],
      [key, `thrive-${key}-rationale`],
    ]),
  );

  return (
    <form onSubmit={submit} noValidate className="form" aria-labelledby="h-thrive-form">
      <h3 id="h-thrive-form">{view.latest ? 'Re-assess' : 'Assess'}</h3>
      <p className="hint">Ratings suggested by triage are a starting point: check each one and give your reasons.</p>
      <ErrorSummary error={error} fieldIds={fieldIds} />
      {THRIVE_ELEMENTS.map(({ key, label, ratings }) => {
        const ratingError = fieldMessage(error, `${key}.rating`);
        const rationaleError = fieldMessage(error, `${key}.rationale`) ?? fieldMessage(error, key);
        const suggestion = view.draft[key];
        const hintId = `thrive-${key}-hint`;
        return (
          <fieldset key={key} className={`field${ratingError || rationaleError ? ' field--error' : ''}`} aria-describedby={suggestion.rating ? hintId : undefined}>
            <legend>{label}</legend>
            {suggestion.rating && (
              <p id={hintId} className="hint" data-testid={`thrive-${key}-suggestion`}>
                Suggested by triage: {humanize(suggestion.rating)}, from {suggestion.suggestedBy.join('; ')}
              </p>
            )}
            <InlineError id={`thrive-${key}-rating-error`} message={ratingError} />
            <div className="field--inline">
              {ratings.map((rating) => (
                <label key={rating} htmlFor={`thrive-${key}-${rating}`}>
                  <input
                    type="radio"
                    id={`thrive-${key}-${rating}`}
                    name={`thrive-${key}`}
                    value={rating}
                    checked={values[key].rating === rating}
                    onChange={() => set(key, { rating })}
                  />{' '}
                  {humanize(rating)}
                </label>
              ))}
            </div>
            <label htmlFor={`thrive-${key}-rationale`}>{label}: rationale</label>
            <InlineError id={`thrive-${key}-rationale-error`} message={rationaleError} />
            <textarea
              id={`thrive-${key}-rationale`}
              name={`${key}-rationale`}
              rows={2}
              value={values[key].rationale}
              onChange={(e) => set(key, { rationale: e.target.value })}
              aria-invalid={rationaleError ? true : undefined}
              aria-describedby={rationaleError ? `thrive-${key}-rationale-error` : undefined}
            />
          </fieldset>
        );
      })}
      <button type="submit" className="button" data-testid="thrive-submit" aria-disabled={busy}>
        {busy ? 'Saving…' : 'Record assessment'}
      </button>
    </form>
  );
}
