// What the dispatcher's map draws, as plain data: the style (a base of tiles only when one is
// configured, so with none the map asks nothing of any server) and a GeoJSON collection per layer.
// Pure, so it is tested without a browser; DispatchMap.tsx hands it to MapLibre.
import type { StyleSpecification } from 'maplibre-gl';
import type { AreaView, IncidentGrade, IncidentSummary, MapBase, Recommendation, UnitStatus, UnitView } from '../../api/dispatch.ts';
import { readCountdown } from './countdown.ts';
import { clockOf } from './incident-clock.ts';

type Geometry = { type: 'Point'; coordinates: number[] } | { type: 'LineString'; coordinates: number[][] } | AreaView['geometry'];
export type Feature = { type: 'Feature'; id?: string; geometry: Geometry; properties: Record<string, string | number | boolean> };
export type FeatureCollection = { type: 'FeatureCollection'; features: Feature[] };

export const GRADE_COLOURS: Record<IncidentGrade | 'ungraded', string> = {
  immediate: '#d4351c',
  priority: '#f47738',
  scheduled: '#1d70b8',
  resolution_without_deployment: '#505a5f',
  ungraded: '#6f777b',
};

export const UNIT_STATUS_COLOURS: Record<UnitStatus, string> = {
  available: '#00703c',
  dispatched: '#912b88',
  en_route: '#f47738',
  on_scene: '#d4351c',
  returning: '#85994b',
  unavailable: '#505a5f',
  off_duty: '#b1b4b6',
  // Never on the map (retired units are not listed there), but every status has a colour.
  retired: '#f3f2f1',
};

/** The countdown's state drawn as the ring round an incident: none, amber, red. */
const RING_COLOURS = { ok: '#ffffff', warning: '#ffdd00', breached: '#0b0c0c', none: '#ffffff' } as const;

/** Layers over the base: areas, the recommendation's lines, incidents, units. */
export const SOURCES = { areas: 'areas', lines: 'recommendation', incidents: 'incidents', units: 'units' } as const;

const empty = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });

/**
 * The map's style. With a tile URL, a raster base under the layers; without, a plain background
 * and nothing else: no glyphs, no sprite, no source with a URL, so the map works offline.
 */
export function mapStyle(base: MapBase): StyleSpecification {
  const tiles = base.tiles;
  return {
    version: 8,
    sources: {
      ...(tiles ? { base: { type: 'raster' as const, tiles: [tiles.url], tileSize: 256, maxzoom: 19, attribution: tiles.attribution } } : {}),
      [SOURCES.areas]: { type: 'geojson', data: empty() },
      [SOURCES.lines]: { type: 'geojson', data: empty() },
      [SOURCES.incidents]: { type: 'geojson', data: empty() },
      [SOURCES.units]: { type: 'geojson', data: empty() },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f3f2f1' } },
      ...(tiles ? [{ id: 'base', type: 'raster' as const, source: 'base' }] : []),
      { id: 'area-fill', type: 'fill', source: SOURCES.areas, paint: { 'fill-color': ['match', ['get', 'setting'], 'urban', '#d2e2f1', '#e3eed8'], 'fill-opacity': 0.5 } },
      { id: 'area-outline', type: 'line', source: SOURCES.areas, paint: { 'line-color': '#505a5f', 'line-width': 1.5 } },
      { id: 'recommendation', type: 'line', source: SOURCES.lines, paint: { 'line-color': '#1d70b8', 'line-width': ['match', ['get', 'rank'], 1, 4, 2], 'line-dasharray': [2, 1] } },
      {
        id: 'incidents',
        type: 'circle',
        source: SOURCES.incidents,
        paint: { 'circle-radius': 9, 'circle-color': ['get', 'colour'], 'circle-stroke-color': ['get', 'ring'], 'circle-stroke-width': 3 },
      },
      {
        id: 'units',
        type: 'circle',
        source: SOURCES.units,
        paint: { 'circle-radius': 5, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1, 'circle-opacity': ['case', ['get', 'isStale'], 0.35, 1] },
      },
    ],
  };
}

export function areaFeatures(areas: readonly AreaView[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: areas.map((area) => ({ type: 'Feature', id: area.id, geometry: area.geometry, properties: { name: area.name, kind: area.kind, setting: area.setting } })),
  };
}

/** Incidents with a place, coloured by grade and ringed by the state of their countdown at `now`. */
export function incidentFeatures(incidents: readonly IncidentSummary[], now: number): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: incidents.flatMap((incident) => {
      const { lat, lon } = incident.location;
      if (lat === null || lon === null) return [];
      const clock = clockOf(incident);
      const state = clock ? readCountdown(clock, now).state : 'none';
      return [
        {
          type: 'Feature' as const,
          id: incident.id,
          geometry: { type: 'Point' as const, coordinates: [lon, lat] },
          properties: { reference: incident.reference, grade: incident.grade?.code ?? 'ungraded', colour: GRADE_COLOURS[incident.grade?.code ?? 'ungraded'], ring: RING_COLOURS[state], countdown: state },
        },
      ];
    }),
  };
}

/** Units with a position, coloured by status; stale positions are drawn faint. */
export function unitFeatures(units: readonly UnitView[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: units.flatMap((unit) =>
      unit.position
        ? [
            {
              type: 'Feature' as const,
              id: unit.id,
              geometry: { type: 'Point' as const, coordinates: [unit.position.lon, unit.position.lat] },
              properties: { callSign: unit.callSign, status: unit.status, colour: UNIT_STATUS_COLOURS[unit.status], isStale: unit.position.isStale },
            },
          ]
        : [],
    ),
  };
}

/** A line from each recommended unit to the incident, ranked (1 is the first choice). */
export function recommendationLines(incident: IncidentSummary | null, recommendation: Recommendation | null | undefined, units: readonly UnitView[]): FeatureCollection {
  const { lat, lon } = incident?.location ?? { lat: null, lon: null };
  if (!recommendation || lat === null || lon === null) return empty();
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  return {
    type: 'FeatureCollection',
    features: recommendation.candidates.flatMap((candidate, index) => {
      const position = byId.get(candidate.unitId)?.position;
      if (!position) return [];
      return [
        {
          type: 'Feature' as const,
          id: candidate.unitId,
          geometry: { type: 'LineString' as const, coordinates: [[position.lon, position.lat], [lon, lat]] },
          properties: { callSign: candidate.callSign, rank: index + 1, etaSeconds: candidate.etaSeconds },
        },
      ];
    }),
  };
}

/** West, south, east, north round every area (and any incident or unit outside them), or null with nothing to show. */
export function boundsOf(collections: readonly FeatureCollection[]): [number, number, number, number] | null {
  const positions: number[][] = [];
  const collect = (coordinates: unknown): void => {
    if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') positions.push(coordinates as number[]);
    else if (Array.isArray(coordinates)) for (const inner of coordinates) collect(inner);
  };
  for (const collection of collections) for (const feature of collection.features) collect(feature.geometry.coordinates);
  if (positions.length === 0) return null;
  const lons = positions.map((p) => p[0] ?? 0);
  const lats = positions.map((p) => p[1] ?? 0);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}
