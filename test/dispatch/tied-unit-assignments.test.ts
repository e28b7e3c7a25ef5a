// Decision 0178. An incident's units were listed by the time each was sent, then call sign. A unit
// stood down and sent again in one instant (always, on a clock that stands still) is listed twice
// with one time and one call sign: its two assignments came back in whatever order PostgreSQL met
// them, so the one still running could show before the one it followed.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { controlRoomOn, dispatchKit, type Session } from './dispatch-kit.ts';

type Incident = { id: string; units: { unitId: string; callSign: string; status: string; assignedAt: string; clearedAt: string | null }[] };

const START = new Date('2026-09-14T08:00:00Z');

describe(`an incident's units sent at one time come back in the order they were sent (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  const kit = dispatchKit(() => app);

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
  });
  afterAll(() => app.close());

  it('lists a unit stood down and sent again in one instant first as it was, then as it is', async () => {
    // In one instant: sent, on its way, stood down, and sent again.
    const { incident, unit } = await kit.incidentWithUnit<Incident>(
      { createdBy: handler, addedBy: supervisor, sentBy: dispatcher },
      { type: 'crime_violence', summary: 'Fight outside the pub', grade: 'immediate', lat: 56.35, lon: -3.55 },
      { callSign: 'TA101', type: 'response' },
    );
    await kit.setUnitStatus(dispatcher, unit.id, 'en_route');
    await kit.setUnitStatus(dispatcher, unit.id, 'clear');
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);

    const incidentNow = () => kit.getIncident<Incident>(dispatcher, incident.id);
    const now = START.toISOString();
    const sent = (await incidentNow()).units;
    expect(sent.map((u) => [u.callSign, u.status, u.assignedAt, u.clearedAt])).toEqual([
      ['TA101', 'cleared', now, now],
      ['TA101', 'dispatched', now, null],
    ]);

    // PostgreSQL stores a row's new version wherever it finds room, so tied rows come back in an
    // order that has nothing to do with the incident's. Here the first assignment's row is moved
    // past the other, as a change to it and its undoing do.
    await withSystem(app.database.db, async (tx) => {
      for (const shift of [sql<Date>`cleared_at + interval '1 second'`, sql<Date>`cleared_at - interval '1 second'`]) {
        await tx.updateTable('unit_assignments').set({ cleared_at: shift }).where('unit_id', '=', unit.id).where('cleared_at', 'is not', null).execute();
      }
    });
    expect((await incidentNow()).units).toEqual(sent);
    expect((await incidentNow()).units).toEqual(sent);
  });

  it('lists tied assignments stored before their seq in one fixed order, by id (decision 0192)', async () => {
    const { incident, unit } = await kit.incidentWithUnit<Incident>(
      { createdBy: handler, addedBy: supervisor, sentBy: dispatcher },
      { type: 'crime_violence', summary: 'Second fight outside the pub', grade: 'immediate', lat: 56.35, lon: -3.55 },
      { callSign: 'TA102', type: 'response' },
    );
    await kit.setUnitStatus(dispatcher, unit.id, 'clear');
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);
    // Stored before migration 0096: neither assignment has a seq, so seq settles no tie.
    const assignments = await withSystem(app.database.db, async (tx) => {
      await sql`update unit_assignments set seq = null where incident_id = ${incident.id}`.execute(tx);
      return tx.selectFrom('unit_assignments').select(['id', 'cleared_at']).where('incident_id', '=', incident.id).execute();
    });
    const byId = [...assignments].sort((a, b) => (a.id < b.id ? -1 : 1));
    const expected = byId.map((a) => (a.cleared_at ? 'cleared' : 'dispatched'));
    // Each row moved past the others, the highest id first, so the rows are stored in the reverse
    // of their ids' order: by a change to an indexed column (`cleared_at` decides the one open
    // assignment of a unit) and its undoing, so the new version cannot stay where the old one was.
    await withSystem(app.database.db, async (tx) => {
      for (const assignment of [...byId].reverse()) {
        await tx.updateTable('unit_assignments').set({ cleared_at: new Date(START.getTime() + 60_000) }).where('id', '=', assignment.id).execute();
        await tx.updateTable('unit_assignments').set({ cleared_at: assignment.cleared_at }).where('id', '=', assignment.id).execute();
      }
    });
    const statuses = async () => (await kit.getIncident<Incident>(dispatcher, incident.id)).units.map((u) => u.status);
    expect(await statuses()).toEqual(expected);
    expect(await statuses()).toEqual(expected);
  });
});
