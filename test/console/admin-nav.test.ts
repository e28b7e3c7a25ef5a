// Which administration pages a role is led to, and what the units page shows those who only read
// it, rendered on the server without a browser.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { areasQuery, type UnitView } from '../../web/console/src/api/dispatch.ts';
import { allUnitsQuery } from '../../web/console/src/screens/admin/units-api.ts';
import type { StaffUser } from '../../web/console/src/api/types.ts';
import { adminScreenAt, firstAdminPath } from '../../web/console/src/screens/admin/AdminNav.tsx';

const user = (permissions: StaffUser['permissions']) => ({ permissions }) as unknown as StaffUser;
const unit: UnitView = {
  id: '00000000-0000-4000-8000-000000000001',
  callSign: 'RC20',
  type: 'response',
  capabilities: ['taser'],
  homeStation: 'Bethel Street',
  homeAreaId: null,
  status: 'available',
  eidoStatus: 'Available',
  statusReason: null,
  incidentId: null,
  moves: ['unavailable', 'off_duty'],
  fleetMoves: [],
  position: null,
};
/** Rendered with the force's units already read, so the list and its controls are drawn. */
const render = (node: ReactNode) => {
  const client = new QueryClient({ defaultOptions: { queries: { enabled: false } } });
  client.setQueryData(allUnitsQuery.queryKey, [unit]);
  client.setQueryData(areasQuery.queryKey, []);
  return renderToStaticMarkup(createElement(QueryClientProvider, { client }, node));
};

describe('the administration pages', () => {
  it('gives no Administration link to a role that only sees the control room', () => {
    // Call handlers and dispatchers read units (every role does) but manage none.
    expect(firstAdminPath(user(['contacts:read', 'incidents:read', 'incidents:write']))).toBeNull();
    expect(firstAdminPath(user(['contacts:read', 'incidents:read', 'dispatch:act']))).toBeNull();
  });

  it('leads a role that manages units, and nothing else here, to the units page', () => {
    expect(firstAdminPath(user(['incidents:read', 'units:manage']))).toBe('/admin/units');
  });

  it('opens the units page read-only, without add or change controls, to a role that reads units', () => {
    const page = render(adminScreenAt('/admin/units', user(['incidents:read']), 'no access'));
    expect(page).toContain('RC20');
    expect(page).toContain('Supervisors and force administrators add, change and retire them.');
    expect(page).not.toContain('Add a unit');
    expect(page).not.toContain('<button');
    const managed = render(adminScreenAt('/admin/units', user(['incidents:read', 'units:manage']), 'no access'));
    expect(managed).toContain('Add a unit');
    expect(managed).toContain('Change<span class="visually-hidden"> RC20</span>');
    expect(managed).not.toContain('add, change and retire them');
    expect(render(adminScreenAt('/admin/units', user([]), 'no access'))).toBe('no access');
  });
});
