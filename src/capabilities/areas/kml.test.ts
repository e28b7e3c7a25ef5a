import { describe, expect, it } from 'vitest';
import { KmlRefused, readKml } from './kml.schema.ts';

// Shapes as KML files carry them: Google Earth and data.police.uk style, with styles, folders,
// schemas, CDATA names and MultiGeometry; positions lon,lat[,alt].

const FILE = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><name>Beats</name>
<Style id="s"><LineStyle><color>ff000000</color></LineStyle></Style>
<Folder><name>North</name>
<Placemark><name><![CDATA[Holt & Cley]]></name><styleUrl>#s</styleUrl>
  <ExtendedData><SchemaData schemaUrl="#u"><SimpleData name="setting">rural</SimpleData></SchemaData><Data name="kind"><value>beat</value></Data></ExtendedData>
  <MultiGeometry>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>
      1.0,52.9,0 1.1,52.9,0 1.1,53.0,0 1.0,52.9,0
    </coordinates></LinearRing></outerBoundaryIs>
    <innerBoundaryIs><LinearRing><coordinates>1.02,52.92 1.05,52.92 1.05,52.95 1.02,52.92</coordinates></LinearRing></innerBoundaryIs></Polygon>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>1.2,52.9 1.3,52.9 1.3,53.0 1.2,52.9</coordinates></LinearRing></outerBoundaryIs></Polygon>
  </MultiGeometry>
</Placemark>
<Placemark><name>Station &amp; yard</name><Point><coordinates>1.1,52.95,0</coordinates></Point></Placemark>
</Folder></Document></kml>`;

describe('readKml', () => {
  it('reads-placemarks-with-names-data-holes-and-several-polygons', () => {
    const [beat, station] = readKml(FILE);
    expect(beat).toMatchObject({ index: 0, name: 'Holt & Cley', properties: { setting: 'rural', kind: 'beat' }, hasOtherGeometry: false });
    expect(beat?.polygons).toEqual([
      [
        [[1.0, 52.9], [1.1, 52.9], [1.1, 53.0], [1.0, 52.9]],
        [[1.02, 52.92], [1.05, 52.92], [1.05, 52.95], [1.02, 52.92]],
      ],
      [[[1.2, 52.9], [1.3, 52.9], [1.3, 53.0], [1.2, 52.9]]],
    ]);
    expect(station).toMatchObject({ name: 'Station & yard', polygons: [], hasOtherGeometry: true });
  });

  it('refuses-declarations-unknown-entities-and-tags-that-do-not-nest', () => {
    expect(() => readKml('<!DOCTYPE kml [<!ENTITY a "b">]><kml/>')).toThrow(/document type or entity declaration/);
    expect(() => readKml('<kml><Placemark><name>&nbsp;</name></Placemark></kml>')).toThrow(/&nbsp; is not one of XML's own entities/);
    expect(() => readKml('<kml><Placemark><name>a & b</name></Placemark></kml>')).toThrow(KmlRefused);
    expect(() => readKml('<kml>\n<Document>\n</Placemark></kml>')).toThrow(/line 3: <\/Placemark> does not close <Document>/);
    expect(() => readKml('<kml><Document>')).toThrow(/<Document> is not closed/);
    expect(() => readKml(`<kml>${'<Folder>'.repeat(70)}`)).toThrow(/nested more than 64 deep/);
    expect(() => readKml('<gpx></gpx>')).toThrow(/not KML/);
  });
});
