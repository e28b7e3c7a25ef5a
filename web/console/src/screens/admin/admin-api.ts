// What the force admin's screens read and change: queues and their SLA targets, channel accounts (connected, renamed, disabled),
// message templates, force settings, and staff accounts (added, given a role, skills and capacity);
// and the numbers not to be texted: those that replied STOP, and those staff recorded or lift.
// Each mutation invalidates what its change shows up in and does not wait for the refetch.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { isChangedSinceRead } from '../../api/errors.ts';
import { invalidate } from '../../api/query-client.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { dispatchKeys } from '../../api/dispatch.ts';
import { caseKeys } from '../../api/cases.ts';
import type { CapacityClass, ChannelConnectInput, ChannelReconnectInput, ForceSettingsInput, NewStaffInput, QueueRuleInput, QueueTargets, ResponseChannel, SkillName, StaffRoleName, TemplateLocale } from '../../api/types.ts';

export const queuesQuery = queryOptions({
  queryKey: queryKeys.admin.queues,
  queryFn: ({ signal }) => read(api.GET('/api/queues', { signal })),
});

/** The targets by channel and the version of the force's targets, which a change is made from (decision 0084). */
export const channelTargetsQuery = queryOptions({
  queryKey: queryKeys.admin.channelTargets,
  queryFn: ({ signal }) => read(api.GET('/api/channel-sla-targets', { signal })),
});

export const channelAccountsQuery = queryOptions({
  queryKey: queryKeys.admin.channels,
  queryFn: async ({ signal }) => (await read(api.GET('/api/channels', { signal }))).accounts,
});

/**
 * The health of the mailbox an email account reads, as its poller last stored it (decision 0175):
 * null when none is stored. Read again each minute, as the poller writes a healthy mailbox's at most that often.
 */
export const channelMailboxQuery = (accountId: string) =>
  queryOptions({
    queryKey: queryKeys.admin.channelMailbox(accountId),
    queryFn: async ({ signal }) => read(api.GET('/api/channels/{id}/mailbox', { params: { path: { id: accountId } }, signal })),
    refetchInterval: 60_000,
  });

/** The channels an account can be connected for, each with its connect form: it changes only with the server. */
export const channelKindsQuery = queryOptions({
  queryKey: queryKeys.admin.channelKinds,
  queryFn: async ({ signal }) => (await read(api.GET('/api/channels/kinds', { signal }))).channels,
  staleTime: Infinity,
});

export const templatesQuery = queryOptions({
  queryKey: queryKeys.admin.templates,
  queryFn: ({ signal }) => read(api.GET('/api/templates', { signal })),
});

export const forceSettingsQuery = queryOptions({
  queryKey: queryKeys.admin.settings,
  queryFn: async ({ signal }) => (await read(api.GET('/api/force/settings', { signal }))).settings,
});

/** The numbers that replied STOP, a page at a time, newest first; or whether one number did. */
export function smsOptOutsQuery(params: { number?: string; offset: number; limit: number }) {
  const { limit, ...key } = params;
  return queryOptions({
    queryKey: queryKeys.admin.smsOptOuts(key),
    queryFn: ({ signal }) => read(api.GET('/api/sms-opt-outs', { params: { query: { ...key, limit } }, signal })),
  });
}

/**
 * Records by hand that a number is not to be texted, or lifts one staff recorded (decision 0071).
 * Every page of the list may change, and so may the marker on a case's victim or a contact's person.
 */
export function useChangeSmsOptOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { change: 'record' | 'lift'; number: string; reason: string }) => {
      const body = { number: input.number, reason: input.reason };
      if (input.change === 'record') return { change: input.change, phoneNumber: (await read(api.POST('/api/sms-opt-outs', { body }))).phoneNumber };
      return { change: input.change, phoneNumber: (await read(api.POST('/api/sms-opt-outs/lift', { body }))).phoneNumber };
    },
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.smsOptOutsAll, queryKeys.contacts.details, caseKeys.all]),
  });
}

/** Targets per priority, as the server takes them. */
export type SlaTargets = { '1': QueueTargets; '2': QueueTargets; '3': QueueTargets; '4': QueueTargets };

/**
 * Changes a queue from the version the form was opened at; a change refused because someone else
 * changed the queue meanwhile reads the queues again (decision 0084).
 */
export function useUpdateQueue() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { queueId: string; name?: string; sla?: SlaTargets; warnAtPercent?: number; version: number }) => {
      const { queueId, ...body } = input;
      return (await read(api.POST('/api/queues/{id}', { params: { path: { id: queueId } }, body }))).queue;
    },
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.queues, queryKeys.routing.all]),
    onError: (error) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.queues]);
    },
  });
}

/** Makes a queue the force's default, where contacts no rule matches go, in place of the one that was (decision 0091). */
export function useMakeDefaultQueue() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (queueId: string) => read(api.POST('/api/queues/{id}/default', { params: { path: { id: queueId } }, body: {} })),
    // A refusal (already the default, say) means the list shown is out of date too.
    onSettled: () => invalidate(queryClient, [queryKeys.admin.queues, queryKeys.routing.all]),
  });
}

/**
 * Replaces the force's queue rules, as one ordered list, from the version the page read; a save
 * refused because someone else replaced them meanwhile reads the queues again (decision 0084).
 */
export function useReplaceQueueRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { rules: QueueRuleInput[]; version: number }) => read(api.POST('/api/queues/rules', { body })),
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.queues, queryKeys.routing.all]),
    onError: (error) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.queues]);
    },
  });
}

/** A kind of channel's two targets in minutes; null leaves the queue's target to apply. */
export type ChannelTargetsInput = Partial<Record<ResponseChannel, { firstResponseMinutes: number | null; nextResponseMinutes: number | null }>>;

/**
 * Saves the targets by channel from the version the form was opened at; a save refused because
 * someone else changed them meanwhile reads them again (decision 0084).
 */
export function useSetChannelTargets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChannelTargetsInput & { version: number }) => read(api.PUT('/api/channel-sla-targets', { body })),
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.channelTargets]),
    onError: (error) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.channelTargets]);
    },
  });
}

/** One account with its settings that are not credentials, to fill in its form when it is connected again; never cached. */
export const channelAccountSettingsQuery = (accountId: string) =>
  queryOptions({
    queryKey: queryKeys.admin.channelSettings(accountId),
    queryFn: ({ signal }) => read(api.GET('/api/channels/{id}/settings', { params: { path: { id: accountId } }, signal })),
    staleTime: 0,
    gcTime: 0,
  });

/**
 * Connects one account again: the settings and credentials given replace its own in place, from
 * the version its settings were read at; refused (409) once someone connected it again meanwhile.
 */
export function useReconnectChannelAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: ChannelReconnectInput & { accountId: string }) => {
      const { accountId, ...body } = input;
      return (await read(api.POST('/api/channels/{id}/reconnect', { params: { path: { id: accountId } }, body }))).account;
    },
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.channels]),
    onError: (error, input) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.channels, queryKeys.admin.channelSettings(input.accountId)]);
    },
  });
}

/** Connects a provider account, or connects one again with new credentials (the server knows it by its account key). */
export function useConnectChannelAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ChannelConnectInput) => (await read(api.POST('/api/channels', { body }))).account,
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.channels]),
  });
}

/**
 * Renames an account or switches it off or on, from the version it was read at; refused (409)
 * once someone renamed, switched or connected it again meanwhile, and the accounts are read again.
 */
export function useUpdateChannelAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { accountId: string; label?: string; isEnabled?: boolean; version: number }) => {
      const { accountId, ...body } = input;
      return (await read(api.POST('/api/channels/{id}', { params: { path: { id: accountId } }, body }))).account;
    },
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.channels]),
    onError: (error) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.channels]);
    },
  });
}

/**
 * Saves one language of a template from the version the form was opened at (0: not written yet);
 * a save refused because the text was saved meanwhile reads the templates again (decision 0082).
 */
export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { key: string; locale: TemplateLocale; subject: string; body: string; version: number }) => {
      const { key, ...body } = input;
      return (await read(api.POST('/api/templates/{key}', { params: { path: { key } }, body }))).template;
    },
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.templates]),
    onError: (error) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.templates]);
    },
  });
}

/** A template's text as a person would receive it; nothing is stored. */
export function usePreviewTemplate() {
  return useMutation({
    mutationFn: async (input: { key: string; subject: string; body: string }) => {
      const { key, ...body } = input;
      return (await read(api.POST('/api/templates/{key}/preview', { params: { path: { key } }, body }))).preview;
    },
  });
}

export function useSaveForceSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: ForceSettingsInput) => (await read(api.POST('/api/force/settings', { body: input }))).settings,
    // The stale age changes which units show as stale and which are recommended.
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.settings, queryKeys.grades, dispatchKeys.units, ['dispatch', 'recommendation']]),
  });
}

/** Resolves to the new person and their one-time password: the only time it is ever shown. */
export function useAddStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewStaffInput) => read(api.POST('/api/staff', { body: input })),
    onSuccess: () => invalidate(queryClient, [queryKeys.staff, queryKeys.routing.all]),
  });
}

export function useChangeStaffRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ staffId, ...body }: { staffId: string; role: StaffRoleName; version: number }) =>
      read(api.POST('/api/staff/{id}/role', { params: { path: { id: staffId } }, body })),
    onSuccess: () => invalidate(queryClient, [queryKeys.staff, queryKeys.routing.all, queryKeys.contacts.lists]),
  });
}

export function useSetRoutingProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ staffId, ...body }: { staffId: string; skills: SkillName[]; capacity: Partial<Record<CapacityClass, number>>; version: number }) =>
      read(api.POST('/api/routing/staff/{id}/profile', { params: { path: { id: staffId } }, body })),
    onSuccess: () => invalidate(queryClient, [queryKeys.staff, queryKeys.routing.all]),
  });
}
