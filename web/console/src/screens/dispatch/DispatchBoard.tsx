import { Suspense, lazy, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { areasQuery, incidentTypesQuery, liveIncidentsQuery, mapBaseQuery, unitsQuery, type IncidentSummary, type Recommendation, type UnitView } from '../../api/dispatch.ts';
import { toUiError } from '../../api/errors.ts';
import { useServerNow } from '../../clock.ts';
import { ErrorSummary, Loading, PageHeading } from '../../components.tsx';
import { formatDateTime, humanize } from '../../format.ts';
import { Countdown } from './Countdown.tsx';
import { dispatchHref } from './dispatch-routes.ts';
import { INCIDENT_STATUS_LABELS, missedTargetsText } from './dispatch-text.ts';
import { byTimeLeft, clockOf } from './incident-clock.ts';
import { areaFeatures, incidentFeatures, recommendationLines, unitFeatures } from './map-data.ts';
import './dispatch.css';

const DispatchMap = lazy(() => import('./DispatchMap.tsx').then((module) => ({ default: module.DispatchMap })));

/** The sub-navigation shared by the dispatcher's screens; "New incident" only for those who may create one. */
export function DispatchNav({ current, canCreate }: { current: 'board' | 'units' | 'new' | null; canCreate: boolean }) {
  const links = [
    { key: 'board', href: dispatchHref({ name: 'board' }), label: 'Incident board' },
    { key: 'units', href: dispatchHref({ name: 'units' }), label: 'Unit board' },
    { key: 'new', href: dispatchHref({ name: 'newIncident', contactId: null }), label: 'New incident' },
  ] as const;
  return (
    <nav aria-label="Dispatch" className="dispatch-actions">
      {links.filter((link) => canCreate || link.key !== 'new').map((link) => (
        <a key={link.key} href={link.href} aria-current={current === link.key ? 'page' : undefined}>
          {link.label}
        </a>
      ))}
    </nav>
  );
}

/**
 * The map beside a list: all it needs to draw, from what the screen has already read. Loaded on
 * demand; the list beside it never waits for it.
 */
export function MapPanel({ incidents, units, focus, recommendation }: { incidents: readonly IncidentSummary[]; units: readonly UnitView[]; focus?: IncidentSummary | null; recommendation?: Recommendation | null }) {
  const areas = useQuery(areasQuery);
  const base = useQuery(mapBaseQuery);
  const now = useServerNow(5_000);
  const layers = useMemo(
    () => ({
      areas: areaFeatures(areas.data ?? []),
      incidents: incidentFeatures(incidents, now),
      units: unitFeatures(units),
      lines: recommendationLines(focus ?? null, recommendation, units),
    }),
    [areas.data, incidents, units, focus, recommendation, now],
  );
  if (!base.data) return base.isError ? <ErrorSummary error={toUiError(base.error)} focus={false} /> : <Loading what="the map" />;
  return (
    <section aria-labelledby="map-heading">
      <h2 id="map-heading" className="visually-hidden">
        Map
      </h2>
      <p className="visually-hidden">The map shows the same incidents and units as the lists.</p>
      <Suspense fallback={<Loading what="the map" />}>
        <DispatchMap base={base.data} layers={layers} />
      </Suspense>
    </section>
  );
}

export function DispatchBoardScreen({ canCreate }: { canCreate: boolean }) {
  const now = useServerNow(1_000);
  const incidents = useQuery(liveIncidentsQuery);
  // The force's own words for its incident types, as the incident screen shows them.
  const types = useQuery(incidentTypesQuery);
  const typeLabel = (code: string) => types.data?.find((type) => type.code === code)?.label ?? humanize(code);
  const units = useQuery(unitsQuery);
  const sorted = useMemo(() => byTimeLeft(incidents.data ?? [], now), [incidents.data, now]);

  return (
    <>
      <PageHeading title="Incident board">Incident board</PageHeading>
      <DispatchNav current="board" canCreate={canCreate} />
      <div className="dispatch-layout">
        <section aria-labelledby="incidents-heading">
          <h2 id="incidents-heading">Open incidents, least time left first</h2>
          {incidents.isError && <ErrorSummary error={toUiError(incidents.error)} focus={false} />}
          {incidents.isPending ? (
            <Loading what="incidents" />
          ) : sorted.length === 0 ? (
            <p>No open incidents.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="incident-board">
                <caption className="visually-hidden">Open incidents, least time left first</caption>
                <thead>
                  <tr>
                    <th scope="col">Incident</th>
                    <th scope="col">Time left</th>
                    <th scope="col">Grade</th>
                    <th scope="col">What and where</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((incident) => {
                    const clock = clockOf(incident);
                    const missed = missedTargetsText(incident.missedTargets);
                    return (
                      <tr key={incident.id} data-testid="incident-row" data-reference={incident.reference}>
                        <th scope="row">
                          <a href={dispatchHref({ name: 'incident', id: incident.id })}>{incident.reference}</a>
                        </th>
                        <td>
                          {clock ? <Countdown clock={clock} now={now} /> : <span>No clock</span>}
                          {missed && (
                            <>
                              <br />
                              <span className="hint" data-testid="missed-targets">
                                {missed}
                              </span>
                            </>
                          )}
                        </td>
                        <td>{incident.grade ? <span className={`grade-tag grade-tag--${incident.grade.code}`}>{incident.grade.label}</span> : 'Not graded'}</td>
                        <td>
                          {typeLabel(incident.type)}
                          {incident.summary && <>: {incident.summary}</>}
                          <br />
                          <span className="hint">
                            {incident.location.text ?? 'No address'}
                            {incident.location.district && ` · ${incident.location.district.name}`} · opened {formatDateTime(incident.createdAt)}
                          </span>
                        </td>
                        <td>{INCIDENT_STATUS_LABELS[incident.status]}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <MapPanel incidents={incidents.data ?? []} units={units.data ?? []} />
      </div>
    </>
  );
}
