import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { nextTurn } from '../../src/capabilities/areas/ring-crossings.schema.ts';

// What an import checks of a boundary file's shapes, where its refusals say the fault is, and that
// the server serves other requests while it checks a large file (decision 0105).

type Headers = Record<string, string>;
type Refusal = { error: { code: string; message: string; fields?: { path: string; message: string; sentence: string }[] } };
type Preview = { features: { name: string | null; action: string | null }[]; ready: boolean };

const square = (west: number, south: number, east: number, north: number): number[][] => [[west, south], [east, south], [east, north], [west, north], [west, south]];
function collection(features: { name: string; coordinates: unknown }[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', properties: { name: f.name }, geometry: { type: 'Polygon', coordinates: f.coordinates } })) });
}

describe(`checking the shapes of a boundary file (${ENGINE})`, () => {
  let app: TestApp;
  let admin: { headers: Headers };
  // Each turn the check of a file gives the event loop, told to whoever is watching; then the turn itself.
  let onTurn: (() => void) | null = null;
  beforeAll(async () => {
    app = await createTestApp({ overrides: { areaCheckTurn: () => (onTurn?.(), nextTurn()) } });
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: admin.headers, payload });

  it('refuses-a-figure-of-eight-ring-in-geojson-and-kml-naming-the-feature-and-the-ring', async () => {
    const pinched = [[[1, 52], [1.2, 52], [1.1, 52.1], [1.2, 52.2], [1, 52.2], [1.1, 52.1], [1, 52]]];
    const geojson = collection([
      { name: 'Fine', coordinates: [square(1, 52, 1.1, 52.1)] },
      { name: 'Eight', coordinates: pinched },
    ]);
    const refused = await post('/api/areas/import/preview', { format: 'geojson', text: geojson, kind: 'district', setting: 'urban' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Refusal>().error.fields).toMatchObject([
      { path: 'body.text.features.1', message: expect.stringMatching(/^Feature 2 \(Eight\): its outline \(ring 1\) touches itself near 1\.10000, 52\.10000 \(longitude, latitude\)/) },
    ]);

    const kml = `<kml><Document><Placemark><name>Eight</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
      1,52 1.2,52 1.1,52.1 1.2,52.2 1,52.2 1.1,52.1 1,52</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>`;
    const kmlRefused = await post('/api/areas/import', { format: 'kml', text: kml, kind: 'beat', setting: 'urban' });
    expect(kmlRefused.statusCode).toBe(400);
    expect(kmlRefused.json<Refusal>().error.fields).toMatchObject([
      { path: 'body.text.features.0', message: expect.stringMatching(/^Feature 1 \(Eight\): its outline \(ring 1\) touches itself/), sentence: expect.stringMatching(/^Boundary file: feature 1 \(Eight\): its outline/) },
    ]);
  });

  it('accepts-a-hole-touching-its-outline-at-one-position-and-refuses-one-touching-it-at-two', async () => {
    const once = [square(1.3, 52.3, 1.5, 52.5), [[1.3, 52.3], [1.4, 52.35], [1.35, 52.4], [1.3, 52.3]]];
    const twice = [square(1.3, 52.3, 1.5, 52.5), [[1.3, 52.3], [1.4, 52.35], [1.5, 52.3], [1.4, 52.45], [1.3, 52.3]]];
    const accepted = await post('/api/areas/import/preview', { format: 'geojson', text: collection([{ name: 'Island', coordinates: once }]), kind: 'beat', setting: 'rural' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<Preview>().features.map((f) => [f.name, f.action])).toEqual([['Island', 'draw']]);
    const refused = await post('/api/areas/import/preview', { format: 'geojson', text: collection([{ name: 'Cut off', coordinates: twice }]), kind: 'beat', setting: 'rural' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Refusal>().error.fields).toMatchObject([
      { path: 'body.text.features.0', message: expect.stringMatching(/^Feature 1 \(Cut off\): hole 1 \(ring 2\) touches the outline at more than one point/) },
    ]);
  });

  it('names-every-refused-field-by-its-place-in-the-body-as-the-schema-does', async () => {
    const text = collection([{ name: 'North', coordinates: [square(1, 52, 1.1, 52.1)] }, { name: 'South', coordinates: [square(1, 51.9, 1.1, 52)] }]);
    // The same place, refused by the schema (not a whole number) and by the use case (no such area of the file).
    const bySchema = await post('/api/areas/import/preview', { format: 'geojson', text, features: [{ index: -1 }] });
    const byUseCase = await post('/api/areas/import/preview', { format: 'geojson', text, features: [{ index: 9 }] });
    expect([bySchema.statusCode, byUseCase.statusCode]).toEqual([400, 400]);
    expect(bySchema.json<Refusal>().error.fields?.map((f) => f.path)).toEqual(['body.features.0.index']);
    expect(byUseCase.json<Refusal>().error.fields?.map((f) => f.path)).toEqual(['body.features.0.index']);
    // Features not ready, warnings not confirmed, a file that cannot be read: each in the body too.
    const notReady = await post('/api/areas/import', { format: 'geojson', text, kind: 'beat' });
    expect(notReady.json<Refusal>().error.fields?.map((f) => f.path)).toEqual(['body.text.features.0', 'body.text.features.1']);
    const far = collection([{ name: 'Far', coordinates: [square(100, 10, 100.1, 10.1)] }]);
    const unconfirmed = await post('/api/areas/import', { format: 'geojson', text: far, kind: 'beat', setting: 'urban' });
    expect(unconfirmed.json<Refusal>().error.fields?.map((f) => f.path)).toEqual(['body.confirmWarnings']);
    const unread = await post('/api/areas/import/preview', { format: 'geojson', text: '{' });
    expect(unread.json<Refusal>().error.fields?.map((f) => f.path)).toEqual(['body.text']);
    for (const response of [byUseCase, notReady, unconfirmed, unread]) {
      for (const field of response.json<Refusal>().error.fields ?? []) expect(field.sentence).not.toMatch(/body\./);
    }
  });

  it('serves-another-request-while-it-checks-a-file-of-250000-positions', async () => {
    // A comb of 250 teeth, each side of 499 positions, to five decimal places so the file stays
    // under five million characters: its edges are short and spread over the whole shape, as a real
    // boundary's are.
    const round = (n: number) => Math.round(n * 1e5) / 1e5;
    const ring: number[][] = [[1, 52]];
    for (let tooth = 0; tooth < 250; tooth += 1) {
      const [left, right] = [1 + tooth * 0.002 + 0.0005, 1 + tooth * 0.002 + 0.0015];
      for (let i = 0; i < 499; i += 1) ring.push([round(left), round(52.001 + i * 0.001)]);
      for (let i = 498; i >= 0; i -= 1) ring.push([round(right), round(52.001 + i * 0.001)]);
    }
    ring.push([1.5, 52], [1, 52]);
    const text = collection([{ name: 'Huge', coordinates: [ring] }]);
    // At the check's first turn another request arrives; the check goes on turning after it was answered.
    const other: { answer: Promise<{ statusCode: number }> | null; isAnswered: boolean; turnsAfter: number } = { answer: null, isAnswered: false, turnsAfter: 0 };
    onTurn = () => {
      if (other.isAnswered) other.turnsAfter += 1;
      other.answer ??= app.inject({ method: 'GET', url: '/api/areas', headers: admin.headers }).then((response) => {
        other.isAnswered = true;
        return response;
      });
    };
    try {
      const preview = await post('/api/areas/import/preview', { format: 'geojson', text, kind: 'district', setting: 'urban' });
      expect(preview.statusCode, preview.body.slice(0, 200)).toBe(200);
      expect(preview.json<Preview>().features.map((f) => [f.name, f.action])).toEqual([['Huge', 'draw']]);
      expect(other.answer).not.toBeNull();
      expect((await other.answer)?.statusCode).toBe(200);
      expect(other.turnsAfter).toBeGreaterThan(0);
    } finally {
      onTurn = null;
    }
  });
});
