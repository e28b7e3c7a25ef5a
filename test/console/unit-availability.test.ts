// Booking a unit's availability from the unit board, decided without a browser: which bookings a
// unit offers (those its machine allows, as the API lists them), the reason's checks, and that only
// a role with `dispatch:act` is given the controls.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { unitsQuery, type UnitView } from '../../web/console/src/api/dispatch.ts';
import type { StaffUser } from '../../web/console/src/api/types.ts';
import { DispatchScreens } from '../../web/console/src/screens/dispatch/DispatchScreens.tsx';
import { availabilityChoices, describeBooked, readReason } from '../../web/console/src/screens/dispatch/unit-availability.ts';

const unit = (status: UnitView['status'], moves: UnitView['moves'], statusReason: string | null = null): UnitView => ({
  id: '00000000-0000-4000-8000-000000000001',
  callSign: 'RC20',
  type: 'response',
  capabilities: [],
  homeStation: null,
  homeAreaId: null,
  status,
  eidoStatus: 'Available',
  statusReason,
  incidentId: null,
  moves,
  fleetMoves: [],
  position: null,
});

describe("a unit's availability on the unit board", () => {
  it('offers only the bookings the unit may make next, named for where it is', () => {
    const labels = (u: UnitView) => availabilityChoices(u).map((c) => `${c.move}: ${c.label}`);
    expect(labels(unit('available', ['unavailable', 'off_duty']))).toEqual(['unavailable: Book unavailable', 'off_duty: Book off duty']);
    expect(labels(unit('unavailable', ['available', 'unavailable', 'off_duty'], 'Vehicle defect'))).toEqual(['available: Book available', 'unavailable: Change reason', 'off_duty: Book off duty']);
    expect(labels(unit('off_duty', ['available']))).toEqual(['available: Book on']);
    // Committed to an incident: en route, on scene and clear are the incident screen's.
    expect(labels(unit('dispatched', ['en_route', 'on_scene', 'clear']))).toEqual([]);
  });

  it('trims the reason and refuses one that is missing, too short or too long, in words', () => {
    expect(readReason('  Vehicle defect  ')).toBe('Vehicle defect');
    expect(readReason('   ')).toEqual({ message: '', fields: [{ path: 'reason', message: 'Enter why the unit is unavailable' }] });
    expect(readReason(' ab ')).toEqual({ message: '', fields: [{ path: 'reason', message: 'Reason must be at least 3 characters' }] });
    expect(readReason('x'.repeat(201))).toEqual({ message: '', fields: [{ path: 'reason', message: 'Reason must be 200 characters or fewer' }] });
    expect(readReason('x'.repeat(200))).toBe('x'.repeat(200));
    expect(describeBooked('RC20', 'unavailable', 'At court')).toBe('RC20 is unavailable: At court.');
  });

  it('gives the booking controls to a role with dispatch:act only', () => {
    const render = (permissions: StaffUser['permissions']) => {
      const client = new QueryClient({ defaultOptions: { queries: { enabled: false } } });
      client.setQueryData(unitsQuery.queryKey, [unit('available', ['unavailable', 'off_duty'])]);
      const user = { permissions } as unknown as StaffUser;
      return renderToStaticMarkup(createElement(QueryClientProvider, { client }, createElement(DispatchScreens, { route: { name: 'units' }, user })));
    };
    const dispatcher = render(['incidents:read', 'incidents:write', 'dispatch:act']);
    expect(dispatcher).toContain('RC20');
    expect(dispatcher).toMatch(/Book unavailable<span class="visually-hidden"> for RC20<\/span>/);
    expect(dispatcher).toContain('Book off duty');
    for (const permissions of [['incidents:read'], ['incidents:read', 'units:manage'], ['incidents:read', 'incidents:write']] as StaffUser['permissions'][]) {
      const shown = render(permissions);
      expect(shown).toContain('RC20');
      expect(shown).not.toContain('Book ');
      expect(shown).not.toContain('data-testid="unit-moves"');
    }
  });
});
