import { describe, expect, it } from 'vitest';
import { AreaLookup, findGeometryProblem, type AreaDefinition, type AreaGeometry } from './area-lookup.schema.ts';

/** A rectangle as a GeoJSON polygon ring (longitude first, closed). */
function box(west: number, south: number, east: number, north: number): number[][] {
  return [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ];
}

const CITY: AreaDefinition = { id: 'd-city', name: 'City', kind: 'district', setting: 'urban', geometry: { type: 'Polygon', coordinates: [box(1.2, 52.6, 1.4, 52.7)] } };
const COUNTY: AreaDefinition = {
  id: 'd-county',
  name: 'Broadland',
  kind: 'district',
  setting: 'rural',
  // A county with the city cut out as a hole, plus a detached island.
  geometry: { type: 'MultiPolygon', coordinates: [[box(1.0, 52.5, 1.6, 52.9), box(1.2, 52.6, 1.4, 52.7)], [box(2.0, 52.0, 2.1, 52.1)]] },
};
const BEAT: AreaDefinition = { id: 'b-centre', name: 'Centre', kind: 'beat', setting: 'urban', geometry: { type: 'Polygon', coordinates: [box(1.28, 52.62, 1.32, 52.64)] } };

describe('AreaLookup', () => {
  const lookup = new AreaLookup([COUNTY, CITY, BEAT]);

  it('finds-the-district-and-the-beat-of-a-place', () => {
    expect(lookup.locate(52.63, 1.3)).toEqual({
      district: { id: 'd-city', name: 'City', setting: 'urban' },
      beat: { id: 'b-centre', name: 'Centre', setting: 'urban' },
    });
  });

  it('respects-holes-and-detached-parts', () => {
    expect(lookup.locate(52.8, 1.1).district?.id).toBe('d-county');
    expect(lookup.locate(52.05, 2.05).district?.id).toBe('d-county');
    // Inside the county's outline but in the hole the city fills.
    expect(lookup.locate(52.65, 1.25).district?.id).toBe('d-city');
  });

  it('prefers-the-smaller-of-two-overlapping-areas', () => {
    const overlapping = new AreaLookup([
      { ...CITY, id: 'big', geometry: { type: 'Polygon', coordinates: [box(0, 50, 3, 55)] } },
      { ...CITY, id: 'small' },
    ]);
    expect(overlapping.locate(52.65, 1.3).district?.id).toBe('small');
  });

  it('counts-a-point-on-a-boundary-as-inside', () => {
    expect(lookup.locate(52.6, 1.3).district?.id).toBe('d-city');
  });

  it('answers-nothing-outside-every-area-or-for-a-non-number', () => {
    expect(lookup.locate(51.5, -0.1)).toEqual({ district: null, beat: null });
    expect(lookup.locate(Number.NaN, 1.3)).toEqual({ district: null, beat: null });
  });

  it('refuses-a-shape-an-admin-got-wrong-with-the-reason', () => {
    const open: AreaGeometry = { type: 'Polygon', coordinates: [box(1, 52, 2, 53).slice(0, 4)] };
    expect(findGeometryProblem(open)).toMatch(/not closed/);
    expect(findGeometryProblem({ type: 'Polygon', coordinates: [[[1, 52], [2, 52], [1, 52]]] })).toMatch(/four positions/);
    expect(findGeometryProblem({ type: 'Polygon', coordinates: [box(1, 52, 200, 53)] })).toMatch(/longitude and latitude/);
    expect(findGeometryProblem({ type: 'MultiPolygon', coordinates: [] })).toMatch(/no polygons/);
    expect(() => new AreaLookup([{ ...CITY, geometry: open }])).toThrow(/City: a ring is not closed/);
  });
});
