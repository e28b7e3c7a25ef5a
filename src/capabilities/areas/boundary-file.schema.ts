import { findGeometryProblem, type AreaGeometry } from './area-lookup.schema.ts';
import { KmlRefused, readKml } from './kml.schema.ts';
import { CheckWork, describeCrossing, findRingCrossing } from './ring-crossings.schema.ts';

/**
 * A force's boundary file read into features (decision 0098): GeoJSON (RFC 7946: a
 * FeatureCollection, a Feature, longitude first) or KML (Placemarks with Polygons, as
 * data.police.uk publishes force and neighbourhood boundaries). Pure. The work is bounded by the
 * limits below, so a hostile file costs at most one linear pass over a few megabytes, and after
 * reading the text it is done in slices between turns of the event loop (`CheckWork`).
 */

export type BoundaryFormat = 'geojson' | 'kml';

/** The longest file read, in characters (a force's neighbourhoods as KML are about 2 MB). */
export const MAX_FILE_CHARS = 5_000_000;
/** The most features one file may hold (the largest force has a few hundred neighbourhoods). */
export const MAX_FEATURES = 1_000;
/** The most positions over every ring of the file. */
export const MAX_VERTICES = 250_000;
const MAX_PROPERTIES = 50;
const MAX_PROPERTY_CHARS = 200;
const MAX_ISSUES = 20;

/** One area the file offers: where it is in the file, what it says about itself, and its shape. */
export type BoundaryFeature = {
  index: number;
  /** The KML Placemark's name; GeoJSON has none of its own (it is in the properties). */
  name: string | null;
  /** Its properties or ExtendedData with text or number values, for the admin to map. */
  properties: Record<string, string>;
  geometry: AreaGeometry;
  vertices: number;
};

/** What is wrong, and with which feature (null: the file as a whole). */
export type BoundaryIssue = { feature: number | null; name: string | null; message: string };

/** The file cannot be used: every reason found (up to twenty). */
export class BoundaryFileRefused extends Error {
  override name = 'BoundaryFileRefused';
  constructor(readonly issues: BoundaryIssue[]) {
    super(issues.map(describeIssue).join('; '));
  }
}

/** An issue in words a person reads: "Feature 3 (Centre): a ring is not closed". */
export function describeIssue(issue: BoundaryIssue): string {
  if (issue.feature === null) return issue.message;
  return `Feature ${issue.feature + 1}${issue.name ? ` (${issue.name})` : ''}: ${issue.message}`;
}

/**
 * Reads a boundary file; throws BoundaryFileRefused naming each feature at fault. Its shapes are
 * checked in slices of `work`, the event loop taking a turn between them.
 */
export async function readBoundaryFile(format: BoundaryFormat, text: string, work: CheckWork = new CheckWork()): Promise<{ features: BoundaryFeature[]; warnings: string[] }> {
  if (text.length > MAX_FILE_CHARS) throw new BoundaryFileRefused([{ feature: null, name: null, message: `the file is larger than ${MAX_FILE_CHARS / 1_000_000} million characters` }]);
  const raw = format === 'kml' ? fromKml(text) : fromGeoJson(text);
  const issues: BoundaryIssue[] = [];
  const warnings: string[] = [];
  const features: BoundaryFeature[] = [];
  if (raw.length > MAX_FEATURES) throw new BoundaryFileRefused([{ feature: null, name: null, message: `the file has ${raw.length} features; at most ${MAX_FEATURES} are read at once` }]);
  let vertices = 0;
  for (const item of raw) {
    if (work.isTurnDue(1)) await work.turn();
    const label = item.name ?? nameLike(item.properties);
    if (item.problem) {
      issues.push({ feature: item.index, name: label, message: item.problem });
      continue;
    }
    if (!item.geometry) {
      warnings.push(describeIssue({ feature: item.index, name: label, message: 'not an area (a point or a line), left out' }));
      continue;
    }
    const count = countVertices(item.geometry);
    vertices += count;
    if (vertices > MAX_VERTICES) throw new BoundaryFileRefused([{ feature: null, name: null, message: `the file has more than ${MAX_VERTICES} positions; simplify the shapes or import them in parts` }]);
    const problem = findGeometryProblem(item.geometry);
    if (work.isTurnDue(count)) await work.turn();
    const crossing = problem ? null : await findRingCrossing(item.geometry, work);
    if (problem) issues.push({ feature: item.index, name: label, message: explainRange(problem, item.geometry) });
    else if (crossing) issues.push({ feature: item.index, name: label, message: describeCrossing(crossing, item.geometry.type === 'Polygon' ? 1 : item.geometry.coordinates.length) });
    else features.push({ index: item.index, name: item.name, properties: item.properties, geometry: item.geometry, vertices: count });
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length > 0) throw new BoundaryFileRefused(issues);
  if (features.length === 0) throw new BoundaryFileRefused([{ feature: null, name: null, message: 'the file has no polygons to import' }]);
  const placed = placeWarning(features);
  if (placed) warnings.unshift(placed);
  return { features, warnings };
}

type RawFeature = { index: number; name: string | null; properties: Record<string, string>; geometry: AreaGeometry | null; problem?: string };

function fromKml(text: string): RawFeature[] {
  try {
    return readKml(text).map((placemark) => ({
      index: placemark.index,
      name: placemark.name || null,
      properties: placemark.properties,
      geometry:
        placemark.polygons.length === 0 ? null : placemark.polygons.length === 1 ? { type: 'Polygon', coordinates: placemark.polygons[0] ?? [] } : { type: 'MultiPolygon', coordinates: placemark.polygons },
    }));
  } catch (error) {
    if (error instanceof KmlRefused) throw new BoundaryFileRefused([{ feature: null, name: null, message: `the KML cannot be read: ${error.message}` }]);
    throw error;
  }
}

function fromGeoJson(text: string): RawFeature[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BoundaryFileRefused([{ feature: null, name: null, message: 'the file is not JSON' }]);
  }
  if (!isObject(parsed)) throw new BoundaryFileRefused([{ feature: null, name: null, message: 'the file is not a GeoJSON object' }]);
  const crs = parsed['crs'];
  if (isObject(crs) && isObject(crs['properties'])) {
    const named = crs['properties']['name'];
    const crsName = typeof named === 'string' ? named : '';
    if (!/CRS84|4326/.test(crsName)) {
      throw new BoundaryFileRefused([{ feature: null, name: null, message: `the file is in ${crsName.slice(0, 60)}, not longitude and latitude (WGS 84); export it as WGS 84 (EPSG:4326)` }]);
    }
  }
  const items = parsed['type'] === 'FeatureCollection' ? parsed['features'] : parsed['type'] === 'Feature' ? [parsed] : null;
  if (!Array.isArray(items)) throw new BoundaryFileRefused([{ feature: null, name: null, message: 'the file is not a GeoJSON FeatureCollection or Feature' }]);
  if (items.length > MAX_FEATURES) return items.map((_, index) => ({ index, name: null, properties: {}, geometry: null }));
  return items.map((item: unknown, index): RawFeature => {
    if (!isObject(item) || item['type'] !== 'Feature') return { index, name: null, properties: {}, geometry: null, problem: 'not a GeoJSON Feature' };
    const properties = readProperties(item['properties']);
    const geometry = item['geometry'];
    if (!isObject(geometry)) return { index, name: null, properties, geometry: null, problem: 'it has no geometry' };
    if (geometry['type'] !== 'Polygon' && geometry['type'] !== 'MultiPolygon') return { index, name: null, properties, geometry: null };
    const depth = geometry['type'] === 'Polygon' ? 3 : 4;
    const coordinates = readNested(geometry['coordinates'], depth);
    if (!coordinates) return { index, name: null, properties, geometry: null, problem: `its ${String(geometry['type'])} coordinates are not arrays of [longitude, latitude] numbers` };
    const shaped: AreaGeometry = depth === 3 ? { type: 'Polygon', coordinates: coordinates as number[][][] } : { type: 'MultiPolygon', coordinates: coordinates as number[][][][] };
    return { index, name: null, properties, geometry: shaped };
  });
}

/** Arrays nested `depth` deep ending in positions of two or three numbers, the altitude dropped; null otherwise. */
function readNested(value: unknown, depth: number): unknown[] | null {
  if (!Array.isArray(value)) return null;
  if (depth === 1) {
    if (value.length < 2 || value.length > 3 || !value.every((n) => typeof n === 'number')) return null;
    return [value[0], value[1]];
  }
  const out: unknown[] = [];
  for (const child of value) {
    const read = readNested(child, depth - 1);
    if (!read) return null;
    out.push(read);
  }
  return out;
}

function readProperties(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [key, item] of Object.entries(value).slice(0, MAX_PROPERTIES)) {
    if (typeof item === 'string' || typeof item === 'number') out[key.slice(0, MAX_PROPERTY_CHARS)] = String(item).slice(0, MAX_PROPERTY_CHARS);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A name-like property to label a feature in a refusal, before the admin has chosen one. */
function nameLike(properties: Record<string, string>): string | null {
  const key = Object.keys(properties).find((k) => /^name$/i.test(k)) ?? Object.keys(properties).find((k) => /NM$|name/i.test(k));
  return key ? (properties[key] ?? null) : null;
}

function countVertices(geometry: AreaGeometry): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let count = 0;
  for (const rings of polygons) for (const ring of rings) count += ring.length;
  return count;
}

/** Positions out of range are often British National Grid metres: say so when every one could be. */
function explainRange(problem: string, geometry: AreaGeometry): string {
  if (!/longitude and latitude/.test(problem)) return problem;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const isGrid = polygons.every((rings) => rings.every((ring) => ring.every(([x = -1, y = -1]) => x >= 1_000 && x <= 700_000 && y >= 1_000 && y <= 1_300_000)));
  if (isGrid) return 'its positions look like British National Grid eastings and northings; export the file as longitude and latitude (WGS 84, EPSG:4326)';
  return 'a position is not a longitude (-180 to 180) and a latitude (-90 to 90)';
}

/** Generous bounds of the United Kingdom, the Channel Islands and the Isle of Man. */
const UK = { west: -11, south: 49, east: 2.5, north: 61.5 };

/** Every position outside the UK: a warning, and which way round they seem to be. */
function placeWarning(features: readonly BoundaryFeature[]): string | null {
  let inside = 0;
  let swappedInside = 0;
  let total = 0;
  for (const feature of features) {
    const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const rings of polygons) {
      for (const [lon = 0, lat = 0] of rings[0] ?? []) {
        total += 1;
        if (lon >= UK.west && lon <= UK.east && lat >= UK.south && lat <= UK.north) inside += 1;
        if (lat >= UK.west && lat <= UK.east && lon >= UK.south && lon <= UK.north) swappedInside += 1;
      }
    }
  }
  if (inside > 0 || total === 0) return null;
  if (swappedInside === total) return 'Every position is outside the UK, and would be inside it with latitude and longitude swapped: the file seems to give latitude first, where GeoJSON and KML give longitude first. Check the preview before importing.';
  return 'Every position is outside the UK. Check the preview before importing.';
}
