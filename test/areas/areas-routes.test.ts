import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';

type AreasBody = { areas: { name: string; kind: string; setting: string; geometry: { type: string; coordinates: unknown[] } }[] };

describe(`areas and the map's base (${ENGINE})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it("gives a dispatcher the force's districts with their shapes, and no tile source when none is set", async () => {
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const areas = await app.inject({ method: 'GET', url: '/api/areas', headers: dispatcher.headers });
    expect(areas.statusCode).toBe(200);
    const body = areas.json<AreasBody>();
    expect(body.areas.map((area) => [area.name, area.kind, area.setting])).toEqual([
      ['Broadland', 'district', 'rural'],
      ['Norwich City', 'district', 'urban'],
      ['South Norfolk', 'district', 'rural'],
    ]);
    expect(body.areas[0]?.geometry.type).toBe('Polygon');

    const map = await app.inject({ method: 'GET', url: '/api/map', headers: dispatcher.headers });
    expect(map.json()).toEqual({ tiles: null });
  });

  it("never shows another force's areas, and refuses without a session", async () => {
    const other = await createOtherForce(app);
    const stranger = await signIn(app, other.emails.call_handler ?? '', 'other-password');
    const response = await app.inject({ method: 'GET', url: '/api/areas', headers: stranger.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json<AreasBody>().areas).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/areas' })).statusCode).toBe(401);
  });
});
