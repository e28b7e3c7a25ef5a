// What the areas page reads and changes: a boundary file previewed and imported, an area renamed,
// set urban or rural, or removed (decision 0098). Every change refreshes the control room's areas,
// which the map, the units page and this list all read; each announces its success only once the
// list shows it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { dispatchKeys } from '../../api/dispatch.ts';
import { invalidateAndWait } from '../../api/query-client.ts';
import type { AreaChanges, AreaImportInput } from '../../api/types.ts';

export function usePreviewAreaImport() {
  return useMutation({ mutationFn: async (body: AreaImportInput) => read(api.POST('/api/areas/import/preview', { body })) });
}

export function useImportAreas() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: AreaImportInput) => read(api.POST('/api/areas/import', { body })),
    onSuccess: () => invalidateAndWait(queryClient, [dispatchKeys.areas]),
  });
}

export function useChangeArea() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ areaId, changes }: { areaId: string; changes: AreaChanges }) =>
      (await read(api.POST('/api/areas/{id}', { params: { path: { id: areaId } }, body: changes }))).area,
    onSuccess: () => invalidateAndWait(queryClient, [dispatchKeys.areas]),
  });
}

export function useRemoveArea() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (areaId: string) => read(api.POST('/api/areas/{id}/remove', { params: { path: { id: areaId } }, body: {} })),
    onSettled: () => invalidateAndWait(queryClient, [dispatchKeys.areas]),
  });
}
