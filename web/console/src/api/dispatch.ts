// What the dispatcher's screens read and do, as TanStack Query options and mutations through the
// typed client, with their own query keys (the control room's records change together: a dispatch
// moves an incident and its units, so every mutation here refreshes the lot).
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from './client.ts';
import { invalidate } from './query-client.ts';
import { queryKeys } from './query-keys.ts';
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

export const dispatchKeys = queryKeys.dispatch;

/**
 * Units' positions are not events, so nothing live says a unit moved: the units (and the map drawn
 * from them) are read again this often. Everything that is an event (an incident created, graded,
 * dispatched, warned, breached; a unit's status) arrives live and refetches at once (live-sync.ts).
 */
export const POSITIONS_REFRESH_MS = 5000;

/** Refreshed by live messages (`incidents.changed`), and after a reconnection by `resync`. */
export const liveIncidentsQuery = queryOptions({
  queryKey: dispatchKeys.incidents,
  queryFn: async ({ signal }) => (await read(api.GET('/api/incidents', { params: { query: { which: 'live' } }, signal }))).incidents,
});

export function incidentQuery(id: string) {
  return queryOptions({
    queryKey: dispatchKeys.incident(id),
    queryFn: async ({ signal }) => (await read(api.GET('/api/incidents/{id}', { params: { path: { id } }, signal }))).incident,
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
  refetchInterval: POSITIONS_REFRESH_MS,
});

/** The force's reasons for a missed target, in its order (retired ones are kept for old breaches). */
export const breachReasonsQuery = queryOptions({
  queryKey: dispatchKeys.breachReasons,
  queryFn: async ({ signal }) => (await read(api.GET('/api/breach-reasons', { signal }))).entries,
  staleTime: 5 * 60_000,
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

export type BreachReasonInput = PostBody<'/api/incidents/{id}/clocks/{clockId}/breach-reason'>;

export function useRecordBreachReason(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { clockId: string; body: BreachReasonInput }) =>
      (await read(api.POST('/api/incidents/{id}/clocks/{clockId}/breach-reason', { params: { path: { id: incidentId, clockId: input.clockId } }, body: input.body }))).incident,
    onSuccess: (incident) => {
      queryClient.setQueryData(dispatchKeys.incident(incidentId), incident);
      // Recording the reason closes the supervisors' alert.
      invalidate(queryClient, [dispatchKeys.incidents, queryKeys.alerts]);
    },
  });
}

/** Moves a unit's status; booking it unavailable takes the reason. A refusal (moved meanwhile) refreshes too. */
export function useMoveUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { unitId: string; status: UnitMove; reason?: string }) =>
      (await read(api.POST('/api/units/{id}/status', { params: { path: { id: input.unitId } }, body: { status: input.status, ...(input.reason !== undefined ? { reason: input.reason } : {}) } }))).unit,
    onSettled: () => invalidate(queryClient, afterChange),
  });
}

type PutBody<P extends keyof paths> = paths[P] extends { put: { requestBody: { content: { 'application/json': infer B } } } } ? NonNullable<B> : never;
export type IncidentStatusInput = PostBody<'/api/incidents/{id}/status'>;
export type IncidentLocationInput = PutBody<'/api/incidents/{id}/location'>;
export type IncidentRegradeInput = PostBody<'/api/incidents/{id}/grade'>;
type PatchBody<P extends keyof paths> = paths[P] extends { patch: { requestBody: { content: { 'application/json': infer B } } } } ? NonNullable<B> : never;
export type IncidentUpdateInput = PatchBody<'/api/incidents/{id}'>;

/** The force's incident types (opening codes) under the national categories, retired ones marked. */
export const incidentTypesQuery = queryOptions({
  queryKey: dispatchKeys.incidentTypes,
  queryFn: async ({ signal }) => (await read(api.GET('/api/incident-types', { signal }))).entries,
  staleTime: 5 * 60_000,
});

/** The force's closing codes, retired ones marked; they change rarely. */
export const closingCodesQuery = queryOptions({
  queryKey: dispatchKeys.closingCodes,
  queryFn: async ({ signal }) => (await read(api.GET('/api/closing-codes', { signal }))).entries,
  staleTime: 5 * 60_000,
});

/** Resolves, closes, cancels or resolves without deployment; units still committed clear, so units refresh too. */
export function useMoveIncident(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: IncidentStatusInput) => (await read(api.POST('/api/incidents/{id}/status', { params: { path: { id: incidentId } }, body }))).incident,
    // The screen shows the answer at once; a refusal (moved meanwhile) refreshes it as well.
    onSuccess: (incident) => queryClient.setQueryData(dispatchKeys.incident(incidentId), incident),
    onSettled: () => invalidate(queryClient, afterChange),
  });
}

/** Grades or regrades the incident; its countdown is recomputed, so the board refreshes. */
export function useRegradeIncident(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: IncidentRegradeInput) => (await read(api.POST('/api/incidents/{id}/grade', { params: { path: { id: incidentId } }, body }))).incident,
    onSuccess: (incident) => {
      queryClient.setQueryData(dispatchKeys.incident(incidentId), incident);
      invalidate(queryClient, [dispatchKeys.incidents]);
    },
  });
}

/** Sets where the incident is; a recommendation made before it is of the old place, so it goes. */
export function useSetIncidentLocation(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: IncidentLocationInput) => (await read(api.PUT('/api/incidents/{id}/location', { params: { path: { id: incidentId } }, body }))).incident,
    onSuccess: (incident) => {
      queryClient.setQueryData(dispatchKeys.incident(incidentId), incident);
      queryClient.removeQueries({ queryKey: dispatchKeys.recommendation(incidentId) });
      invalidate(queryClient, [dispatchKeys.incidents]);
    },
  });
}

/** Corrects the type, summary or capabilities needed; a recommendation made before may no longer fit, so it goes. */
export function useUpdateIncident(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: IncidentUpdateInput) => (await read(api.PATCH('/api/incidents/{id}', { params: { path: { id: incidentId } }, body }))).incident,
    onSuccess: (incident) => {
      queryClient.setQueryData(dispatchKeys.incident(incidentId), incident);
      queryClient.removeQueries({ queryKey: dispatchKeys.recommendation(incidentId) });
      invalidate(queryClient, [dispatchKeys.incidents]);
    },
  });
}

export type NearbyIncident = Schemas['NearbyIncident'];

/** How far the merge screen looks for live incidents of the same type: a duplicate is about the same place. */
export const MERGE_SEARCH_RADIUS_KM = 2;

/** Live incidents of the same type near an incident's position (itself included; the screen leaves it out). */
export function nearbyIncidentsQuery(place: { lat: number; lon: number; type: string }) {
  return queryOptions({
    queryKey: [...dispatchKeys.incidents, 'nearby', place] as const,
    queryFn: async ({ signal }) =>
      (await read(api.GET('/api/incidents/nearby', { params: { query: { lat: place.lat, lon: place.lon, type: place.type, radiusKm: MERGE_SEARCH_RADIUS_KM } }, signal }))).incidents,
  });
}

/**
 * Merges this incident, a duplicate, into another: it is cancelled as merged and its contacts move
 * there, so both incidents, the board and those contacts' screens change.
 */
export function useMergeIncident(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (intoIncidentId: string) => (await read(api.POST('/api/incidents/{id}/merge', { params: { path: { id: incidentId } }, body: { intoIncidentId } }))).incident,
    onSuccess: (kept) => queryClient.setQueryData(dispatchKeys.incident(kept.id), kept),
    // A refusal (a unit still committed, the other incident resolved meanwhile) refreshes them too.
    onSettled: () => invalidate(queryClient, [dispatchKeys.incidents, queryKeys.contacts.details]),
  });
}

/** Unlinks a contact linked by mistake, with the reason; the link stays on record. */
export function useUnlinkContact(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { contactId: string; reason: string }) =>
      (await read(api.POST('/api/incidents/{id}/contacts/{contactId}/unlink', { params: { path: { id: incidentId, contactId: input.contactId } }, body: { reason: input.reason } }))).incident,
    onSuccess: (incident, input) => {
      queryClient.setQueryData(dispatchKeys.incident(incidentId), incident);
      invalidate(queryClient, [dispatchKeys.incidents, queryKeys.contacts.detail(input.contactId)]);
    },
  });
}

/** Links a contact to a live incident about the same event (from the contact's screen). */
export function useLinkContact(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (incidentId: string) => (await read(api.POST('/api/incidents/{id}/contacts', { params: { path: { id: incidentId } }, body: { contactId } }))).incident,
    onSettled: () => invalidate(queryClient, [dispatchKeys.incidents, queryKeys.contacts.detail(contactId)]),
  });
}
