import { z } from 'zod';

const position = z.array(z.number()).min(2).describe('longitude, then latitude');

/** GeoJSON geometry of an area, longitude first: a polygon (holes allowed) or several. */
const areaGeometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
]);

export const areaView = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['district', 'beat']),
    setting: z.enum(['urban', 'rural']).describe('response targets differ between urban and rural areas'),
    geometry: areaGeometry,
  })
  .meta({ id: 'Area' });
export type AreaView = z.infer<typeof areaView>;

export const mapBaseView = z
  .object({
    tiles: z
      .object({
        url: z.string().describe('raster tile URL template with {z}, {x} and {y}'),
        attribution: z.string(),
      })
      .nullable()
      .describe('null: no tile source is set, so the map draws on a plain background and requests nothing'),
  })
  .meta({ id: 'MapBase' });
export type MapBaseView = z.infer<typeof mapBaseView>;
