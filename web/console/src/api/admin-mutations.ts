// What supervisors and force admins change: alerts, someone else's presence, staff accounts, jobs
// and triage rules.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from './client.ts';
import { invalidate } from './query-client.ts';
import { queryKeys } from './query-keys.ts';
import type { Presence, TriageRuleInput } from './types.ts';

export function useAcknowledgeAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ alertId, note }: { alertId: string; note?: string }) =>
      (await read(api.POST('/api/alerts/{id}/acknowledge', { params: { path: { id: alertId } }, body: note ? { note } : {} }))).alert,
    // Not removed from the list at once: its item says it was acknowledged, and moves focus, first.
    onSuccess: () => invalidate(queryClient, [queryKeys.alerts, queryKeys.routing.board, queryKeys.contacts.details, queryKeys.dispatch.incidents]),
  });
}

/** A supervisor sets someone's presence; going offline returns their contacts to the queue. */
export function useSetStaffPresence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ staffId, presence }: { staffId: string; presence: Presence }) =>
      read(api.POST('/api/routing/staff/{id}/presence', { params: { path: { id: staffId } }, body: { presence } })),
    onSettled: () => invalidate(queryClient, [queryKeys.routing.all, queryKeys.contacts.lists, queryKeys.contacts.details]),
  });
}

// --- staff accounts (force admin) ----------------------------------------------------------

/** Ending someone's sessions returns the contacts they held to the queue. */
const afterAccountChange = [queryKeys.staff, queryKeys.routing.all, queryKeys.contacts.lists];

/** Resolves to the new one-time password: the only time it is ever shown. */
export function useResetStaffPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (staffId: string) => read(api.POST('/api/staff/{id}/reset-password', { params: { path: { id: staffId } } })),
    onSuccess: () => invalidate(queryClient, afterAccountChange),
  });
}

export function useDeactivateStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (staffId: string) => read(api.POST('/api/staff/{id}/deactivate', { params: { path: { id: staffId } }, body: {} })),
    onSuccess: () => invalidate(queryClient, afterAccountChange),
  });
}

export function useReactivateStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (staffId: string) => read(api.POST('/api/staff/{id}/reactivate', { params: { path: { id: staffId } } })),
    onSuccess: () => invalidate(queryClient, [queryKeys.staff]),
  });
}

// --- the outbox ------------------------------------------------------------------------------

/** Sends a failed message again (decision 0058); resolves to the message as the outbox now shows it. */
export function useSendOutboxAgain() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (outboxId: string) => (await read(api.POST('/api/outbox/{id}/send-again', { params: { path: { id: outboxId } } }))).message,
    // A refusal (sent already by someone else, say) means the row has moved on too.
    onSettled: () => invalidate(queryClient, [queryKeys.outbox]),
  });
}

/**
 * Withdraws a message that has not gone, with the reason (decision 0074); resolves to the message
 * withdrawn. Shown in the outbox and on its case's messages, so both are read again.
 */
export function useWithdrawOutboxMessage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ outboxId, reason }: { outboxId: string; reason: string }) =>
      (await read(api.POST('/api/outbox/{id}/withdraw', { params: { path: { id: outboxId } }, body: { reason } }))).message,
    // A refusal (it went a moment ago, say) means the row has moved on too.
    onSettled: () => invalidate(queryClient, [queryKeys.outbox, ['cases', 'messages']]),
  });
}

// --- jobs and triage rules ------------------------------------------------------------------

export function useRetryJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (jobId: string) => (await read(api.POST('/api/jobs/{id}/retry', { params: { path: { id: jobId } } }))).job,
    onSuccess: () => invalidate(queryClient, [queryKeys.jobs.all]),
  });
}

/** Saves rules as a new version (not active yet); resolves to its number. */
export function useCreateRuleSet() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (rules: TriageRuleInput[]) => (await read(api.POST('/api/triage/rule-sets', { body: { rules } }))).version,
    onSuccess: () => invalidate(queryClient, [queryKeys.triage.ruleSets]),
  });
}

export function useActivateRuleSet() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => read(api.POST('/api/triage/rule-sets/{version}/activate', { params: { path: { version } } })),
    onSuccess: () => invalidate(queryClient, [queryKeys.triage.ruleSets]),
  });
}

/** Scores a text as a new contact would be scored now; nothing is stored. */
export function useTryTriage() {
  return useMutation({
    mutationFn: async (input: { text: string; version?: number; line?: string }) => (await read(api.POST('/api/triage/try', { body: input }))).result,
  });
}
