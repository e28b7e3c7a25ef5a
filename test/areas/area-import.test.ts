import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/database.ts';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';

// A force admin imports the force's districts and beats from a boundary file, previews first, and
// keeps them: renames, sets urban or rural, removes (decision 0098). Real samples: test/areas/samples.

const METROPOLITAN = readFileSync(new URL('./samples/ons-pfa-dec-2023-buc-metropolitan.geojson', import.meta.url), 'utf8');
const CITY_OF_LONDON = readFileSync(new URL('./samples/ons-pfa-dec-2023-buc-city-of-london.kml', import.meta.url), 'utf8');

type Headers = Record<string, string>;
type Preview = {
  features: { index: number; name: string | null; kind: string | null; setting: string | null; action: string | null; problem: string | null; positions: number; properties: Record<string, string> }[];
  warnings: string[];
  ready: boolean;
};
type Refusal = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
type Area = { id: string; name: string; kind: string; setting: string };

/** Every reason a refusal gives, as one text. */
const reasons = (response: { json: <T>() => T }) => {
  const { error } = response.json<Refusal>();
  return [error.message, ...(error.fields ?? []).map((f) => f.message)].join(' | ');
};

function box(west: number, south: number, east: number, north: number): number[][][] {
  return [[[west, south], [east, south], [east, north], [west, north], [west, south]]];
}
function collection(features: { name?: string; coordinates: unknown; type?: string; properties?: Record<string, unknown> }[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((f) => ({ type: 'Feature', properties: { ...(f.name ? { name: f.name } : {}), ...f.properties }, geometry: { type: f.type ?? 'Polygon', coordinates: f.coordinates } })),
  });
}

describe(`importing a force's areas from a boundary file (${ENGINE})`, () => {
  let app: TestApp;
  let admin: { headers: Headers };
  let handler: { headers: Headers };
  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  const post = (who: { headers: Headers }, url: string, payload: object) => app.inject({ method: 'POST', url, headers: who.headers, payload });
  const areas = async (who = admin) => (await app.inject({ method: 'GET', url: '/api/areas', headers: who.headers })).json<{ areas: Area[] }>().areas;
  const incidentAt = async (lat: number, lon: number) => {
    const created = await post(handler, '/api/incidents', { type: 'crime', summary: 'Test', lat, lon });
    expect(created.statusCode).toBe(201);
    return created.json<{ incident: { id: string; location: { district: { id: string; name: string } | null; beat: { id: string; name: string } | null } } }>().incident;
  };
  const eventsOfType = (type: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['subject_id', 'data']).where('force_id', '=', app.demoForceId).where('type', '=', type).orderBy('seq').execute());

  it('previews a real ONS GeoJSON file by its name property, then imports it as one event, and places incidents in it', async () => {
    const request = { format: 'geojson', text: METROPOLITAN, nameProperty: 'PFA23NM', kind: 'district', setting: 'urban' };
    const preview = await post(admin, '/api/areas/import/preview', request);
    expect(preview.statusCode).toBe(200);
    const body = preview.json<Preview>();
    expect(body.features.map((f) => [f.index, f.name, f.kind, f.setting, f.action, f.positions])).toEqual([[0, 'Metropolitan Police', 'district', 'urban', 'draw', 168]]);
    expect(body.features[0]?.properties['PFA23CD']).toBe('E23000001');
    expect(body).toMatchObject({ warnings: [], ready: true });
    // The preview changed nothing.
    expect((await areas()).map((a) => a.name)).not.toContain('Metropolitan Police');

    const imported = await post(admin, '/api/areas/import', request);
    expect(imported.statusCode).toBe(200);
    expect(imported.json<{ drawn: { name: string }[]; reshaped: unknown[] }>()).toMatchObject({ drawn: [{ name: 'Metropolitan Police', kind: 'district' }], reshaped: [] });
    const events = await eventsOfType('area.imported');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subject_id: app.demoForceId, data: { format: 'geojson', drawn: [{ name: 'Metropolitan Police', setting: 'urban' }], reshaped: [], positions: 168 } });

    // Westminster is in the Met's area; the City of London is its hole.
    expect((await incidentAt(51.4995, -0.1248)).location.district?.name).toBe('Metropolitan Police');
    expect((await incidentAt(51.5155, -0.092)).location.district).toBeNull();
  });

  it('imports a KML Placemark by its name as a beat chosen in the request', async () => {
    const request = { format: 'kml', text: CITY_OF_LONDON, features: [{ index: 0, kind: 'beat', setting: 'urban' }] };
    const preview = (await post(admin, '/api/areas/import/preview', request)).json<Preview>();
    expect(preview.features.map((f) => [f.name, f.kind, f.action, f.properties['PFA23CD']])).toEqual([['City of London', 'beat', 'draw', 'E23000034']]);
    expect((await post(admin, '/api/areas/import', request)).statusCode).toBe(200);
    expect((await incidentAt(51.5155, -0.092)).location.beat?.name).toBe('City of London');
  });

  it('gives a live area of the same name its new shape and setting; an incident already recorded keeps its district', async () => {
    const before = (await areas()).find((a) => a.name === 'Norwich City');
    const earlier = await incidentAt(52.63, 1.29);
    expect(earlier.location.district?.name).toBe('Norwich City');
    const request = { format: 'geojson', text: collection([{ name: 'Norwich City', coordinates: box(1.1, 52.55, 1.4, 52.7), properties: { kind: 'district', setting: 'rural' } }]) };
    const preview = (await post(admin, '/api/areas/import/preview', request)).json<Preview>();
    expect(preview.features.map((f) => [f.name, f.action, f.setting])).toEqual([['Norwich City', 'reshape', 'rural']]);
    const imported = await post(admin, '/api/areas/import', request);
    expect(imported.json()).toEqual({ drawn: [], reshaped: [{ id: before?.id, name: 'Norwich City', kind: 'district' }] });
    const after = (await areas()).find((a) => a.name === 'Norwich City');
    expect(after).toMatchObject({ id: before?.id, setting: 'rural' });
    const events = await eventsOfType('area.imported');
    expect(events.at(-1)?.data).toMatchObject({ reshaped: [{ id: before?.id, name: 'Norwich City', setting: 'rural', settingBefore: 'urban' }] });
    const reread = await app.inject({ method: 'GET', url: `/api/incidents/${earlier.id}`, headers: handler.headers });
    expect(reread.json<{ incident: { location: { district: { id: string } } } }>().incident.location.district.id).toBe(before?.id);
  });

  it('refuses a file with bad shapes, naming each feature and its fault, and changes nothing', async () => {
    const open = box(1, 52, 2, 53)[0]?.slice(0, 4);
    const text = collection([
      { name: 'Fine', coordinates: box(1, 52, 1.1, 52.1) },
      { name: 'Open', coordinates: [open] },
      { name: 'Far', coordinates: box(1, 52, 200, 53) },
      { name: 'Grid', coordinates: box(517000, 178000, 518000, 179000) },
      { coordinates: 'nonsense' },
    ]);
    const refused = await post(admin, '/api/areas/import', { format: 'geojson', text, kind: 'district', setting: 'urban' });
    expect(refused.statusCode).toBe(400);
    const fields = refused.json<Refusal>().error.fields?.map((f) => f.message) ?? [];
    expect(fields).toEqual([
      expect.stringMatching(/^Feature 2 \(Open\): a ring is not closed/),
      expect.stringMatching(/^Feature 3 \(Far\): a position is not a longitude/),
      expect.stringMatching(/^Feature 4 \(Grid\): .*British National Grid/),
      expect.stringMatching(/^Feature 5: .*not arrays of \[longitude, latitude\]/),
    ]);
    expect((await areas()).map((a) => a.name)).not.toContain('Fine');
  });

  it('refuses-rings-that-cross-in-geojson-and-kml-naming-the-feature-and-the-ring', async () => {
    const bowTie = [[[1, 52], [1.2, 52.2], [1.2, 52], [1, 52.2], [1, 52]]];
    const geojson = collection([
      { name: 'Fine', coordinates: box(1, 52, 1.1, 52.1) },
      { name: 'Bow tie', coordinates: bowTie },
    ]);
    const refused = await post(admin, '/api/areas/import/preview', { format: 'geojson', text: geojson, kind: 'district', setting: 'urban' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Refusal>().error.fields).toMatchObject([{ path: 'body.text.features.1', message: expect.stringMatching(/^Feature 2 \(Bow tie\): its outline \(ring 1\) crosses itself near 1\.10000, 52\.10000/) }]);

    const kml = `<kml><Document><Placemark><name>Holed</name><Polygon>
      <outerBoundaryIs><LinearRing><coordinates>1,52 1.2,52 1.2,52.2 1,52.2 1,52</coordinates></LinearRing></outerBoundaryIs>
      <innerBoundaryIs><LinearRing><coordinates>1.1,52.05 1.3,52.05 1.3,52.1 1.1,52.1 1.1,52.05</coordinates></LinearRing></innerBoundaryIs>
    </Polygon></Placemark></Document></kml>`;
    const holed = await post(admin, '/api/areas/import', { format: 'kml', text: kml, kind: 'beat', setting: 'urban' });
    expect(holed.statusCode).toBe(400);
    expect(reasons(holed)).toMatch(/Feature 1 \(Holed\): hole 1 \(ring 2\) crosses the outline near 1\.20000, 52\.(05000|10000)/);
    expect((await areas()).map((a) => a.name)).not.toContain('Holed');
  });

  it('refuses a file that is not what it says, too big, or has too many features', async () => {
    const cases: [object, RegExp][] = [
      [{ format: 'geojson', text: '{not json' }, /not JSON/],
      [{ format: 'geojson', text: JSON.stringify({ type: 'GeometryCollection', geometries: [] }) }, /not a GeoJSON FeatureCollection/],
      [{ format: 'geojson', text: JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } }, features: [] }) }, /EPSG::27700.*WGS 84/],
      [{ format: 'kml', text: '<html><body>hello</body></html>' }, /not KML/],
      [{ format: 'kml', text: '<kml><Document><Placemark><name>A</name></Document></kml>' }, /line 1: <\/Document> does not close <Placemark>/],
      [{ format: 'kml', text: '<kml><Document><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>1;52 2;52</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>' }, /not a longitude,latitude pair/],
      [{ format: 'geojson', text: collection([{ name: 'Dot', type: 'Point', coordinates: [1, 52] }]) }, /no polygons to import/],
      [{ format: 'geojson', text: collection(Array.from({ length: 1001 }, () => ({ coordinates: box(1, 52, 1.1, 52.1) }))) }, /1001 features; at most 1000/],
      [{ format: 'geojson', text: collection([{ name: 'Huge', coordinates: [Array.from({ length: 250_001 }, (_, i) => [1 + i / 1e6, 52])] }]) }, /more than 250000 positions/],
    ];
    for (const [payload, reason] of cases) {
      const refused = await post(admin, '/api/areas/import/preview', payload);
      expect(refused.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(reasons(refused)).toMatch(reason);
    }
    const tooLong = await post(admin, '/api/areas/import/preview', { format: 'geojson', text: ' '.repeat(5_000_001) });
    expect(tooLong.statusCode).toBe(400);
  });

  it('refuses KML that declares entities, without expanding them', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><kml><Document><Placemark><name>&c;</name></Placemark></Document></kml>`;
    const external = `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml><Placemark><name>&x;</name></Placemark></kml>`;
    const undeclared = `<kml><Placemark><name>&x;</name><Polygon><outerBoundaryIs><LinearRing><coordinates>1,52 2,52 2,53 1,52</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>`;
    for (const text of [laughs, external]) {
      const refused = await post(admin, '/api/areas/import/preview', { format: 'kml', text });
      expect(refused.statusCode).toBe(400);
      expect(reasons(refused)).toMatch(/document type or entity declaration is not accepted/);
    }
    const refused = await post(admin, '/api/areas/import/preview', { format: 'kml', text: undeclared });
    expect(reasons(refused)).toMatch(/&x; is not one of XML's own entities/);
  });

  it('imports nothing until every feature has a name, a kind and a setting, and no two share a name', async () => {
    const text = collection([
      { name: 'North Beat', coordinates: box(1.2, 52.62, 1.25, 52.64) },
      { coordinates: box(1.25, 52.62, 1.3, 52.64) },
      { name: 'north beat', coordinates: box(1.3, 52.62, 1.35, 52.64) },
    ]);
    const preview = (await post(admin, '/api/areas/import/preview', { format: 'geojson', text })).json<Preview>();
    expect(preview.ready).toBe(false);
    expect(preview.features.map((f) => f.problem)).toEqual([
      'choose a kind (district or beat), a setting (urban or rural)',
      'choose a name, a kind (district or beat), a setting (urban or rural)',
      'choose a kind (district or beat), a setting (urban or rural)',
    ]);
    const refused = await post(admin, '/api/areas/import', { format: 'geojson', text, kind: 'beat', setting: 'urban' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Refusal>().error.fields?.map((f) => f.message)).toEqual([
      'Feature 2: choose a name',
      'Feature 3 (north beat): feature 1 is also the beat North Beat; rename one or skip it',
    ]);
    const chosen = { format: 'geojson', text, kind: 'beat', setting: 'urban', features: [{ index: 1, name: 'Middle Beat' }, { index: 2, skip: true }] };
    const imported = await post(admin, '/api/areas/import', chosen);
    expect(imported.statusCode).toBe(200);
    expect(imported.json<{ drawn: { name: string }[] }>().drawn.map((a) => a.name)).toEqual(['North Beat', 'Middle Beat']);
  });

  it('takes-each-features-own-kind-and-setting-over-the-file-wide-ones-and-refuses-a-choice-for-no-area-of-the-file', async () => {
    const text = collection([
      { name: 'Town Centre', coordinates: box(1.2, 52.9, 1.25, 52.95) },
      { name: 'Marshes', coordinates: box(1.25, 52.9, 1.3, 52.95) },
      { name: 'Coast', coordinates: box(1.3, 52.9, 1.35, 52.95), properties: { setting: 'urban' } },
    ]);
    const request = { format: 'geojson', text, kind: 'district', setting: 'urban', features: [{ index: 1, setting: 'rural' }, { index: 2, kind: 'beat', setting: 'rural' }] };
    const preview = (await post(admin, '/api/areas/import/preview', request)).json<Preview>();
    expect(preview.features.map((f) => [f.name, f.kind, f.setting])).toEqual([['Town Centre', 'district', 'urban'], ['Marshes', 'district', 'rural'], ['Coast', 'beat', 'rural']]);
    expect((await post(admin, '/api/areas/import', request)).statusCode).toBe(200);
    const imported = (await areas()).filter((a) => ['Town Centre', 'Marshes', 'Coast'].includes(a.name));
    expect(imported.map((a) => [a.name, a.kind, a.setting])).toEqual([['Coast', 'beat', 'rural'], ['Marshes', 'district', 'rural'], ['Town Centre', 'district', 'urban']]);

    const stray = await post(admin, '/api/areas/import/preview', { ...request, features: [{ index: 0, setting: 'rural' }, { index: 7, setting: 'rural' }, { index: 0, kind: 'beat' }] });
    expect(stray.statusCode).toBe(400);
    expect(stray.json<Refusal>().error.fields).toMatchObject([
      { path: 'body.features.1.index', message: 'the file has no area numbered 8' },
      { path: 'body.features.2.index', message: 'area 1 is chosen for twice' },
    ]);
    const badValue = await post(admin, '/api/areas/import/preview', { ...request, features: [{ index: 0, setting: 'suburban' }] });
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json<Refusal>().error.fields?.[0]?.path).toBe('body.features.0.setting');
  });

  it('warns when every position is outside the UK, as latitude and longitude swapped, and imports only once the admin confirms', async () => {
    const swapped = collection([{ name: 'Swapped', coordinates: [[[52.6, 1.2], [52.6, 1.3], [52.7, 1.3], [52.7, 1.2], [52.6, 1.2]]] }]);
    const request = { format: 'geojson', text: swapped, kind: 'district', setting: 'rural' };
    const preview = (await post(admin, '/api/areas/import/preview', request)).json<Preview>();
    expect(preview.warnings).toEqual([expect.stringMatching(/latitude and longitude swapped/)]);
    const refused = await post(admin, '/api/areas/import', request);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Refusal>().error.fields?.[0]?.path).toBe('body.confirmWarnings');
    expect((await post(admin, '/api/areas/import', { ...request, confirmWarnings: true })).statusCode).toBe(200);
  });

  it('renames an area and sets it rural as one event, and refuses a name another area of its kind has', async () => {
    const broadland = (await areas()).find((a) => a.name === 'Broadland');
    const changed = await post(admin, `/api/areas/${broadland?.id}`, { name: 'Broadland and Aylsham', setting: 'urban' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<{ area: Area }>().area).toMatchObject({ name: 'Broadland and Aylsham', setting: 'urban' });
    const events = await eventsOfType('area.changed');
    expect(events).toEqual([{ subject_id: broadland?.id, data: { kind: 'district', name: { from: 'Broadland', to: 'Broadland and Aylsham' }, setting: { from: 'rural', to: 'urban' } } }]);
    // Nothing changed, nothing recorded.
    expect((await post(admin, `/api/areas/${broadland?.id}`, { setting: 'urban' })).statusCode).toBe(200);
    expect(await eventsOfType('area.changed')).toHaveLength(1);
    const clash = await post(admin, `/api/areas/${broadland?.id}`, { name: 'South Norfolk' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json<Refusal>().error.message).toBe('another district is already called South Norfolk');
    expect((await post(admin, `/api/areas/${broadland?.id}`, { name: '  ' })).statusCode).toBe(400);
  });

  it('removes an area from look-ups and lists while the incidents recorded in it keep its name', async () => {
    const south = (await areas()).find((a) => a.name === 'South Norfolk');
    const recorded = await incidentAt(52.5, 1.2);
    expect(recorded.location.district?.name).toBe('South Norfolk');
    const removed = await post(admin, `/api/areas/${south?.id}/remove`, {});
    expect(removed.statusCode).toBe(200);
    expect(removed.json<{ areas: Area[] }>().areas.map((a) => a.name)).not.toContain('South Norfolk');
    expect(await eventsOfType('area.removed')).toEqual([{ subject_id: south?.id, data: { name: 'South Norfolk', kind: 'district', incidentsNamingIt: 1 } }]);
    expect((await incidentAt(52.5, 1.2)).location.district).toBeNull();
    const reread = await app.inject({ method: 'GET', url: `/api/incidents/${recorded.id}`, headers: handler.headers });
    expect(reread.json<{ incident: { location: { district: { name: string } } } }>().incident.location.district.name).toBe('South Norfolk');

    const again = await post(admin, `/api/areas/${south?.id}/remove`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json<Refusal>().error.message).toMatch(/South Norfolk was removed/);
    expect((await post(admin, `/api/areas/${south?.id}`, { name: 'Back' })).statusCode).toBe(409);
    // Its name is free again: an import draws a new area.
    const request = { format: 'geojson', text: collection([{ name: 'South Norfolk', coordinates: box(0.9, 52.35, 1.6, 52.6) }]), kind: 'district', setting: 'rural' };
    expect((await post(admin, '/api/areas/import/preview', request)).json<Preview>().features[0]?.action).toBe('draw');
  });

  it("never touches another force's areas, and lets only those who manage areas change them", async () => {
    const other = await createOtherForce(app);
    const stranger = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    const mine = (await areas())[0];
    expect((await post(stranger, `/api/areas/${mine?.id}`, { name: 'Taken' })).statusCode).toBe(404);
    expect((await post(stranger, `/api/areas/${mine?.id}/remove`, {})).statusCode).toBe(404);
    const request = { format: 'geojson', text: collection([{ name: 'Norwich City', coordinates: box(1, 52, 1.1, 52.1) }]), kind: 'district', setting: 'urban' };
    expect((await post(stranger, '/api/areas/import/preview', request)).json<Preview>().features[0]?.action).toBe('draw');
    expect((await post(handler, '/api/areas/import', request)).statusCode).toBe(403);
    expect((await post(admin, '/api/areas/not-an-id', { name: 'X' })).statusCode).toBe(400);
  });
});
