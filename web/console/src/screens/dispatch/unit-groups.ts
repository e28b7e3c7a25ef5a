// The unit board's grouping: by home area (by name; units with none last), then by status in the
// order a dispatcher looks for them, the ones that can be sent first.
import type { AreaView, UnitStatus, UnitView } from '../../api/dispatch.ts';
import { UNIT_STATUS_ORDER } from './dispatch-text.ts';

export type UnitGroup = { areaId: string | null; areaName: string; byStatus: { status: UnitStatus; units: UnitView[] }[]; total: number };

export function groupUnits(units: readonly UnitView[], areas: readonly AreaView[]): UnitGroup[] {
  const names = new Map(areas.map((area) => [area.id, area.name]));
  const groups = new Map<string | null, UnitView[]>();
  for (const unit of units) {
    const key = unit.homeAreaId && names.has(unit.homeAreaId) ? unit.homeAreaId : null;
    groups.set(key, [...(groups.get(key) ?? []), unit]);
  }
  return [...groups.entries()]
    .map(([areaId, members]) => ({
      areaId,
      areaName: areaId ? (names.get(areaId) ?? 'No home area') : 'No home area',
      total: members.length,
      byStatus: UNIT_STATUS_ORDER.map((status) => ({
        status,
        units: members.filter((unit) => unit.status === status).sort((a, b) => a.callSign.localeCompare(b.callSign)),
      })).filter((group) => group.units.length > 0),
    }))
    .sort((a, b) => (a.areaId === null ? 1 : b.areaId === null ? -1 : a.areaName.localeCompare(b.areaName)));
}
