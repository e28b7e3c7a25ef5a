// The print queue's addresses, beside the console's router (which other screens share): the list
// (#/print-queue) and one letter to print (#/print-queue/:id).

/** Where the queue lives (App.tsx routes it). */
export const PRINT_QUEUE_PATH = '/print-queue';

export type PrintQueueRoute = { name: 'list' } | { name: 'letter'; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The print queue screen a hash path names, or null when it is not one of them. */
export function parsePrintQueuePath(path: string): PrintQueueRoute | null {
  const clean = path.replace(/\/+$/, '');
  if (clean === PRINT_QUEUE_PATH) return { name: 'list' };
  if (!clean.startsWith(`${PRINT_QUEUE_PATH}/`)) return null;
  const id = clean.slice(PRINT_QUEUE_PATH.length + 1);
  return UUID.test(id) ? { name: 'letter', id } : null;
}

export function printQueueHref(route: PrintQueueRoute): string {
  return route.name === 'list' ? `#${PRINT_QUEUE_PATH}` : `#${PRINT_QUEUE_PATH}/${encodeURIComponent(route.id)}`;
}
