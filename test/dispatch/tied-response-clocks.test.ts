// Decision 0178, after 0169. A regrade stops an incident's countdown and starts the next at one
// time, and so does a dispatch: two regrades and a dispatch in one instant (always, on a clock that
// stands still) start three clocks at the same time, and the incident's clocks, the kinds of missed
// target the board shows and the target the response report measures against were chosen by start
// time alone: tied clocks came back in whatever order PostgreSQL met them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { controlRoomOn, dispatchKit, type Session } from './dispatch-kit.ts';

type ClockRecord = { id: string; kind: string; grade: string; startedAt: string; stopReason: string | null; breachedAt: string | null };
type Incident = { id: string; missedTargets: string[]; clocks: ClockRecord[] };
type Measure = { measured: number; withinTarget: number };
type Report = { rows: { areaName: string | null; grade: string; deploy: Measure }[] };

const MINUTE = 60_000;
const START = new Date('2026-09-14T08:00:00Z');
const MOOR = { lat: 56.35, lon: -3.55 };
const square = (lon: number, lat: number) => ({ type: 'Polygon' as const, coordinates: [[[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]] });

describe(`an incident's clocks started at one time come back in the order they were started (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  const kit = dispatchKit(() => app);
  const { api } = kit;

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
    await withSystem(app.database.db, (tx) =>
      tx.insertInto('areas').values({ id: newId(), force_id: app.demoForceId, name: 'Moor', kind: 'district', setting: 'urban', geometry: JSON.stringify(square(-3.6, 56.3)), created_at: START }).execute(),
    );
  });
  afterAll(() => app.close());

  it('lists the clocks, the missed targets and the target the report measures by in the order the clocks were started', async () => {
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Fight on the moor road', grade: 'immediate', ...MOOR });
    // Ten minutes on, in one instant: Priority (its 20-minute deploy target not yet missed), back
    // to Immediate (3 minutes, missed), and a unit sent. Three clocks start at this one time.
    clock.advance(10 * MINUTE);
    for (const grade of ['priority', 'immediate']) {
      const regraded = await api(supervisor, 'POST', `/api/incidents/${incident.id}/grade`, { grade });
      expect(regraded.status, regraded.raw).toBe(200);
    }
    const unit = await kit.addUnit(supervisor, { callSign: 'MR101', type: 'response' });
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);
    // On scene at thirty minutes: the 15-minute arrival target missed too.
    clock.advance(20 * MINUTE);
    await kit.setUnitStatus(dispatcher, unit.id, 'on_scene');

    const started = (await kit.getIncident<Incident>(dispatcher, incident.id)).clocks;
    const tenMinutesIn = new Date(START.getTime() + 10 * MINUTE).toISOString();
    expect(started.map((c) => [c.kind, c.grade, c.stopReason, c.startedAt === tenMinutesIn])).toEqual([
      ['deploy', 'immediate', 'regraded', false],
      ['deploy', 'priority', 'regraded', true],
      ['deploy', 'immediate', 'dispatched', true],
      ['arrive', 'immediate', 'arrived', true],
    ]);
    const [, priority, deploy, arrive] = started;
    expect(arrive?.breachedAt).not.toBeNull();

    // PostgreSQL stores a row's new version wherever it finds room (after a vacuum, in space freed
    // ahead of the others), so tied rows come back in an order that has nothing to do with the
    // incident's. Here a clock's row is moved past the others, as a change to it and its undoing do.
    const storeApart = (clockId: string) =>
      withSystem(app.database.db, async (tx) => {
        await tx.updateTable('response_clocks').set({ stopped_at: sql`stopped_at + interval '1 second'` }).where('id', '=', clockId).execute();
        await tx.updateTable('response_clocks').set({ stopped_at: sql`stopped_at - interval '1 second'` }).where('id', '=', clockId).execute();
      });
    const incidentNow = () => kit.getIncident<Incident>(dispatcher, incident.id);

    await storeApart(deploy?.id ?? '');
    expect((await incidentNow()).missedTargets).toEqual(['deploy', 'arrive']);

    await storeApart(priority?.id ?? '');
    expect((await incidentNow()).clocks.map((c) => c.id)).toEqual(started.map((c) => c.id));
    expect((await incidentNow()).clocks.map((c) => c.id)).toEqual(started.map((c) => c.id));

    // The missed deploy target explained: the board shows only the arrival's still to explain.
    const explained = await api(dispatcher, 'POST', `/api/incidents/${incident.id}/clocks/${deploy?.id ?? ''}/breach-reason`, { reasonCode: 'no_unit_available' });
    expect(explained.status, explained.raw).toBe(200);
    expect((await incidentNow()).missedTargets).toEqual(['arrive']);
    expect((await incidentNow()).clocks.map((c) => c.id)).toEqual(started.map((c) => c.id));

    // Sent at ten minutes: outside Immediate's 3, the target its last deploy clock ran against,
    // though within the 20 of the Priority clock started (and stopped) at the same time.
    const report = await api<Report>(supervisor, 'GET', '/api/reports/response?from=2026-09-14&to=2026-09-14');
    expect(report.status, report.raw).toBe(200);
    expect(report.body.rows.filter((r) => r.areaName === 'Moor').map((r) => [r.grade, r.deploy.measured, r.deploy.withinTarget])).toEqual([['immediate', 1, 0]]);
  });

  it('lists tied clocks stored before their seq in one fixed order, by id (decision 0185)', async () => {
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Second fight on the moor road', grade: 'immediate', ...MOOR });
    clock.advance(10 * MINUTE);
    for (const grade of ['priority', 'immediate']) {
      const regraded = await api(supervisor, 'POST', `/api/incidents/${incident.id}/grade`, { grade });
      expect(regraded.status, regraded.raw).toBe(200);
    }
    const unit = await kit.addUnit(supervisor, { callSign: 'MR102', type: 'response' });
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);
    // Stored before migration 0093: no clock of the incident has a seq, so seq settles no tie.
    await withSystem(app.database.db, (tx) => sql`update response_clocks set seq = null where incident_id = ${incident.id}`.execute(tx));
    const [first, ...tied] = (await kit.getIncident<Incident>(dispatcher, incident.id)).clocks;
    // The three started at ten minutes: two stopped (by id), then the one still running.
    const stopped = tied.filter((c) => c.stopReason !== null).map((c) => c.id).sort();
    const running = tied.filter((c) => c.stopReason === null).map((c) => c.id);
    expect([stopped.length, running.length]).toEqual([2, 1]);
    const expected = [first?.id, ...stopped, ...running];
    // Each row moved past the others, the highest id first, as a change to it and its undoing do.
    await withSystem(app.database.db, async (tx) => {
      for (const clockId of [...stopped].reverse()) {
        await tx.updateTable('response_clocks').set({ stopped_at: sql`stopped_at + interval '1 second'` }).where('id', '=', clockId).execute();
        await tx.updateTable('response_clocks').set({ stopped_at: sql`stopped_at - interval '1 second'` }).where('id', '=', clockId).execute();
      }
    });
    expect((await kit.getIncident<Incident>(dispatcher, incident.id)).clocks.map((c) => c.id)).toEqual(expected);
    expect((await kit.getIncident<Incident>(dispatcher, incident.id)).clocks.map((c) => c.id)).toEqual(expected);
  });

  it("lists an incident's breaches due at one time in the order their clocks were started, then by id (decision 0192)", async () => {
    type Breach = { incidentId: string; kind: string; dueAt: string };
    // The next day (signed in again), so the report's breaches are this incident's two alone.
    const DAY = new Date('2026-09-15T08:00:00Z');
    clock.set(DAY);
    handler = await signIn(app, 'handler@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Third fight on the moor road', grade: 'immediate', ...MOOR });
    // The deploy target missed (sent at ten minutes), and the arrival's (on scene at thirty).
    clock.advance(10 * MINUTE);
    const unit = await kit.addUnit(supervisor, { callSign: 'MR103', type: 'response' });
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);
    clock.advance(20 * MINUTE);
    await kit.setUnitStatus(dispatcher, unit.id, 'on_scene');
    const breached = (await kit.getIncident<Incident>(dispatcher, incident.id)).clocks.filter((c) => c.breachedAt !== null);
    expect(breached.map((c) => c.kind)).toEqual(['deploy', 'arrive']);
    const [deploy, arrive] = breached;
    // The machine does not miss two targets of one incident at one time: the two are made started,
    // due and found missed at one time here, so only seq, then id, can order them (nor can a scan
    // of an index on the start or the breach).
    await withSystem(app.database.db, (tx) => sql`update response_clocks set started_at = ${DAY}, due_at = ${DAY}, breached_at = ${DAY} where id in (${deploy?.id ?? ''}, ${arrive?.id ?? ''})`.execute(tx));
    // Each clock's row moved past the other, the given one first, by a change to an indexed column
    // (`stopped_at` decides the one running clock) and its undoing.
    const storeInOrder = (clockIds: string[]) =>
      withSystem(app.database.db, async (tx) => {
        for (const clockId of clockIds) {
          await tx.updateTable('response_clocks').set({ stopped_at: sql`stopped_at + interval '1 second'` }).where('id', '=', clockId).execute();
          await tx.updateTable('response_clocks').set({ stopped_at: sql`stopped_at - interval '1 second'` }).where('id', '=', clockId).execute();
        }
      });
    const breaches = async () => {
      const report = await api<{ breaches: Breach[] }>(supervisor, 'GET', '/api/reports/response?from=2026-09-15&to=2026-09-15');
      expect(report.status, report.raw).toBe(200);
      return report.body.breaches.filter((b) => b.incidentId === incident.id).map((b) => [b.kind, b.dueAt]);
    };

    // Stored arrive first: still deploy then arrive, the order the clocks were started (seq).
    await storeInOrder([arrive?.id ?? '', deploy?.id ?? '']);
    expect(await breaches()).toEqual([['deploy', DAY.toISOString()], ['arrive', DAY.toISOString()]]);

    // Stored before migration 0096: no seq, so by id, whichever way the rows are stored.
    await withSystem(app.database.db, (tx) => sql`update response_clocks set seq = null where incident_id = ${incident.id}`.execute(tx));
    const byId = [deploy, arrive].sort((a, b) => ((a?.id ?? '') < (b?.id ?? '') ? -1 : 1));
    await storeInOrder(byId.map((c) => c?.id ?? '').reverse());
    const expected = byId.map((c) => [c?.kind, DAY.toISOString()]);
    expect(await breaches()).toEqual(expected);
    expect(await breaches()).toEqual(expected);
  });
});

