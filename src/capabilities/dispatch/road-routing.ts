import { z } from 'zod';
import { roadRoutingSetting, type RoadRoutingEngine } from './dispatch.schema.ts';

export type { RoadRoutingEngine } from './dispatch.schema.ts';

/**
 * Arrival times by road, from the force's own routing service: OSRM's table service or
 * Valhalla's time-distance matrix. Asked once per recommendation for the short list the locator
 * ranked by straight-line estimate; the answer re-ranks it. Never trusted blindly: an answer of
 * the wrong shape, a timeout or an error leaves the straight-line ranking in place, and says why.
 */


/** A force's road-routing setting. */
export type RoadRoutingSetting = {
  engine: RoadRoutingEngine;
  /** The service's base URL, e.g. `http://osrm.force.internal:5000` or `https://valhalla.force.internal`. */
  url: string;
  /** OSRM profile (`driving`, `car`) or Valhalla costing (`auto`). */
  profile?: string | undefined;
  /** How long to wait before falling back to straight-line estimates. */
  timeoutMs?: number | undefined;
  /** Multiplies the service's times: under 1 for blue-light driving faster than its car profile. */
  durationFactor?: number | undefined;
};

export type Point = { lat: number; lon: number };

/** The road time in seconds from each origin to the destination; null where the service found no route. */
export type RoadTimes = (number | null)[];

export class RoadRoutingFailed extends Error {}

const DEFAULT_TIMEOUT_MS = 2_000;
/** Valhalla's and OSRM's default limits are far above this; a short list never comes near. */
const MAX_ORIGINS = 100;

const seconds = z.number().finite().nonnegative().nullable();
const osrmTable = z.object({ code: z.string(), message: z.string().optional(), durations: z.array(z.array(seconds)).optional() });
const valhallaCell = z.object({ time: seconds.optional(), from_index: z.number().int().optional(), to_index: z.number().int().optional() });
const valhallaMatrix = z.object({
  sources_to_targets: z.union([
    z.array(z.array(valhallaCell.nullable())),
    // The concise form (`verbose: false`): rows of durations.
    z.object({ durations: z.array(z.array(seconds)) }),
  ]),
});

const coordinate = (value: number) => Number(value.toFixed(6));

function joinPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/**
 * Builds the request one engine needs for many origins to one destination: OSRM takes every
 * point in the path (longitude first) and the indexes of sources and destinations; Valhalla
 * takes a JSON body of sources and targets.
 */
export function roadTimesRequest(setting: RoadRoutingSetting, origins: readonly Point[], destination: Point): { url: string; init: RequestInit } {
  if (origins.length === 0 || origins.length > MAX_ORIGINS) throw new RoadRoutingFailed(`between 1 and ${MAX_ORIGINS} origins can be asked for at once`);
  if (setting.engine === 'osrm') {
    const points = [destination, ...origins].map((p) => `${coordinate(p.lon)},${coordinate(p.lat)}`).join(';');
    const sources = origins.map((_, i) => i + 1).join(';');
    const profile = encodeURIComponent(setting.profile ?? 'driving');
    return { url: joinPath(setting.url, `/table/v1/${profile}/${points}?sources=${sources}&destinations=0&annotations=duration`), init: { method: 'GET', headers: { accept: 'application/json' } } };
  }
  const body = {
    sources: origins.map((p) => ({ lat: coordinate(p.lat), lon: coordinate(p.lon) })),
    targets: [{ lat: coordinate(destination.lat), lon: coordinate(destination.lon) }],
    costing: setting.profile ?? 'auto',
  };
  return { url: joinPath(setting.url, '/sources_to_targets'), init: { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) } };
}

/** Reads an engine's answer into one time per origin, or says what is wrong with it. */
export function parseRoadTimes(engine: RoadRoutingEngine, origins: number, payload: unknown): RoadTimes {
  if (engine === 'osrm') {
    const parsed = osrmTable.safeParse(payload);
    if (!parsed.success) throw new RoadRoutingFailed('OSRM answered with something other than a table');
    if (parsed.data.code !== 'Ok') throw new RoadRoutingFailed(`OSRM answered ${parsed.data.code}${parsed.data.message ? `: ${parsed.data.message.slice(0, 200)}` : ''}`);
    const rows = parsed.data.durations ?? [];
    if (rows.length !== origins) throw new RoadRoutingFailed(`OSRM gave ${rows.length} times for ${origins} units`);
    return rows.map((row) => row[0] ?? null);
  }
  const parsed = valhallaMatrix.safeParse(payload);
  if (!parsed.success) throw new RoadRoutingFailed('Valhalla answered with something other than a time-distance matrix');
  const matrix = parsed.data.sources_to_targets;
  if (!Array.isArray(matrix)) {
    if (matrix.durations.length !== origins) throw new RoadRoutingFailed(`Valhalla gave ${matrix.durations.length} times for ${origins} units`);
    return matrix.durations.map((row) => row[0] ?? null);
  }
  if (matrix.length !== origins) throw new RoadRoutingFailed(`Valhalla gave ${matrix.length} rows for ${origins} units`);
  return matrix.map((row, i) => {
    const cell = row[0];
    if (cell?.from_index !== undefined && cell.from_index !== i) throw new RoadRoutingFailed('Valhalla answered rows out of order');
    return cell?.time ?? null;
  });
}

/** Asks the force's routing service for road times; throws `RoadRoutingFailed` with a reason a dispatcher can read. */
export async function fetchRoadTimes(fetcher: typeof fetch, setting: RoadRoutingSetting, origins: readonly Point[], destination: Point): Promise<RoadTimes> {
  const { url, init } = roadTimesRequest(setting, origins, destination);
  const timeoutMs = setting.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetcher(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') throw new RoadRoutingFailed(`the routing service did not answer within ${timeoutMs} ms`);
    throw new RoadRoutingFailed(`the routing service could not be reached (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'})`);
  }
  const text = await response.text().catch(() => '');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new RoadRoutingFailed(`the routing service answered ${response.status} without JSON`);
  }
  // OSRM answers 400 with a code and message for points it cannot place; parse says which.
  if (!response.ok && !(setting.engine === 'osrm' && response.status === 400)) throw new RoadRoutingFailed(`the routing service answered ${response.status}`);
  const times = parseRoadTimes(setting.engine, origins.length, payload);
  const factor = setting.durationFactor ?? 1;
  return times.map((t) => (t === null ? null : Math.round(t * factor)));
}

/** How the arrival times of a recommendation were worked out, shown to the dispatcher. */
export type RoutingUse =
  | { status: 'not_configured'; engine: null; detail: null }
  | { status: 'used'; engine: RoadRoutingEngine; detail: null }
  | { status: 'unavailable'; engine: RoadRoutingEngine; detail: string };

/** How many units to ask the routing service about for `limit` recommendations. */
export function shortListSize(limit: number): number {
  return Math.min(MAX_ORIGINS, Math.max(limit * 3, 10));
}

type Ranked = { callSign: string; distanceKm: number; etaSeconds: number; reasons: readonly { code: string }[] };

/**
 * Re-ranks a short list by road time: units the service found no route for are left out and
 * counted; the rest are ordered by road arrival, then distance, then call sign, so ties are stable.
 */
export function rankByRoad<C extends Ranked>(shortList: readonly C[], times: RoadTimes, limit: number): { candidates: C[]; unroutable: number } {
  const routed: C[] = [];
  let unroutable = 0;
  shortList.forEach((candidate, i) => {
    const seconds = times[i];
    if (seconds === null || seconds === undefined) {
      unroutable += 1;
      return;
    }
    const reasons = candidate.reasons.map((reason) => (reason.code === 'estimated_arrival' ? { ...reason, seconds, method: 'road' } : reason));
    routed.push({ ...candidate, etaSeconds: seconds, reasons });
  });
  routed.sort((a, b) => a.etaSeconds - b.etaSeconds || a.distanceKm - b.distanceKm || a.callSign.localeCompare(b.callSign));
  return { candidates: routed.slice(0, limit), unroutable };
}

/** The stored setting, or null when none is set or it no longer reads as one. */
export function readRoadRoutingSetting(value: unknown): RoadRoutingSetting | null {
  if (value === null || value === undefined) return null;
  const parsed = roadRoutingSetting.safeParse(value);
  return parsed.success ? parsed.data : null;
}
