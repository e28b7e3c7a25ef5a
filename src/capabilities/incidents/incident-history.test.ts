import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../platform/events/event-log.ts';
import { incidentHistory } from './incident-history.schema.ts';

const event = (seq: number, type: string, data: StoredEvent['data'], actor: Pick<StoredEvent, 'actorType' | 'actorId'> = { actorType: 'staff', actorId: 's1' }): StoredEvent => ({
  forceId: 'f1',
  seq,
  id: `e${seq}`,
  occurredAt: new Date(Date.UTC(2026, 2, 1, 10, seq)),
  ...actor,
  type,
  subjectType: 'incident',
  subjectId: 'i1',
  data,
  prevHash: '',
  hash: '',
});

const names = { staff: new Map([['s1', 'Dan Dispatch']]), incidentTypes: new Map([['concern_for_safety', 'Concern for safety']]) };

describe("an incident's history", () => {
  it('says what each event did and who did it, in order, with the type as the force labels it', () => {
    const lines = incidentHistory(
      [
        event(1, 'incident.created', { number: 7, incidentType: 'concern_for_safety', grade: null, contactIds: [], districtId: null, beatId: null }),
        event(2, 'incident.updated', { changes: { summary: { from: 'a', to: 'b' } } }),
        event(3, 'incident.updated', { changes: { type: { from: 'concern_for_safety', to: 'crime_retired' }, requiredCapabilities: { from: ['dog'], to: [] } } }),
        event(4, 'incident.clock_breached', {}, { actorType: 'system', actorId: null }),
        event(5, 'incident.something_new', {}, { actorType: 'staff', actorId: 'gone' }),
      ],
      names,
    );
    expect(lines.map((line) => [line.seq, line.actor, line.summary])).toEqual([
      [1, 'Dan Dispatch', 'Created as Concern for safety'],
      [2, 'Dan Dispatch', 'Summary changed'],
      [3, 'Dan Dispatch', 'Type changed from Concern for safety to crime retired; needs changed from dog to nothing'],
      [4, 'Bluelamp', 'Response target missed'],
      [5, 'Staff', 'Something new'],
    ]);
    expect(lines[0]?.at).toBe('2026-03-01T10:01:00.000Z');
  });

  it('says how an incident ended in the force’s words, and names the incidents a merge joined', () => {
    const withLists = {
      ...names,
      closingCodes: new Map([['merged', 'Merged into another incident'], ['hoax', 'Hoax or malicious']]),
      incidents: new Map([['i2', 'INC-2'], ['i9', 'INC-9']]),
      mergedIntoId: 'i9',
    };
    const lines = incidentHistory(
      [
        event(1, 'incident.merged', { fromIncidentId: 'i2', contactIds: [] }),
        event(2, 'incident.merged', { fromIncidentId: 'unknown', contactIds: [] }),
        event(3, 'incident.cancelled', { closingCode: 'merged', clearedUnitIds: [] }),
        event(4, 'incident.closed', { closingCode: 'hoax', clearedUnitIds: [] }),
        event(5, 'incident.resolved_without_deployment', { closingCode: 'retired_code', clearedUnitIds: [] }),
      ],
      withLists,
    );
    expect(lines.map((line) => line.summary)).toEqual([
      'INC-2 was merged into it as a duplicate',
      'A duplicate was merged into it',
      'Cancelled: Merged into another incident (INC-9)',
      'Closed: Hoax or malicious',
      'Resolved without deployment: retired code',
    ]);
  });

  it('says which target a breach missed and when it was due, however long after it was found (in UK time)', () => {
    const breach = { clockId: 'k1', dueAt: '2026-03-01T09:03:00.000Z', alertId: null };
    const lines = incidentHistory(
      [event(40, 'incident.clock_breached', { ...breach, kind: 'deploy' }, { actorType: 'system', actorId: null }), event(41, 'incident.clock_breached', { ...breach, kind: 'arrive', dueAt: '2026-07-01T09:15:00.000Z' })],
      names,
    );
    expect(lines.map((line) => [line.at, line.summary])).toEqual([
      ['2026-03-01T10:40:00.000Z', 'Deploy target missed (due 01 Mar 2026, 09:03)'],
      ['2026-03-01T10:41:00.000Z', 'Arrival target missed (due 01 Jul 2026, 10:15)'],
    ]);
  });
});
