import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { inReferenceOrder } from '../../platform/references.ts';

// Contacts as staff see them: the summary lists show, one contact's whole record, and the row a
// reply locks. The rest of the SQL on `contacts` is in contacts.repository.ts (decision 0023).

/** A contact as lists show it, with its person's, queue's and holder's names. */
export type ContactSummaryRow = {
  id: string;
  reference: string;
  channel: string;
  status: 'open' | 'closed';
  priority: number;
  score: number;
  summary: string;
  received_at: Date;
  person_name: string | null;
  queue_name: string | null;
  assigned_staff_id: string | null;
  assigned_name: string | null;
  is_threat_to_life: boolean;
};

function summaryQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('contacts as c')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('queues as q', 'q.id', 'c.queue_id')
    .leftJoin('staff as a', 'a.id', 'c.assigned_staff_id')
    .select([
      'c.id', 'c.reference', 'c.channel', 'c.status', 'c.priority', 'c.score', 'c.summary', 'c.received_at', 'p.display_name as person_name',
      'q.name as queue_name', 'c.assigned_staff_id', 'a.name as assigned_name', 'c.is_threat_to_life',
    ])
    .where('c.force_id', '=', forceId);
}

/**
 * Contacts in a status, threat to life first, then most urgent, then longest waiting; optionally
 * only one person's, only the unassigned, or one queue's.
 */
export async function listContactSummaries(
  tx: Tx,
  forceId: ForceId,
  filter: { status: 'open' | 'closed'; limit: number; assignedTo?: string | undefined; isUnassigned?: boolean; queueId?: string | undefined },
): Promise<ContactSummaryRow[]> {
  let query = summaryQuery(tx, forceId).where('c.status', '=', filter.status);
  if (filter.assignedTo) query = query.where('c.assigned_staff_id', '=', filter.assignedTo);
  if (filter.isUnassigned) query = query.where('c.assigned_staff_id', 'is', null);
  if (filter.queueId) query = query.where('c.queue_id', '=', filter.queueId);
  return query.orderBy('c.is_threat_to_life', 'desc').orderBy('c.priority').orderBy('c.received_at').orderBy(inReferenceOrder('c.reference')).limit(filter.limit).execute();
}

/** One contact as lists show it, or undefined. */
export async function findContactSummary(tx: Tx, forceId: ForceId, contactId: string): Promise<ContactSummaryRow | undefined> {
  return summaryQuery(tx, forceId).where('c.id', '=', contactId).executeTakeFirst();
}

/** The latest contacts of these people other than one, newest first. */
export async function listContactsOfPeople(
  tx: Tx,
  forceId: ForceId,
  personIds: readonly string[],
  exceptContactId: string,
  limit: number,
  receivedBy: Date,
): Promise<ContactSummaryRow[]> {
  if (personIds.length === 0) return [];
  return summaryQuery(tx, forceId)
    .where('c.person_id', 'in', [...personIds])
    .where('c.id', '!=', exceptContactId)
    // Earlier means received before this one: a later contact is not history of this one.
    .where('c.received_at', '<=', receivedBy)
    .orderBy('c.received_at', 'desc')
    .orderBy(inReferenceOrder('c.reference', 'desc'))
    .limit(limit)
    .execute();
}

/** Everything stored about one contact that its screen shows, with its case, queue and holder. */
export async function findContactRecord(tx: Tx, forceId: ForceId, contactId: string) {
  return tx
    .selectFrom('contacts as c')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('cases as k', 'k.contact_id', 'c.id')
    // A victim's secure message from their case page names the case it is about (intake's meta).
    .leftJoin('cases as m', (join) => join.onRef('m.force_id', '=', 'c.force_id').on(sql<boolean>`m.id::text = c.meta->>'caseId'`))
    .leftJoin('queues as q', 'q.id', 'c.queue_id')
    .leftJoin('staff as a', 'a.id', 'c.assigned_staff_id')
    .select([
      'c.id', 'c.reference', 'c.channel', 'c.status', 'c.priority', 'c.score', 'c.summary', 'c.received_at',
      'c.closed_at', 'c.outcome', 'c.triage', 'c.person_id', 'c.location', 'c.occurred_text',
      'p.display_name as person_name',
      sql<string | null>`coalesce(k.id, m.id)`.as('case_id'),
      sql<string | null>`coalesce(k.reference, m.reference)`.as('case_reference'),
      'c.queue_id', 'q.name as queue_name', 'q.key as queue_key', 'q.is_control_room', 'c.assigned_staff_id', 'a.name as assigned_name',
      'c.assigned_at', 'c.enqueued_at', 'c.is_threat_to_life', 'c.required_skills', 'c.preferred_skills', 'c.meta',
      'c.thread_key', 'c.channel_account_id',
    ])
    .where('c.force_id', '=', forceId)
    .where('c.id', '=', contactId)
    .executeTakeFirst();
}

/** A contact locked for a reply, with its force's name and its person's name. */
export async function lockContactForReply(tx: Tx, forceId: ForceId, contactId: string) {
  return tx
    .selectFrom('contacts as c')
    .innerJoin('forces as f', 'f.id', 'c.force_id')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.reference', 'c.channel', 'c.status', 'c.assigned_staff_id', 'c.person_id', 'c.meta', 'c.thread_key', 'c.channel_account_id', 'f.name as force_name', 'p.display_name'])
    .where('c.force_id', '=', forceId)
    .where('c.id', '=', contactId)
    .forUpdate('c')
    .executeTakeFirst();
}

/** What a search of a force's contacts keeps: every field optional; `text` is already trimmed. */
export type ContactSearchFilter = {
  status?: 'open' | 'closed' | undefined;
  queueId?: string | undefined;
  channel?: string | undefined;
  priority?: number | undefined;
  assignedTo?: string | undefined;
  isUnassigned?: boolean | undefined;
  /** Matched, as a substring and ignoring case, against the reference, the person's name, their handles and message text. */
  text?: string | undefined;
  /** A phone number in the stored form (E.164), when the text reads as one. */
  phone?: string | undefined;
  /** An email address in the stored form (its domain in ASCII), when the text is one written otherwise. */
  email?: string | undefined;
};

/** `text` as a LIKE pattern that matches it anywhere, its own wildcards and escapes taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function searchQuery(tx: Tx, forceId: ForceId, filter: ContactSearchFilter) {
  let query = summaryQuery(tx, forceId);
  if (filter.status) query = query.where('c.status', '=', filter.status);
  if (filter.queueId) query = query.where('c.queue_id', '=', filter.queueId);
  if (filter.channel) query = query.where('c.channel', '=', filter.channel);
  if (filter.priority !== undefined) query = query.where('c.priority', '=', filter.priority);
  if (filter.assignedTo) query = query.where('c.assigned_staff_id', '=', filter.assignedTo);
  if (filter.isUnassigned) query = query.where('c.assigned_staff_id', 'is', null);
  const text = filter.text;
  if (text) {
    const pattern = containsPattern(text);
    const handles = [filter.phone, filter.email].filter((handle) => handle !== undefined);
    query = query.where((eb) =>
      eb.or([
        eb('c.reference', 'ilike', pattern),
        eb('p.display_name', 'ilike', pattern),
        eb.exists(
          eb
            .selectFrom('identities as i')
            .select('i.id')
            .whereRef('i.person_id', '=', 'c.person_id')
            .where('i.force_id', '=', forceId)
            .where((ib) => ib.or([ib('i.value', 'ilike', pattern), ...(handles.length > 0 ? [ib('i.value', 'in', handles)] : [])])),
        ),
        eb.exists(
          eb
            .selectFrom('messages as m')
            .select('m.id')
            .whereRef('m.contact_id', '=', 'c.id')
            .where('m.force_id', '=', forceId)
            .where('m.body', 'ilike', pattern),
        ),
      ]),
    );
  }
  return query;
}

/** How many of the force's contacts a search finds. */
export async function countContactSearch(tx: Tx, forceId: ForceId, filter: ContactSearchFilter): Promise<number> {
  const row = await searchQuery(tx, forceId, filter)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * One page of a search, newest first (received, then id: a stable order). After a contact, the
 * page that follows it; before one, the page that comes before it (still newest first). Reads one
 * more than `limit` to tell whether there is more in the direction of travel.
 */
export async function listContactSearchPage(
  tx: Tx,
  forceId: ForceId,
  filter: ContactSearchFilter,
  page: { limit: number; after?: string | undefined; before?: string | undefined },
): Promise<{ rows: ContactSummaryRow[]; hasMore: boolean }> {
  let query = searchQuery(tx, forceId, filter);
  // The cursor is a contact of the force; its place in the order is read from its row, so no
  // timestamp makes a round trip through JavaScript's milliseconds.
  const at = (id: string) => sql`(select k.received_at, k.id from contacts as k where k.force_id = ${forceId} and k.id = ${id})`;
  if (page.after) query = query.where(sql<boolean>`(c.received_at, c.id) < ${at(page.after)}`);
  if (page.before) query = query.where(sql<boolean>`(c.received_at, c.id) > ${at(page.before)}`);
  const direction = page.before ? 'asc' : 'desc';
  const rows = await query.orderBy('c.received_at', direction).orderBy('c.id', direction).limit(page.limit + 1).execute();
  const hasMore = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  return { rows: page.before ? kept.reverse() : kept, hasMore };
}

/** What acknowledging contacts needs (those that exist): their handle (in `meta`), channel, force and person's names, one statement. */
export async function findContactsToAcknowledge(tx: Tx, forceId: ForceId, contactIds: readonly string[]) {
  if (contactIds.length === 0) return [];
  return tx
    .selectFrom('contacts as c')
    .innerJoin('forces as f', 'f.id', 'c.force_id')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.reference', 'c.channel', 'c.meta', 'f.name as force_name', 'p.display_name'])
    .where('c.force_id', '=', forceId)
    .where('c.id', 'in', [...contactIds])
    .execute();
}

/** The incidents a contact is linked to now (links undone left out), oldest link first. */
export async function listLinkedIncidents(tx: Tx, forceId: ForceId, contactId: string) {
  return tx
    .selectFrom('incident_contacts as l')
    .innerJoin('incidents as i', 'i.id', 'l.incident_id')
    .select(['i.id', 'i.number', 'i.status', 'i.grade', 'l.linked_at'])
    .where('l.force_id', '=', forceId)
    .where('l.contact_id', '=', contactId)
    .where('l.unlinked_at', 'is', null)
    .orderBy('l.linked_at')
    .orderBy('i.number')
    .execute();
}
