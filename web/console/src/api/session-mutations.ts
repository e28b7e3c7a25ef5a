// What staff do about themselves: sign in and out, change their password, set their presence.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, read, setCsrfToken } from './client.ts';
import { invalidate } from './query-client.ts';
import { queryKeys } from './query-keys.ts';
import type { Presence } from './types.ts';

/** How long signing out waits to set the person offline before it goes ahead anyway. */
const SIGN_OUT_OFFLINE_TIMEOUT_MS = 3_000;

/** Forgets everything the signed-in person could see, and who they were. */
export function endSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  void queryClient.cancelQueries();
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
  queryClient.setQueryData(queryKeys.session, null);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { email: string; password: string }) => read(api.POST('/api/auth/login', { body: credentials })),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(queryKeys.session, session);
    },
  });
}

/**
 * Signs out. Someone who works the queue is set offline first: that returns what they hold to the
 * queue at once, rather than when their silent console is noticed. Neither step can stop it.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ goOffline }: { goOffline: boolean }) => {
      if (goOffline) {
        await read(api.POST('/api/me/presence', { body: { presence: 'offline' }, signal: AbortSignal.timeout(SIGN_OUT_OFFLINE_TIMEOUT_MS) })).catch(() => undefined);
      }
      // The session is dropped here either way.
      await read(api.POST('/api/auth/logout')).catch(() => undefined);
    },
    onSettled: () => endSession(queryClient),
  });
}

/** Changes the signed-in person's own password; a refusal names each field (currentPassword, newPassword). */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => read(api.POST('/api/auth/password', { body: input })),
    // The session says whether a one-time password still has to be changed.
    onSuccess: () => invalidate(queryClient, [queryKeys.session]),
  });
}

export function useSetMyPresence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (presence: Presence) => (await read(api.POST('/api/me/presence', { body: { presence } }))).presence,
    onSuccess: (presence) => {
      queryClient.setQueryData(queryKeys.routing.mine, (mine) => (mine ? { ...mine, presence } : mine));
    },
    // Going offline returns what the person holds to the queue.
    onSettled: () => invalidate(queryClient, [queryKeys.routing.all, queryKeys.contacts.lists]),
  });
}
