// "Recommend" and dispatch: the ranked suitable units with their arrival times and reasons, why
// fewer fit, and one action to commit the chosen ones.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { recommendationQuery, useDispatchUnits, type IncidentView } from '../../api/dispatch.ts';
import { invalidFields, toUiError, type UiError } from '../../api/errors.ts';
import { ErrorSummary } from '../../components.tsx';
import { humanize } from '../../format.ts';
import { describeReason, describeRouting, describeShortfall, formatEta } from './dispatch-text.ts';

const ENDED = new Set(['resolved', 'closed', 'cancelled', 'resolved_without_deployment']);

export function RecommendPanel({ incident, canDispatch, onDispatched }: { incident: IncidentView; canDispatch: boolean; onDispatched: (message: string) => void }) {
  const recommendation = useQuery(recommendationQuery(incident.id));
  const dispatch = useDispatchUnits(incident.id);
  const [chosen, setChosen] = useState<string[]>([]);
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(dispatch.error) ?? toUiError(recommendation.error);
  if (ENDED.has(incident.status)) return null;

  const candidates = recommendation.data?.candidates ?? [];
  const toggle = (unitId: string, isOn: boolean) => setChosen((current) => (isOn ? [...current, unitId] : current.filter((id) => id !== unitId)));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (dispatch.isPending) return;
    const picked = chosen.filter((id) => candidates.some((candidate) => candidate.unitId === id));
    if (picked.length === 0) {
      setInvalid(invalidFields([{ path: 'unitIds', message: 'Choose at least one unit to dispatch' }]));
      return;
    }
    setInvalid(null);
    const signs = candidates.filter((candidate) => picked.includes(candidate.unitId)).map((candidate) => candidate.callSign);
    dispatch.mutate(picked, {
      onSuccess: () => {
        setChosen([]);
        onDispatched(`Dispatched ${signs.join(', ')} to ${incident.reference}.`);
      },
    });
  }

  return (
    <section aria-labelledby="recommend-heading" data-testid="recommend-panel">
      <h2 id="recommend-heading">{canDispatch ? 'Recommend and dispatch' : 'Recommended units'}</h2>
      <button
        type="button"
        className="button button--secondary"
        data-testid="recommend"
        aria-disabled={recommendation.isFetching}
        onClick={() => {
          if (recommendation.isFetching) return;
          setInvalid(null);
          void recommendation.refetch();
        }}
      >
        {recommendation.isFetching ? 'Recommending…' : recommendation.data ? 'Recommend again' : 'Recommend'}
      </button>
      <ErrorSummary error={error} fieldIds={{ unitIds: 'recommended-units' }} />
      {recommendation.data && (
        <form onSubmit={submit} noValidate>
          <p className="hint" data-testid="routing-method">
            {describeRouting(recommendation.data.method, recommendation.data.routing)}
          </p>
          {candidates.length > 0 ? (
            <fieldset className="fieldset" id="recommended-units" tabIndex={-1}>
              <legend>Suitable units, nearest in time first</legend>
              <ol className="recommendation-list" data-testid="recommendation">
                {candidates.map((candidate, index) => {
                  const id = `recommended-${candidate.unitId}`;
                  const text = (
                    <>
                      <strong>
                        {index + 1}. {candidate.callSign}
                      </strong>{' '}
                      ({humanize(candidate.type).toLowerCase()}), {formatEta(candidate.etaSeconds)}
                    </>
                  );
                  return (
                    <li key={candidate.unitId} data-testid="candidate" data-call-sign={candidate.callSign}>
                      {canDispatch ? (
                        <>
                          <input id={id} type="checkbox" checked={chosen.includes(candidate.unitId)} onChange={(e) => toggle(candidate.unitId, e.target.checked)} />{' '}
                          <label htmlFor={id}>{text}</label>
                        </>
                      ) : (
                        text
                      )}
                      <ul className="hint">
                        {candidate.reasons.map((reason, n) => (
                          <li key={n}>{describeReason(reason)}</li>
                        ))}
                      </ul>
                    </li>
                  );
                })}
              </ol>
            </fieldset>
          ) : (
            <p data-testid="no-candidates">No unit can be recommended.</p>
          )}
          {recommendation.data.shortfalls.length > 0 && (
            <>
              <h3>Why not more units</h3>
              <ul data-testid="shortfalls">
                {recommendation.data.shortfalls.map((shortfall) => (
                  <li key={shortfall.code}>{describeShortfall(shortfall)}</li>
                ))}
              </ul>
            </>
          )}
          {canDispatch && candidates.length > 0 && (
            <button type="submit" className="button" data-testid="dispatch" aria-disabled={dispatch.isPending}>
              {dispatch.isPending ? 'Dispatching…' : 'Dispatch chosen units'}
            </button>
          )}
        </form>
      )}
    </section>
  );
}
