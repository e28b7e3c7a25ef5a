// Live messages keep the console's queries fresh: each names what changed, and a burst of them
// refetches each affected query once.
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVERYTHING, staleAfter, syncQueriesWithLive } from '../../web/console/src/api/live-sync.ts';
import { caseKeys } from '../../web/console/src/api/cases.ts';
import { queryKeys } from '../../web/console/src/api/query-keys.ts';
import type { LiveMessage } from '../../web/console/src/api/types.ts';

describe('what a live message makes stale', () => {
  it('a changed contact: its screen and panels, the queue and the board', () => {
    expect(staleAfter({ type: 'queue.changed', contactId: 'c1' })).toEqual([
      queryKeys.contacts.detail('c1'),
      queryKeys.contacts.thrive('c1'),
      queryKeys.contacts.grade('c1'),
      queryKeys.contacts.lists,
      queryKeys.routing.board,
    ]);
  });

  it("a changed incident: the control room's incidents, the board's list and each incident's screen (the map draws from them)", () => {
    expect(staleAfter({ type: 'incidents.changed', incidentId: 'i1' })).toEqual([queryKeys.dispatch.incidents]);
    // One prefix holds the list and every incident's screen.
    expect(queryKeys.dispatch.incident('i1').slice(0, 2)).toEqual([...queryKeys.dispatch.incidents]);
  });

  it("a changed unit: the units the unit board and the map show", () => {
    expect(staleAfter({ type: 'units.changed', unitId: 'u1' })).toEqual([queryKeys.dispatch.units]);
  });

  it("an incident's breach alert: the supervisors' alerts and that incident's screen; a contact's: its screen and the board", () => {
    expect(staleAfter({ type: 'alert.raised', alertId: 'a1', kind: 'response_breach', incidentId: 'i1' })).toEqual([queryKeys.alerts, queryKeys.dispatch.incident('i1')]);
    expect(staleAfter({ type: 'alert.raised', alertId: 'a2', kind: 'threat_to_life', contactId: 'c1' })).toEqual([queryKeys.alerts, queryKeys.contacts.detail('c1'), queryKeys.routing.board]);
  });

  it("a case's alert that its Victims' Code clocks could not be opened: the supervisors' alerts and that case's screen", () => {
    expect(staleAfter({ type: 'alert.raised', alertId: 'a3', kind: 'victim_updates_unopened', caseId: 'k1' })).toEqual([queryKeys.alerts, caseKeys.detail('k1')]);
    // Put right, and acknowledged: the banner and the case's timeline (decision 0128).
    expect(staleAfter({ type: 'alert.put_right', alertId: 'a3', caseId: 'k1' })).toEqual([queryKeys.alerts, caseKeys.detail('k1')]);
    expect(staleAfter({ type: 'alert.acknowledged', alertId: 'a3', caseId: 'k1' })).toEqual([queryKeys.alerts, caseKeys.detail('k1')]);
  });

  it("a change of areas: the areas the areas page, the dispatcher's map and the unit lists show", () => {
    expect(staleAfter({ type: 'areas.changed', byStaffId: 's1' })).toEqual([queryKeys.dispatch.areas]);
  });

  it('a letter queued, printed or withdrawn: the print queue, which holds the letter open on screen too', () => {
    expect(staleAfter({ type: 'print_queue.changed', letterId: 'l1', change: 'printed', byStaffId: 's1' })).toEqual([queryKeys.printQueue]);
    // Under the outbox, so a withdrawal from the outbox screen refreshes it too.
    expect(queryKeys.printQueue.slice(0, 1)).toEqual([...queryKeys.outbox]);
  });

  it("a change of journey rules: the journey rules page", () => {
    expect(staleAfter({ type: 'journey_rules.changed' })).toEqual([queryKeys.admin.journeyRules]);
  });

  it('a change of an edited record: nothing refetched, so no open form has its record swapped under it', () => {
    expect(staleAfter({ type: 'record.changed', record: 'queue', id: 'q1', byStaffId: 's1' })).toEqual([]);
  });

  it('a resync: everything, since events may have been missed', () => {
    expect(staleAfter({ type: 'resync' })).toBe(EVERYTHING);
  });

  it('hello: nothing', () => {
    expect(staleAfter({ type: 'hello' })).toEqual([]);
  });
});

describe('keeping queries in step with live messages', () => {
  let listener: ((message: LiveMessage) => void) | null = null;
  const live = {
    subscribe(next: (message: LiveMessage) => void) {
      listener = next;
      return () => {
        listener = null;
      };
    },
  };
  const send = (message: LiveMessage) => listener?.(message);

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('invalidates each named query once for a burst of messages, after a short gathering', () => {
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    const stop = syncQueriesWithLive(live, client, 200);
    send({ type: 'queue.changed', contactId: 'c1' });
    send({ type: 'routing.changed' });
    send({ type: 'queue.changed', contactId: 'c1' });
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    const keys = invalidate.mock.calls.map(([filters]) => JSON.stringify(filters?.queryKey));
    expect(keys).toHaveLength(new Set(keys).size);
    expect(keys).toEqual(expect.arrayContaining([JSON.stringify(queryKeys.contacts.detail('c1')), JSON.stringify(queryKeys.routing.all)]));
    stop();
  });

  it('refetches everything but the session after a resync', () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.session, null);
    client.setQueryData(queryKeys.outbox, []);
    const stop = syncQueriesWithLive(live, client, 200);
    send({ type: 'resync' });
    vi.advanceTimersByTime(200);
    expect(client.getQueryState(queryKeys.outbox)?.isInvalidated).toBe(true);
    expect(client.getQueryState(queryKeys.session)?.isInvalidated).toBe(false);
    stop();
  });

  it('stops listening when stopped, and drops what it gathered', () => {
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    const stop = syncQueriesWithLive(live, client, 200);
    send({ type: 'routing.changed' });
    stop();
    vi.advanceTimersByTime(200);
    expect(invalidate).not.toHaveBeenCalled();
    expect(listener).toBeNull();
  });
});

describe("reading the control room's live frames", () => {
  it('reads incidents, units and both kinds of alert, and drops a frame missing what it names', async () => {
    const { parseLiveEvent } = await import('../../web/console/src/live.ts');
    expect(parseLiveEvent(JSON.stringify({ type: 'incidents.changed', incidentId: 'i1' }))).toEqual({ type: 'incidents.changed', incidentId: 'i1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'units.changed', unitId: 'u1' }))).toEqual({ type: 'units.changed', unitId: 'u1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'areas.changed', byStaffId: 's1' }))).toEqual({ type: 'areas.changed', byStaffId: 's1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'areas.changed', byStaffId: 7 }))).toEqual({ type: 'areas.changed' });
    expect(parseLiveEvent(JSON.stringify({ type: 'alert.raised', alertId: 'a1', kind: 'response_breach', incidentId: 'i1' }))).toEqual({ type: 'alert.raised', alertId: 'a1', kind: 'response_breach', incidentId: 'i1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'alert.raised', alertId: 'a1', kind: 'sla_breach', contactId: 'c1' }))).toEqual({ type: 'alert.raised', alertId: 'a1', kind: 'sla_breach', contactId: 'c1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'alert.raised', alertId: 'a1', kind: 'victim_updates_unopened', caseId: 'k1' }))).toEqual({ type: 'alert.raised', alertId: 'a1', kind: 'victim_updates_unopened', caseId: 'k1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'alert.raised', alertId: 'a1', kind: 'response_breach' }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ type: 'alert.put_right', alertId: 'a1', caseId: 'k1' }))).toEqual({ type: 'alert.put_right', alertId: 'a1', caseId: 'k1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'alert.put_right', alertId: 'a1' }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ type: 'alert.acknowledged', alertId: 'a1', caseId: 'k1' }))).toEqual({ type: 'alert.acknowledged', alertId: 'a1', caseId: 'k1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'alert.acknowledged', alertId: 'a1' }))).toEqual({ type: 'alert.acknowledged', alertId: 'a1' });
    expect(parseLiveEvent(JSON.stringify({ type: 'incidents.changed' }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ type: 'units.changed', unitId: 7 }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ type: 'journey_rules.changed' }))).toEqual({ type: 'journey_rules.changed' });
  });

  it('reads which edited record changed and who changed it, and drops a record it does not know', async () => {
    const { parseLiveEvent } = await import('../../web/console/src/live.ts');
    expect(parseLiveEvent(JSON.stringify({ type: 'record.changed', record: 'template', id: 'case.allocated/email/cy', byStaffId: 's1' }))).toEqual({
      type: 'record.changed',
      record: 'template',
      id: 'case.allocated/email/cy',
      byStaffId: 's1',
    });
    expect(parseLiveEvent(JSON.stringify({ type: 'record.changed', record: 'queue_rules' }))).toEqual({ type: 'record.changed', record: 'queue_rules' });
    expect(parseLiveEvent(JSON.stringify({ type: 'record.changed', record: 'toString' }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ type: 'record.changed' }))).toBeNull();
  });

  it('reads which letter of the print queue came or went, how, and who moved it, and drops a change it does not know', async () => {
    const { parseLiveEvent } = await import('../../web/console/src/live.ts');
    expect(parseLiveEvent(JSON.stringify({ type: 'print_queue.changed', letterId: 'l1', change: 'printed', byStaffId: 's1' }))).toEqual({
      type: 'print_queue.changed',
      letterId: 'l1',
      change: 'printed',
      byStaffId: 's1',
    });
    expect(parseLiveEvent(JSON.stringify({ type: 'print_queue.changed', letterId: 'l1', change: 'queued' }))).toEqual({ type: 'print_queue.changed', letterId: 'l1', change: 'queued' });
    expect(parseLiveEvent(JSON.stringify({ type: 'print_queue.changed', letterId: 'l1', change: 'toString' }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ type: 'print_queue.changed', change: 'withdrawn' }))).toBeNull();
    // A case's letters overtaken name the case (decision 0156), and only it.
    expect(parseLiveEvent(JSON.stringify({ type: 'print_queue.changed', caseId: 'c1', change: 'overtaken', letterId: 'l1' }))).toEqual({ type: 'print_queue.changed', caseId: 'c1', change: 'overtaken' });
    expect(parseLiveEvent(JSON.stringify({ type: 'print_queue.changed', letterId: 'l1', change: 'overtaken' }))).toBeNull();
  });
});
