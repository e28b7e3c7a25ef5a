// A retired unit's last position is not kept (decision 0094): retiring it removes its latest
// position with the move, so no reader of latest positions (the unit board and map, the list of
// all units, the recommendation) shows or uses it, and reinstating it brings none back. A
// reinstated unit has no position until its tracker reports one newer than any it had reported
// before; an old one sent again is ignored, never a failure.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createDemoLikeForce, signIn, type TestApp } from '../helpers.ts';
import { migrationStatements } from '../migration-script.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { controlRoomOn, dispatchKit, type Session } from './dispatch-kit.ts';

type Position = { lat: number; lon: number; recordedAt: string; isStale: boolean };
type Unit = { id: string; callSign: string; status: string; position: Position | null };
type Recommendation = { candidates: { callSign: string }[] };

/** The migration's data statement (its grant is the schema's, already in place). */
const deletion = migrationStatements('0056', (statement) => statement.startsWith('delete'));

const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);
// Far from the demo force's seeded units, so only this file's units are near.
const SCENE = { lat: 57.489, lon: -4.251 };

describe(`a retired unit's last position (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;

  const kit = dispatchKit(() => app);
  const { api } = kit;
  const at = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000).toISOString();
  const report = (unitId: string, recordedAt: string) =>
    api<{ stored: number; ignored: number; refused: unknown[] }>(dispatcher, 'POST', '/api/units/positions', { positions: [{ unitId, lat: SCENE.lat + 0.001, lon: SCENE.lon, recordedAt }] });
  const unitAsListed = async (unitId: string, query = '') => (await api<{ units: Unit[] }>(dispatcher, 'GET', `/api/units${query}`)).body.units.find((u) => u.id === unitId);
  const unitRead = async (unitId: string) => (await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unitId}`)).body.unit;
  const latestRows = (unitId: string) => app.database.db.selectFrom('unit_positions_latest').select('unit_id').where('unit_id', '=', unitId).execute();
  const move = async (unitId: string, path: 'retire' | 'reinstate') => {
    const moved = await api<{ unit: Unit }>(supervisor, 'POST', `/api/units/${unitId}/${path}`, path === 'retire' ? { reason: 'Written off' } : undefined);
    expect(moved.status, moved.raw).toBe(200);
    return moved.body.unit;
  };

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
  });
  afterAll(() => app.close());

  it('drops-the-latest-position-on-retiring-and-shows-none-in-any-list-or-read', async () => {
    const unit = await kit.addUnit<Unit>(supervisor, { callSign: 'RP1', type: 'response' });
    expect((await report(unit.id, at(-5))).body.stored).toBe(1);
    expect((await unitRead(unit.id)).position).toMatchObject({ lat: SCENE.lat + 0.001, lon: SCENE.lon });
    await kit.setUnitStatus(dispatcher, unit.id, 'off_duty');

    expect((await move(unit.id, 'retire')).position).toBeNull();
    expect(await latestRows(unit.id)).toEqual([]);
    expect((await unitRead(unit.id)).position).toBeNull();
    expect(await unitAsListed(unit.id, '?which=all')).toMatchObject({ status: 'retired', position: null });
  });

  it('brings-no-stale-position-back-on-reinstating, ignores an old one sent again, and shows the next one reported', async () => {
    const unit = await kit.addUnit<Unit>(supervisor, { callSign: 'RP2', type: 'response' });
    const lastBeforeRetiring = at(-5);
    expect((await report(unit.id, lastBeforeRetiring)).body.stored).toBe(1);
    await kit.setUnitStatus(dispatcher, unit.id, 'off_duty');
    await move(unit.id, 'retire');

    expect((await move(unit.id, 'reinstate')).position).toBeNull();
    await kit.setUnitStatus(dispatcher, unit.id, 'available');
    expect(await unitAsListed(unit.id)).toMatchObject({ status: 'available', position: null });
    const incident = await kit.createIncident<{ id: string }>(handler, { type: 'crime_violence', summary: 'Disturbance', ...SCENE });
    const recommend = async () => (await api<Recommendation>(dispatcher, 'GET', `/api/incidents/${incident.id}/recommendation?limit=5`)).body.candidates.map((c) => c.callSign);
    expect(await recommend()).not.toContain('RP2');

    // Its tracker sends its last position from before the retirement again, and an older one: neither is current.
    for (const recordedAt of [lastBeforeRetiring, at(-10)]) {
      const resent = await report(unit.id, recordedAt);
      expect(resent.status, resent.raw).toBe(200);
      expect(resent.body).toEqual({ stored: 0, ignored: 1, refused: [] });
    }
    expect((await unitRead(unit.id)).position).toBeNull();

    clock.advance(1_000);
    const fresh = await report(unit.id, at(0));
    expect(fresh.body).toEqual({ stored: 1, ignored: 0, refused: [] });
    expect((await unitRead(unit.id)).position).toMatchObject({ recordedAt: at(0), isStale: false });
    expect(await recommend()).toContain('RP2');
  });

  it('clears-the-rows-of-units-retired-before-the-change-in-every-force-and-keeps-the-others (migration 0056)', async () => {
    expect(deletion).toHaveLength(1);
    const other = await createDemoLikeForce(app);
    const otherSupervisor = await signIn(app, other.emailOf('supervisor@demo.police.uk'));
    const otherDispatcher = await signIn(app, other.emailOf('dispatch@demo.police.uk'));
    const retired = await kit.addUnit<Unit>(supervisor, { callSign: 'MG1', type: 'response' });
    const working = await kit.addUnit<Unit>(supervisor, { callSign: 'MG2', type: 'response' });
    const elsewhere = await kit.addUnit<Unit>(otherSupervisor, { callSign: 'MG3', type: 'response' });
    expect((await report(retired.id, at(-5))).body.stored).toBe(1);
    expect((await report(working.id, at(-5))).body.stored).toBe(1);
    const posted = await api<{ stored: number }>(otherDispatcher, 'POST', '/api/units/positions', { positions: [{ unitId: elsewhere.id, lat: SCENE.lat, lon: SCENE.lon, recordedAt: at(-5) }] });
    expect(posted.body.stored).toBe(1);
    await kit.setUnitStatus(dispatcher, retired.id, 'off_duty');
    await move(retired.id, 'retire');
    await kit.setUnitStatus(otherDispatcher, elsewhere.id, 'off_duty');
    expect((await api(otherSupervisor, 'POST', `/api/units/${elsewhere.id}/retire`, { reason: 'Sold' })).status).toBe(200);

    // As retiring left them before decision 0094: the latest rows still there.
    const rowsBefore = await app.database.db.selectFrom('unit_positions_latest').selectAll().where('unit_id', 'in', [retired.id, working.id]).execute();
    await withSystem(app.database.db, async (tx) => {
      await tx
        .insertInto('unit_positions_latest')
        .values([
          { unit_id: retired.id, force_id: app.demoForceId, lat: SCENE.lat, lon: SCENE.lon, recorded_at: new Date(at(-5)), received_at: new Date(at(-5)) },
          { unit_id: elsewhere.id, force_id: other.forceId, lat: SCENE.lat, lon: SCENE.lon, recorded_at: new Date(at(-5)), received_at: new Date(at(-5)) },
        ])
        .execute();
    });
    expect(rowsBefore.map((row) => row.unit_id)).toEqual([working.id]);

    await withSystem(app.database.db, async (tx) => {
      for (const statement of deletion) await sql.raw(statement).execute(tx);
    });

    const left = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('unit_positions_latest').select('unit_id').where('unit_id', 'in', [retired.id, working.id, elsewhere.id]).execute(),
    );
    expect(left.map((row) => row.unit_id)).toEqual([working.id]);
    expect((await unitRead(working.id)).position).toMatchObject({ lat: SCENE.lat + 0.001, lon: SCENE.lon });
    // Positions the history kept are not the migration's to remove.
    const history = await withSystem(app.database.db, (tx) => tx.selectFrom('unit_position_history').select('unit_id').where('unit_id', '=', retired.id).execute());
    expect(history.length).toBeGreaterThan(0);
  });
});
