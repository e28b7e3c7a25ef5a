// The incident screen's own changes, decided without a browser: which moves an incident in each
// status offers, what each needs, the question asked before it, and the location form.
import { describe, expect, it } from 'vitest';
import { closingCodeHint, confirmMoveQuestion, incidentMovesFor, isIncidentLive, readMoveForm } from '../../web/console/src/screens/dispatch/incident-moves.ts';
import { readLocationForm } from '../../web/console/src/screens/dispatch/incident-form.ts';

describe('finishing an incident', () => {
  it('offers the moves the state machine allows, and none once it has ended', () => {
    const moves = (status: Parameters<typeof incidentMovesFor>[0]) => incidentMovesFor(status).map((c) => c.move);
    expect(moves('open')).toEqual(['resolve_without_deployment', 'cancel']);
    expect(moves('on_scene')).toEqual(['resolve', 'cancel']);
    expect(moves('resolved')).toEqual(['close']);
    expect(moves('cancelled')).toEqual([]);
    expect(isIncidentLive('resolved')).toBe(true);
    expect(isIncidentLive('closed')).toBe(false);
  });

  it('asks for a closing code where the server needs one, and says what is missing in words', () => {
    expect(readMoveForm('dispatched', { move: 'resolve', closingCode: '' })).toEqual({ move: 'resolve' });
    expect(readMoveForm('dispatched', { move: 'cancel', closingCode: 'hoax' })).toEqual({ move: 'cancel', closingCode: 'hoax' });
    expect(readMoveForm('dispatched', { move: 'cancel', closingCode: '' })).toMatchObject({ fields: [{ path: 'closingCode', message: 'Choose why it is cancelled' }] });
    expect(readMoveForm('resolved', { move: 'close', closingCode: '' })).toMatchObject({ fields: [{ path: 'closingCode', message: 'Choose a closing code' }] });
    // A move the status does not allow is not sent.
    expect(readMoveForm('open', { move: 'close', closingCode: 'advice' })).toMatchObject({ fields: [{ path: 'move', message: 'Choose what happened' }] });
  });

  it('points a duplicate to Merge: cancelling names it, and the duplicate closing code is for one whose incident has ended', () => {
    const cancel = incidentMovesFor('open').find((c) => c.move === 'cancel');
    expect(cancel?.hint).not.toMatch(/\(a duplicate,/);
    expect(cancel?.hint).toContain('A duplicate of a live incident is merged into it instead (Merge into another incident, below)');
    expect(closingCodeHint('cancel', 'duplicate')).toMatch(/^Only for a duplicate of an incident already resolved or ended\. If the incident it duplicates is live, merge this one into it instead/);
    expect(closingCodeHint('cancel', 'hoax')).toBeUndefined();
    expect(closingCodeHint('resolve_without_deployment', 'duplicate')).toBeUndefined();
  });

  it('asks before a move that ends the incident or clears its units', () => {
    expect(confirmMoveQuestion('INC-7', { move: 'cancel', closingCode: 'hoax' }, 'Hoax or malicious')).toBe('Cancel INC-7 as “Hoax or malicious”? Every unit still sent to it clears, and it cannot be reopened.');
    expect(confirmMoveQuestion('INC-7', { move: 'resolve' }, null)).toBe('Resolve INC-7? Every unit still sent to it clears.');
  });
});

describe("setting an incident's location", () => {
  it('sends an address, a position or both, and refuses half a position or nothing', () => {
    expect(readLocationForm({ locationText: ' Castle Meadow ', lat: '', lon: '' })).toEqual({ locationText: 'Castle Meadow' });
    expect(readLocationForm({ locationText: '', lat: '52.6285', lon: '1.2895' })).toEqual({ lat: 52.6285, lon: 1.2895 });
    expect(readLocationForm({ locationText: 'x', lat: '52.6', lon: '' })).toMatchObject({ fields: [{ path: 'lat', message: 'Give both latitude and longitude, or neither' }] });
    expect(readLocationForm({ locationText: '', lat: '', lon: '' })).toMatchObject({ fields: [{ path: 'locationText', message: 'Enter an address, a position, or both' }] });
    expect(readLocationForm({ locationText: '', lat: '91', lon: '1' })).toMatchObject({ fields: [{ path: 'lat', message: 'Latitude must be a number between -90 and 90' }] });
  });
});
