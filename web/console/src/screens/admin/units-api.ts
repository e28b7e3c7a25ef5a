// What the units page reads and changes: every unit, retired ones too; a unit added to the force's
// fleet, a unit's type, capabilities or home, a unit retired or reinstated. Its list sits under the
// control room's (`unitsQuery`) key, so a change refreshes the unit board, the map and the
// recommendation alike, and a unit's live message refreshes this list.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { POSITIONS_REFRESH_MS, dispatchKeys } from '../../api/dispatch.ts';
import { invalidate } from '../../api/query-client.ts';
import type { NewUnitInput, UnitChanges } from '../../api/types.ts';

/** A unit's capabilities decide which incidents it is recommended for. */
const afterUnitChange = [dispatchKeys.units, ['dispatch', 'recommendation']] as const;

/** Every unit of the force, retired ones too (decision 0086). */
export const allUnitsQuery = queryOptions({
  queryKey: [...dispatchKeys.units, 'all'],
  queryFn: async ({ signal }) => (await read(api.GET('/api/units', { params: { query: { which: 'all' } }, signal }))).units,
  refetchInterval: POSITIONS_REFRESH_MS,
});

export function useAddUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewUnitInput) => (await read(api.POST('/api/units', { body }))).unit,
    onSuccess: () => invalidate(queryClient, afterUnitChange),
  });
}

export function useChangeUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ unitId, changes }: { unitId: string; changes: UnitChanges }) =>
      (await read(api.POST('/api/units/{id}', { params: { path: { id: unitId } }, body: changes }))).unit,
    onSuccess: () => invalidate(queryClient, afterUnitChange),
  });
}

export function useRetireUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ unitId, reason }: { unitId: string; reason: string }) =>
      (await read(api.POST('/api/units/{id}/retire', { params: { path: { id: unitId } }, body: { reason } }))).unit,
    onSettled: () => invalidate(queryClient, afterUnitChange),
  });
}

export function useReinstateUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (unitId: string) => (await read(api.POST('/api/units/{id}/reinstate', { params: { path: { id: unitId } } }))).unit,
    onSettled: () => invalidate(queryClient, afterUnitChange),
  });
}
