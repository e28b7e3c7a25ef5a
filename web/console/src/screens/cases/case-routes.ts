// The investigator's addresses, beside the console's router (which other screens share): the
// case lists (#/cases, #/cases?which=open), one case (#/cases/:id) and a new case (#/cases/new).
import type { CaseWhich } from '../../api/cases.ts';

export type CaseRoute = { name: 'list'; which: CaseWhich } | { name: 'case'; id: string } | { name: 'newCase' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WHICH: readonly CaseWhich[] = ['mine', 'open', 'all'];

/** The case screen a hash path names, or null when it is not one of them. */
export function parseCasePath(path: string): CaseRoute | null {
  const [pathname = '', search = ''] = path.split('?', 2);
  const clean = pathname.replace(/\/+$/, '');
  if (clean === '/cases') {
    const which = new URLSearchParams(search).get('which');
    return { name: 'list', which: WHICH.find((w) => w === which) ?? 'mine' };
  }
  if (clean === '/cases/new') return { name: 'newCase' };
  const one = /^\/cases\/([^/]+)$/.exec(clean);
  if (one?.[1] && UUID.test(one[1])) return { name: 'case', id: one[1] };
  return null;
}

export function caseHref(route: CaseRoute): string {
  switch (route.name) {
    case 'list':
      return route.which === 'mine' ? '#/cases' : `#/cases?which=${route.which}`;
    case 'case':
      return `#/cases/${encodeURIComponent(route.id)}`;
    case 'newCase':
      return '#/cases/new';
  }
}
