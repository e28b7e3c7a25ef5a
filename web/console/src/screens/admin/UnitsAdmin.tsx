import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { areasQuery, type AreaView, type UnitView } from '../../api/dispatch.ts';
import { toUiError } from '../../api/errors.ts';
import { useServerNow } from '../../clock.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../../components.tsx';
import { formatDateTime, formatWaiting, humanize } from '../../format.ts';
import { UNIT_STATUS_LABELS } from '../dispatch/dispatch-text.ts';
import { AdminNav } from './AdminNav.tsx';
import { UnitForm } from './UnitForm.tsx';
import { UnitRetirement, useUnitRetirements } from './UnitRetirement.tsx';
import { allUnitsQuery } from './units-api.ts';

/** How long ago a unit's latest position was recorded, by the server's clock. */
function positionAge(position: UnitView['position'], now: number): string {
  if (!position) return 'No position';
  const age = formatWaiting(position.recordedAt, now);
  const ago = age === '0 min' ? 'Under a minute ago' : `${age} ago`;
  return position.isStale ? `${ago} (stale)` : ago;
}

function homeOf(unit: UnitView, areas: ReadonlyMap<string, AreaView>): string {
  const area = unit.homeAreaId ? areas.get(unit.homeAreaId)?.name : undefined;
  return [unit.homeStation, area].filter(Boolean).join(', ') || 'None';
}

const sortedCodes = (lists: readonly (readonly string[])[]) => [...new Set(lists.flat())].sort();

/**
 * The force's units, by call sign: type, capabilities, home, status and how old the latest
 * position is; retired units when asked for, marked so. Staff who manage units (`units:manage`)
 * add units, change a unit's type, capabilities and home, and retire one off duty or reinstate
 * one retired; others who see the control room read the list with no controls. A unit's status
 * otherwise moves in the control room, never here.
 */
export function UnitsAdminScreen({ canManage }: { canManage: boolean }) {
  const units = useQuery(allUnitsQuery);
  const retirements = useUnitRetirements();
  const [showRetired, setShowRetired] = useState(false);
  const areas = useQuery(areasQuery);
  const now = useServerNow(15_000);
  // What the form is open for: a new unit, one unit by its id, or nothing.
  const [editing, setEditing] = useState<{ unitId: string } | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const everyUnit = units.data;
  const retiredCount = (everyUnit ?? []).filter((u) => u.status === 'retired').length;
  const inService = everyUnit?.filter((u) => u.status !== 'retired');
  const list = showRetired ? everyUnit : inService;
  const areaById = new Map((areas.data ?? []).map((area) => [area.id, area]));
  const unit = editing !== null && editing !== 'new' ? (everyUnit?.find((u) => u.id === editing.unitId) ?? null) : null;

  const open = (which: { unitId: string } | 'new') => {
    setEditing(which);
    setNotice(null);
    retirements.cancel();
    window.setTimeout(() => focusById('h-unit-form'), 0);
  };
  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
    focusById('units-notice');
  };

  return (
    <>
      <PageHeading title="Units">Units</PageHeading>
      <AdminNav current="units" />
      <p>
        The force’s deployable units. Dispatchers are recommended units by their capabilities and position; a unit’s status changes in the control room as it
        works.
      </p>
      {!canManage && <p data-testid="units-read-only">You can see the force’s units here. Supervisors and force administrators add, change and retire them.</p>}
      <StatusMessage message={notice} id="units-notice" />
      {canManage && retirements.summary}
      {canManage && retirements.announcement}
      <ErrorSummary error={toUiError(units.error)} focus={false} />
      {!list && units.isPending && <Loading what="units" />}
      {list && canManage && editing !== null && (editing === 'new' || unit) && (
        <UnitForm
          key={editing === 'new' ? 'new' : editing.unitId}
          unit={editing === 'new' ? null : unit}
          areas={areas.data ?? []}
          knownTypes={sortedCodes((inService ?? []).map((u) => [u.type]))}
          knownCapabilities={sortedCodes((inService ?? []).map((u) => u.capabilities))}
          onDone={done}
          onCancel={() => setEditing(null)}
        />
      )}
      {list && canManage && editing === null && (
        <p>
          <button type="button" className="button" onClick={() => open('new')} data-testid="unit-add">
            Add a unit
          </button>
        </p>
      )}
      {retiredCount > 0 && (
        <div className="checkbox">
          <input id="units-show-retired" type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} />{' '}
          <label htmlFor="units-show-retired">Show retired units ({retiredCount})</label>
        </div>
      )}
      {list && list.length === 0 && <p className="empty">{retiredCount > 0 ? 'Every unit of the force is retired.' : 'The force has no units yet.'}</p>}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="units-table">
            <caption className="visually-hidden">The force’s units by call sign, with their type, capabilities, home, status and latest position</caption>
            <thead>
              <tr>
                <th scope="col">Call sign</th>
                <th scope="col">Type</th>
                <th scope="col">Capabilities</th>
                <th scope="col">Home</th>
                <th scope="col">Status</th>
                <th scope="col">Last position</th>
                {canManage && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id} data-testid="unit-row" data-call-sign={u.callSign} data-status={u.status}>
                  <th scope="row">{u.callSign}</th>
                  <td data-testid="unit-type">{humanize(u.type)}</td>
                  <td data-testid="unit-capabilities">{u.capabilities.length > 0 ? u.capabilities.map(humanize).join(', ') : 'None'}</td>
                  <td data-testid="unit-home">{homeOf(u, areaById)}</td>
                  <td data-testid="unit-status">
                    {u.status === 'retired' ? <span className="status">Retired</span> : UNIT_STATUS_LABELS[u.status]}
                    {u.statusReason && <> ({u.statusReason})</>}
                  </td>
                  <td data-testid="unit-position">
                    {u.position ? (
                      <time dateTime={u.position.recordedAt} title={formatDateTime(u.position.recordedAt)}>
                        {positionAge(u.position, now)}
                      </time>
                    ) : (
                      positionAge(null, now)
                    )}
                  </td>
                  {canManage && (
                    <td>
                      <div className="dispatch-actions">
                        {retirements.open?.unitId !== u.id && (
                          <button type="button" className="button button--small button--secondary" onClick={() => open({ unitId: u.id })} data-testid="unit-edit">
                            Change<span className="visually-hidden"> {u.callSign}</span>
                          </button>
                        )}
                        <UnitRetirement unit={u} retirements={retirements} />
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
