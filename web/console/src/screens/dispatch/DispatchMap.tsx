import { useEffect, useRef, useState } from 'react';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { MapBase } from '../../api/dispatch.ts';
import { GRADE_COLOURS, SOURCES, UNIT_STATUS_COLOURS, boundsOf, mapStyle, type FeatureCollection } from './map-data.ts';
import './dispatch.css';

export type MapLayers = { areas: FeatureCollection; incidents: FeatureCollection; units: FeatureCollection; lines: FeatureCollection };

/**
 * The dispatcher's map (MapLibre GL): areas, incidents by grade, units by status and the
 * recommendation as lines. It only repeats what the lists beside it say, so it is hidden from
 * assistive technology, and when WebGL is missing it says so and the lists carry on.
 * This module is loaded on demand: the rest of the console does not carry MapLibre.
 */
export function DispatchMap({ base, layers }: { base: MapBase; layers: MapLayers }) {
  const container = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [hasFitted, setHasFitted] = useState(false);

  useEffect(() => {
    let created: MapLibreMap | null = null;
    let isCancelled = false;
    void import('maplibre-gl')
      .then(({ Map: MapClass }) => {
        if (isCancelled || !container.current) return;
        created = new MapClass({
          container: container.current,
          style: mapStyle(base),
          center: [1.3, 52.63],
          zoom: 8,
          // The credit is shown below the map, outside the part hidden from assistive technology.
          attributionControl: false,
          // The keyboard belongs to the lists: the map takes no focus of its own.
          keyboard: false,
        });
        const ready = created;
        ready.getCanvas().tabIndex = -1;
        ready.on('load', () => setMap(ready));
        ready.on('error', (event) => {
          // A tile that fails to load is not worth a message; a map that cannot draw is.
          if (!ready.loaded() && event.error instanceof Error && /webgl/i.test(event.error.message)) setFailure(event.error.message);
        });
      })
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : 'the map could not start'));
    return () => {
      isCancelled = true;
      created?.remove();
    };
  }, [base]);

  useEffect(() => {
    if (!map) return;
    for (const [key, source] of Object.entries(SOURCES) as [keyof typeof SOURCES, string][]) {
      map.getSource<GeoJSONSource>(source)?.setData(layers[key]);
    }
    // The names of the areas drawn in view once the map has drawn this data: the map is hidden
    // from assistive technology, so this is how a check of the page sees it follow the lists.
    void map.once('idle', () => {
      const drawn = new Set(map.queryRenderedFeatures({ layers: ['area-fill'] }).map((feature) => String(feature.properties['name'] ?? '')));
      root.current?.setAttribute('data-areas-drawn', [...drawn].sort().join('|'));
    });
    if (!hasFitted) {
      const bounds = boundsOf([layers.areas, layers.incidents]);
      if (bounds) {
        map.fitBounds(bounds, { padding: 24, animate: false });
        setHasFitted(true);
      }
    }
  }, [map, layers, hasFitted]);

  return (
    <div ref={root} className="dispatch-map" data-testid="dispatch-map" data-ready={map ? 'true' : 'false'}>
      {failure ? (
        <p className="dispatch-map__failure" data-testid="map-failure">
          The map cannot be shown in this browser ({failure}). The lists show the same incidents and units.
        </p>
      ) : (
        <div ref={container} className="dispatch-map__canvas" aria-hidden="true" />
      )}
      {base.tiles?.attribution && <p className="dispatch-map__credit">Map tiles: {base.tiles.attribution}</p>}
      <MapKey />
    </div>
  );
}

/** What the colours mean, in words beside each swatch. */
function MapKey() {
  return (
    <details className="dispatch-map__key">
      <summary>Map key</summary>
      <div className="dispatch-map__key-lists">
        <ul aria-label="Incidents by grade">
          {Object.entries(GRADE_COLOURS).map(([grade, colour]) => (
            <li key={grade}>
              <Swatch colour={colour} round /> {humanizeKey(grade)} incident
            </li>
          ))}
        </ul>
        <ul aria-label="Units by status">
          {Object.entries(UNIT_STATUS_COLOURS).map(([status, colour]) => (
            <li key={status}>
              <Swatch colour={colour} /> {humanizeKey(status)} unit
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

const humanizeKey = (key: string) => {
  const text = key.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** An SVG swatch: its colour is an attribute, so the page needs no inline style. */
function Swatch({ colour, round = false }: { colour: string; round?: boolean }) {
  return (
    <svg width="12" height="12" aria-hidden="true" focusable="false" className="dispatch-map__swatch">
      {round ? <circle cx="6" cy="6" r="5" fill={colour} /> : <rect x="1" y="1" width="10" height="10" fill={colour} />}
    </svg>
  );
}
