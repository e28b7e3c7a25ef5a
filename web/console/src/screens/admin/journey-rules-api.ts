// What the journey rules page reads and changes: the force's rules and what a rule may name; add,
// change, switch off and on, reorder. Each change invalidates the list.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { isChangedSinceRead } from '../../api/errors.ts';
import { invalidate } from '../../api/query-client.ts';
import { queryKeys } from '../../api/query-keys.ts';
import type { JourneyRuleChange, JourneyRuleInput } from '../../api/types.ts';

export const journeyRulesQuery = queryOptions({
  queryKey: queryKeys.admin.journeyRules,
  queryFn: ({ signal }) => read(api.GET('/api/journey-rules', { signal })),
});

/**
 * Adds a rule (no id) or changes one (with its id and the version the form was opened at, sending
 * only the fields the admin changed); resolves to the rule and any warnings. A change refused
 * because the rule changed meanwhile reads the rules again, so the form can show them as they are.
 */
export function useSaveJourneyRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (save: { ruleId: null; rule: JourneyRuleInput } | { ruleId: string; rule: JourneyRuleChange }) =>
      save.ruleId === null
        ? read(api.POST('/api/journey-rules', { body: save.rule }))
        : read(api.POST('/api/journey-rules/{id}', { params: { path: { id: save.ruleId } }, body: save.rule })),
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.journeyRules]),
    onError: (error) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.journeyRules]);
    },
  });
}

/**
 * Switches a rule off or on, from the version the page showed; switching off withdraws what it
 * queued and has not sent unless `withdrawQueued` is false (decision 0074).
 */
export function useSwitchJourneyRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ruleId, active, withdrawQueued, version }: { ruleId: string; active: boolean; withdrawQueued: boolean; version: number }) =>
      read(api.POST('/api/journey-rules/{id}/active', { params: { path: { id: ruleId } }, body: active ? { active, version } : { active, withdrawQueued, version } })),
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.journeyRules, queryKeys.outbox, ['cases', 'messages']]),
    onError: (error) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.journeyRules]);
    },
  });
}

/**
 * Puts every rule in a new order, from the order's version the page showed (decision 0090). A new
 * order refused because the order changed meanwhile reads the rules again, so the page shows the
 * order as it is now.
 */
export function useReorderJourneyRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ruleIds, version }: { ruleIds: string[]; version: number }) => read(api.PUT('/api/journey-rules/order', { body: { ruleIds, version } })),
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.journeyRules]),
    onError: (error) => {
      if (isChangedSinceRead(error)) invalidate(queryClient, [queryKeys.admin.journeyRules]);
    },
  });
}
