import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { seedDemoControlRoom } from '../../src/capabilities/dispatch/demo-control-room.ts';
import { withSystem } from '../../src/platform/db/database.ts';

describe(`the demo force's control room (${ENGINE})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('has three districts and forty units, each placed in its district, and is seeded once', async () => {
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const response = await app.inject({ method: 'GET', url: '/api/units', headers: dispatcher.headers });
    const units = response.json<{ units: { callSign: string; status: string; position: { lat: number; lon: number } | null }[] }>().units;
    expect(units).toHaveLength(40);
    expect(units.every((unit) => unit.status === 'available' && unit.position !== null)).toBe(true);

    await seedDemoControlRoom(app.deps, app.demoForceId);
    const counts = await withSystem(app.database.db, async (tx) => ({
      areas: (await tx.selectFrom('areas').select('name').where('force_id', '=', app.demoForceId).orderBy('name').execute()).map((row) => row.name),
      units: (await tx.selectFrom('units').select('id').where('force_id', '=', app.demoForceId).execute()).length,
    }));
    expect(counts).toEqual({ areas: ['Broadland', 'Norwich City', 'South Norfolk'], units: 40 });

    // A unit's position falls in its own district: create an incident there and look.
    const handler = await signIn(app, 'handler@demo.police.uk');
    const nc = units.find((unit) => unit.callSign === 'NC01');
    const created = await app.inject({ method: 'POST', url: '/api/incidents', headers: handler.headers, payload: { type: 'crime', summary: 'Demo', lat: nc?.position?.lat, lon: nc?.position?.lon } });
    expect(created.json<{ incident: { location: { district: { name: string } | null } } }>().incident.location.district?.name).toBe('Norwich City');
  });
});
