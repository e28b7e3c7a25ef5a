// What the dispatcher's screens read and do, as TanStack Query options and mutations through the
// typed client, with their own query keys (the control room's records change together: a dispatch
// moves an incident and its units, so every mutation here refreshes the lot).
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from './client.ts';
import { invalidate } from './query-client.ts';
import type { components, paths } from './schema.ts';

type Schemas = components['schemas'];
type PostBody<P extends keyof paths> = paths[P] extends { post: { requestBody: { content: { 'application/json': infer B } } } } ? NonNullable<B> : never;

export type IncidentSummary = Schemas['IncidentSummary'];
export type IncidentView = Schemas['Incident'];
export type IncidentGrade = NonNullable<IncidentSummary['grade']>['code'];
export type IncidentStatus = IncidentSummary['status'];
export type UnitView = Schemas['Unit'];
export type UnitStatus = UnitView['status'];
export type Recommendation = Schemas['Recommendation'];
export type RecommendedUnit = Recommendation['candidates'][number];
export type RecommendationReason = RecommendedUnit['reasons'][number];
export type Shortfall = Recommendation['shortfalls'][number];
export type AreaView = Schemas['Area'];
export type MapBase = Schemas['MapBase'];
export type CreateIncidentInput = PostBody<'/api/incidents'>;
export type UnitMove = PostBody<'/api/units/{id}/status'>['status'];

export const dispatchKeys = {
  all: ['dispatch'],
  incidents: ['dispatch', 'incidents'],
  incident: (id: string) => ['dispatch', 'incidents', id] as const,
  recommendation: (id: string) => ['dispatch', 'recommendation', id] as const,
  units: ['dispatch', 'units'],
  areas: ['dispatch', 'areas'],
  mapBase: ['dispatch', 'map-base'],
} as const;

/** Units move every few seconds and incidents change from other desks: the board refreshes on its own. */
export const BOARD_REFRESH_MS = 5000;

export const liveIncidentsQuery = queryOptions({
  queryKey: dispatchKeys.incidents,
  queryFn: async ({ signal }) => (await read(api.GET('/api/incidents', { params: { query: { which: 'live' } }, signal }))).incidents,
  refetchInterval: BOARD_REFRESH_MS,
});

export function incidentQuery(id: string) {
  return queryOptions({
    queryKey: dispatchKeys.incident(id),
    queryFn: async ({ signal }) => (await read(api.GET('/api/incidents/{id}', { params: { path: { id } }, signal }))).incident,
    refetchInterval: BOARD_REFRESH_MS,
  });
}

/** Asked for by the dispatcher (refetch), never on its own: units move, so each answer is of its moment. */
export function recommendationQuery(id: string) {
  return queryOptions({
    queryKey: dispatchKeys.recommendation(id),
    queryFn: ({ signal }) => read(api.GET('/api/incidents/{id}/recommendation', { params: { path: { id }, query: { limit: 5 } }, signal })),
    enabled: false,
    retry: false,
  });
}

export const unitsQuery = queryOptions({
  queryKey: dispatchKeys.units,
  queryFn: async ({ signal }) => (await read(api.GET('/api/units', { signal }))).units,
  refetchInterval: BOARD_REFRESH_MS,
});

/** Areas are drawn by admins, rarely. */
export const areasQuery = queryOptions({
  queryKey: dispatchKeys.areas,
  queryFn: async ({ signal }) => (await read(api.GET('/api/areas', { signal }))).areas,
  staleTime: 5 * 60_000,
});

export const mapBaseQuery = queryOptions({
  queryKey: dispatchKeys.mapBase,
  queryFn: ({ signal }) => read(api.GET('/api/map', { signal })),
  staleTime: Number.POSITIVE_INFINITY,
});

/** Every incident (the list and each one) and every unit: one move changes them together. */
const afterChange = [dispatchKeys.incidents, dispatchKeys.units] as const;

export function useCreateIncident() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateIncidentInput) => (await read(api.POST('/api/incidents', { body }))).incident,
    onSuccess: () => invalidate(queryClient, [dispatchKeys.incidents, ['contacts']]),
  });
}

export function useAddIncidentNote(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: string) => (await read(api.POST('/api/incidents/{id}/notes', { params: { path: { id: incidentId } }, body: { body } }))).incident,
    onSuccess: (incident) => queryClient.setQueryData(dispatchKeys.incident(incidentId), incident),
  });
}

export function useDispatchUnits(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (unitIds: string[]) => (await read(api.POST('/api/incidents/{id}/dispatch', { params: { path: { id: incidentId } }, body: { unitIds } }))).incident,
    // A refusal (a unit taken meanwhile) refreshes too, so the screen shows who has it.
    onSettled: () => {
      queryClient.removeQueries({ queryKey: dispatchKeys.recommendation(incidentId) });
      invalidate(queryClient, afterChange);
    },
  });
}

export function useMoveUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { unitId: string; status: UnitMove }) =>
      (await read(api.POST('/api/units/{id}/status', { params: { path: { id: input.unitId } }, body: { status: input.status } }))).unit,
    onSettled: () => invalidate(queryClient, afterChange),
  });
}
