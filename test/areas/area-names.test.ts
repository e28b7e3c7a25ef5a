import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { heldTogether } from '../held-together.ts';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { migrationStatements } from '../migration-script.ts';

// Area names are unique among a force's live areas of a kind as people read them, letter case
// aside, and the database holds it (migration 0059, decision 0100): "north" is "North".


type Headers = Record<string, string>;
type Area = { id: string; name: string; kind: string; setting: string };
type Refusal = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
const square = (west: number, south: number) => [[[west, south], [west + 0.01, south], [west + 0.01, south + 0.01], [west, south + 0.01], [west, south]]];

describe(`area names, letter case aside (${ENGINE})`, () => {
  let app: TestApp;
  let admin: { headers: Headers };
  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: admin.headers, payload });
  const areas = async () => (await app.inject({ method: 'GET', url: '/api/areas', headers: admin.headers })).json<{ areas: Area[] }>().areas;
  const areaNamed = async (name: string, kind = 'district') => (await areas()).find((a) => a.name === name && a.kind === kind);
  const insertArea = (name: string, kind: 'district' | 'beat', extra: { removed_at?: Date; created_at?: Date } = {}) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .insertInto('areas')
        .values({ id: newId(), force_id: app.demoForceId, name, kind, setting: 'urban', geometry: JSON.stringify({ type: 'Polygon', coordinates: square(1, 52) }), created_at: app.deps.clock.now(), ...extra })
        .execute(),
    );

  it('refuses-a-rename-to-a-name-another-area-has-in-other-letters-as-a-409-on-name', async () => {
    const broadland = await areaNamed('Broadland');
    const clash = await post(`/api/areas/${broadland?.id}`, { name: 'south NORFOLK' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json<Refusal>().error).toMatchObject({ code: 'conflict', message: 'another district is already called South Norfolk', fields: [{ path: 'body.name', message: 'Another district is already called South Norfolk' }] });
    expect(await areaNamed('Broadland')).toBeDefined();
    // Its own name in other letters is no clash.
    const recased = await post(`/api/areas/${broadland?.id}`, { name: 'BROADLAND' });
    expect(recased.statusCode).toBe(200);
    expect((await areaNamed('BROADLAND'))?.id).toBe(broadland?.id);
    expect((await post(`/api/areas/${broadland?.id}`, { name: 'Broadland' })).statusCode).toBe(200);
  });

  it('reshapes-the-live-area-when-a-file-names-it-in-other-letters-keeping-its-id-and-name', async () => {
    const norwich = await areaNamed('Norwich City');
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'NORWICH city' }, geometry: { type: 'Polygon', coordinates: square(1.25, 52.6) } }] });
    const request = { format: 'geojson', text, kind: 'district', setting: 'urban' };
    expect((await post('/api/areas/import/preview', request)).json<{ features: { action: string }[] }>().features[0]?.action).toBe('reshape');
    const imported = await post('/api/areas/import', request);
    expect(imported.json()).toEqual({ drawn: [], reshaped: [{ id: norwich?.id, name: 'Norwich City', kind: 'district' }] });
    expect((await areas()).filter((a) => a.name.toLowerCase() === 'norwich city')).toHaveLength(1);
  });

  it('holds-in-the-database-a-second-live-area-of-a-kind-differing-only-in-letters-but-not-a-removed-one-or-another-kind', async () => {
    await expect(insertArea('SOUTH NORFOLK', 'district')).rejects.toMatchObject({ code: '23505' });
    await insertArea('south norfolk', 'district', { removed_at: app.deps.clock.now() });
    await insertArea('South Norfolk', 'beat');
    expect((await areas()).filter((a) => a.name.toLowerCase() === 'south norfolk').map((a) => a.kind)).toEqual(['beat', 'district']);
  });

  it('renames-all-but-the-oldest-of-live-areas-differing-only-in-letters-and-writes-no-event (migration 0059)', async () => {
    const eventsBefore = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow());
    const later = new Date(app.deps.clock.now().getTime() + 60_000);
    await withSystem(app.database.db, async (tx) => {
      // As the data could be before the index: it is put back as it was to write it.
      await sql`drop index areas_live_name`.execute(tx);
      await sql`create unique index areas_live_name on areas (force_id, kind, name) where removed_at is null`.execute(tx);
    });
    await insertArea('NORWICH CITY', 'district', { created_at: later });
    await insertArea('Gone', 'beat', { removed_at: later });
    await insertArea('GONE', 'beat', { removed_at: later });
    await withSystem(app.database.db, async (tx) => {
      for (const statement of migrationStatements('0059')) await sql.raw(statement).execute(tx);
    });
    const names = (await areas()).filter((a) => a.kind === 'district').map((a) => a.name);
    expect(names).toContain('Norwich City');
    expect(names).toContainEqual(expect.stringMatching(/^NORWICH CITY \(duplicate [0-9a-f]{8}\)$/));
    const eventsAfter = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow());
    expect(Number(eventsAfter.n)).toBe(Number(eventsBefore.n));
    await expect(insertArea('norwich CITY', 'district')).rejects.toMatchObject({ code: '23505' });
  });

  it.skipIf(ENGINE !== 'postgres')('lets-one-of-two-renames-to-one-name-held-together-win-and-refuses-the-other-on-name', async () => {
    const [first, second] = [await areaNamed('Broadland'), await areaNamed('South Norfolk')];
    const answers = await heldTogether(app, 'lock table areas in share mode', [
      () => post(`/api/areas/${first?.id}`, { name: 'Eastern' }),
      () => post(`/api/areas/${second?.id}`, { name: 'EASTERN' }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const refused = answers.find((a) => a.statusCode === 409);
    expect(refused?.json<Refusal>().error.fields).toMatchObject([{ path: 'body.name', message: expect.stringMatching(/^Another district is already called (Eastern|EASTERN)$/) }]);
    expect((await areas()).filter((a) => a.name.toLowerCase() === 'eastern')).toHaveLength(1);
  });
});
