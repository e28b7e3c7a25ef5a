import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from './area-lookup.schema.ts';
import { CheckWork, describeCrossing, findRingCrossing, nextTurn } from './ring-crossings.schema.ts';

// Rings that cross make point-in-area look-ups meaningless (decision 0100), and so do rings that
// touch as OGC simple features forbid (decision 0105): a ring touching itself, rings touching twice
// or in a loop. A hole touching its outline at one point, as real boundary files have them, is left
// alone. The check gives the event loop a turn between slices of its work.

const square = (west: number, south: number, east: number, north: number): number[][] => [[west, south], [east, south], [east, north], [west, north], [west, south]];
const polygon = (...rings: number[][][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

describe('findRingCrossing', () => {
  it('finds-a-bow-tie-and-says-where', async () => {
    const bowTie = polygon([[1, 52], [1.2, 52.2], [1.2, 52], [1, 52.2], [1, 52]]);
    const found = await findRingCrossing(bowTie);
    expect(found).toEqual({ type: 'crossing', polygon: 0, ring: 0, otherRing: 0, at: [1.1, 52.1] });
    expect(describeCrossing(found ?? { type: 'too_intricate' }, 1)).toMatch(/^its outline \(ring 1\) crosses itself near 1\.10000, 52\.10000/);
  });

  it('finds-a-hole-crossing-its-outline-and-one-hole-crossing-another-in-the-second-polygon', async () => {
    const holeOut = polygon(square(1, 52, 1.2, 52.2), square(1.1, 52.05, 1.3, 52.1));
    expect(await findRingCrossing(holeOut)).toMatchObject({ ring: 0, otherRing: 1 });
    expect(describeCrossing((await findRingCrossing(holeOut)) ?? { type: 'too_intricate' }, 1)).toMatch(/^hole 1 \(ring 2\) crosses the outline near/);
    const twoHoles: AreaGeometry = { type: 'MultiPolygon', coordinates: [[square(0, 50, 0.1, 50.1)], [square(1, 52, 2, 53), square(1.1, 52.1, 1.5, 52.5), square(1.4, 52.4, 1.8, 52.8)]] };
    const found = await findRingCrossing(twoHoles);
    expect(found).toMatchObject({ polygon: 1, ring: 1, otherRing: 2 });
    expect(describeCrossing(found ?? { type: 'too_intricate' }, 2)).toMatch(/^hole 2 \(ring 3\) of polygon 2 crosses hole 1 near/);
  });

  it('finds-a-crossing-among-thousands-of-edges-of-a-long-ring', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 5000; i += 1) ring.push([1 + 0.1 * Math.cos((2 * Math.PI * i) / 5000), 52 + 0.1 * Math.sin((2 * Math.PI * i) / 5000)]);
    // Two neighbouring positions swapped: edges 2499→2501 and 2500→2502 cross.
    const swapped = [...ring];
    [swapped[2500], swapped[2501]] = [ring[2501] ?? [], ring[2500] ?? []];
    expect(await findRingCrossing(polygon([...ring, ring[0] ?? []]))).toBeNull();
    expect(await findRingCrossing(polygon([...swapped, swapped[0] ?? []]))).toMatchObject({ type: 'crossing', ring: 0, otherRing: 0 });
  });

  it('leaves-alone-a-repeated-position-and-a-hole-touching-its-outline-at-one-point-on-an-edge-or-at-a-shared-position', async () => {
    const onAnEdge = polygon(square(1, 52, 1.2, 52.2), [[1, 52.1], [1.1, 52.05], [1.1, 52.15], [1, 52.1]]);
    const atAPosition = polygon(square(1, 52, 1.2, 52.2), [[1, 52], [1.1, 52.05], [1.05, 52.1], [1, 52]]);
    const repeated = polygon([[1, 52], [1, 52], [1.2, 52], [1.2, 52.2], [1.2, 52.2], [1, 52.2], [1, 52]]);
    const twoHolesTouching = polygon(square(1, 52, 1.3, 52.3), square(1.05, 52.05, 1.15, 52.15), square(1.15, 52.15, 1.25, 52.25));
    for (const shape of [onAnEdge, atAPosition, repeated, twoHolesTouching]) expect(await findRingCrossing(shape)).toBeNull();
  });

  it('refuses-a-figure-of-eight-ring-that-passes-twice-through-one-position-and-says-where', async () => {
    const pinched = polygon([[1, 52], [1.2, 52], [1.1, 52.1], [1.2, 52.2], [1, 52.2], [1.1, 52.1], [1, 52]]);
    const found = await findRingCrossing(pinched);
    expect(found).toEqual({ type: 'touching', how: 'itself', polygon: 0, ring: 0, otherRing: 0, at: [1.1, 52.1] });
    expect(describeCrossing(found ?? { type: 'too_intricate' }, 1)).toMatch(/^its outline \(ring 1\) touches itself near 1\.10000, 52\.10000 \(longitude, latitude\); a ring may pass through each place once/);
    // A hole drawn as a figure of eight, in the second polygon; and a ring running back along itself.
    const holePinched: AreaGeometry = { type: 'MultiPolygon', coordinates: [[square(0, 50, 0.1, 50.1)], [square(1, 52, 2, 53), [[1.2, 52.2], [1.4, 52.2], [1.3, 52.3], [1.4, 52.4], [1.2, 52.4], [1.3, 52.3], [1.2, 52.2]]]] };
    expect(await findRingCrossing(holePinched)).toMatchObject({ type: 'touching', how: 'itself', polygon: 1, ring: 1, otherRing: 1, at: [1.3, 52.3] });
    const spike = polygon([[1, 52], [1.2, 52], [1.2, 52.2], [1.3, 52.2], [1.2, 52.2], [1, 52.2], [1, 52]]);
    expect(await findRingCrossing(spike)).toMatchObject({ type: 'touching', how: 'itself', ring: 0 });
  });

  it('refuses-rings-touching-at-two-points-along-an-edge-or-in-a-loop-that-cuts-the-inside-apart', async () => {
    const twice = polygon(square(1, 52, 1.2, 52.2), [[1, 52], [1.1, 52.05], [1.2, 52], [1.1, 52.15], [1, 52]]);
    const found = await findRingCrossing(twice);
    expect(found).toMatchObject({ type: 'touching', how: 'again', ring: 0, otherRing: 1 });
    expect(describeCrossing(found ?? { type: 'too_intricate' }, 1)).toMatch(/^hole 1 \(ring 2\) touches the outline at more than one point, near 1\.\d{5}, 52\.00000 \(longitude, latitude\) and 1\.\d{5}, 52\.00000; rings may meet at one point only/);
    const along = polygon(square(1, 52, 1.2, 52.2), [[1, 52], [1.1, 52], [1.05, 52.1], [1, 52]]);
    expect(await findRingCrossing(along)).toMatchObject({ type: 'touching', how: 'along', ring: 0, otherRing: 1 });
    // Two holes, each touching the outline once and each other once: together they cut a corner off.
    const loop = polygon(square(1, 52, 1.3, 52.3), [[1, 52.1], [1.1, 52.1], [1.1, 52.15], [1, 52.1]], [[1.1, 52.1], [1.1, 52], [1.15, 52.1], [1.1, 52.1]]);
    const looped = await findRingCrossing(loop);
    expect(looped).toMatchObject({ type: 'touching', how: 'loop' });
    expect(describeCrossing(looped ?? { type: 'too_intricate' }, 1)).toMatch(/closing a loop of rings that touch one another, which cuts part of the area off/);
  });

  it('reads-a-hole-drawn-on-a-slanted-edge-and-rounded-to-six-places-as-touching-not-crossing', async () => {
    // The outline's edge from (1.3, 52.2) to (1, 52) passes x = 1.1 at 52.0666…; rounded to six
    // places the hole's corner lies 3.3e-7 degrees (about 4 cm) outside it.
    const outline = [[1, 52], [1.3, 52], [1.3, 52.2], [1, 52]];
    const rounded = polygon(outline, [[1.1, 52.066667], [1.2, 52.05], [1.2, 52.02], [1.1, 52.066667]]);
    expect(await findRingCrossing(rounded)).toBeNull();
    // A corner a metre through the edge is a crossing, rounding or not.
    const through = polygon(outline, [[1.1, 52.06668], [1.2, 52.05], [1.2, 52.02], [1.1, 52.06668]]);
    expect(await findRingCrossing(through)).toMatchObject({ type: 'crossing', ring: 0, otherRing: 1 });
    // Two corners each within rounding of the outline are two touches: part of the area is cut off.
    const twice = polygon(outline, [[1.1, 52.066667], [1.25, 52.166667], [1.25, 52.1], [1.15, 52.05], [1.1, 52.066667]]);
    expect(await findRingCrossing(twice)).toMatchObject({ type: 'touching', how: 'again', ring: 0, otherRing: 1 });
    // A ring crossing itself by less than rounding is still refused.
    const pinched = polygon([[1, 52], [1.2, 52], [1.0999997, 52.1], [1.2, 52.2], [1, 52.2], [1.1, 52.1], [1, 52]]);
    expect(await findRingCrossing(pinched)).toMatchObject({ type: 'crossing', ring: 0, otherRing: 0 });
  });

  it('reads-a-corner-as-touching-when-rounding-moved-both-it-and-the-edge-it-was-drawn-on', async () => {
    // Drawn exactly on the outline's edge from (1.000000541, 52.000005493) to (1.300000898,
    // 52.200001385), the hole's corner at (1.172234407, 52.114825576); every position then rounded
    // to six places. The corner and both ends of the edge each moved up to half a millionth of a
    // degree each way: the corner lands 1.09e-6 degrees outside the edge, more than either moved.
    const outline = [[1.000001, 52.000005], [1.3, 52], [1.300001, 52.200001], [1.000001, 52.000005]];
    const hole = [[1.172234, 52.114826], [1.222234, 52.104826], [1.222234, 52.074826], [1.172234, 52.114826]];
    expect(await findRingCrossing(polygon(outline, hole))).toBeNull();
  });

  it('accepts-the-real-ons-boundary-with-its-hole', async () => {
    const file = JSON.parse(readFileSync(new URL('../../../test/areas/samples/ons-pfa-dec-2023-buc-metropolitan.geojson', import.meta.url), 'utf8')) as { features: { geometry: AreaGeometry }[] };
    const geometry = file.features[0]?.geometry;
    expect(geometry).toBeDefined();
    if (geometry) expect(await findRingCrossing(geometry)).toBeNull();
  });

  it('gives-up-as-too-intricate-when-the-comparisons-run-out-rather-than-running-on', async () => {
    // A comb: hundreds of long teeth crowd every cell of their rows.
    const ring: number[][] = [[0, 0]];
    for (let i = 0; i < 400; i += 1) ring.push([10, i * 0.01], [10, i * 0.01 + 0.005], [0.1, i * 0.01 + 0.005], [0.1, i * 0.01 + 0.01]);
    ring.push([0, 4], [0, 0]);
    expect(await findRingCrossing(polygon(ring))).toBeNull();
    expect(await findRingCrossing(polygon(ring), new CheckWork({ steps: 1_000 }))).toEqual({ type: 'too_intricate' });
  });

  it('gives-the-event-loop-turns-while-checking-a-ring-of-250000-positions-and-finds-the-same', async () => {
    const circle = (n: number, at: number) => [1 + 0.1 * Math.cos((2 * Math.PI * at) / n), 52 + 0.1 * Math.sin((2 * Math.PI * at) / n)];
    const ring: number[][] = Array.from({ length: 249_999 }, (_, i) => circle(249_999, i));
    [ring[100_000], ring[100_001]] = [ring[100_001] ?? [], ring[100_000] ?? []];
    const shape = polygon([...ring, ring[0] ?? []]);
    // The same answer whether the loop turns every slice or never.
    let turns = 0;
    const counted = new CheckWork({ pause: () => ((turns += 1), nextTurn()) });
    const inSlices = await findRingCrossing(shape, counted);
    const whole = await findRingCrossing(shape, new CheckWork({ stepsPerTurn: Number.MAX_SAFE_INTEGER }));
    expect(inSlices).toEqual(whole);
    expect(inSlices).toMatchObject({ type: 'crossing', ring: 0, otherRing: 0 });
    expect(turns).toBeGreaterThan(10);
    // Something waiting for the loop (here a timer; a request in the server) runs before the check ends.
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    await findRingCrossing(shape).then(() => order.push('check done'));
    expect(order).toEqual(['other work', 'check done']);
  });
});
