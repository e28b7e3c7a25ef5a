import { z } from 'zod';
import { nameField } from '../../platform/http/request-fields.ts';

// What a force admin sends to import, change and remove areas, and what a preview answers
// (decision 0098). The file travels as text inside the JSON body, whichever its format.

const kind = z.enum(['district', 'beat']);
const setting = z.enum(['urban', 'rural']);
const position = z.array(z.number()).min(2).describe('longitude, then latitude');
const geometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
]);

/** An area's name as people read it: one line of visible text that reorders nothing (a shared check). */
export const areaName = nameField('must not be blank', 120);

export const areaImportBody = z
  .object({
    format: z.enum(['geojson', 'kml']).describe('GeoJSON (RFC 7946, longitude first) or KML (Placemarks with Polygons)'),
    text: z.string().max(5_000_000).describe("the file's text"),
    nameProperty: z.string().max(200).optional().describe("the property that names each feature; by default a KML Placemark's name, else a property called name"),
    kind: kind.optional().describe("each feature's kind when neither its properties nor a choice below give one"),
    setting: setting.optional().describe("each feature's setting when neither its properties nor a choice below give one"),
    features: z
      .array(z.object({ index: z.number().int().min(0), name: areaName.optional(), kind: kind.optional(), setting: setting.optional(), skip: z.boolean().optional() }))
      .max(1_000)
      .optional()
      .describe('choices for single features, by their index in the file'),
    confirmWarnings: z.boolean().optional().describe('the admin saw the preview\'s warnings (positions outside the UK) and imports anyway'),
  })
  .meta({ id: 'AreaImportRequest' });
export type AreaImportBody = z.infer<typeof areaImportBody>;

export const areaImportPreview = z
  .object({
    features: z.array(
      z.object({
        index: z.number(),
        name: z.string().nullable(),
        kind: kind.nullable(),
        setting: setting.nullable(),
        skip: z.boolean(),
        action: z.enum(['draw', 'reshape']).nullable().describe('draw: a new area; reshape: the live area of that kind and name gets this shape; null: skipped or not ready'),
        problem: z.string().nullable().describe('what must be chosen or mended before this feature can be imported'),
        positions: z.number(),
        properties: z.record(z.string(), z.string()),
        geometry,
      }),
    ),
    warnings: z.array(z.string()),
    ready: z.boolean().describe('every feature not skipped has a name, a kind and a setting, and no two share a kind and name'),
  })
  .meta({ id: 'AreaImportPreview' });
export type AreaImportPreview = z.infer<typeof areaImportPreview>;

export const areaImportResult = z
  .object({
    drawn: z.array(z.object({ id: z.string(), name: z.string(), kind })),
    reshaped: z.array(z.object({ id: z.string(), name: z.string(), kind })),
  })
  .meta({ id: 'AreaImportResult' });
export type AreaImportResult = z.infer<typeof areaImportResult>;

export const changeAreaBody = z
  .object({ name: areaName.optional(), setting: setting.optional() })
  .refine((body) => body.name !== undefined || body.setting !== undefined, { message: 'give a name, a setting, or both', path: ['name'] })
  .meta({ id: 'ChangeAreaRequest' });
export type ChangeAreaBody = z.infer<typeof changeAreaBody>;
