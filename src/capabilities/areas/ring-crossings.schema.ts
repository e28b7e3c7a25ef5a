import type { AreaGeometry } from './area-lookup.schema.ts';

/**
 * Whether a boundary's rings are simple as OGC simple features and RFC 7946 ask (decisions 0100,
 * 0105): a bow-tie, a ring that crosses or touches itself (a figure of eight through one
 * position), a hole that crosses its outline or another hole, or rings that touch at more than one
 * point or close a loop of touching rings (the inside would fall in pieces). Point-in-area
 * look-ups give nonsense for such shapes.
 *
 * Left alone, as OGC allows and real files have them: a position repeated straight after itself,
 * and two rings of a polygon (a hole and its outline, two holes) touching at one point.
 *
 * The edges of each polygon are put in a grid of about as many cells as edges, and only edges
 * sharing a cell are compared, so a real boundary costs about one pass over its edges. A file made
 * of long edges crowding the same cells could cost far more: the steps of one file (an edge put in
 * a cell, two edges compared) are capped (`MAX_COMPARISONS`) and past that the feature is refused
 * as too intricate to check. The work is done in slices (`CheckWork`): between slices the event
 * loop takes a turn, so a large file never holds the server's other requests up.
 */

/** Steps allowed over one file (an edge put in a cell, two edges compared): forty per position at the largest. */
export const MAX_COMPARISONS = 10_000_000;
/** Steps in one slice of the check (a few milliseconds' work) before the event loop takes a turn. */
export const STEPS_PER_TURN = 50_000;

/** Gives the event loop a turn. */
export type Pause = () => Promise<void>;
/** The next turn of the event loop, after the I/O waiting for it (as `setImmediate` runs). */
export const nextTurn: Pause = () => new Promise((resolve) => setImmediate(resolve));

/** The work of one file's check: the steps it has left, and a turn of the event loop after every slice. */
export class CheckWork {
  left: number;
  private sinceTurn = 0;
  private readonly pause: Pause;
  private readonly stepsPerTurn: number;
  constructor({ steps = MAX_COMPARISONS, pause = nextTurn, stepsPerTurn = STEPS_PER_TURN }: { steps?: number; pause?: Pause; stepsPerTurn?: number } = {}) {
    this.left = steps;
    this.pause = pause;
    this.stepsPerTurn = stepsPerTurn;
  }
  /** Counts steps done; true when a slice is used up and `turn()` is due. */
  isTurnDue(steps: number): boolean {
    this.sinceTurn += steps;
    return this.sinceTurn >= this.stepsPerTurn;
  }
  /** Lets the event loop take a turn before the next slice. */
  async turn(): Promise<void> {
    this.sinceTurn = 0;
    await this.pause();
  }
}

type At = [number, number];

/** What the check found in one feature: where its rings cross or touch as they may not, or that it could not say. */
export type RingCrossing =
  | { type: 'crossing'; polygon: number; ring: number; otherRing: number; at: At }
  /**
   * Rings meeting where they may not. `itself`: a ring touches or runs back along itself;
   * `along`: two rings share a stretch of edge; `again`: two rings touch at a second point
   * (`alsoAt` the first); `loop`: this touch closes a loop of rings touching one another.
   */
  | { type: 'touching'; how: 'itself' | 'along' | 'again' | 'loop'; polygon: number; ring: number; otherRing: number; at: At; alsoAt?: At }
  | { type: 'too_intricate' };

/** The first crossing or forbidden touch found in the geometry, or null when its rings are simple. */
export async function findRingCrossing(geometry: AreaGeometry, work: CheckWork = new CheckWork()): Promise<RingCrossing | null> {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (let p = 0; p < polygons.length; p += 1) {
    const found = await findInPolygon(polygons[p] ?? [], p, work);
    if (found) return found;
  }
  return null;
}

/** The crossing in words that name the ring: "hole 1 (ring 2) of polygon 1 crosses the outline near …". */
export function describeCrossing(crossing: RingCrossing, polygonCount: number): string {
  if (crossing.type === 'too_intricate') return 'its shape is too intricate to check that its rings do not cross; simplify it (fewer positions) and import it again';
  const ringName = (ring: number) => (ring === 0 ? 'its outline (ring 1)' : `hole ${ring} (ring ${ring + 1})`);
  const ringRef = (ring: number) => (ring === 0 ? 'the outline' : `hole ${ring}`);
  const of = polygonCount > 1 ? ` of polygon ${crossing.polygon + 1}` : '';
  const place = (at: At) => `${at[0].toFixed(5)}, ${at[1].toFixed(5)}`;
  const near = `near ${place(crossing.at)} (longitude, latitude)`;
  const mend = 'mend it in the source and export it again';
  if (crossing.type === 'crossing') {
    const what = crossing.ring === crossing.otherRing ? `${ringName(crossing.ring)}${of} crosses itself` : `${ringName(crossing.otherRing)}${of} crosses ${ringRef(crossing.ring)}`;
    return `${what} ${near}; a shape whose edges cross cannot tell inside from outside: ${mend}`;
  }
  const other = `${ringName(crossing.otherRing)}${of}`;
  switch (crossing.how) {
    case 'itself':
      return `${ringName(crossing.ring)}${of} touches itself ${near}; a ring may pass through each place once (a figure of eight is two polygons): ${mend}`;
    case 'along':
      return `${other} runs along ${ringRef(crossing.ring)} ${near}; rings may meet only at single points: ${mend}`;
    case 'again':
      return `${other} touches ${ringRef(crossing.ring)} at more than one point, ${near}${crossing.alsoAt ? ` and ${place(crossing.alsoAt)}` : ''}; rings may meet at one point only, or part of the area is cut off: ${mend}`;
    case 'loop':
      return `${other} touches ${ringRef(crossing.ring)} ${near}, closing a loop of rings that touch one another, which cuts part of the area off: ${mend}`;
  }
}

async function findInPolygon(rings: readonly (readonly number[][])[], polygon: number, work: CheckWork): Promise<RingCrossing | null> {
  // Edges as flat arrays: edge e runs from (ax[e], ay[e]) to (bx[e], by[e]), the seq[e]-th edge of
  // ring ringOf[e]. A position repeated straight after itself makes no edge (OGC allows it).
  let total = 0;
  for (const ring of rings) total += Math.max(0, ring.length - 1);
  if (total < 2) return null;
  const ax = new Float64Array(total);
  const ay = new Float64Array(total);
  const bx = new Float64Array(total);
  const by = new Float64Array(total);
  const ringOf = new Int32Array(total);
  const seq = new Int32Array(total);
  const edgesOfRing = new Int32Array(rings.length);
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  let count = 0;
  for (let r = 0; r < rings.length; r += 1) {
    const ring = rings[r] ?? [];
    for (let i = 0; i + 1 < ring.length; i += 1) {
      if (work.isTurnDue(1)) await work.turn();
      // Positions were checked to be pairs of finite numbers before (findGeometryProblem).
      const from = ring[i] ?? [];
      const to = ring[i + 1] ?? [];
      const x1 = from[0] ?? 0;
      const y1 = from[1] ?? 0;
      const x2 = to[0] ?? 0;
      const y2 = to[1] ?? 0;
      if (x1 === x2 && y1 === y2) continue;
      ax[count] = x1;
      ay[count] = y1;
      bx[count] = x2;
      by[count] = y2;
      ringOf[count] = r;
      seq[count] = edgesOfRing[r] ?? 0;
      edgesOfRing[r] = (edgesOfRing[r] ?? 0) + 1;
      count += 1;
      if (x1 < west) west = x1;
      if (x1 > east) east = x1;
      if (y1 < south) south = y1;
      if (y1 > north) north = y1;
    }
  }
  if (count < 2) return null;
  const side = Math.max(1, Math.ceil(Math.sqrt(count)));
  const width = (east - west) / side || 1;
  const height = (north - south) / side || 1;
  const column = (x: number) => Math.min(side - 1, Math.max(0, Math.floor((x - west) / width)));
  const row = (y: number) => Math.min(side - 1, Math.max(0, Math.floor((y - south) / height)));

  // The cells an edge passes through: per column it spans, the rows of its stretch in that column.
  // Run twice, counting then filling, so the grid is two flat arrays however many edges it holds.
  // An edge's ends go in their own cells as read, not as worked out along it, so edges that share a
  // position always share a cell.
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
        let r1 = row(Math.min(yl, yr));
        let r2 = row(Math.max(yl, yr));
        for (const [x, y] of [[x1, y1], [x2, y2]] as const) {
          if (column(x) !== c) continue;
          r1 = Math.min(r1, row(y));
          r2 = Math.max(r2, row(y));
        }
        if (pass === 0) {
          // Long edges cost a cell each: a file of long crowded edges runs out of budget here.
          work.left -= r2 - r1 + 1;
          if (work.left < 0) return { type: 'too_intricate' };
        }
        if (work.isTurnDue(r2 - r1 + 1)) await work.turn();
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

  const touches = new RingTouches();
  for (let cell = 0; cell < side * side; cell += 1) {
    const from = starts[cell] ?? 0;
    const to = starts[cell + 1] ?? 0;
    const pairs = ((to - from) * (to - from - 1)) / 2;
    work.left -= pairs;
    if (work.left < 0) return { type: 'too_intricate' };
    if (work.isTurnDue(pairs)) await work.turn();
    for (let i = from; i < to; i += 1) {
      for (let j = i + 1; j < to; j += 1) {
        const p = grid[i] ?? 0;
        const q = grid[j] ?? 0;
        const met = meeting(p, q);
        if (!met) continue;
        const [first, second] = (ringOf[p] ?? 0) <= (ringOf[q] ?? 0) ? [p, q] : [q, p];
        const ring = ringOf[first] ?? 0;
        const otherRing = ringOf[second] ?? 0;
        if (met.how === 'cross') return { type: 'crossing', polygon, ring, otherRing, at: met.at };
        if (ring === otherRing) {
          // Neighbours along the ring share their common position; only running back over each other is wrong.
          if (met.how === 'point' && isNeighbour(p, q)) continue;
          return { type: 'touching', how: 'itself', polygon, ring, otherRing, at: met.at };
        }
        if (met.how === 'overlap') return { type: 'touching', how: 'along', polygon, ring, otherRing, at: met.at };
        const wrong = touches.add(ring, otherRing, met.at);
        if (wrong) return { type: 'touching', polygon, ring, otherRing, ...wrong };
      }
    }
  }
  return null;

  function isNeighbour(p: number, q: number): boolean {
    const edges = edgesOfRing[ringOf[p] ?? 0] ?? 0;
    const apart = Math.abs((seq[p] ?? 0) - (seq[q] ?? 0));
    return apart === 1 || apart === edges - 1;
  }

  // Where edges p and q meet: passing through each other (`cross`), at one point (an end of one on
  // the other), or along a stretch (`overlap`); null when they do not meet. Orientations are worked
  // from the positions as given, so a position two edges share gives exactly zero.
  function meeting(p: number, q: number): { how: 'cross' | 'point' | 'overlap'; at: At } | null {
    const [p1x, p1y, p2x, p2y] = [ax[p] ?? 0, ay[p] ?? 0, bx[p] ?? 0, by[p] ?? 0];
    const [q1x, q1y, q2x, q2y] = [ax[q] ?? 0, ay[q] ?? 0, bx[q] ?? 0, by[q] ?? 0];
    const o1 = orient(p1x, p1y, p2x, p2y, q1x, q1y);
    const o2 = orient(p1x, p1y, p2x, p2y, q2x, q2y);
    if ((o1 > 0 && o2 > 0) || (o1 < 0 && o2 < 0)) return null;
    const o3 = orient(q1x, q1y, q2x, q2y, p1x, p1y);
    const o4 = orient(q1x, q1y, q2x, q2y, p2x, p2y);
    if ((o3 > 0 && o4 > 0) || (o3 < 0 && o4 < 0)) return null;
    if (o1 === 0 && o2 === 0) {
      // On one line: compare their stretches along the axis they run along most.
      const alongX = Math.abs(p2x - p1x) >= Math.abs(p2y - p1y);
      const [pa, pb, qa, qb] = alongX ? [p1x, p2x, q1x, q2x] : [p1y, p2y, q1y, q2y];
      const low = Math.max(Math.min(pa, pb), Math.min(qa, qb));
      const high = Math.min(Math.max(pa, pb), Math.max(qa, qb));
      if (low > high) return null;
      const ends: At[] = [[p1x, p1y], [p2x, p2y], [q1x, q1y], [q2x, q2y]];
      const at = ends.find((end) => (alongX ? end[0] : end[1]) === low) ?? [p1x, p1y];
      return { how: low === high ? 'point' : 'overlap', at };
    }
    if (o1 === 0) return { how: 'point', at: [q1x, q1y] };
    if (o2 === 0) return { how: 'point', at: [q2x, q2y] };
    if (o3 === 0) return { how: 'point', at: [p1x, p1y] };
    if (o4 === 0) return { how: 'point', at: [p2x, p2y] };
    // Where two rings cross, an end within rounding of the other edge was meant to lie on it: a
    // touch, not a crossing. A ring crossing itself is refused either way, and says so.
    const near = ringOf[p] === ringOf[q] ? null : nearestEndWithinRounding([p1x, p1y], [p2x, p2y], [q1x, q1y], [q2x, q2y]);
    if (near) return { how: 'point', at: near };
    const t = o3 / (o3 - o4);
    return { how: 'cross', at: [p1x + t * (p2x - p1x), p1y + t * (p2y - p1y)] };
  }
}

/**
 * How far (in degrees) a position may lie from another ring's edge and still be read as on it,
 * when the two edges would otherwise cross: about 17 cm north to south. Files rounded to six decimal
 * places, as RFC 7946 advises, move each position up to half a millionth of a degree each way, the
 * corner drawn on another ring's edge and both ends of that edge alike: the corner lands up to
 * √2 millionths of a degree off the edge, on either side. Only crossings are read this way: edges
 * that pass near one another without meeting stay apart, so no file is refused for what rounding did.
 */
export const ROUNDING_DEGREES = 1.5e-6;

/** Of the four ends of two crossing edges, the one nearest the other edge, if within rounding of it. */
function nearestEndWithinRounding(p1: At, p2: At, q1: At, q2: At): At | null {
  let best: At | null = null;
  let bestDistance = ROUNDING_DEGREES;
  for (const [end, from, to] of [[q1, p1, p2], [q2, p1, p2], [p1, q1, q2], [p2, q1, q2]] as const) {
    const distance = distanceToEdge(end, from, to);
    if (distance <= bestDistance) {
      best = end;
      bestDistance = distance;
    }
  }
  return best;
}

/** The distance from a position to the nearest point of the edge from `a` to `b`, in degrees as given. */
function distanceToEdge(point: At, a: At, b: At): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / lengthSquared));
  return Math.hypot(point[0] - (a[0] + t * dx), point[1] - (a[1] + t * dy));
}

/** Which side of the line from a to b the point c lies on: positive left, negative right, zero on it. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/**
 * The points where rings of one polygon touch, kept as a graph of rings and points. OGC allows
 * rings to touch at single points so long as the inside stays in one piece: two rings touching
 * twice, or rings touching in a loop, cut part of it off, which is a cycle in this graph.
 */
class RingTouches {
  private readonly parent = new Map<string, string>();
  private readonly seen = new Set<string>();
  private readonly firstOfPair = new Map<string, At>();

  /** Records that `ring` and `otherRing` touch at `at`; what is wrong, if this touch cuts the inside apart. */
  add(ring: number, otherRing: number, at: At): { how: 'again' | 'loop'; at: At; alsoAt?: At } | null {
    const point = `p${at[0]},${at[1]}`;
    const pair = `${ring}:${otherRing}`;
    const earlier = this.firstOfPair.get(pair);
    if (!earlier) this.firstOfPair.set(pair, at);
    for (const r of [ring, otherRing]) {
      const link = `r${r}|${point}`;
      if (this.seen.has(link)) continue;
      this.seen.add(link);
      const a = this.root(`r${r}`);
      const b = this.root(point);
      if (a === b) return earlier && (earlier[0] !== at[0] || earlier[1] !== at[1]) ? { how: 'again', at, alsoAt: earlier } : { how: 'loop', at };
      this.parent.set(a, b);
    }
    return null;
  }

  private root(node: string): string {
    let current = node;
    for (let next = this.parent.get(current); next !== undefined; next = this.parent.get(current)) current = next;
    if (current !== node) this.parent.set(node, current);
    return current;
  }
}
