// The dispatcher's addresses, beside the console's router (which other screens share): the board
// (#/dispatch), the units (#/dispatch/units), one incident (#/incidents/:id) and a new incident,
// optionally from a contact (#/incidents/new?contact=:id).

export type DispatchRoute =
  | { name: 'board' }
  | { name: 'units' }
  | { name: 'incident'; id: string }
  | { name: 'newIncident'; contactId: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dispatch screen a hash path names, or null when it is not one of them. */
export function parseDispatchPath(path: string): DispatchRoute | null {
  const [pathname = '', search = ''] = path.split('?', 2);
  const clean = pathname.replace(/\/+$/, '');
  if (clean === '/dispatch') return { name: 'board' };
  if (clean === '/dispatch/units') return { name: 'units' };
  if (clean === '/incidents/new') {
    const contact = new URLSearchParams(search).get('contact');
    return { name: 'newIncident', contactId: contact && UUID.test(contact) ? contact : null };
  }
  const incident = /^\/incidents\/([^/]+)$/.exec(clean);
  if (incident?.[1] && UUID.test(incident[1])) return { name: 'incident', id: incident[1] };
  return null;
}

export function dispatchHref(route: DispatchRoute): string {
  switch (route.name) {
    case 'board':
      return '#/dispatch';
    case 'units':
      return '#/dispatch/units';
    case 'incident':
      return `#/incidents/${encodeURIComponent(route.id)}`;
    case 'newIncident':
      return route.contactId ? `#/incidents/new?contact=${encodeURIComponent(route.contactId)}` : '#/incidents/new';
  }
}
