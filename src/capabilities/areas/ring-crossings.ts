import type { AreaGeometry } from './area-lookup.ts';

/**
 * Whether a boundary's rings cross (decision 0100): a bow-tie, a ring that crosses itself, a hole
 * that crosses its outline or another hole. Point-in-area look-ups give nonsense for such shapes.
 * Pure.
 *
 * Only a proper crossing counts: two edges that pass through each other at a point inside both.
 * Edges that touch (a shared position, a position on another edge, a hole touching its outline
 * at a point) are left alone, as real files have them.
 *
 * The edges of each polygon are put in a grid of about as many cells as edges, and only edges
 * sharing a cell are compared, so a real boundary costs about one pass over its edges. A file made
 * of long edges crowding the same cells could cost far more: the steps of one file (an edge put in
 * a cell, two edges compared) are capped (`MAX_COMPARISONS`) and past that the feature is refused as too intricate to check.
 */

/** Steps allowed over one file (an edge put in a cell, two edges compared): forty per position at the largest. */
export const MAX_COMPARISONS = 10_000_000;

/** What the check found in one feature: where its rings cross, or that it could not say. */
export type RingCrossing =
  | { type: 'crossing'; polygon: number; ring: number; otherRing: number; at: [number, number] }
  | { type: 'too_intricate' };

/** A budget of comparisons shared by the features of one file. */
export type ComparisonBudget = { left: number };

/** The first crossing found in the geometry, or null when its rings cross nowhere. */
export function findRingCrossing(geometry: AreaGeometry, budget: ComparisonBudget = { left: MAX_COMPARISONS }): RingCrossing | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (let p = 0; p < polygons.length; p += 1) {
    const found = findInPolygon(polygons[p] ?? [], p, budget);
    if (found) return found;
  }
  return null;
}

/** The crossing in words that name the ring: "ring 2 (hole 1) of polygon 1 crosses its outline near …". */
export function describeCrossing(crossing: RingCrossing, polygonCount: number): string {
  if (crossing.type === 'too_intricate') return 'its shape is too intricate to check that its rings do not cross; simplify it (fewer positions) and import it again';
  const ringName = (ring: number) => (ring === 0 ? 'its outline (ring 1)' : `hole ${ring} (ring ${ring + 1})`);
  const of = polygonCount > 1 ? ` of polygon ${crossing.polygon + 1}` : '';
  const near = `near ${crossing.at[0].toFixed(5)}, ${crossing.at[1].toFixed(5)}`;
  const what = crossing.ring === crossing.otherRing ? `${ringName(crossing.ring)}${of} crosses itself` : `${ringName(crossing.otherRing)}${of} crosses ${crossing.ring === 0 ? 'the outline' : `hole ${crossing.ring}`}`;
  return `${what} ${near} (longitude, latitude); a shape whose edges cross cannot tell inside from outside: mend it in the source and export it again`;
}

function findInPolygon(rings: readonly (readonly number[][])[], polygon: number, budget: ComparisonBudget): RingCrossing | null {
  // Edges as flat arrays: edge e runs from (ax[e], ay[e]) to (bx[e], by[e]) on ring ringOf[e].
  let count = 0;
  for (const ring of rings) count += Math.max(0, ring.length - 1);
  if (count < 2) return null;
  const ax = new Float64Array(count);
  const ay = new Float64Array(count);
  const bx = new Float64Array(count);
  const by = new Float64Array(count);
  const ringOf = new Int32Array(count);
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  let e = 0;
  for (let r = 0; r < rings.length; r += 1) {
    const ring = rings[r] ?? [];
    for (let i = 0; i + 1 < ring.length; i += 1) {
      // Positions were checked to be pairs of finite numbers before (findGeometryProblem).
      const from = ring[i] ?? [];
      const to = ring[i + 1] ?? [];
      const x1 = from[0] ?? 0;
      const y1 = from[1] ?? 0;
      ax[e] = x1;
      ay[e] = y1;
      bx[e] = to[0] ?? 0;
      by[e] = to[1] ?? 0;
      ringOf[e] = r;
      e += 1;
      if (x1 < west) west = x1;
      if (x1 > east) east = x1;
      if (y1 < south) south = y1;
      if (y1 > north) north = y1;
    }
  }
  const side = Math.max(1, Math.ceil(Math.sqrt(count)));
  const width = (east - west) / side || 1;
  const height = (north - south) / side || 1;
  const column = (x: number) => Math.min(side - 1, Math.max(0, Math.floor((x - west) / width)));
  const row = (y: number) => Math.min(side - 1, Math.max(0, Math.floor((y - south) / height)));

  // The cells an edge passes through: per column it spans, the rows of its stretch in that column.
  // Run twice, counting then filling, so the grid is two flat arrays however many edges it holds.
  const starts = new Int32Array(side * side + 1);
  let filled = starts;
  let grid = new Int32Array(0);
  for (let pass = 0; pass < 2; pass += 1) {
    for (let edge = 0; edge < count; edge += 1) {
      const x1 = ax[edge] ?? 0;
      const y1 = ay[edge] ?? 0;
      const x2 = bx[edge] ?? 0;
      const y2 = by[edge] ?? 0;
      const c1 = column(Math.min(x1, x2));
      const c2 = column(Math.max(x1, x2));
      const slope = x2 === x1 ? 0 : (y2 - y1) / (x2 - x1);
      for (let c = c1; c <= c2; c += 1) {
        const left = c === c1 ? Math.min(x1, x2) : west + c * width;
        const right = c === c2 ? Math.max(x1, x2) : west + (c + 1) * width;
        const yl = x2 === x1 ? y1 : y1 + (left - x1) * slope;
        const yr = x2 === x1 ? y2 : y1 + (right - x1) * slope;
        const r1 = row(Math.min(yl, yr));
        const r2 = row(Math.max(yl, yr));
        if (pass === 0) {
          // Long edges cost a cell each: a file of long crowded edges runs out of budget here.
          budget.left -= r2 - r1 + 1;
          if (budget.left < 0) return { type: 'too_intricate' };
        }
        for (let r = r1; r <= r2; r += 1) {
          const cell = c * side + r;
          if (pass === 0) {
            starts[cell + 1] = (starts[cell + 1] ?? 0) + 1;
          } else {
            const at = filled[cell] ?? 0;
            grid[at] = edge;
            filled[cell] = at + 1;
          }
        }
      }
    }
    if (pass === 0) {
      for (let cell = 0; cell < side * side; cell += 1) starts[cell + 1] = (starts[cell + 1] ?? 0) + (starts[cell] ?? 0);
      filled = starts.slice(0, side * side);
      grid = new Int32Array(starts[side * side] ?? 0);
    }
  }

  for (let cell = 0; cell < side * side; cell += 1) {
    const from = starts[cell] ?? 0;
    const to = starts[cell + 1] ?? 0;
    const pairs = ((to - from) * (to - from - 1)) / 2;
    budget.left -= pairs;
    if (budget.left < 0) return { type: 'too_intricate' };
    for (let i = from; i < to; i += 1) {
      for (let j = i + 1; j < to; j += 1) {
        const p = grid[i] ?? 0;
        const q = grid[j] ?? 0;
        const at = properCrossing(p, q);
        if (at) {
          const [first, second] = (ringOf[p] ?? 0) <= (ringOf[q] ?? 0) ? [p, q] : [q, p];
          return { type: 'crossing', polygon, ring: ringOf[first] ?? 0, otherRing: ringOf[second] ?? 0, at };
        }
      }
    }
  }
  return null;

  // Where edges p and q pass through each other, or null when they do not (touching is not crossing).
  function properCrossing(p: number, q: number): [number, number] | null {
    const px = ax[p] ?? 0;
    const py = ay[p] ?? 0;
    const rx = (bx[p] ?? 0) - px;
    const ry = (by[p] ?? 0) - py;
    const qx = ax[q] ?? 0;
    const qy = ay[q] ?? 0;
    const sx = (bx[q] ?? 0) - qx;
    const sy = (by[q] ?? 0) - qy;
    const o1 = rx * (qy - py) - ry * (qx - px);
    const o2 = rx * (qy + sy - py) - ry * (qx + sx - px);
    if (!((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0))) return null;
    const o3 = sx * (py - qy) - sy * (px - qx);
    const o4 = sx * (py + ry - qy) - sy * (px + rx - qx);
    if (!((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return null;
    const t = o3 / (o3 - o4);
    return [px + t * rx, py + t * ry];
  }
}
