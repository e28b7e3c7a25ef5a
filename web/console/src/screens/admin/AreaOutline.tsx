import type { AreaImportPreview } from '../../api/types.ts';

type Geometry = AreaImportPreview['features'][number]['geometry'];

/**
 * The shapes of a boundary file drawn as outlines on a plain background, north up, so an admin
 * sees at a glance that the file is the force's area the right way round. No tiles: the console
 * works with no internet. Longitude is scaled by the cosine of the middle latitude.
 */
export function AreaOutline({ shapes, title }: { shapes: { name: string; geometry: Geometry }[]; title: string }) {
  const rings = shapes.flatMap((shape) => (shape.geometry.type === 'Polygon' ? [shape.geometry.coordinates] : shape.geometry.coordinates));
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const polygon of rings) {
    for (const [lon = 0, lat = 0] of polygon[0] ?? []) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  if (west > east) return null;
  const squeeze = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const width = Math.max((east - west) * squeeze, 1e-6);
  const height = Math.max(north - south, 1e-6);
  const scale = 300 / Math.max(width, height);
  const path = (geometry: Geometry) =>
    (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates)
      .flat()
      .map((ring) => `M${ring.map(([lon = 0, lat = 0]) => `${(((lon - west) * squeeze) * scale).toFixed(1)},${((north - lat) * scale).toFixed(1)}`).join('L')}Z`)
      .join('');
  return (
    <svg className="area-outline" viewBox={`-5 -5 ${width * scale + 10} ${height * scale + 10}`} width="320" role="img" aria-label={title} data-testid="area-outline">
      {shapes.map((shape, i) => (
        <path key={i} d={path(shape.geometry)} fill="rgba(29, 112, 184, 0.15)" stroke="#1d70b8" strokeWidth="1.5" fillRule="evenodd">
          <title>{shape.name}</title>
        </path>
      ))}
    </svg>
  );
}
