import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';
import { inReferenceOrder } from '../../platform/references.ts';

// The only SQL on the `contacts` table (decision 0023). Every function takes the force id and
// puts it in the statement, whatever row-level security also does. Use cases of any room may call
// it; it imports nothing but the platform, so it adds no arrow between rooms.

/** A stored contact, as read. */
export type ContactRecord = Selectable<Tables['contacts']>;
/** A column of a stored contact. */
export type ContactColumn = keyof ContactRecord;
/** Some columns of a stored contact. */
export type ContactPick<C extends ContactColumn> = Pick<ContactRecord, C>;

/**
 * The named columns of one of the force's contacts, or undefined; `lock` takes its row lock
 * (`for update`) for the move about to be made.
 */
export async function findContact<C extends ContactColumn>(
  tx: Tx,
  forceId: ForceId,
  contactId: string,
  columns: readonly C[],
  options: { lock?: boolean | 'no key update' } = {},
): Promise<ContactPick<C> | undefined> {
  const selected: readonly ContactColumn[] = columns;
  let query = tx.selectFrom('contacts').select(selected).where('force_id', '=', forceId).where('id', '=', contactId);
  // `no key update` still waits for, and holds off, a staff move (`for update`) and another
  // message's hold, but not the key-share lock of a row inserted that points at the contact.
  if (options.lock === 'no key update') query = query.forNoKeyUpdate();
  else if (options.lock) query = query.forUpdate();
  // Read as every column a select may name; the caller sees the columns it asked for.
  return query.executeTakeFirst();
}

/**
 * The named columns of the force's contacts with these ids (in no particular order). With `lock`,
 * the rows are locked in id order (`for update`, or `for no key update` as `findContact` takes it),
 * so two transactions locking overlapping sets take turns instead of deadlocking.
 */
export async function findContactsByIds<C extends ContactColumn>(
  tx: Tx,
  forceId: ForceId,
  contactIds: readonly string[],
  columns: readonly C[],
  options: { lock?: boolean | 'no key update' } = {},
): Promise<ContactPick<C>[]> {
  if (contactIds.length === 0) return [];
  const selected: readonly ContactColumn[] = columns;
  const query = tx.selectFrom('contacts').select(selected).where('force_id', '=', forceId).where('id', 'in', [...contactIds]);
  if (options.lock === 'no key update') return query.orderBy('id').forNoKeyUpdate().execute();
  return options.lock ? query.orderBy('id').forUpdate().execute() : query.execute();
}

/** Stores new contacts, in one statement. */
export async function insertContacts(tx: Tx, rows: readonly Insertable<Tables['contacts']>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insertInto('contacts').values([...rows]).execute();
}

/** Changes columns of one of the force's contacts. */
export async function updateContact(tx: Tx, forceId: ForceId, contactId: string, values: Updateable<Tables['contacts']>): Promise<void> {
  await tx.updateTable('contacts').set(values).where('force_id', '=', forceId).where('id', '=', contactId).execute();
}

/** The channel of every open contact one person holds (their load). */
export async function listOpenChannelsHeldBy(tx: Tx, forceId: ForceId, staffId: string): Promise<{ channel: string }[]> {
  return tx.selectFrom('contacts').select('channel').where('force_id', '=', forceId).where('status', '=', 'open').where('assigned_staff_id', '=', staffId).execute();
}

/** How many open contacts of each channel each of these people holds. */
export async function countOpenHeldByChannel(tx: Tx, forceId: ForceId, staffIds: readonly string[]) {
  if (staffIds.length === 0) return [];
  return tx
    .selectFrom('contacts')
    .select(['assigned_staff_id', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('force_id', '=', forceId)
    .where('status', '=', 'open')
    .where('assigned_staff_id', 'in', [...staffIds])
    .groupBy(['assigned_staff_id', 'channel'])
    .execute();
}

/** The open contacts one person holds, locked (`for update`) in id order for a move of each one's machine. */
export async function lockOpenContactsHeldBy(tx: Tx, forceId: ForceId, staffId: string): Promise<{ id: string; status: 'open' | 'closed'; assigned_staff_id: string | null }[]> {
  return tx
    .selectFrom('contacts')
    .select(['id', 'status', 'assigned_staff_id'])
    .where('force_id', '=', forceId)
    .where('assigned_staff_id', '=', staffId)
    .where('status', '=', 'open')
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** A contact waiting in a queue, as distribution reads it. */
export type WaitingContactRow = {
  id: string;
  priority: number;
  is_threat_to_life: boolean;
  enqueued_at: Date;
  channel: string;
  required_skills: string[];
  preferred_skills: string[];
  excluded_staff_ids: string[];
};

/** A force's waiting contacts: open, in a queue, given to nobody. */
function waitingContacts(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('contacts')
    .select(['id', 'priority', 'is_threat_to_life', 'enqueued_at', 'channel', 'required_skills', 'preferred_skills', 'excluded_staff_ids'])
    .where('force_id', '=', forceId)
    .where('status', '=', 'open')
    .where('assigned_staff_id', 'is', null)
    .where('queue_id', 'is not', null)
    .where('enqueued_at', 'is not', null);
}

/** Up to `limit` of a force's waiting contacts in queue order, after the contact `after` when given. */
export async function listWaitingPage(tx: Tx, forceId: ForceId, after: WaitingContactRow | null, limit: number): Promise<WaitingContactRow[]> {
  let query = waitingContacts(tx, forceId);
  if (after) {
    // Keyset on the queue order (threat to life first, then priority, then longest waiting, then id).
    query = query.where((eb) =>
      eb.or([
        eb('is_threat_to_life', '<', after.is_threat_to_life),
        eb.and([
          eb('is_threat_to_life', '=', after.is_threat_to_life),
          eb(eb.refTuple('priority', 'enqueued_at', 'id'), '>', eb.tuple(after.priority, after.enqueued_at, after.id)),
        ]),
      ]),
    );
  }
  const rows = await query.orderBy('is_threat_to_life', 'desc').orderBy('priority').orderBy('enqueued_at').orderBy('id').limit(limit).execute();
  return rows.filter((row): row is WaitingContactRow => row.enqueued_at !== null);
}

/** Every waiting contact of a force, in no particular order. */
export async function listAllWaiting(tx: Tx, forceId: ForceId): Promise<WaitingContactRow[]> {
  const rows = await waitingContacts(tx, forceId).execute();
  return rows.filter((row): row is WaitingContactRow => row.enqueued_at !== null);
}

/**
 * Gives contacts to people, each only if it is still open and held by nobody (the guard is the
 * last word: a contact is never given out twice); returns the ids given. The contacts are held
 * first, in id order, in one statement (`for no key update`: the assignee is no key column), as
 * a batch of messages and the SLA check hold theirs (decisions 0198, 0200); the update alone
 * would lock them in the order of its join and could deadlock with either.
 */
export async function assignWaitingContacts(tx: Tx, forceId: ForceId, pairs: readonly { contactId: string; staffId: string }[], now: Date): Promise<Set<string>> {
  const applied = new Set<string>();
  if (pairs.length === 0) return applied;
  await findContactsByIds(
    tx,
    forceId,
    pairs.map((d) => d.contactId),
    ['id'],
    { lock: 'no key update' },
  );
  for (let i = 0; i < pairs.length; i += 500) {
    const slice = pairs.slice(i, i + 500);
    const values = sql.join(slice.map((d) => sql`(${d.contactId}::uuid, ${d.staffId}::uuid)`));
    const result = await sql<{ id: string }>`
      update contacts as c set assigned_staff_id = v.staff_id, assigned_at = ${now}
      from (values ${values}) as v(contact_id, staff_id)
      where c.force_id = ${forceId} and c.id = v.contact_id and c.assigned_staff_id is null and c.status = 'open'
      returning c.id`.execute(tx);
    for (const row of result.rows) applied.add(row.id);
  }
  return applied;
}

/** Puts contacts into queues as waiting, with their skill needs, in one statement. */
export async function enterContactsIntoQueues(
  tx: Tx,
  forceId: ForceId,
  entries: readonly { contactId: string; queue_id: string; enqueued_at: Date; is_threat_to_life: boolean; required_skills: readonly string[]; preferred_skills: readonly string[] }[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(
    (e) => sql`(${e.contactId}::uuid, ${e.queue_id}::uuid, ${e.is_threat_to_life}::boolean, ${e.required_skills}::text[], ${e.preferred_skills}::text[], ${e.enqueued_at}::timestamptz)`,
  );
  await sql`
    update contacts as c set queue_id = v.queue_id, enqueued_at = v.enqueued_at, assigned_staff_id = null, assigned_at = null,
      is_threat_to_life = v.is_ttl, required_skills = v.required_skills, preferred_skills = v.preferred_skills
    from (values ${sql.join(rows)}) as v(contact_id, queue_id, is_ttl, required_skills, preferred_skills, enqueued_at)
    where c.force_id = ${forceId} and c.id = v.contact_id`.execute(tx);
}

/** Every open contact in a queue with its queue's name, in queue order (at most `limit`). */
export async function listOpenQueuedContacts(tx: Tx, forceId: ForceId, limit: number) {
  return tx
    .selectFrom('contacts as c')
    .leftJoin('queues as q', 'q.id', 'c.queue_id')
    .select(['c.id', 'c.reference', 'c.channel', 'c.priority', 'c.is_threat_to_life', 'c.queue_id', 'q.name as queue_name', 'c.assigned_staff_id', 'c.assigned_at', 'c.enqueued_at'])
    .where('c.force_id', '=', forceId)
    .where('c.status', '=', 'open')
    .where('c.queue_id', 'is not', null)
    .orderBy('c.is_threat_to_life', 'desc')
    .orderBy('c.priority')
    .orderBy('c.enqueued_at')
    // As routing hands them out (listWaitingPage).
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

/**
 * Each queue's open contacts counted in full: waiting (held by nobody) and assigned, which add up
 * to its open contacts; threats to life waiting; and the longest wait.
 */
export async function countOpenByQueue(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('contacts')
    .select((eb) => [
      'queue_id',
      eb.fn.countAll<number>().filterWhere('assigned_staff_id', 'is', null).as('waiting'),
      eb.fn.countAll<number>().filterWhere('assigned_staff_id', 'is not', null).as('assigned'),
      eb.fn
        .countAll<number>()
        .filterWhere((f) => f.and([f('assigned_staff_id', 'is', null), f('is_threat_to_life', '=', true)]))
        .as('threat_to_life_waiting'),
      eb.fn.min('enqueued_at').filterWhere('assigned_staff_id', 'is', null).as('oldest_waiting'),
    ])
    .where('force_id', '=', forceId)
    .where('status', '=', 'open')
    .where('queue_id', 'is not', null)
    .groupBy('queue_id')
    .execute();
}

/** How many contacts a person made since a time, and the highest priority among them. */
export async function findContactHistory(tx: Tx, forceId: ForceId, personId: string, since: Date) {
  return tx
    .selectFrom('contacts')
    .select((eb) => [eb.fn.countAll<number>().as('recent'), eb.fn.min('priority').as('highest')])
    .where('force_id', '=', forceId)
    .where('person_id', '=', personId)
    .where('received_at', '>=', since)
    .executeTakeFirst();
}

/** findContactHistory for many people in one statement, one row per person with contacts. */
export async function listContactHistories(tx: Tx, forceId: ForceId, personIds: readonly string[], since: Date) {
  if (personIds.length === 0) return [];
  return tx
    .selectFrom('contacts')
    .select((eb) => ['person_id', eb.fn.countAll<number>().as('recent'), eb.fn.min('priority').as('highest')])
    .where('force_id', '=', forceId)
    .where('person_id', 'in', [...personIds])
    .where('received_at', '>=', since)
    .groupBy('person_id')
    .execute();
}

/** A contact as threading compares it. */
export type ThreadCandidate = { id: string; reference: string; status: 'open' | 'closed'; closed_at: Date | null; priority: number };
const THREAD_COLUMNS = ['c.id', 'c.reference', 'c.status', 'c.closed_at', 'c.priority'] as const;

/** The person's contact with this reference. */
export async function findPersonContactByReference(tx: Tx, forceId: ForceId, personId: string, reference: string): Promise<ThreadCandidate | undefined> {
  return tx.selectFrom('contacts as c').select(THREAD_COLUMNS).where('c.force_id', '=', forceId).where('c.reference', '=', reference).where('c.person_id', '=', personId).executeTakeFirst();
}

/** More contacts of one kind than threading needs to look at for one person (their latest calls): a bound, not a rule. */
const MAX_ON_THREAD_KIND = 100;

/**
 * The person's contacts on a channel whose thread is of one kind (`call` for `call:<id>`), open or
 * closed (a closed one cannot be joined, but its conversation began: decision 0113), newest first,
 * each with when its conversation began as stored (`meta.startedAt`, text as written; null when none).
 */
export async function listContactsOnThreadKind(
  tx: Tx,
  forceId: ForceId,
  personId: string,
  channel: string,
  threadKind: string,
): Promise<(ThreadCandidate & { started_at: string | null; ended_at: Date | null })[]> {
  // A kind is a word of ours (`call`); the pattern's wildcards are escaped all the same.
  const prefix = `${threadKind.replace(/[\\%_]/g, (ch) => `\\${ch}`)}:%`;
  return tx
    .selectFrom('contacts as c')
    .select([
      ...THREAD_COLUMNS,
      sql<string | null>`c.meta ->> 'startedAt'`.as('started_at'),
      // When the conversation ended, as one of its messages says (a call's ended or abandoned event).
      sql<Date | null>`(select max((m.meta ->> 'endedAt')::timestamptz) from messages m where m.force_id = c.force_id and m.contact_id = c.id and m.direction = 'inbound' and m.meta ->> 'endedAt' is not null)`.as('ended_at'),
    ])
    .where('c.force_id', '=', forceId)
    .where('c.person_id', '=', personId)
    .where('c.channel', '=', channel)
    .where('c.thread_key', 'like', prefix)
    .orderBy('c.received_at', 'desc')
    .orderBy(inReferenceOrder('c.reference', 'desc'))
    .limit(MAX_ON_THREAD_KIND)
    .execute();
}

/** The person's open contact on a channel and thread that received a message since a time (when it first reached us), if any. */
export async function findRecentOpenContactOnThread(
  tx: Tx,
  forceId: ForceId,
  personId: string,
  channel: string,
  threadKey: string,
  since: Date,
): Promise<ThreadCandidate | undefined> {
  return tx
    .selectFrom('contacts as c')
    .select(THREAD_COLUMNS)
    .where('c.force_id', '=', forceId)
    .where('c.person_id', '=', personId)
    .where('c.channel', '=', channel)
    .where('c.thread_key', '=', threadKey)
    .where('c.status', '=', 'open')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('messages as m')
          .select('m.id')
          .whereRef('m.contact_id', '=', 'c.id')
          .where('m.force_id', '=', forceId)
          .where('m.direction', '=', 'inbound')
          // Implied by the next (first receipt is never after storing), and lets the index bound the read.
          .where('m.created_at', '>=', since)
          // From when it first reached us: a request replayed from the rejected-request log counts from its receipt (decision 0120).
          .where(sql<Date>`least(m.created_at, coalesce((select r.received_at from inbound_requests r where r.force_id = m.force_id and r.id = m.inbound_request_id), m.created_at))`, '>=', since),
      ),
    )
    .orderBy('c.received_at', 'desc')
    .orderBy(inReferenceOrder('c.reference', 'desc'))
    .executeTakeFirst();
}

/** The person's contact on a channel and thread: an open one first, else the latest. */
export async function findContactOnThread(tx: Tx, forceId: ForceId, personId: string, channel: string, threadKey: string): Promise<ThreadCandidate | undefined> {
  return tx
    .selectFrom('contacts as c')
    .select(THREAD_COLUMNS)
    .where('c.force_id', '=', forceId)
    .where('c.person_id', '=', personId)
    .where('c.channel', '=', channel)
    .where('c.thread_key', '=', threadKey)
    .orderBy('c.status', 'desc') // 'open' before 'closed'
    .orderBy('c.received_at', 'desc')
    .orderBy(inReferenceOrder('c.reference', 'desc'))
    .executeTakeFirst();
}

/** A contact found by its reference, with its force's name (for the reporter's emails). */
export async function findContactByReference(tx: Tx, forceId: ForceId, reference: string) {
  return tx
    .selectFrom('contacts as c')
    .innerJoin('forces as f', 'f.id', 'c.force_id')
    .select(['c.id', 'c.reference', 'c.person_id', 'c.meta', 'f.name as force_name'])
    .where('c.force_id', '=', forceId)
    .where('c.reference', '=', reference)
    .executeTakeFirst();
}

/** The force's contacts on one channel received since a time, oldest first (online-report processing accounts for each portal report). */
export async function listContactsReceivedOnChannel(tx: Tx, forceId: ForceId, channel: string, since: Date, limit: number) {
  return tx
    .selectFrom('contacts')
    .select(['id', 'reference', 'received_at'])
    .where('force_id', '=', forceId)
    .where('channel', '=', channel)
    .where('received_at', '>=', since)
    .orderBy('received_at')
    .orderBy(inReferenceOrder('reference'))
    .limit(limit)
    .execute();
}

/** The numbers of the open callbacks made from one contact (callbacks are contacts on the `callback` channel). */
export async function listOpenCallbackNumbers(tx: Tx, forceId: ForceId, fromContactId: string): Promise<string[]> {
  // Open contacts are the force's work in hand, read by their status index.
  const rows = await tx
    .selectFrom('contacts')
    .select('meta')
    .where('force_id', '=', forceId)
    .where('channel', '=', 'callback')
    .where('status', '=', 'open')
    .where(sql<string>`meta->>'callbackFor'`, '=', fromContactId)
    .execute();
  return rows.flatMap((row) => (typeof row.meta.callbackNumber === 'string' ? [row.meta.callbackNumber] : []));
}
