// What the journey rules page reads and changes: the force's rules and what a rule may name; add,
// change, switch off and on, reorder. Each change invalidates the list.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { invalidate } from '../../api/query-client.ts';
import { queryKeys } from '../../api/query-keys.ts';
import type { JourneyRuleInput } from '../../api/types.ts';

export const journeyRulesQuery = queryOptions({
  queryKey: queryKeys.admin.journeyRules,
  queryFn: ({ signal }) => read(api.GET('/api/journey-rules', { signal })),
});

/**
 * Adds a rule (no id) or changes one (with its id, sending only the fields the admin changed);
 * resolves to the rule and any warnings.
 */
export function useSaveJourneyRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (save: { ruleId: null; rule: JourneyRuleInput } | { ruleId: string; rule: Partial<JourneyRuleInput> }) =>
      save.ruleId === null
        ? read(api.POST('/api/journey-rules', { body: save.rule }))
        : read(api.POST('/api/journey-rules/{id}', { params: { path: { id: save.ruleId } }, body: save.rule })),
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.journeyRules]),
  });
}

/** Switches a rule off or on; switching off withdraws what it queued and has not sent unless `withdrawQueued` is false (decision 0074). */
export function useSwitchJourneyRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ruleId, active, withdrawQueued }: { ruleId: string; active: boolean; withdrawQueued: boolean }) =>
      read(api.POST('/api/journey-rules/{id}/active', { params: { path: { id: ruleId } }, body: active ? { active } : { active, withdrawQueued } })),
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.journeyRules, queryKeys.outbox, ['cases', 'messages']]),
  });
}

export function useReorderJourneyRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ruleIds: string[]) => read(api.PUT('/api/journey-rules/order', { body: { ruleIds } })),
    onSuccess: () => invalidate(queryClient, [queryKeys.admin.journeyRules]),
  });
}

/**
 * The fields of `wanted` that differ from the rule as the admin opened it: a change sends only
 * these, so another admin's change to a field this admin left alone is not put back.
 */
export function changedRuleFields(opened: JourneyRuleInput, wanted: JourneyRuleInput): Partial<JourneyRuleInput> {
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(wanted) as [keyof JourneyRuleInput, unknown][]) {
    if (JSON.stringify(opened[field] ?? null) !== JSON.stringify(value ?? null)) changed[field] = value;
  }
  return changed;
}
