// What the investigator's screens read and do, as TanStack Query options and mutations through the
// typed client, with their own query keys: a milestone changes the case, its lists, its
// appointments and (through journeys) its messages, so every mutation refreshes the lot.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from './client.ts';
import { invalidate } from './query-client.ts';
import type { components, paths } from './schema.ts';

type Schemas = components['schemas'];
type PostBody<P extends keyof paths> = paths[P] extends { post: { requestBody: { content: { 'application/json': infer B } } } } ? NonNullable<B> : never;
type GetOk<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer R } } } } } ? R : never;

export type CaseWhich = 'mine' | 'open' | 'all';
export type CaseSummary = GetOk<'/api/cases'>['cases'][number];
export type CaseView = GetOk<'/api/cases/{id}'>['case'];
export type CaseStatus = CaseSummary['status'];
export type SuspectStage = CaseSummary['suspect'];
export type CasePerson = CaseView['people'][number];
export type CaseTimelineEntry = CaseView['timeline'][number];
export type CaseCatalogues = GetOk<'/api/cases/catalogues'>;
export type CaseMessage = Schemas['CaseMessage'];
export type CaseAppointment = Schemas['CaseAppointment'];
export type VictimUpdate = Schemas['VictimUpdate'];
export type ConversationThread = Schemas['CaseConversationThread'];
export type NewCaseInput = PostBody<'/api/cases'>;
export type MilestoneInput = PostBody<'/api/cases/{id}/milestones'>;
export type MilestoneType = MilestoneInput['type'];
export type NewCasePersonInput = PostBody<'/api/cases/{id}/people'>;
export type CasePersonChange = NonNullable<paths['/api/cases/{id}/people/{casePersonId}']['patch']['requestBody']>['content']['application/json'];
export type VictimPreferences = GetOk<'/api/cases/{id}/victims/{victimId}/preferences'>['preferences'];
export type VictimPreferencesInput = NonNullable<paths['/api/cases/{id}/victims/{victimId}/preferences']['put']['requestBody']>['content']['application/json'];

export const caseKeys = {
  all: ['cases'],
  lists: ['cases', 'list'],
  list: (which: CaseWhich) => ['cases', 'list', which] as const,
  catalogues: ['cases', 'catalogues'],
  detail: (id: string) => ['cases', 'detail', id] as const,
  messages: (id: string) => ['cases', 'messages', id] as const,
  appointments: (id: string) => ['cases', 'appointments', id] as const,
  conversation: (id: string) => ['cases', 'conversation', id] as const,
  preferences: (id: string, victimId: string) => ['cases', 'preferences', id, victimId] as const,
  victimUpdates: ['victim-updates'],
} as const;

export function caseListQuery(which: CaseWhich) {
  return queryOptions({
    queryKey: caseKeys.list(which),
    queryFn: async ({ signal }) => (await read(api.GET('/api/cases', { params: { query: { which } }, signal }))).cases,
  });
}

/** Crime and outcome types: force settings, so they change rarely. */
export const caseCataloguesQuery = queryOptions({
  queryKey: caseKeys.catalogues,
  queryFn: ({ signal }) => read(api.GET('/api/cases/catalogues', { signal })),
  staleTime: 5 * 60_000,
});

export function caseQuery(id: string) {
  return queryOptions({
    queryKey: caseKeys.detail(id),
    queryFn: async ({ signal }) => (await read(api.GET('/api/cases/{id}', { params: { path: { id } }, signal }))).case,
  });
}

/** Deliveries change on their own (sent, delivered, failed): the table refreshes while open. */
export function caseMessagesQuery(id: string) {
  return queryOptions({
    queryKey: caseKeys.messages(id),
    queryFn: async ({ signal }) => (await read(api.GET('/api/cases/{id}/messages', { params: { path: { id } }, signal }))).messages,
    refetchInterval: 30_000,
  });
}

/**
 * One case's Victims' Code updates, given or not. Under the updates' prefix, so the live message
 * case.victim_updates_changed (api/live-sync.ts) and an update recorded anywhere refetch it.
 */
export function caseVictimUpdatesQuery(id: string) {
  return queryOptions({
    queryKey: [...caseKeys.victimUpdates, 'case', id] as const,
    queryFn: async ({ signal }) => (await read(api.GET('/api/cases/{id}/victim-updates', { params: { path: { id } }, signal }))).updates,
  });
}

export function caseAppointmentsQuery(id: string) {
  return queryOptions({
    queryKey: caseKeys.appointments(id),
    queryFn: async ({ signal }) => (await read(api.GET('/api/cases/{id}/appointments', { params: { path: { id } }, signal }))).appointments,
  });
}

export function useRecordCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewCaseInput) => (await read(api.POST('/api/cases', { body }))).case,
    onSuccess: (created) => {
      queryClient.setQueryData(caseKeys.detail(created.id), created);
      invalidate(queryClient, [caseKeys.lists]);
    },
  });
}

export function useRecordMilestone(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: MilestoneInput) => (await read(api.POST('/api/cases/{id}/milestones', { params: { path: { id: caseId } }, body }))).case,
    onSuccess: (updated) => queryClient.setQueryData(caseKeys.detail(caseId), updated),
    // A refusal refreshes too: someone else may have moved the case meanwhile.
    onSettled: () => invalidate(queryClient, [caseKeys.detail(caseId), caseKeys.lists, caseKeys.appointments(caseId), caseKeys.messages(caseId)]),
  });
}

/** A victim's message arrives without a live message to the case: the conversation refreshes while open. */
export function caseConversationQuery(id: string) {
  return queryOptions({
    queryKey: caseKeys.conversation(id),
    queryFn: async ({ signal }) => (await read(api.GET('/api/cases/{id}/conversation', { params: { path: { id } }, signal }))).threads,
    refetchInterval: 30_000,
  });
}

export function useReplyToVictim(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { contactId: string; body: string; submissionId: string }) => read(api.POST('/api/cases/{id}/conversation/replies', { params: { path: { id: caseId } }, body })),
    onSettled: () => invalidate(queryClient, [caseKeys.conversation(caseId), caseKeys.messages(caseId)]),
  });
}

/** A change to the case's people shows on the case, its Victims' Code clocks and its messages. */
function useCasePeopleMutation<I>(caseId: string, run: (input: I) => Promise<CaseView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (updated) => queryClient.setQueryData(caseKeys.detail(caseId), updated),
    onSettled: () => invalidate(queryClient, [caseKeys.detail(caseId), caseKeys.messages(caseId), caseKeys.victimUpdates]),
  });
}

export function useAddCasePerson(caseId: string) {
  return useCasePeopleMutation(caseId, async (body: NewCasePersonInput) => (await read(api.POST('/api/cases/{id}/people', { params: { path: { id: caseId } }, body }))).case);
}

/** Changes a victim's details; a change of enhanced rights re-times their Victims' Code updates not yet given. */
export function useChangeCasePerson(caseId: string) {
  return useCasePeopleMutation(
    caseId,
    async ({ casePersonId, ...body }: CasePersonChange & { casePersonId: string }) =>
      (await read(api.PATCH('/api/cases/{id}/people/{casePersonId}', { params: { path: { id: caseId, casePersonId } }, body }))).case,
  );
}

export function useRemoveCasePerson(caseId: string) {
  return useCasePeopleMutation(caseId, async (casePersonId: string) => (await read(api.DELETE('/api/cases/{id}/people/{casePersonId}', { params: { path: { id: caseId, casePersonId } } }))).case);
}

export function victimPreferencesQuery(caseId: string, victimId: string) {
  return queryOptions({
    queryKey: caseKeys.preferences(caseId, victimId),
    queryFn: async ({ signal }) => (await read(api.GET('/api/cases/{id}/victims/{victimId}/preferences', { params: { path: { id: caseId, victimId } }, signal }))).preferences,
  });
}

export function useSetVictimPreferences(caseId: string, victimId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: VictimPreferencesInput) => (await read(api.PUT('/api/cases/{id}/victims/{victimId}/preferences', { params: { path: { id: caseId, victimId } }, body }))).preferences,
    onSuccess: (saved) => queryClient.setQueryData(caseKeys.preferences(caseId, victimId), saved),
  });
}
