import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { DemoFeeder, PATROL_SPEED, RESPONSE_SPEED, boxOf, driveTowards, metresBetween } from '../../src/capabilities/dispatch/demo-feeder.ts';

type Unit = { id: string; callSign: string; status: string; homeAreaId: string | null; position: { lat: number; lon: number; recordedAt: string; isStale: boolean } | null };
type Area = { id: string; geometry: { type: 'Polygon'; coordinates: number[][][] } };

describe('driving towards a point', () => {
  it('covers speed × time and never overshoots', () => {
    const from = { lat: 52.6, lon: 1.3 };
    const to = { lat: 52.7, lon: 1.3 };
    const after = driveTowards(from, to, 10, 60);
    expect(metresBetween(from, after)).toBeCloseTo(600, -1);
    expect(driveTowards(from, to, 10, 1e6)).toEqual(to);
    expect(driveTowards(from, to, 10, 0)).toEqual(from);
  });
});

describe(`the demo feeder (${ENGINE})`, () => {
  let app: TestApp;
  // Later than the seeded positions, so every tick's positions are the newest.
  const clock = fixedClock(new Date(Date.now() + 60 * 60_000));
  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  it('moves patrols inside their districts, drives a unit en route to its incident and keeps it there on scene, all through ingest', async () => {
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const readUnits = async () => (await app.inject({ method: 'GET', url: '/api/units', headers: dispatcher.headers })).json<{ units: Unit[] }>().units;
    const areas = (await app.inject({ method: 'GET', url: '/api/areas', headers: dispatcher.headers })).json<{ areas: Area[] }>().areas;
    const feeder = new DemoFeeder(app.deps, app.demoForceId);

    // The first tick reports every unit where it is, fresh.
    expect(await feeder.tick()).toEqual({ stored: 40, ignored: 0 });
    const before = await readUnits();
    expect(before.every((unit) => unit.position?.recordedAt === clock.now().toISOString())).toBe(true);

    // An incident near NC01; NC01 is sent and goes en route.
    const nc01 = before.find((unit) => unit.callSign === 'NC01');
    if (!nc01?.position) throw new Error('NC01 has no position');
    const scene = { lat: nc01.position.lat + 0.03, lon: nc01.position.lon };
    const created = await app.inject({ method: 'POST', url: '/api/incidents', headers: dispatcher.headers, payload: { type: 'crime', summary: 'Fight', grade: 'immediate', ...scene } });
    const incidentId = created.json<{ incident: { id: string } }>().incident.id;
    expect((await app.inject({ method: 'POST', url: `/api/incidents/${incidentId}/dispatch`, headers: dispatcher.headers, payload: { unitIds: [nc01.id] } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/units/${nc01.id}/status`, headers: dispatcher.headers, payload: { status: 'en_route' } })).statusCode).toBe(200);

    clock.advance(60_000);
    expect(await feeder.tick()).toEqual({ stored: 40, ignored: 0 });
    const after = await readUnits();
    for (const unit of after) {
      const was = before.find((u) => u.id === unit.id)?.position;
      if (!unit.position || !was) throw new Error(`${unit.callSign} lost its position`);
      expect(unit.position.isStale).toBe(false);
      if (unit.id === nc01.id) continue;
      expect(metresBetween(was, unit.position)).toBeLessThanOrEqual(PATROL_SPEED * 60 + 1);
      const area = areas.find((a) => a.id === unit.homeAreaId);
      if (!area) throw new Error(`${unit.callSign} has no district`);
      const box = boxOf(area.geometry);
      expect(unit.position.lat).toBeGreaterThanOrEqual(box.south);
      expect(unit.position.lat).toBeLessThanOrEqual(box.north);
    }
    expect(after.filter((unit) => unit.id !== nc01.id).some((unit) => unit.position?.lat !== before.find((u) => u.id === unit.id)?.position?.lat)).toBe(true);
    const sent = after.find((unit) => unit.id === nc01.id)?.position;
    if (!sent) throw new Error('NC01 lost its position');
    expect(metresBetween(nc01.position, scene) - metresBetween(sent, scene)).toBeCloseTo(RESPONSE_SPEED * 60, -1);

    // On scene, it reports the scene.
    expect((await app.inject({ method: 'POST', url: `/api/units/${nc01.id}/status`, headers: dispatcher.headers, payload: { status: 'on_scene' } })).statusCode).toBe(200);
    clock.advance(5_000);
    await feeder.tick();
    const onScene = (await readUnits()).find((unit) => unit.id === nc01.id)?.position;
    expect(onScene && { lat: onScene.lat, lon: onScene.lon }).toEqual(scene);
  });

  it('gives a reinstated unit, whose last position went with its retirement, a first fix in its district, and a new unit one in the force\'s areas', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    const readUnits = async () => (await app.inject({ method: 'GET', url: '/api/units', headers: admin.headers })).json<{ units: Unit[] }>().units;
    const areas = (await app.inject({ method: 'GET', url: '/api/areas', headers: admin.headers })).json<{ areas: Area[] }>().areas;
    const feeder = new DemoFeeder(app.deps, app.demoForceId, 5);
    clock.advance(60_000);
    await feeder.tick();

    const unit = (await readUnits()).find((u) => u.status === 'available' && u.homeAreaId !== null);
    if (!unit) throw new Error('no available unit with a district');
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    expect((await app.inject({ method: 'POST', url: `/api/units/${unit.id}/status`, headers: dispatcher.headers, payload: { status: 'off_duty' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/units/${unit.id}/retire`, headers: admin.headers, payload: { reason: 'written off' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/units/${unit.id}/reinstate`, headers: admin.headers })).statusCode).toBe(200);
    const created = await app.inject({ method: 'POST', url: '/api/units', headers: admin.headers, payload: { callSign: 'FD 99', type: 'response' } });
    expect(created.statusCode).toBe(201);
    const fresh = created.json<{ unit: Unit }>().unit;
    const units = await readUnits();
    expect(units.find((u) => u.id === unit.id)?.position).toBeNull();
    expect(units.find((u) => u.id === fresh.id)?.position).toBeNull();

    clock.advance(5_000);
    const ticked = await feeder.tick();
    expect(ticked.ignored).toBe(0);
    expect(ticked.stored).toBe(units.length);
    const after = await readUnits();
    const back = after.find((u) => u.id === unit.id)?.position;
    const home = areas.find((a) => a.id === unit.homeAreaId);
    if (!back || !home) throw new Error('the reinstated unit has no position');
    const box = boxOf(home.geometry);
    expect(back.lat).toBeGreaterThanOrEqual(box.south);
    expect(back.lat).toBeLessThanOrEqual(box.north);
    expect(back.lon).toBeGreaterThanOrEqual(box.west);
    expect(back.lon).toBeLessThanOrEqual(box.east);
    const first = after.find((u) => u.id === fresh.id)?.position;
    if (!first) throw new Error('the new unit has no position');
    const boxes = areas.map((a) => boxOf(a.geometry));
    expect(first.lat).toBeGreaterThanOrEqual(Math.min(...boxes.map((b) => b.south)));
    expect(first.lat).toBeLessThanOrEqual(Math.max(...boxes.map((b) => b.north)));
  });
});
