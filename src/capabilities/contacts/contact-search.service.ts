import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { normaliseEmail } from '../people/people.service.ts';
import { normalisePhone } from '../people/people.schema.ts';
import { nextDueByContact } from '../queue/sla.service.ts';
import type { ContactSearchPage } from './contacts.schema.ts';
import { countContactSearch, listContactSearchPage, type ContactSearchFilter } from './contact-views.repository.ts';
import { toSummary } from './contacts.service.ts';

/** A search of the force's contacts as staff ask for it (the route's query, checked). */
export type ContactSearch = {
  q?: string | undefined;
  status: 'open' | 'closed' | 'any';
  queue?: string | undefined;
  channel?: string | undefined;
  priority?: number | undefined;
  assignee?: string | undefined;
  limit: number;
  after?: string | undefined;
  before?: string | undefined;
};

/** Phone numbers are stored in E.164: text that reads as one also finds it written another way. */
function phoneOf(text: string): string | undefined {
  return /^[+\d][\d\s().-]{5,}$/.test(text) ? (normalisePhone(text) ?? undefined) : undefined;
}

/** Email identities keep their domain in ASCII: an address typed with a domain in its script finds that form. */
function emailOf(text: string): string | undefined {
  const email = text.includes('@') ? normaliseEmail(text) : undefined;
  return email && email !== text.toLowerCase() ? email : undefined;
}

/**
 * Finds the force's contacts, open and closed, by queue, channel, priority, holder and status,
 * and by text in the reference, the person's name, phone or email, or any message: one page,
 * newest first, with how many the search finds in all and cursors to the pages either side.
 */
export async function searchContacts(deps: ServiceDeps, forceId: ForceId, search: ContactSearch, staffId: StaffId): Promise<ContactSearchPage> {
  const text = search.q?.trim() || undefined;
  const filter: ContactSearchFilter = {
    status: search.status === 'any' ? undefined : search.status,
    queueId: search.queue,
    channel: search.channel,
    priority: search.priority,
    assignedTo: search.assignee === 'me' ? staffId : search.assignee === 'unassigned' ? undefined : search.assignee,
    isUnassigned: search.assignee === 'unassigned',
    text,
    phone: text ? phoneOf(text) : undefined,
    email: text ? emailOf(text) : undefined,
  };
  return withForce(deps.db, forceId, async (tx) => {
    const total = await countContactSearch(tx, forceId, filter);
    const { rows, hasMore } = await listContactSearchPage(tx, forceId, filter, { limit: search.limit, after: search.after, before: search.before });
    const open = rows.filter((row) => row.status === 'open').map((row) => row.id);
    const due = await nextDueByContact(tx, forceId, open);
    const now = deps.clock.now();
    const first = rows[0]?.id ?? null;
    const last = rows[rows.length - 1]?.id ?? null;
    // Going forward, there is a page before whenever we came from one; going back, one after.
    const isFirstPage = search.before ? !hasMore : !search.after;
    const isLastPage = search.before ? false : !hasMore;
    return {
      contacts: rows.map((row) => toSummary(row, row.status === 'open' ? due.get(row.id) : undefined, now)),
      total,
      nextCursor: isLastPage ? null : last,
      previousCursor: isFirstPage ? null : first,
    };
  });
}
