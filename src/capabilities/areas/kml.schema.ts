/**
 * A strict reader of the part of KML that boundary files use: Placemarks with a name, their
 * ExtendedData (`Data/value`, `SchemaData/SimpleData`) and their Polygons (in a MultiGeometry or
 * not), each `outerBoundaryIs` and `innerBoundaryIs` a `LinearRing` of `lon,lat[,alt]` tuples.
 * Everything else (styles, folders, schemas, points, lines) is stepped over.
 *
 * It is not an XML parser and does not try to be one: a document type declaration is refused
 * outright (so no entity can be defined, expanded or fetched), only the five predefined entities
 * and numeric character references are understood, tags must nest, and nesting is bounded. One
 * pass over the text, no backtracking: the work is linear in the file's length.
 */

export type KmlPlacemark = {
  /** Its position among the file's Placemarks, from 0. */
  index: number;
  name: string | null;
  properties: Record<string, string>;
  /** Each polygon's rings, outer first, positions [lon, lat]; empty when it has no polygon. */
  polygons: number[][][][];
  /** It had a point or a line, which is not an area. */
  hasOtherGeometry: boolean;
};

/** The file is not KML this reader accepts: the reason, with the line where it went wrong. */
export class KmlRefused extends Error {
  override name = 'KmlRefused';
}

const MAX_DEPTH = 64;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const TEXT_ELEMENTS = new Set(['name', 'value', 'SimpleData', 'coordinates']);

/** Reads the Placemarks of a KML document; throws KmlRefused for anything it will not read. */
export function readKml(text: string): KmlPlacemark[] {
  const placemarks: KmlPlacemark[] = [];
  const stack: string[] = [];
  let current: KmlPlacemark | null = null;
  let polygon: { outer: number[][] | null; inner: number[][][] } | null = null;
  let dataName: string | null = null;
  let textBuffer: string[] | null = null;
  let sawRoot = false;
  let at = 0;

  const lineAt = (position: number) => text.slice(0, position).split('\n').length;
  const refuse = (message: string, position = at): never => {
    throw new KmlRefused(`line ${lineAt(position)}: ${message}`);
  };

  while (at < text.length) {
    const open = text.indexOf('<', at);
    const end = open === -1 ? text.length : open;
    if (textBuffer && end > at) textBuffer.push(decode(text.slice(at, end), at, refuse));
    if (open === -1) break;
    at = open;
    if (text.startsWith('<!--', at)) {
      const close = text.indexOf('-->', at + 4);
      if (close === -1) refuse('a comment is not closed');
      at = close + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', at)) {
      const close = text.indexOf(']]>', at + 9);
      if (close === -1) refuse('a CDATA section is not closed');
      if (textBuffer) textBuffer.push(text.slice(at + 9, close));
      at = close + 3;
      continue;
    }
    if (text.startsWith('<!', at)) refuse('a document type or entity declaration is not accepted in a boundary file');
    if (text.startsWith('<?', at)) {
      const close = text.indexOf('?>', at + 2);
      if (close === -1) refuse('a processing instruction is not closed');
      at = close + 2;
      continue;
    }
    const close = text.indexOf('>', at + 1);
    if (close === -1) refuse('a tag is not closed');
    const tag = text.slice(at + 1, close);
    const tagAt = at;
    at = close + 1;

    if (tag.startsWith('/')) {
      const name = localName(tag.slice(1).trim());
      const top = stack.pop();
      if (top !== name) refuse(`</${name}> does not close <${top ?? 'nothing'}>`, tagAt);
      if (TEXT_ELEMENTS.has(name) && textBuffer) {
        const value = textBuffer.join('').trim();
        textBuffer = null;
        const parent = stack[stack.length - 1];
        if (current && name === 'name' && parent === 'Placemark') current.name = value;
        else if (current && name === 'value' && dataName !== null) current.properties[dataName] = value;
        else if (current && name === 'SimpleData' && dataName !== null) current.properties[dataName] = value;
        else if (polygon && name === 'coordinates' && parent === 'LinearRing') {
          const ring = readCoordinates(value, tagAt, refuse);
          const boundary = stack[stack.length - 2];
          if (boundary === 'outerBoundaryIs') polygon.outer = ring;
          else if (boundary === 'innerBoundaryIs') polygon.inner.push(ring);
        }
      }
      if (name === 'Data' || name === 'SimpleData') dataName = null;
      if (name === 'Polygon' && current && polygon) {
        if (!polygon.outer) refuse('a Polygon has no outerBoundaryIs', tagAt);
        else current.polygons.push([polygon.outer, ...polygon.inner]);
        polygon = null;
      }
      if (name === 'Placemark' && current) {
        placemarks.push(current);
        current = null;
      }
      continue;
    }

    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const match = /^([A-Za-z_][\w.:-]*)/.exec(body);
    if (!match?.[1]) refuse('a tag has no name', tagAt);
    const name = localName(match?.[1] ?? '');
    if (!sawRoot) {
      if (name !== 'kml') refuse('the file is not KML (its first element is not <kml>)', tagAt);
      sawRoot = true;
    }
    if (selfClosing) continue;
    if (stack.length >= MAX_DEPTH) refuse(`elements are nested more than ${MAX_DEPTH} deep`, tagAt);
    stack.push(name);
    if (name === 'Placemark') {
      if (current) refuse('a Placemark is inside another', tagAt);
      current = { index: placemarks.length, name: null, properties: {}, polygons: [], hasOtherGeometry: false };
    } else if (current && name === 'Polygon') {
      if (polygon) refuse('a Polygon is inside another', tagAt);
      polygon = { outer: null, inner: [] };
    } else if (current && !polygon && (name === 'Point' || name === 'LineString' || name === 'LinearRing' || name === 'Model' || name === 'Track')) {
      current.hasOtherGeometry = true;
    } else if (current && (name === 'Data' || name === 'SimpleData')) {
      dataName = attribute(body, 'name', tagAt, refuse);
    }
    if (TEXT_ELEMENTS.has(name) && current) textBuffer = [];
  }
  if (!sawRoot) refuse('the file is not KML (it has no <kml> element)');
  if (stack.length > 0) refuse(`<${stack[stack.length - 1] ?? ''}> is not closed`);
  return placemarks;
}

/** `kml:Placemark` and `Placemark` are the same element to us. */
function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function attribute(tag: string, wanted: string, at: number, refuse: (message: string, position?: number) => never): string | null {
  const pattern = /([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
  for (let match = pattern.exec(tag); match; match = pattern.exec(tag)) {
    if (match[1] === wanted) return decode(match[3] ?? match[4] ?? '', at, refuse);
  }
  return null;
}

function decode(raw: string, at: number, refuse: (message: string, position?: number) => never): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,12});?/g, (whole, entity: string) => {
    if (!whole.endsWith(';')) return refuse('an & is not followed by an entity', at);
    if (entity.startsWith('#x') || entity.startsWith('#X')) return fromCodePoint(Number.parseInt(entity.slice(2), 16), at, refuse);
    if (entity.startsWith('#')) return fromCodePoint(Number.parseInt(entity.slice(1), 10), at, refuse);
    const known = ENTITIES[entity];
    return known ?? refuse(`&${entity}; is not one of XML's own entities`, at);
  });
}

function fromCodePoint(code: number, at: number, refuse: (message: string, position?: number) => never): string {
  if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return refuse('a character reference is not a character', at);
  return String.fromCodePoint(code);
}

/** `lon,lat[,alt]` tuples separated by white space; the altitude is dropped. */
function readCoordinates(value: string, at: number, refuse: (message: string, position?: number) => never): number[][] {
  const ring: number[][] = [];
  for (const tuple of value.split(/\s+/)) {
    if (tuple === '') continue;
    const parts = tuple.split(',');
    const lon = Number(parts[0]);
    const lat = Number(parts[1]);
    if (parts.length < 2 || parts.length > 3 || parts[0] === '' || parts[1] === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      refuse(`"${tuple.slice(0, 40)}" is not a longitude,latitude pair`, at);
    }
    ring.push([lon, lat]);
  }
  return ring;
}
