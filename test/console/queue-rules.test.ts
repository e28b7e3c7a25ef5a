// The queue rules page's list: moved, sent, compared and said in words without a browser; and the
// page itself, rendered on the server, read-only for a role that reads contacts but does not manage routing.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { QueueRule, QueueView, StaffUser } from '../../web/console/src/api/types.ts';
import { queuesQuery } from '../../web/console/src/screens/admin/admin-api.ts';
import { adminScreenAt, firstAdminPath } from '../../web/console/src/screens/admin/AdminNav.tsx';
import { TRIAGE_CATEGORIES, TRIAGE_CATEGORY_LABELS, categoryLabel } from '../../web/console/src/labels.ts';
import { byRule, categoryChoices, channelChoices, draftsOf, isSameRules, moveRule, ruleIndexOf, ruleInWords, rulesFacts, rulesToSend } from '../../web/console/src/screens/admin/queue-rules.ts';

const targets = { firstResponseMinutes: 5, nextResponseMinutes: 10, resolutionMinutes: 60 };
const queue = (id: string, name: string, isDefault = false): QueueView => ({
  id,
  key: name.toLowerCase().replace(/ /g, '_'),
  name,
  description: '',
  requiredSkills: [],
  isControlRoom: false,
  isDefault,
  sla: { '1': targets, '2': targets, '3': targets, '4': targets },
  warnAtPercent: 75,
  position: 1,
  version: 1,
});
const queues = [queue('q-control', 'Control room'), queue('q-general', 'General enquiries', true)];
const rules: QueueRule[] = [
  { queueId: 'q-general', position: 2, channels: null, categories: ['domestic_abuse', 'weapons'], priorities: [2, 1], refusedBecause: null },
  { queueId: 'q-control', position: 1, channels: ['phone'], categories: null, priorities: null, refusedBecause: null },
];

describe('the queue rules list', () => {
  it('reads the rules in their order and sends them back with "any" left out', () => {
    const drafts = draftsOf(rules);
    expect(drafts.map((r) => r.queueId)).toEqual(['q-control', 'q-general']);
    expect(rulesToSend(drafts)).toEqual([
      { queueId: 'q-control', channels: ['phone'] },
      { queueId: 'q-general', categories: ['domestic_abuse', 'weapons'], priorities: [2, 1] },
    ]);
  });

  it('moves a rule one place and leaves a rule at an end where it is', () => {
    expect(moveRule(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRule(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveRule(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveRule(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('counts a list as changed when the order or a condition differs, not when only the ticking order does', () => {
    const drafts = draftsOf(rules);
    expect(isSameRules(drafts, draftsOf(rules))).toBe(true);
    expect(isSameRules(drafts, moveRule(drafts, 0, 1))).toBe(false);
    const [first, second] = drafts;
    if (!first || !second) throw new Error('two rules expected');
    expect(isSameRules(drafts, [first, { ...second, priorities: [1, 2] }])).toBe(true);
    expect(isSameRules(drafts, [first, { ...second, priorities: [1] }])).toBe(false);
    expect(isSameRules(drafts, [first])).toBe(false);
  });

  it('says each condition in words, "any" where the rule names none, and the queue by its name', () => {
    const [phone, abuse] = draftsOf(rules);
    if (!phone || !abuse) throw new Error('two rules expected');
    expect(ruleInWords(phone, queues)).toEqual({ channels: 'Phone', categories: 'Any category', priorities: 'Any priority', queue: 'Control room' });
    expect(ruleInWords(abuse, queues)).toEqual({ channels: 'Any channel', categories: 'Domestic abuse, Weapons', priorities: 'P1, P2', queue: 'General enquiries' });
    expect(rulesFacts(rules, queues)).toEqual([
      { term: 'Rule 1', value: 'Phone; Any category; Any priority: to Control room' },
      { term: 'Rule 2', value: 'Any channel; Domestic abuse, Weapons; P1, P2: to General enquiries' },
    ]);
    expect(rulesFacts([], queues)).toEqual([{ term: 'Rules', value: 'None: every contact goes to the default queue' }]);
  });

  it('offers the known channels and any other a stored rule names', () => {
    const choices = channelChoices(draftsOf([{ queueId: 'q-general', position: 1, channels: ['pager'], categories: null, priorities: null, refusedBecause: null }]));
    expect(choices).toContainEqual({ key: 'chat', label: 'Live chat' });
    expect(choices.at(-1)).toEqual({ key: 'pager', label: 'Pager' });
  });

  it('keeps a category this console does not know, says it is unrecognised, offers it ticked and sends it back as stored', () => {
    const stored: QueueRule = { queueId: 'q-general', position: 1, channels: null, categories: ['self_harm', 'lost_property'], priorities: null, refusedBecause: null };
    const drafts = draftsOf([stored]);
    const [draft] = drafts;
    if (!draft) throw new Error('one rule expected');
    expect(draft.categories).toEqual(['self_harm', 'lost_property']);
    expect(rulesToSend(drafts)).toEqual([{ queueId: 'q-general', categories: ['self_harm', 'lost_property'] }]);
    expect(ruleInWords(draft, queues).categories).toBe('Self-harm, Unrecognised category: lost_property');
    expect(rulesFacts([stored], queues)[0]?.value).toContain('Self-harm, Unrecognised category: lost_property');
    const choices = categoryChoices(drafts);
    expect(choices.slice(0, TRIAGE_CATEGORIES.length).map((c) => c.key)).toEqual(TRIAGE_CATEGORIES);
    expect(choices.at(-1)).toEqual({ key: 'lost_property', label: 'Unrecognised category: lost_property' });
    // Without it the rule routes differently: the page counts that as a change.
    expect(isSameRules(drafts, drafts.map((r) => ({ ...r, categories: ['self_harm'] })))).toBe(false);
  });

  it('keeps a stored rule\'s mark through moves, and says categories as the triage rules screen does', () => {
    const marked: QueueRule = { queueId: 'q-general', position: 3, channels: null, categories: null, priorities: null, refusedBecause: 'This rule must name at least one channel, category or priority.' };
    const drafts = draftsOf([...rules, marked]);
    expect(drafts.map((r) => r.refusedBecause)).toEqual([null, null, marked.refusedBecause]);
    expect(moveRule(drafts, 2, -1)[1]?.refusedBecause).toBe(marked.refusedBecause);
    // The mark is not a condition: a list differing only by it routes alike.
    expect(isSameRules(drafts, drafts.map((r) => ({ ...r, refusedBecause: null })))).toBe(true);
    expect(TRIAGE_CATEGORIES.map(categoryLabel)).toContain('Self-harm');
    expect(categoryLabel('self_harm')).toBe(TRIAGE_CATEGORY_LABELS.self_harm);
    expect(categoryLabel('dropped_category')).toBe('Dropped category');
  });

  it('puts each refused field against the rule it belongs to', () => {
    expect(ruleIndexOf('rules.3.channels.0')).toBe(3);
    expect(ruleIndexOf('rules.12')).toBe(12);
    expect(ruleIndexOf('rules')).toBeNull();
    expect(byRule([{ path: 'rules.1.queueId', message: 'Queue of rule 2 must be one of this force’s queues' }, { path: 'rules', message: 'Too many' }])).toEqual([
      { path: 'rules.1', message: 'Queue of rule 2 must be one of this force’s queues' },
      { path: 'rules', message: 'Too many' },
    ]);
  });
});

const user = (permissions: StaffUser['permissions']) => ({ permissions }) as unknown as StaffUser;
const render = (node: ReactNode, stored: QueueRule[] = rules) => {
  const client = new QueryClient({ defaultOptions: { queries: { enabled: false } } });
  client.setQueryData(queuesQuery.queryKey, { queues, rules: stored, rulesVersion: 3 });
  return renderToStaticMarkup(createElement(QueryClientProvider, { client }, node));
};

describe('the queue rules page', () => {
  it('is linked for those who manage routing only', () => {
    expect(firstAdminPath(user(['contacts:read', 'routing:manage']))).toBe('/admin/queues');
    expect(firstAdminPath(user(['contacts:read']))).toBeNull();
  });

  it('shows a role that reads contacts the rules and the default queue, with no controls', () => {
    const page = render(adminScreenAt('/admin/queue-rules', user(['contacts:read']), 'no access'));
    expect(page).toContain('Contacts that match no rule go to the default queue, General enquiries.');
    expect(page).toContain('Domestic abuse, Weapons');
    expect(page).toContain('A supervisor or force administrator changes them.');
    expect(page).not.toContain('<button');
    const managed = render(adminScreenAt('/admin/queue-rules', user(['contacts:read', 'routing:manage']), 'no access'));
    expect(managed).toContain('Save rules');
    expect(managed).toContain('Move down<span class="visually-hidden"> rule 1</span>');
    expect(managed).not.toContain('A supervisor or force administrator changes them.');
    expect(render(adminScreenAt('/admin/queue-rules', user(['routing:supervise']), 'no access'))).toBe('no access');
  });

  it('lists the stored rules a save would refuse, each linked to its row and marked there, for every reader', () => {
    const reason = 'This rule must name at least one channel, category or priority.';
    const marked = [...rules, { queueId: 'q-general', position: 3, channels: null, categories: null, priorities: null, refusedBecause: reason }];
    for (const permissions of [['contacts:read'], ['contacts:read', 'routing:manage']] as const) {
      const page = render(adminScreenAt('/admin/queue-rules', user([...permissions]), 'no access'), marked);
      expect(page).toContain('A rule to fix');
      expect(page).toContain(`<a href="#queue-rule-2">Rule 3</a>: ${reason}`);
      expect(page).toContain(`To fix: ${reason} Contacts are still routed by it.`);
    }
    expect(render(adminScreenAt('/admin/queue-rules', user(['contacts:read']), 'no access'))).not.toContain('to fix');
  });
});
