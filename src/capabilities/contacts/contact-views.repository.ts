import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

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
  return query.orderBy('c.is_threat_to_life', 'desc').orderBy('c.priority').orderBy('c.received_at').limit(filter.limit).execute();
}

/** One contact as lists show it, or undefined. */
export async function findContactSummary(tx: Tx, forceId: ForceId, contactId: string): Promise<ContactSummaryRow | undefined> {
  return summaryQuery(tx, forceId).where('c.id', '=', contactId).executeTakeFirst();
}

/** The latest contacts of these people other than one, newest first. */
export async function listContactsOfPeople(tx: Tx, forceId: ForceId, personIds: readonly string[], exceptContactId: string, limit: number): Promise<ContactSummaryRow[]> {
  if (personIds.length === 0) return [];
  return summaryQuery(tx, forceId)
    .where('c.person_id', 'in', [...personIds])
    .where('c.id', '!=', exceptContactId)
    .orderBy('c.received_at', 'desc')
    .limit(limit)
    .execute();
}

/** Everything stored about one contact that its screen shows, with its case, queue and holder. */
export async function findContactRecord(tx: Tx, forceId: ForceId, contactId: string) {
  return tx
    .selectFrom('contacts as c')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('cases as k', 'k.contact_id', 'c.id')
    .leftJoin('queues as q', 'q.id', 'c.queue_id')
    .leftJoin('staff as a', 'a.id', 'c.assigned_staff_id')
    .select([
      'c.id', 'c.reference', 'c.channel', 'c.status', 'c.priority', 'c.score', 'c.summary', 'c.received_at',
      'c.closed_at', 'c.outcome', 'c.triage', 'c.person_id', 'c.location', 'c.occurred_text',
      'p.display_name as person_name', 'k.id as case_id', 'k.reference as case_reference',
      'c.queue_id', 'q.name as queue_name', 'q.key as queue_key', 'q.is_control_room', 'c.assigned_staff_id', 'a.name as assigned_name',
      'c.assigned_at', 'c.enqueued_at', 'c.is_threat_to_life', 'c.required_skills', 'c.preferred_skills', 'c.meta',
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
    .select(['c.id', 'c.reference', 'c.channel', 'c.status', 'c.assigned_staff_id', 'c.person_id', 'f.name as force_name', 'p.display_name'])
    .where('c.force_id', '=', forceId)
    .where('c.id', '=', contactId)
    .forUpdate('c')
    .executeTakeFirst();
}
