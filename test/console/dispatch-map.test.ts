// What the dispatcher's map draws, and the lists and addresses beside it.
import { describe, expect, it } from 'vitest';
import type { AreaView, IncidentSummary, Recommendation, UnitView } from '../../web/console/src/api/dispatch.ts';
import { areaFeatures, boundsOf, incidentFeatures, mapStyle, recommendationLines, unitFeatures } from '../../web/console/src/screens/dispatch/map-data.ts';
import { groupUnits } from '../../web/console/src/screens/dispatch/unit-groups.ts';
import { dispatchHref, parseDispatchPath } from '../../web/console/src/screens/dispatch/dispatch-routes.ts';
import { describeShortfall, incidentUnitMoves } from '../../web/console/src/screens/dispatch/dispatch-text.ts';
import { correctionFormValues, readCorrectionForm, readIncidentForm } from '../../web/console/src/screens/dispatch/incident-form.ts';

const area: AreaView = { id: 'a1', name: 'Norwich City', kind: 'district', setting: 'urban', geometry: { type: 'Polygon', coordinates: [[[1.2, 52.6], [1.4, 52.6], [1.4, 52.7], [1.2, 52.7], [1.2, 52.6]]] } };
const unit = (id: string, callSign: string, status: UnitView['status'], homeAreaId: string | null, position: UnitView['position']): UnitView => ({
  id, callSign, type: 'response', capabilities: [], homeStation: null, homeAreaId, status, eidoStatus: 'Available', statusReason: null, incidentId: null, moves: ['unavailable', 'off_duty'], fleetMoves: [], position,
});
const incident: IncidentSummary = {
  id: 'i1', number: 1, reference: 'INC-1', type: 'crime', summary: '', grade: { code: 'immediate', label: 'Immediate' }, clock: null, missedTargets: [], status: 'open', closingCode: null,
  location: { text: 'Bethel Street', lat: 52.63, lon: 1.29, district: null, beat: null }, requiredCapabilities: [], createdAt: '2026-03-01T10:00:00Z', updatedAt: '2026-03-01T10:00:00Z',
};

describe("the map's style", () => {
  it('with no tile source is a plain background that names no URL at all (nothing is fetched, so it works offline)', () => {
    const style = mapStyle({ tiles: null });
    expect(JSON.stringify(style)).not.toMatch(/https?:|glyphs|sprite/);
    expect(style.layers[0]).toMatchObject({ id: 'background', type: 'background' });
    expect(Object.keys(style.sources)).toEqual(['areas', 'recommendation', 'incidents', 'units']);
  });

  it('with a tile URL puts a raster base under everything, with its credit', () => {
    const style = mapStyle({ tiles: { url: 'https://tiles.example/{z}/{x}/{y}.png', attribution: '© Tiles' } });
    expect(style.sources.base).toMatchObject({ type: 'raster', tiles: ['https://tiles.example/{z}/{x}/{y}.png'], attribution: '© Tiles' });
    expect(style.layers.map((layer) => layer.id).slice(0, 2)).toEqual(['background', 'base']);
  });
});

describe("the map's layers", () => {
  it('draws incidents with a place by grade, units with a position by status (stale ones faint), and areas', () => {
    expect(incidentFeatures([incident, { ...incident, id: 'i2', location: { ...incident.location, lat: null, lon: null } }], Date.parse('2026-03-01T10:01:00Z')).features).toEqual([
      expect.objectContaining({ id: 'i1', geometry: { type: 'Point', coordinates: [1.29, 52.63] }, properties: expect.objectContaining({ grade: 'immediate', colour: '#d4351c', countdown: 'none' }) }),
    ]);
    const units = unitFeatures([unit('u1', 'NC01', 'available', 'a1', { lat: 52.64, lon: 1.3, recordedAt: '2026-03-01T10:00:00Z', isStale: true }), unit('u2', 'NC02', 'available', 'a1', null)]);
    expect(units.features).toHaveLength(1);
    expect(units.features[0]?.properties).toMatchObject({ callSign: 'NC01', status: 'available', isStale: true });
    expect(areaFeatures([area]).features[0]?.properties).toEqual({ name: 'Norwich City', kind: 'district', setting: 'urban' });
  });

  it('draws a line from each recommended unit to the incident, first choice ranked 1', () => {
    const units = [unit('u1', 'NC01', 'available', 'a1', { lat: 52.64, lon: 1.3, recordedAt: '2026-03-01T10:00:00Z', isStale: false })];
    const recommendation: Recommendation = {
      incidentId: 'i1', method: 'distance', routing: { status: 'not_configured', engine: null, detail: null }, shortfalls: [],
      candidates: [{ unitId: 'u1', callSign: 'NC01', type: 'response', distanceKm: 1.2, etaSeconds: 150, reasons: [] }],
    };
    expect(recommendationLines(incident, recommendation, units).features).toEqual([
      expect.objectContaining({ geometry: { type: 'LineString', coordinates: [[1.3, 52.64], [1.29, 52.63]] }, properties: { callSign: 'NC01', rank: 1, etaSeconds: 150 } }),
    ]);
    expect(recommendationLines(incident, null, units).features).toEqual([]);
  });

  it('fits round the areas', () => {
    expect(boundsOf([areaFeatures([area])])).toEqual([1.2, 52.6, 1.4, 52.7]);
    expect(boundsOf([areaFeatures([])])).toBeNull();
  });
});

describe('the unit board', () => {
  it('groups by home area, by name, then by status with the dispatchable first; units with no area last', () => {
    const groups = groupUnits(
      [unit('u3', 'NC03', 'on_scene', 'a1', null), unit('u1', 'NC01', 'available', 'a1', null), unit('u9', 'X9', 'available', null, null), unit('u2', 'NC02', 'available', 'a1', null)],
      [area],
    );
    expect(groups.map((g) => [g.areaName, g.byStatus.map((s) => [s.status, s.units.map((u) => u.callSign)])])).toEqual([
      ['Norwich City', [['available', ['NC01', 'NC02']], ['on_scene', ['NC03']]]],
      ['No home area', [['available', ['X9']]]],
    ]);
  });
});

describe("the dispatcher's addresses and words", () => {
  it('parses its own paths and nothing else, and round-trips', () => {
    const id = '0b6e1c1e-5a4b-4c1e-9f1e-1c1e5a4b4c1e';
    expect(parseDispatchPath('/dispatch')).toEqual({ name: 'board' });
    expect(parseDispatchPath('/dispatch/units/')).toEqual({ name: 'units' });
    expect(parseDispatchPath(`/incidents/${id}`)).toEqual({ name: 'incident', id });
    expect(parseDispatchPath(`/incidents/new?contact=${id}`)).toEqual({ name: 'newIncident', contactId: id });
    expect(parseDispatchPath('/incidents/new?contact=<script>')).toEqual({ name: 'newIncident', contactId: null });
    expect(parseDispatchPath('/incidents/not-an-id')).toBeNull();
    expect(parseDispatchPath('/admin/rules')).toBeNull();
    expect(dispatchHref({ name: 'incident', id })).toBe(`#/incidents/${id}`);
  });

  it('offers each committed unit the moves the server lists, those made beside the incident only', () => {
    expect(incidentUnitMoves(['en_route', 'on_scene', 'clear'])).toEqual([
      { move: 'en_route', label: 'En route' },
      { move: 'on_scene', label: 'On scene' },
      { move: 'clear', label: 'Clear' },
    ]);
    expect(incidentUnitMoves(['clear'])).toEqual([{ move: 'clear', label: 'Clear' }]);
    // Availability is booked on the unit board.
    expect(incidentUnitMoves(['available', 'unavailable', 'off_duty'])).toEqual([]);
    expect(incidentUnitMoves([])).toEqual([]);
  });

  it('says why no unit fits', () => {
    expect(describeShortfall({ code: 'positions_stale', units: 3 })).toBe('3 units left out: their last position is too old.');
    expect(describeShortfall({ code: 'lacking_capability', units: 1, capabilities: ['firearms'] })).toBe('1 unit left out: lacking firearms.');
  });

  it('reads the new-incident form, refusing half a position', () => {
    // What units must have is sent as ticked and typed: the server puts it in its one form.
    const blank = { type: 'crime', summary: ' Fight ', grade: 'immediate', locationText: '', lat: '', lon: '', chosenNeeds: ['firearms'], otherNeeds: ' First aid-2, , dog, firearms' };
    expect(readIncidentForm(blank, 'c1')).toEqual({ type: 'crime', summary: 'Fight', grade: 'immediate', contactIds: ['c1'], requiredCapabilities: ['firearms', 'First aid-2', 'dog'] });
    expect(readIncidentForm({ ...blank, lat: '52.6' }, null)).toEqual({ message: '', fields: [{ path: 'lat', message: 'Give both latitude and longitude, or neither' }] });
    expect(readIncidentForm({ ...blank, lat: 'north', lon: '1.2' }, null)).toEqual({ message: '', fields: [{ path: 'lat', message: 'Latitude must be a number between -90 and 90' }] });
  });

  it('reads the correction form into only what changed, and refuses a change to nothing or an emptied summary', () => {
    const incident = { type: 'concern_for_safety', summary: 'Screaming heard', requiredCapabilities: ['taser'] };
    const values = correctionFormValues(incident);
    expect(values).toEqual({ type: 'concern_for_safety', summary: 'Screaming heard', chosenNeeds: ['taser'], otherNeeds: '' });
    expect(readCorrectionForm({ ...values, type: 'crime_violence', chosenNeeds: ['firearms', 'taser'], otherNeeds: 'Firearms' }, incident)).toEqual({ type: 'crime_violence', requiredCapabilities: ['firearms', 'taser', 'Firearms'] });
    expect(readCorrectionForm({ ...values, chosenNeeds: [] }, incident)).toEqual({ requiredCapabilities: [] });
    expect(readCorrectionForm({ ...values, otherNeeds: ' taser ', summary: 'Screaming heard ' }, incident)).toMatchObject({ fields: [{ path: '', message: expect.stringMatching(/^Nothing has changed/) }] });
    expect(readCorrectionForm({ ...values, summary: '  ' }, incident)).toMatchObject({ fields: [{ path: 'summary', message: 'Enter what is happening' }] });
  });
});
