// The print queue's reads and actions (decisions 0031, 0135). Letters sit under the outbox's key,
// so a withdrawal from the outbox screen refreshes this list too. The list follows the live
// stream's `print_queue.changed` (api/live-sync.ts): a letter queued, printed or withdrawn by
// anyone shows at once (decision 0145); it is also read on "Refresh" and after every action here.
import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { ApiError, type UiError } from '../../api/errors.ts';
import { invalidate } from '../../api/query-client.ts';
import { queryKeys } from '../../api/query-keys.ts';
import type { components } from '../../api/schema.ts';

export type LetterToPrint = components['schemas']['LetterToPrint'];

/** What happened to the last letter acted on, said on the list once back there. */
export type Outcome = { kind: 'done'; message: string } | { kind: 'refused'; error: UiError };

/** The first line of the address: whom the letter is to, in the list and the headings. */
export function addressee(letter: LetterToPrint): string {
  return letter.recipient.split(/\r?\n|,/)[0]?.trim() || 'the recipient';
}

const lettersKey = queryKeys.printQueue;
// A letter's case shows what was sent and what was withdrawn, with why.
const caseMessagesKey = ['cases', 'messages'] as const;

export const lettersToPrintQuery = queryOptions({
  queryKey: lettersKey,
  queryFn: async ({ signal }) => (await read(api.GET('/api/outbox/letters', { signal }))).letters,
});

/** Whether the letter has left the queue: done, or refused because it is gone (409) or was never there (404). */
export function hasLeftQueue(error: unknown): boolean {
  return error === null || (error instanceof ApiError && (error.status === 409 || error.status === 404));
}

/**
 * Takes a letter that has left the queue off the list at once, so it cannot be picked again while
 * the list is read again; a failure that left it there (the server not reached) keeps it.
 */
function settle(queryClient: QueryClient, letterId: string, error: unknown): void {
  if (hasLeftQueue(error)) queryClient.setQueryData(lettersKey, (letters: LetterToPrint[] | undefined) => letters?.filter((l) => l.id !== letterId));
  invalidate(queryClient, [lettersKey, caseMessagesKey]);
}

/**
 * "Printed and posted": 204 when the letter is delivered; the server's 409 says it must not be
 * posted after all (it has been withdrawn) or that it has already left the queue.
 */
export function useMarkLetterPrinted() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (letterId: string) => {
      await read(api.POST('/api/outbox/letters/{id}/printed', { params: { path: { id: letterId } } }));
    },
    onSettled: (_data, error, letterId) => settle(queryClient, letterId, error),
  });
}

/**
 * "Withdraw, do not post" for a letter the server says must not go: withdrawn with that reason, as
 * any message not yet sent is (decision 0074). Never through "printed", which would record the
 * letter posted were what it tells to stand again by the time it is asked.
 */
export function useWithdrawLetter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ letterId, reason }: { letterId: string; reason: string }) =>
      (await read(api.POST('/api/outbox/{id}/withdraw', { params: { path: { id: letterId } }, body: { reason } }))).message,
    onSettled: (_data, error, { letterId }) => settle(queryClient, letterId, error),
  });
}
