// The force's acknowledgement allowances and trusted reporting addresses (decision 0166): read a
// page at a time, added and removed by force admins.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { invalidate } from '../../api/query-client.ts';

const ALL = ['admin', 'trusted-addresses'] as const;

/** A page of the trusted addresses, newest first, with the allowances in force. */
export function trustedAddressesQuery(offset: number, limit: number) {
  return queryOptions({
    queryKey: [...ALL, { offset, limit }] as const,
    queryFn: ({ signal }) => read(api.GET('/api/force/trusted-addresses', { params: { query: { offset, limit } }, signal })),
  });
}

/** Adds an address, or removes one; every page may change. */
export function useChangeTrustedAddress() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { change: 'add' | 'remove'; address: string }) => {
      const body = { address: input.address };
      if (input.change === 'add') {
        const result = await read(api.POST('/api/force/trusted-addresses', { body }));
        return { change: input.change, address: result.address.address, added: result.added };
      }
      return { change: input.change, address: (await read(api.POST('/api/force/trusted-addresses/remove', { body }))).address, added: false };
    },
    onSuccess: () => invalidate(queryClient, [ALL]),
  });
}

/** What the allowances' change touches: the list's allowances too. */
export const TRUSTED_ADDRESSES_KEY = ALL;

/**
 * The offset of the page to show once the list changed under the one shown: the same page, unless
 * it emptied (its last address removed) while addresses remain before it; then the last page that
 * holds some. Without it the section showed "Showing 21–20 of 20" and no way back. Pure.
 */
export function offsetStillShowing(offset: number, shown: number, total: number, pageSize: number): number {
  if (shown > 0 || offset === 0) return offset;
  return Math.floor(Math.max(0, total - 1) / pageSize) * pageSize;
}
