// What the units page changes: a unit added to the force's fleet, and a unit's type, capabilities
// or home. The list itself is the control room's (`unitsQuery`), so a change shows on the unit
// board, the map and the recommendation alike.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { dispatchKeys } from '../../api/dispatch.ts';
import { invalidate } from '../../api/query-client.ts';
import type { NewUnitInput, UnitChanges } from '../../api/types.ts';

/** A unit's capabilities decide which incidents it is recommended for. */
const afterUnitChange = [dispatchKeys.units, ['dispatch', 'recommendation']] as const;

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
