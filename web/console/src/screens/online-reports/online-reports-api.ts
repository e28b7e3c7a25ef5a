// What the online-report queue reads and changes, through the typed client. Its query keys are
// its own (under 'online-reports'), so invalidating them touches nothing else.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import type { components } from '../../api/schema.ts';

export type OnlineReport = components['schemas']['OnlineReport'];

const keys = {
  all: ['online-reports'] as const,
  queue: (which: 'open' | 'all') => ['online-reports', 'queue', which] as const,
  dashboard: ['online-reports', 'dashboard'] as const,
  crimeTypes: ['online-reports', 'crime-types'] as const,
};

export function onlineReportQueueQuery(which: 'open' | 'all') {
  return queryOptions({
    queryKey: keys.queue(which),
    queryFn: async ({ signal }) => (await read(api.GET('/api/online-reports/queue', { params: { query: { which } }, signal }))).reports,
    // The clocks move on: read again every minute.
    refetchInterval: 60_000,
  });
}

export const onlineReportDashboardQuery = queryOptions({
  queryKey: keys.dashboard,
  queryFn: async ({ signal }) => read(api.GET('/api/online-reports/dashboard', { signal })),
  refetchInterval: 60_000,
});

export const crimeTypesQuery = queryOptions({
  queryKey: keys.crimeTypes,
  queryFn: async ({ signal }) => (await read(api.GET('/api/cases/catalogues', { signal }))).crimeTypes,
  staleTime: 10 * 60_000,
});

export function useProcessOnlineReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, summary }: { contactId: string; summary?: string }) =>
      read(api.POST('/api/online-reports/{id}/process', { params: { path: { id: contactId } }, body: summary ? { summary } : {} })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useClassifyOnlineReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, crimeType }: { contactId: string; crimeType: string }) =>
      read(api.POST('/api/online-reports/{id}/classify', { params: { path: { id: contactId } }, body: { crimeType } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}
