// Minimal hash router: #/queue, #/contacts/:id, #/supervisor, #/admin/outbox, #/admin/jobs, #/admin/audit.
import { useEffect, useState } from 'react';

export type Route =
  | { name: 'queue' }
  | { name: 'contact'; id: string }
  | { name: 'supervisor' }
  | { name: 'outbox' }
  | { name: 'jobs' }
  | { name: 'audit' }
  | { name: 'notFound'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  if (path === '' || path === '/queue') return { name: 'queue' };
  if (path === '/supervisor') return { name: 'supervisor' };
  if (path === '/admin/outbox') return { name: 'outbox' };
  if (path === '/admin/jobs') return { name: 'jobs' };
  if (path === '/admin/audit') return { name: 'audit' };
  const contact = /^\/contacts\/([^/]+)$/.exec(path);
  if (contact?.[1]) {
    try {
      return { name: 'contact', id: decodeURIComponent(contact[1]) };
    } catch {
      return { name: 'notFound', path };
    }
  }
  return { name: 'notFound', path };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'queue':
      return '#/queue';
    case 'contact':
      return `#/contacts/${encodeURIComponent(route.id)}`;
    case 'supervisor':
      return '#/supervisor';
    case 'outbox':
      return '#/admin/outbox';
    case 'jobs':
      return '#/admin/jobs';
    case 'audit':
      return '#/admin/audit';
    case 'notFound':
      return `#${route.path}`;
  }
}

export function contactHref(id: string): string {
  return routeHref({ name: 'contact', id });
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
