import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { areasQuery, liveIncidentsQuery, unitsQuery } from '../../api/dispatch.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, Loading, PageHeading } from '../../components.tsx';
import { humanize } from '../../format.ts';
import { DispatchNav, MapPanel } from './DispatchBoard.tsx';
import { dispatchHref } from './dispatch-routes.ts';
import { UNIT_STATUS_LABELS } from './dispatch-text.ts';
import { groupUnits } from './unit-groups.ts';
import { UnitAvailability, useUnitBookings } from './UnitAvailability.tsx';

/** The force's units by home area and status; those who may move units (`dispatch:act`) book their availability here. */
export function UnitBoardScreen({ canCreate, canMove }: { canCreate: boolean; canMove: boolean }) {
  const units = useQuery(unitsQuery);
  const areas = useQuery(areasQuery);
  const incidents = useQuery(liveIncidentsQuery);
  const groups = useMemo(() => groupUnits(units.data ?? [], areas.data ?? []), [units.data, areas.data]);
  const references = new Map((incidents.data ?? []).map((incident) => [incident.id, incident.reference]));
  const bookings = useUnitBookings();

  return (
    <>
      <PageHeading title="Unit board">Unit board</PageHeading>
      <DispatchNav current="units" canCreate={canCreate} />
      {units.isError && <ErrorSummary error={toUiError(units.error)} focus={false} />}
      {canMove && bookings.summary}
      {canMove && bookings.announcement}
      <div className="dispatch-layout">
        {units.isPending ? (
          <Loading what="units" />
        ) : (
          <div className="unit-groups" data-testid="unit-board">
            {groups.map((group) => (
              <section key={group.areaId ?? 'none'} aria-labelledby={`area-${group.areaId ?? 'none'}`} data-testid="unit-area" data-area={group.areaName}>
                <h2 id={`area-${group.areaId ?? 'none'}`}>
                  {group.areaName} <span className="hint">({group.total} units)</span>
                </h2>
                {group.byStatus.map(({ status, units: members }) => (
                  <div key={status}>
                    <h3>
                      {UNIT_STATUS_LABELS[status]} ({members.length})
                    </h3>
                    <ul>
                      {members.map((unit) => {
                        const reference = unit.incidentId ? references.get(unit.incidentId) : undefined;
                        return (
                          <li key={unit.id} data-testid="unit" data-call-sign={unit.callSign}>
                            <strong>{unit.callSign}</strong> {humanize(unit.type).toLowerCase()}
                            {unit.incidentId && (
                              <>
                                {' '}
                                at <a href={dispatchHref({ name: 'incident', id: unit.incidentId })}>{reference ?? 'its incident'}</a>
                              </>
                            )}
                            {unit.statusReason && <span data-testid="unit-reason"> ({unit.statusReason})</span>}
                            {!unit.position ? <span className="hint"> · no position</span> : unit.position.isStale ? <span className="hint"> · position stale</span> : null}
                            {canMove && <UnitAvailability unit={unit} bookings={bookings} />}
                          </li>
                        );
                      })}
                    </ul>
                  </div>
                ))}
              </section>
            ))}
          </div>
        )}
        <MapPanel incidents={incidents.data ?? []} units={units.data ?? []} />
      </div>
    </>
  );
}
