import pointInPolygon from 'point-in-polygon-hao';

/**
 * Which of a force's areas a place falls in: its district (the force area an incident counts
 * against in response reports) and its beat. Pure; built once from the force's areas and reused.
 * Polygons are GeoJSON geometry (longitude first), `Polygon` or `MultiPolygon`, holes allowed.
 */

export type AreaKind = 'district' | 'beat';
/** Response targets differ between urban and rural areas (deploy and arrive clocks). */
export type AreaSetting = 'urban' | 'rural';

export type AreaGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

export type AreaDefinition = {
  id: string;
  name: string;
  kind: AreaKind;
  setting: AreaSetting;
  geometry: AreaGeometry;
};

export type AreaMatch = { id: string; name: string; setting: AreaSetting };
export type PlaceAreas = { district: AreaMatch | null; beat: AreaMatch | null };

type Prepared = { area: AreaDefinition; polygons: number[][][][]; box: [number, number, number, number]; size: number };

/** Checks one geometry as an admin would upload it; returns what is wrong, or null when usable. */
export function findGeometryProblem(geometry: AreaGeometry): string | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (polygons.length === 0) return 'the shape has no polygons';
  for (const rings of polygons) {
    if (rings.length === 0) return 'a polygon has no outline';
    for (const ring of rings) {
      if (ring.length < 4) return 'every ring needs at least four positions (the first repeated at the end)';
      for (const position of ring) {
        const [lon, lat] = position;
        if (position.length < 2 || lon === undefined || lat === undefined || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
          return 'a position is not a longitude and latitude';
        }
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) return 'a ring is not closed (its last position must repeat its first)';
    }
  }
  return null;
}

/** Finds the district and beat of a place among a force's areas. */
export class AreaLookup {
  private readonly prepared: Prepared[];

  constructor(areas: readonly AreaDefinition[]) {
    this.prepared = areas.map((area) => {
      const problem = findGeometryProblem(area.geometry);
      if (problem) throw new Error(`area ${area.name}: ${problem}`);
      const polygons = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
      let [west, south, east, north] = [180, 90, -180, -90];
      for (const rings of polygons) {
        for (const [lon = 0, lat = 0] of rings[0] ?? []) {
          west = Math.min(west, lon);
          east = Math.max(east, lon);
          south = Math.min(south, lat);
          north = Math.max(north, lat);
        }
      }
      return { area, polygons, box: [west, south, east, north], size: (east - west) * (north - south) };
    });
    // Where areas overlap (a beat drawn over its neighbour's edge), the smaller one is more specific.
    this.prepared.sort((a, b) => a.size - b.size);
  }

  /** The district and beat containing the place (a point on a boundary counts as inside), or nulls. */
  locate(lat: number, lon: number): PlaceAreas {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return { district: null, beat: null };
    return { district: this.find('district', lat, lon), beat: this.find('beat', lat, lon) };
  }

  private find(kind: AreaKind, lat: number, lon: number): AreaMatch | null {
    for (const { area, polygons, box } of this.prepared) {
      if (area.kind !== kind) continue;
      if (lon < box[0] || lat < box[1] || lon > box[2] || lat > box[3]) continue;
      if (polygons.some((rings) => pointInPolygon([lon, lat], rings) !== false)) return { id: area.id, name: area.name, setting: area.setting };
    }
    return null;
  }
}
