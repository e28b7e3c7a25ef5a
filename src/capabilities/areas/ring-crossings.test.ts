import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from './area-lookup.ts';
import { describeCrossing, findRingCrossing } from './ring-crossings.ts';

// Rings that cross make point-in-area look-ups meaningless (decision 0100); rings that only touch,
// as real boundary files have them, are left alone.

const square = (west: number, south: number, east: number, north: number): number[][] => [[west, south], [east, south], [east, north], [west, north], [west, south]];
const polygon = (...rings: number[][][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

describe('findRingCrossing', () => {
  it('finds-a-bow-tie-and-says-where', () => {
    const bowTie = polygon([[1, 52], [1.2, 52.2], [1.2, 52], [1, 52.2], [1, 52]]);
    const found = findRingCrossing(bowTie);
    expect(found).toEqual({ type: 'crossing', polygon: 0, ring: 0, otherRing: 0, at: [1.1, 52.1] });
    expect(describeCrossing(found ?? { type: 'too_intricate' }, 1)).toMatch(/^its outline \(ring 1\) crosses itself near 1\.10000, 52\.10000/);
  });

  it('finds-a-hole-crossing-its-outline-and-one-hole-crossing-another-in-the-second-polygon', () => {
    const holeOut = polygon(square(1, 52, 1.2, 52.2), square(1.1, 52.05, 1.3, 52.1));
    expect(findRingCrossing(holeOut)).toMatchObject({ ring: 0, otherRing: 1 });
    expect(describeCrossing(findRingCrossing(holeOut) ?? { type: 'too_intricate' }, 1)).toMatch(/^hole 1 \(ring 2\) crosses the outline near/);
    const twoHoles: AreaGeometry = { type: 'MultiPolygon', coordinates: [[square(0, 50, 0.1, 50.1)], [square(1, 52, 2, 53), square(1.1, 52.1, 1.5, 52.5), square(1.4, 52.4, 1.8, 52.8)]] };
    const found = findRingCrossing(twoHoles);
    expect(found).toMatchObject({ polygon: 1, ring: 1, otherRing: 2 });
    expect(describeCrossing(found ?? { type: 'too_intricate' }, 2)).toMatch(/^hole 2 \(ring 3\) of polygon 2 crosses hole 1 near/);
  });

  it('finds-a-crossing-among-thousands-of-edges-of-a-long-ring', () => {
    const ring: number[][] = [];
    for (let i = 0; i < 5000; i += 1) ring.push([1 + 0.1 * Math.cos((2 * Math.PI * i) / 5000), 52 + 0.1 * Math.sin((2 * Math.PI * i) / 5000)]);
    // Two neighbouring positions swapped: edges 2499→2501 and 2500→2502 cross.
    const swapped = [...ring];
    [swapped[2500], swapped[2501]] = [ring[2501] ?? [], ring[2500] ?? []];
    expect(findRingCrossing(polygon([...ring, ring[0] ?? []]))).toBeNull();
    expect(findRingCrossing(polygon([...swapped, swapped[0] ?? []]))).toMatchObject({ type: 'crossing', ring: 0, otherRing: 0 });
  });

  it('leaves-alone-rings-that-touch-share-positions-or-repeat-one', () => {
    const touching = polygon(square(1, 52, 1.2, 52.2), [[1, 52.1], [1.1, 52.05], [1.1, 52.15], [1, 52.1]]);
    const repeated = polygon([[1, 52], [1, 52], [1.2, 52], [1.2, 52.2], [1.2, 52.2], [1, 52.2], [1, 52]]);
    const pinched = polygon([[1, 52], [1.2, 52], [1.1, 52.1], [1.2, 52.2], [1, 52.2], [1.1, 52.1], [1, 52]]);
    for (const shape of [touching, repeated, pinched]) expect(findRingCrossing(shape)).toBeNull();
  });

  it('accepts-the-real-ons-boundary-with-its-hole', () => {
    const file = JSON.parse(readFileSync(new URL('../../../test/areas/samples/ons-pfa-dec-2023-buc-metropolitan.geojson', import.meta.url), 'utf8')) as { features: { geometry: AreaGeometry }[] };
    const geometry = file.features[0]?.geometry;
    expect(geometry).toBeDefined();
    if (geometry) expect(findRingCrossing(geometry)).toBeNull();
  });

  it('gives-up-as-too-intricate-when-the-comparisons-run-out-rather-than-running-on', () => {
    // A comb: hundreds of long teeth crowd every cell of their rows.
    const ring: number[][] = [[0, 0]];
    for (let i = 0; i < 400; i += 1) ring.push([10, i * 0.01], [10, i * 0.01 + 0.005], [0.1, i * 0.01 + 0.005], [0.1, i * 0.01 + 0.01]);
    ring.push([0, 4], [0, 0]);
    expect(findRingCrossing(polygon(ring))).toBeNull();
    expect(findRingCrossing(polygon(ring), { left: 1_000 })).toEqual({ type: 'too_intricate' });
  });
});
