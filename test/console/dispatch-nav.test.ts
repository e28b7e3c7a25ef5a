// Which dispatch links a role is shown, rendered on the server without a browser.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { StaffUser } from '../../web/console/src/api/types.ts';
import { DispatchScreens } from '../../web/console/src/screens/dispatch/DispatchScreens.tsx';
import type { DispatchRoute } from '../../web/console/src/screens/dispatch/dispatch-routes.ts';

const user = (permissions: StaffUser['permissions']) => ({ permissions }) as unknown as StaffUser;
const render = (route: DispatchRoute, who: StaffUser) =>
  renderToStaticMarkup(
    createElement(QueryClientProvider, { client: new QueryClient({ defaultOptions: { queries: { enabled: false } } }) }, createElement(DispatchScreens, { route, user: who })),
  );

describe('the dispatch navigation', () => {
  it('hides "New incident" on every board from a role that cannot create one', () => {
    const investigator = user(['incidents:read']);
    expect(render({ name: 'board' }, investigator)).not.toContain('New incident');
    expect(render({ name: 'units' }, investigator)).not.toContain('New incident');
    expect(render({ name: 'incident', id: '00000000-0000-4000-8000-000000000001' }, investigator)).not.toContain('New incident');
  });

  it('shows it to a role that can', () => {
    const handler = user(['incidents:read', 'incidents:write']);
    expect(render({ name: 'board' }, handler)).toContain('New incident');
    expect(render({ name: 'units' }, handler)).toContain('New incident');
  });
});
