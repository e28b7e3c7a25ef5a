import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { listAreas } from '../areas/areas.service.ts';
import { listIncidents } from '../incidents/incidents.service.ts';
import { listUnits } from '../units/units.service.ts';
import { ingestPositions } from '../units/unit-positions.service.ts';
import { POSITION_BATCH_MAX } from '../units/units.schema.ts';

/**
 * The demo force's vehicle tracking, so a newcomer sees a live picture: each tick every demo unit
 * reports a position, through the same ingest use case a tracking gateway's batches go through
 * (never by writing the table). Units on patrol drive towards a waypoint inside their district
 * and pick another on reaching it; units en route drive to their incident; units on scene stay
 * there; the rest stay where they are but keep reporting, so no position goes stale. A unit with
 * no position yet (added, or reinstated after retiring took its last one away) starts at a random
 * point of its home district, or of the force's areas when it has none. Time comes from the
 * injected clock: the distance driven is the clock's time between ticks.
 */

type Point = { lat: number; lon: number };
type Box = { west: number; south: number; east: number; north: number };

/** Metres per second: a patrol's pace through traffic, and a blue-light run. */
export const PATROL_SPEED = 8;
export const RESPONSE_SPEED = 16;
/** Closer than this to its waypoint, a patrol picks the next one. */
const ARRIVED_METRES = 60;
const METRES_PER_DEGREE_LAT = 111_320;

/** Distance in metres, on a flat earth: good enough over a county. */
export function metresBetween(a: Point, b: Point): number {
  const dLat = (b.lat - a.lat) * METRES_PER_DEGREE_LAT;
  const dLon = (b.lon - a.lon) * METRES_PER_DEGREE_LAT * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
}

/** Where a unit at `from` driving at `speed` towards `to` is after `seconds`; never past `to`. */
export function driveTowards(from: Point, to: Point, speed: number, seconds: number): Point {
  const distance = metresBetween(from, to);
  const travelled = speed * Math.max(0, seconds);
  if (distance <= travelled || distance === 0) return { lat: round(to.lat), lon: round(to.lon) };
  const share = travelled / distance;
  return { lat: round(from.lat + (to.lat - from.lat) * share), lon: round(from.lon + (to.lon - from.lon) * share) };
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** The bounding box of a GeoJSON polygon or multipolygon, longitude first. */
export function boxOf(geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] }): Box {
  const positions = geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2);
  const lons = positions.map((p) => p[0] ?? 0);
  const lats = positions.map((p) => p[1] ?? 0);
  return { west: Math.min(...lons), south: Math.min(...lats), east: Math.max(...lons), north: Math.max(...lats) };
}

/** A small seeded generator (mulberry32), so a demo run can be replayed in a test. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class DemoFeeder {
  private readonly waypoints = new Map<string, Point>();
  private lastTick: number | null = null;
  private readonly random: () => number;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly forceId: ForceId,
    seed = 11,
  ) {
    this.random = seededRandom(seed);
  }

  /** Moves every unit by the time since the last tick and posts the positions; returns what ingest said. */
  async tick(): Promise<{ stored: number; ignored: number }> {
    const now = this.deps.clock.now();
    const seconds = this.lastTick === null ? 0 : (now.getTime() - this.lastTick) / 1000;
    this.lastTick = now.getTime();
    const [units, areas, incidents] = await Promise.all([
      listUnits(this.deps, this.forceId),
      listAreas(this.deps, this.forceId),
      listIncidents(this.deps, this.forceId, 'live'),
    ]);
    const boxes = new Map(areas.map((area) => [area.id, boxOf(area.geometry)]));
    const scenes = new Map<string, Point>();
    for (const incident of incidents) {
      const { lat, lon } = incident.location;
      if (lat !== null && lon !== null) scenes.set(incident.id, { lat, lon });
    }
    const recordedAt = now.toISOString();
    const everywhere = unionOf([...boxes.values()]);
    const positions = units.flatMap((unit) => {
      if (!unit.position) {
        // A new or reinstated unit: its tracker's first fix, somewhere on its patch.
        const box = (unit.homeAreaId ? boxes.get(unit.homeAreaId) : undefined) ?? everywhere;
        if (!box) return [];
        const start = { lat: round(box.south + this.random() * (box.north - box.south)), lon: round(box.west + this.random() * (box.east - box.west)) };
        return [{ unitId: unit.id, ...start, recordedAt }];
      }
      const here = { lat: unit.position.lat, lon: unit.position.lon };
      const scene = unit.incidentId ? scenes.get(unit.incidentId) : undefined;
      let next = here;
      if (unit.status === 'en_route' && scene) next = driveTowards(here, scene, RESPONSE_SPEED, seconds);
      else if (unit.status === 'on_scene' && scene) next = scene;
      else if (unit.status === 'available' || unit.status === 'returning') {
        const box = unit.homeAreaId ? boxes.get(unit.homeAreaId) : undefined;
        if (box) next = this.patrol(unit.id, here, box, seconds);
      }
      return [{ unitId: unit.id, lat: next.lat, lon: next.lon, recordedAt }];
    });
    let stored = 0;
    let ignored = 0;
    for (let start = 0; start < positions.length; start += POSITION_BATCH_MAX) {
      const result = await ingestPositions(this.deps, this.forceId, { positions: positions.slice(start, start + POSITION_BATCH_MAX) });
      stored += result.stored;
      ignored += result.ignored;
    }
    return { stored, ignored };
  }

  private patrol(unitId: string, here: Point, box: Box, seconds: number): Point {
    let waypoint = this.waypoints.get(unitId);
    if (!waypoint || metresBetween(here, waypoint) < ARRIVED_METRES) {
      // Mostly near where the unit is (a beat), now and then across the district.
      const isLongRun = this.random() < 0.2;
      const spread = isLongRun ? 1 : 0.15;
      const lat = here.lat + (this.random() - 0.5) * (box.north - box.south) * spread;
      const lon = here.lon + (this.random() - 0.5) * (box.east - box.west) * spread;
      waypoint = { lat: clamp(lat, box.south, box.north), lon: clamp(lon, box.west, box.east) };
      this.waypoints.set(unitId, waypoint);
    }
    return driveTowards(here, waypoint, PATROL_SPEED, seconds);
  }
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The box around all of `boxes`, or undefined when there are none. */
function unionOf(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  return {
    west: Math.min(...boxes.map((b) => b.west)),
    south: Math.min(...boxes.map((b) => b.south)),
    east: Math.max(...boxes.map((b) => b.east)),
    north: Math.max(...boxes.map((b) => b.north)),
  };
}

/**
 * Runs the feeder every `intervalMs` until the returned function is called. A failed tick is
 * logged and the next one tries again; ticks never overlap.
 */
export function startDemoFeeder(deps: ServiceDeps, forceId: ForceId, intervalMs: number): () => Promise<void> {
  const feeder = new DemoFeeder(deps, forceId);
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = feeder
      .tick()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'demo feeder tick failed'))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
