// The console's one QueryClient and its defaults.
import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { ApiError } from './errors.ts';

/** Network failures and 5xx answers may pass; a refusal (4xx) will not change by asking again. */
function isWorthRetrying(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: isWorthRetrying,
        // The live socket says when something changed (live-sync.ts); refetching every screen when
        // the window regains focus would only add load. A screen still refetches when it opens.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

/** Marks the queries stale: those on screen refetch, the others when next shown. */
export function invalidate(queryClient: QueryClient, keys: readonly QueryKey[]): void {
  for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
}

/**
 * As `invalidate`, but settles once the queries on screen have been read again (a failed read
 * settles it too, and shows as the query's own error). A mutation that returns it from its
 * `onSuccess`/`onSettled` option stays pending until then, so the success its screen announces is
 * not read out over a list still showing the old rows. Only for a mutation whose screen stays
 * mounted through the refetch: the callbacks given to `mutate` are dropped if it unmounts.
 */
export async function invalidateAndWait(queryClient: QueryClient, keys: readonly QueryKey[]): Promise<void> {
  await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}
