// What staff do to a contact, as TanStack Query mutations through the typed client. Each one
// invalidates the queries its change shows up in. It does not wait for them to refetch: the form
// that asked often goes once the fresh data shows (a taken contact has no Take button), and it
// must hear of its success first. A routing move that is refused refetches too: the contact
// probably changed under the person (someone else took it, say).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from './client.ts';
import { invalidate } from './query-client.ts';
import { keysOfContact, queryKeys } from './query-keys.ts';
import type { CloseOutcome, Grade, ThriveInput } from './types.ts';

const path = (id: string) => ({ params: { path: { id } } });

export function useSendReply(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // `quoteMessageId`: the message of the conversation staff chose to answer ("reply to this message").
    mutationFn: async (input: { body: string; quoteMessageId?: string }) => (await read(api.POST('/api/contacts/{id}/replies', { ...path(contactId), body: input }))).message,
    // A reply stops the first-response clock: the queue and board show it too.
    onSuccess: () => invalidate(queryClient, keysOfContact(contactId)),
  });
}

export function useCloseContact(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { outcome: CloseOutcome; note?: string }) =>
      (await read(api.POST('/api/contacts/{id}/close', { ...path(contactId), body: input }))).contact,
    onSuccess: () => invalidate(queryClient, keysOfContact(contactId)),
  });
}

export function useReopenContact(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { reason?: string }) =>
      (await read(api.POST('/api/contacts/{id}/reopen', { ...path(contactId), body: input }))).contact,
    // Back in its queue with fresh clocks: the queue and board show it again.
    onSuccess: () => invalidate(queryClient, keysOfContact(contactId)),
  });
}

export function useCreateCase(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => (await read(api.POST('/api/contacts/{id}/case', { ...path(contactId), body: {} }))).case,
    // A refusal is usually a case made meanwhile: refetch so its reference is shown.
    onSettled: () => invalidate(queryClient, [queryKeys.contacts.detail(contactId)]),
  });
}

export function useAssessThrive(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (assessment: ThriveInput) => read(api.POST('/api/contacts/{id}/thrive', { ...path(contactId), body: assessment })),
    onSuccess: (view) => {
      queryClient.setQueryData(queryKeys.contacts.thrive(contactId), view);
      invalidate(queryClient, [queryKeys.contacts.detail(contactId)]);
    },
  });
}

export function useSetGrade(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { grade: Grade; reason?: string }) => read(api.POST('/api/contacts/{id}/grade', { ...path(contactId), body: input })),
    onSuccess: (view) => {
      queryClient.setQueryData(queryKeys.contacts.grade(contactId), view);
      // Grading opens or regrades the contact's incident: the contact shows it, the board lists it.
      invalidate(queryClient, [queryKeys.contacts.detail(contactId), queryKeys.dispatch.incidents]);
    },
  });
}

// --- routing moves -----------------------------------------------------------------------

/** What a routing move changes: the contact everywhere, and who holds what. */
const afterMove = (contactId: string) => [...keysOfContact(contactId), queryKeys.routing.mine];

export function useTakeContact(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => read(api.POST('/api/contacts/{id}/take', { ...path(contactId), body: {} })),
    onSettled: () => invalidate(queryClient, afterMove(contactId)),
  });
}

export function useAssignContact(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (staffId: string) => read(api.POST('/api/contacts/{id}/assign', { ...path(contactId), body: { staffId } })),
    onSettled: () => invalidate(queryClient, afterMove(contactId)),
  });
}

/** Takes a contact back from whoever holds it (the board has one button per contact, so the id is a variable). */
export function useTakeBackContact() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, reason }: { contactId: string; reason?: string }) =>
      read(api.POST('/api/contacts/{id}/take-back', { ...path(contactId), body: reason ? { reason } : {} })),
    onSettled: (_data, _error, { contactId }) => invalidate(queryClient, afterMove(contactId)),
  });
}

export function useEscalateContact(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (reason: string) => (await read(api.POST('/api/contacts/{id}/escalate', { ...path(contactId), body: { reason } }))).queue,
    onSettled: () => invalidate(queryClient, afterMove(contactId)),
  });
}

export function useRequestCallback(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { number?: string; note?: string }) =>
      (await read(api.POST('/api/contacts/{id}/callback', { ...path(contactId), body: input }))).callback,
    // The callback is a new contact in the queue; this one's timeline records it.
    onSuccess: () => invalidate(queryClient, [queryKeys.contacts.detail(contactId), queryKeys.contacts.lists, queryKeys.routing.board]),
  });
}

/** Tries again a file the provider could not be reached for; its fetch job follows, and the live update shows how it went. */
export function useRetryAttachment(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (attachmentId: string) => read(api.POST('/api/attachments/{id}/retry', { params: { path: { id: attachmentId } } })),
    // A refusal is usually a try someone else asked for meanwhile: refetch so its state is shown.
    onSettled: () => invalidate(queryClient, [queryKeys.contacts.detail(contactId)]),
  });
}
