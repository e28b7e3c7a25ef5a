// What each screen reads, as TanStack Query options: the key (query-keys.ts) and how to fetch it
// through the typed client. Screens call useQuery(contactQuery(id)) and so on; live messages
// (live-sync.ts) and mutations invalidate by the same keys.
import { queryOptions } from '@tanstack/react-query';
import { api, read, setCsrfToken } from './client.ts';
import { ApiError } from './errors.ts';
import { queryKeys } from './query-keys.ts';
import type { AssignedFilter, ContactSearchParams, JobState, Session } from './types.ts';

/** Who is signed in; null when nobody is (a 401 is an answer here, not a failure). */
export const sessionQuery = queryOptions({
  queryKey: queryKeys.session,
  queryFn: async ({ signal }): Promise<Session | null> => {
    try {
      const session = await read(api.GET('/api/auth/me', { signal }));
      setCsrfToken(session.csrfToken);
      return session;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  // Sign-in, sign-out and a refused request change it; nothing else does.
  staleTime: Number.POSITIVE_INFINITY,
  retry: false,
});

export function contactListQuery(assigned: AssignedFilter) {
  return queryOptions({
    queryKey: queryKeys.contacts.list(assigned),
    queryFn: async ({ signal }) => (await read(api.GET('/api/contacts', { params: { query: { status: 'open', assigned } }, signal }))).contacts,
  });
}

/** One page of a search of the force's contacts, open and closed, with the total it finds. */
export function contactSearchQuery(params: ContactSearchParams) {
  return queryOptions({
    queryKey: queryKeys.contacts.search(params),
    queryFn: ({ signal }) => read(api.GET('/api/contacts/search', { params: { query: params }, signal })),
  });
}

/** The force's queues (for filters). */
export const queuesQuery = queryOptions({
  queryKey: queryKeys.queues,
  queryFn: async ({ signal }) => (await read(api.GET('/api/queues', { signal }))).queues,
  staleTime: 5 * 60_000,
});

export function contactQuery(id: string) {
  return queryOptions({
    queryKey: queryKeys.contacts.detail(id),
    queryFn: ({ signal }) => read(api.GET('/api/contacts/{id}', { params: { path: { id } }, signal })),
  });
}

export function thriveQuery(contactId: string) {
  return queryOptions({
    queryKey: queryKeys.contacts.thrive(contactId),
    queryFn: ({ signal }) => read(api.GET('/api/contacts/{id}/thrive', { params: { path: { id: contactId } }, signal })),
  });
}

export function gradeQuery(contactId: string) {
  return queryOptions({
    queryKey: queryKeys.contacts.grade(contactId),
    queryFn: ({ signal }) => read(api.GET('/api/contacts/{id}/grade', { params: { path: { id: contactId } }, signal })),
  });
}

/** The force's grades with their targets: settings, so they change rarely. */
export const gradeDefinitionsQuery = queryOptions({
  queryKey: queryKeys.grades,
  queryFn: async ({ signal }) => (await read(api.GET('/api/grades', { signal }))).grades,
  staleTime: 5 * 60_000,
});

export const routingBoardQuery = queryOptions({
  queryKey: queryKeys.routing.board,
  queryFn: ({ signal }) => read(api.GET('/api/routing/board', { signal })),
});

export const myRoutingQuery = queryOptions({
  queryKey: queryKeys.routing.mine,
  queryFn: ({ signal }) => read(api.GET('/api/me/routing', { signal })),
});

export const openAlertsQuery = queryOptions({
  queryKey: queryKeys.alerts,
  queryFn: async ({ signal }) => (await read(api.GET('/api/alerts', { signal }))).alerts,
});

export const outboxQuery = queryOptions({
  queryKey: queryKeys.outbox,
  queryFn: async ({ signal }) => (await read(api.GET('/api/outbox', { signal }))).messages,
});

export function jobsQuery(state: JobState) {
  return queryOptions({
    queryKey: queryKeys.jobs.list(state),
    queryFn: async ({ signal }) => (await read(api.GET('/api/jobs', { params: { query: { state } }, signal }))).jobs,
  });
}

export const staffAccountsQuery = queryOptions({
  queryKey: queryKeys.staff,
  queryFn: async ({ signal }) => (await read(api.GET('/api/staff', { signal }))).staff,
});

export const ruleSetsQuery = queryOptions({
  queryKey: queryKeys.triage.ruleSets,
  queryFn: ({ signal }) => read(api.GET('/api/triage/rule-sets', { signal })),
});

export function ruleSetQuery(version: number) {
  return queryOptions({
    queryKey: queryKeys.triage.ruleSet(version),
    queryFn: async ({ signal }) => (await read(api.GET('/api/triage/rule-sets/{version}', { params: { path: { version } }, signal }))).ruleSet,
    // A version never changes: saving makes a new one.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Re-hashes the whole chain: run when asked (refetch), never on its own. */
export const auditVerifyQuery = queryOptions({
  queryKey: queryKeys.audit,
  queryFn: ({ signal }) => read(api.GET('/api/audit/verify', { signal })),
  enabled: false,
  retry: false,
});
