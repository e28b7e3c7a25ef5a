// Choosing the incident to merge into or link to, without a browser: one offered, or one named by
// its reference and found among the live incidents.
import { describe, expect, it } from 'vitest';
import { chooseIncident, metresBetween, nearestFirst, parseIncidentReference } from '../../web/console/src/screens/dispatch/incident-choice.ts';

const live = [
  { id: 'a', reference: 'INC-7', number: 7, status: 'open' as const },
  { id: 'b', reference: 'INC-12', number: 12, status: 'dispatched' as const },
];
const options = { field: 'intoIncidentId', selfId: 'a', what: 'this one duplicates' };
const messageOf = (result: ReturnType<typeof chooseIncident>) => ('fields' in result ? result.fields.map((f) => `${f.path}: ${f.message}`) : result);

describe('choosing another incident', () => {
  it('reads a reference as staff type it', () => {
    expect(parseIncidentReference('INC-12')).toBe(12);
    expect(parseIncidentReference(' inc 12 ')).toBe(12);
    expect(parseIncidentReference('12')).toBe(12);
    expect(parseIncidentReference('CON-12')).toBeNull();
    expect(parseIncidentReference('')).toBeNull();
  });

  it('takes an incident offered, or one named by its reference among the live ones', () => {
    expect(chooseIncident({ chosenId: 'b', reference: '' }, live, options)).toEqual({ id: 'b', reference: 'INC-12' });
    expect(chooseIncident({ chosenId: '', reference: 'inc-12' }, live, options)).toEqual({ id: 'b', reference: 'INC-12' });
  });

  it('refuses-nothing-chosen, both-given, a-malformed-reference, this-incident and one-not-live, each with the reason', () => {
    expect(messageOf(chooseIncident({ chosenId: '', reference: ' ' }, live, options))).toEqual(['intoIncidentId: Choose the incident this one duplicates, or enter its reference']);
    expect(messageOf(chooseIncident({ chosenId: 'b', reference: 'INC-7' }, live, options))).toEqual(['intoIncidentId: Choose an incident or enter a reference, not both']);
    expect(messageOf(chooseIncident({ chosenId: '', reference: 'twelve' }, live, options))).toEqual(['intoIncidentId: Enter an incident reference like INC-42']);
    expect(messageOf(chooseIncident({ chosenId: '', reference: 'INC-7' }, live, options))).toEqual(['intoIncidentId: INC-7 is this incident; enter the reference of another']);
    expect(messageOf(chooseIncident({ chosenId: '', reference: 'INC-99' }, live, options))).toEqual(['intoIncidentId: INC-99 is not a live incident: it has ended or does not exist']);
    expect(messageOf(chooseIncident({ chosenId: 'gone', reference: '' }, live, options))).toEqual(['intoIncidentId: That incident is no longer live; choose another']);
  });

  it("offers a contact's live incidents nearest to the person first, those with no position last, and keeps the board's order without a position", () => {
    const at = (id: string, lat: number | null, lon: number | null) => ({ id, location: { lat, lon } });
    const incidents = [at('newest-far', 57.52, -4.224), at('no-position', null, null), at('near', 57.4807, -4.224)];
    const here = { lat: 57.478, lon: -4.224 };
    expect(nearestFirst(incidents, here).map(({ incident, metres }) => [incident.id, metres])).toEqual([
      ['near', 300],
      ['newest-far', 4670],
      ['no-position', null],
    ]);
    expect(nearestFirst(incidents, null).map(({ incident, metres }) => [incident.id, metres])).toEqual([
      ['newest-far', null],
      ['no-position', null],
      ['near', null],
    ]);
    expect(metresBetween(here, here)).toBe(0);
  });
});
