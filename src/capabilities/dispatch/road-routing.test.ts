import { describe, expect, it } from 'vitest';
import { RoadRoutingFailed, fetchRoadTimes, parseRoadTimes, rankByRoad, roadTimesRequest } from './road-routing.ts';

const SCENE = { lat: 52.63, lon: 1.2975 };
const UNITS = [
  { lat: 52.62, lon: 1.3 },
  { lat: 52.65, lon: 1.28 },
];

describe('road routing', () => {
  it("asks OSRM's table service for every unit to one incident, longitude first", () => {
    const { url, init } = roadTimesRequest({ engine: 'osrm', url: 'https://osrm.force.example/' }, UNITS, SCENE);
    expect(url).toBe('https://osrm.force.example/table/v1/driving/1.2975,52.63;1.3,52.62;1.28,52.65?sources=1;2&destinations=0&annotations=duration');
    expect(init.method).toBe('GET');
  });

  it("asks Valhalla's matrix with the force's costing", () => {
    const { url, init } = roadTimesRequest({ engine: 'valhalla', url: 'https://valhalla.force.example', profile: 'truck' }, UNITS, SCENE);
    expect(url).toBe('https://valhalla.force.example/sources_to_targets');
    expect(JSON.parse(init.body as string)).toEqual({ sources: UNITS, targets: [SCENE], costing: 'truck' });
  });

  it('reads both of Valhalla’s answer forms and OSRM’s, with null where there is no route', () => {
    expect(parseRoadTimes('osrm', 2, { code: 'Ok', durations: [[300.4], [null]] })).toEqual([300.4, null]);
    expect(parseRoadTimes('valhalla', 2, { sources_to_targets: [[{ from_index: 0, to_index: 0, time: 90 }], [{ from_index: 1, to_index: 0, time: null }]] })).toEqual([90, null]);
    expect(parseRoadTimes('valhalla', 2, { sources_to_targets: { durations: [[12], [34]], distances: [[1], [2]] } })).toEqual([12, 34]);
  });

  it('refuses answers that do not fit, saying how', () => {
    expect(() => parseRoadTimes('osrm', 2, { code: 'NoSegment', message: 'Could not find a matching segment for coordinate 1' })).toThrow(
      new RoadRoutingFailed('OSRM answered NoSegment: Could not find a matching segment for coordinate 1'),
    );
    expect(() => parseRoadTimes('osrm', 2, { code: 'Ok', durations: [[1]] })).toThrow('OSRM gave 1 times for 2 units');
    expect(() => parseRoadTimes('osrm', 1, { code: 'Ok', durations: [[-5]] })).toThrow('something other than a table');
    expect(() => parseRoadTimes('valhalla', 2, { sources_to_targets: [[{ from_index: 1, time: 1 }], [{ from_index: 0, time: 2 }]] })).toThrow('rows out of order');
  });

  it('says the service timed out, or could not be reached, and scales by the duration factor', async () => {
    const timedOut: typeof fetch = () => Promise.reject(new DOMException('The operation timed out.', 'TimeoutError'));
    await expect(fetchRoadTimes(timedOut, { engine: 'osrm', url: 'https://o.example', timeoutMs: 750 }, UNITS, SCENE)).rejects.toThrow('did not answer within 750 ms');
    const refused: typeof fetch = () => Promise.reject(new TypeError('connect ECONNREFUSED'));
    await expect(fetchRoadTimes(refused, { engine: 'osrm', url: 'https://o.example' }, UNITS, SCENE)).rejects.toThrow('could not be reached (connect ECONNREFUSED)');
    const answers: typeof fetch = async () => new Response(JSON.stringify({ code: 'Ok', durations: [[100], [201]] }));
    await expect(fetchRoadTimes(answers, { engine: 'osrm', url: 'https://o.example', durationFactor: 0.8 }, UNITS, SCENE)).resolves.toEqual([80, 161]);
  });

  it('ranks by road time, then distance, then call sign, and counts units with no route', () => {
    const candidate = (callSign: string, distanceKm: number) => ({ callSign, distanceKm, etaSeconds: 0, reasons: [{ code: 'estimated_arrival', seconds: 0, method: 'distance' }] });
    const ranked = rankByRoad([candidate('C', 1), candidate('B', 2), candidate('A', 2), candidate('D', 0.5)], [200, 100, 100, null], 3);
    expect(ranked.candidates.map((c) => [c.callSign, c.etaSeconds])).toEqual([
      ['A', 100],
      ['B', 100],
      ['C', 200],
    ]);
    expect(ranked.candidates[0]?.reasons).toEqual([{ code: 'estimated_arrival', seconds: 100, method: 'road' }]);
    expect(ranked.unroutable).toBe(1);
  });
});
