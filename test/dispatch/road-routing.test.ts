import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { dispatchKit, type Session } from './dispatch-kit.ts';

type Recommendation = {
  method: string;
  routing: { status: string; engine: string | null; detail: string | null };
  candidates: { callSign: string; etaSeconds: number; reasons: { code: string; method?: string; seconds?: number }[] }[];
  shortfalls: { code: string; units?: number }[];
};
type Seen = { method: string; url: string; body: string };

const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);
// Far from the demo force's seeded units: only this file's units are near (Aberdeen).
const SCENE = { lat: 57.1497, lon: -2.0943 };
// NEAR is nearer in a straight line; across the river, FAR is quicker by road.
const NEAR = { lat: 57.1397, lon: -2.0943 };
const FAR = { lat: 57.1697, lon: -2.0943 };

/**
 * A routing service on a local port that speaks OSRM's table API or Valhalla's matrix API as
 * documented: road times keyed by the origin's latitude, so the test decides who is quicker.
 */
function routingServer(times: Map<string, number | null>) {
  const seen: Seen[] = [];
  let mode: 'ok' | 'fail' | 'garbage' = 'ok';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const url = new URL(req.url ?? '/', 'http://routing.test');
      res.setHeader('content-type', 'application/json');
      if (mode === 'fail') return res.writeHead(503).end(JSON.stringify({ error: 'overloaded' }));
      if (mode === 'garbage') return res.writeHead(200).end(JSON.stringify({ hello: 'world' }));
      if (url.pathname.startsWith('/table/v1/')) {
        // /table/v1/{profile}/{lon,lat;lon,lat...}?sources=1;2&destinations=0
        const points = decodeURIComponent(url.pathname.split('/')[4] ?? '').split(';').map((p) => p.split(',').map(Number));
        const sources = (url.searchParams.get('sources') ?? '').split(';').map(Number);
        const durations = sources.map((i) => [times.get(String(points[i]?.[1])) ?? null]);
        return res.writeHead(200).end(JSON.stringify({ code: 'Ok', durations, sources: [], destinations: [] }));
      }
      const request = JSON.parse(body) as { sources: { lat: number }[] };
      const matrix = request.sources.map((s, i) => [{ from_index: i, to_index: 0, time: times.get(String(s.lat)) ?? null, distance: 1.2 }]);
      return res.writeHead(200).end(JSON.stringify({ sources_to_targets: matrix, units: 'kilometers' }));
    });
  });
  return {
    seen,
    setMode: (next: typeof mode) => (mode = next),
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe(`road-routing arrival times in recommendations (${ENGINE})`, () => {
  const clock = fixedClock(START);
  const times = new Map<string, number | null>();
  const routing = routingServer(times);
  let base = '';
  let app: TestApp;
  let admin: Session;
  let handler: Session;
  let dispatcher: Session;
  let incidentId = '';

  const { api } = dispatchKit(() => app);
  const recommend = async () => {
    const response = await api<Recommendation>(dispatcher, 'GET', `/api/incidents/${incidentId}/recommendation?limit=2`);
    expect(response.status, response.raw).toBe(200);
    return response.body;
  };
  const configure = async (roadRouting: object | null) => {
    const saved = await api<{ settings: { roadRouting?: object | null } }>(admin, 'POST', '/api/force/settings', { roadRouting });
    expect(saved.status, saved.raw).toBe(200);
  };

  beforeAll(async () => {
    base = await routing.listen();
    // The routing service runs inside the force network: allow-listed, as a force would.
    app = await createTestApp({ env: { OUTBOUND_ALLOW_LIST: '127.0.0.1' }, overrides: { clock } });
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    const unitIds: string[] = [];
    for (const callSign of ['AB01', 'AB02']) {
      const created = await api<{ unit: { id: string } }>(supervisor, 'POST', '/api/units', { callSign, type: 'response', capabilities: [] });
      expect(created.status, created.raw).toBe(201);
      unitIds.push(created.body.unit.id);
    }
    const at = clock.now().toISOString();
    const stored = await api(dispatcher, 'POST', '/api/units/positions', {
      positions: [
        { unitId: unitIds[0], ...NEAR, recordedAt: at },
        { unitId: unitIds[1], ...FAR, recordedAt: at },
      ],
    });
    expect(stored.status, stored.raw).toBe(200);
    const incident = await api<{ incident: { id: string } }>(handler, 'POST', '/api/incidents', { type: 'crime_violence', summary: 'Assault at the harbour', ...SCENE });
    expect(incident.status, incident.raw).toBe(201);
    incidentId = incident.body.incident.id;
  });
  afterAll(async () => {
    await app.close();
    await routing.close();
  });
  beforeEach(() => {
    routing.seen.length = 0;
    routing.setMode('ok');
    times.clear();
    times.set(String(NEAR.lat), 540); // 9 minutes round by the bridge
    times.set(String(FAR.lat), 240); // 4 minutes straight down the road
  });

  it('ranks by straight-line estimate and says so when no routing service is set up', async () => {
    await configure(null);
    const result = await recommend();
    expect(result.method).toBe('distance');
    expect(result.routing).toEqual({ status: 'not_configured', engine: null, detail: null });
    expect(result.candidates.map((c) => c.callSign)).toEqual(['AB01', 'AB02']);
    expect(routing.seen).toHaveLength(0);
  });

  it("re-ranks by OSRM's road times, asking its table service for every unit to the incident", async () => {
    await configure({ engine: 'osrm', url: `${base}/`, profile: 'driving' });
    const result = await recommend();
    expect(result.method).toBe('road');
    expect(result.routing).toEqual({ status: 'used', engine: 'osrm', detail: null });
    expect(result.candidates.map((c) => [c.callSign, c.etaSeconds])).toEqual([
      ['AB02', 240],
      ['AB01', 540],
    ]);
    expect(result.candidates[0]?.reasons).toContainEqual(expect.objectContaining({ code: 'estimated_arrival', method: 'road', seconds: 240 }));
    const [request] = routing.seen;
    expect(request?.method).toBe('GET');
    // The incident is the one destination, longitude first, and the units are the sources.
    expect(request?.url).toMatch(/^\/table\/v1\/driving\/-2\.0943,57\.1497;[^?]+\?sources=1;2&destinations=0&annotations=duration$/);
  });

  it("re-ranks by Valhalla's matrix, scaled by the force's blue-light factor, and leaves out a unit with no road route", async () => {
    await configure({ engine: 'valhalla', url: base, durationFactor: 0.5 });
    let result = await recommend();
    expect(result.routing).toEqual({ status: 'used', engine: 'valhalla', detail: null });
    expect(result.candidates.map((c) => [c.callSign, c.etaSeconds])).toEqual([
      ['AB02', 120],
      ['AB01', 270],
    ]);
    const request = JSON.parse(routing.seen[0]?.body ?? '{}') as { costing: string; targets: unknown[]; sources: unknown[] };
    expect(request).toMatchObject({ costing: 'auto', targets: [SCENE] });
    expect(request.sources).toHaveLength(2);

    times.set(String(NEAR.lat), null);
    result = await recommend();
    expect(result.candidates.map((c) => c.callSign)).toEqual(['AB02']);
    expect(result.shortfalls).toContainEqual({ code: 'no_road_route', units: 1 });
  });

  it('falls back to straight-line estimates, with the reason, when the service fails or answers nonsense', async () => {
    await configure({ engine: 'osrm', url: base });
    routing.setMode('fail');
    let result = await recommend();
    expect(result.method).toBe('distance');
    expect(result.routing).toEqual({ status: 'unavailable', engine: 'osrm', detail: 'the routing service answered 503' });
    expect(result.candidates.map((c) => c.callSign)).toEqual(['AB01', 'AB02']);

    routing.setMode('garbage');
    result = await recommend();
    expect(result.routing.detail).toBe('OSRM answered with something other than a table');
    expect(result.candidates.map((c) => c.callSign)).toEqual(['AB01', 'AB02']);
  });

  it('refuses a routing service at an internal address that is not allow-listed, and bad settings, with reasons', async () => {
    const refused = await api<{ error: { code: string; message: string; fields?: { path: string; message: string }[] } }>(admin, 'POST', '/api/force/settings', {
      roadRouting: { engine: 'osrm', url: 'http://169.254.169.254/latest' },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/link-local or cloud metadata address/);

    const bad = await api<{ error: { fields: { path: string; message: string }[] } }>(admin, 'POST', '/api/force/settings', {
      roadRouting: { engine: 'graphhopper', url: 'gopher://x', timeoutMs: 50 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.path.replace(/^body\./, '')).sort()).toEqual(['roadRouting.engine', 'roadRouting.timeoutMs', 'roadRouting.url']);

    const dispatcherTries = await api(dispatcher, 'POST', '/api/force/settings', { roadRouting: null });
    expect(dispatcherTries.status).toBe(403);
  });
});
