import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterCommit, type Tx } from '../db/database.ts';
import type { JsonValue } from '../db/tables.ts';
import { newId, type ForceId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { canonicalJson } from './canonical-json.ts';

/** Who caused an event. */
export type Actor =
  | { type: 'staff'; id: string }
  | { type: 'public'; id: string | null }
  | { type: 'system'; id: string | null };

export type EventInput = {
  type: string;
  actor: Actor;
  subject: { type: string; id: string };
  data?: { [key: string]: JsonValue };
  /** When it happened; the time of appending when absent. */
  occurredAt?: Date;
};

export type StoredEvent = {
  forceId: string;
  seq: number;
  id: string;
  occurredAt: Date;
  actorType: Actor['type'];
  actorId: string | null;
  type: string;
  subjectType: string;
  subjectId: string;
  data: { [key: string]: JsonValue };
  prevHash: string;
  hash: string;
};

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of one event given the hash before it. Every field that matters is covered. */
export function hashEvent(event: Omit<StoredEvent, 'hash'>): string {
  const body = canonicalJson({
    forceId: event.forceId,
    seq: event.seq,
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    type: event.type,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    data: event.data,
  });
  return createHash('sha256').update(event.prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends several events in order with one lock of the chain head and one insert: a routing round
 * that gives out hundreds of contacts records each assignment without a round trip per event.
 */
export async function appendEvents(tx: Tx, forceId: ForceId, clock: Clock, inputs: readonly EventInput[]): Promise<StoredEvent[]> {
  if (inputs.length === 0) return [];
  const head = await lockChainHead(tx, forceId);
  const occurredAt = clock.now();
  let seq = Number(head.last_seq);
  let prevHash = head.last_hash;
  const events: StoredEvent[] = [];
  for (const input of inputs) {
    const unhashed: Omit<StoredEvent, 'hash'> = {
      forceId,
      seq: ++seq,
      id: newId(),
      occurredAt: input.occurredAt ?? occurredAt,
      actorType: input.actor.type,
      actorId: input.actor.id,
      type: input.type,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      // Round-trip through JSON so the hashed value is exactly what jsonb will give back.
      data: JSON.parse(JSON.stringify(input.data ?? {})) as { [key: string]: JsonValue },
      prevHash,
    };
    const event: StoredEvent = { ...unhashed, hash: hashEvent(unhashed) };
    prevHash = event.hash;
    events.push(event);
  }
  // Several hundred rows per statement keeps each insert well inside the parameter limit. The last
  // (usually only) insert moves the chain head in the same statement.
  const rows = events.map((event) => ({
    force_id: forceId,
    seq: event.seq,
    id: event.id,
    occurred_at: event.occurredAt,
    actor_type: event.actorType,
    actor_id: event.actorId,
    type: event.type,
    subject_type: event.subjectType,
    subject_id: event.subjectId,
    data: JSON.stringify(event.data),
    prev_hash: event.prevHash,
    hash: event.hash,
  }));
  const lastChunk = Math.floor((rows.length - 1) / 500) * 500;
  for (let i = 0; i < lastChunk; i += 500) await tx.insertInto('events').values(rows.slice(i, i + 500)).execute();
  await tx
    .with('appended', (db) => db.insertInto('events').values(rows.slice(lastChunk)))
    .updateTable('event_chain_heads')
    .set({ last_seq: seq, last_hash: prevHash })
    .where('force_id', '=', forceId)
    .execute();
  if (committedEventListeners.size > 0) {
    afterCommit(tx, () => {
      for (const listener of committedEventListeners) listener(events);
    });
  }
  return events;
}

/**
 * Locks the force's chain head for this transaction and reads it; the head of a force's first
 * event is made first (one statement when it exists, as it does after a force's first event).
 */
async function lockChainHead(tx: Tx, forceId: ForceId): Promise<{ last_seq: number; last_hash: string }> {
  const read = () => tx.selectFrom('event_chain_heads').select(['last_seq', 'last_hash']).where('force_id', '=', forceId).forUpdate().executeTakeFirst();
  const head = await read();
  if (head) return head;
  await sql`insert into event_chain_heads (force_id, last_seq, last_hash) values (${forceId}, 0, ${GENESIS_HASH})
    on conflict (force_id) do nothing`.execute(tx);
  const made = await read();
  if (!made) throw new Error('the chain head could not be made');
  return made;
}

type CommittedEventListener = (events: readonly StoredEvent[]) => void;
const committedEventListeners = new Set<CommittedEventListener>();

/**
 * Calls `listener` in this process with the events of each transaction that committed here (never
 * for one that rolled back). Metrics count from the log this way; returns a function that stops it.
 */
export function onCommittedEvents(listener: CommittedEventListener): () => void {
  committedEventListeners.add(listener);
  return () => committedEventListeners.delete(listener);
}

/**
 * Appends one event to the force's chain inside the caller's transaction. The chain head row is
 * locked until commit, so events of one force are strictly ordered and each names its predecessor.
 */
export async function appendEvent(tx: Tx, forceId: ForceId, clock: Clock, input: EventInput): Promise<StoredEvent> {
  const [event] = await appendEvents(tx, forceId, clock, [input]);
  if (!event) throw new Error('the event was not appended');
  return event;
}

type EventRow = {
  force_id: string;
  seq: number;
  id: string;
  occurred_at: Date;
  actor_type: Actor['type'];
  actor_id: string | null;
  type: string;
  subject_type: string;
  subject_id: string;
  data: { [key: string]: JsonValue };
  prev_hash: string;
  hash: string;
};

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    forceId: row.force_id,
    seq: Number(row.seq),
    id: row.id,
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    type: row.type,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Events about any of the given subjects, oldest first, of these types only when given (timelines and a record's milestones are read from here). */
export async function listEventsForSubjects(
  tx: Tx,
  forceId: ForceId,
  subjects: readonly { type: string; id: string }[],
  types?: readonly string[],
): Promise<StoredEvent[]> {
  if (subjects.length === 0 || types?.length === 0) return [];
  const rows = await tx
    .selectFrom('events')
    .selectAll()
    .where('force_id', '=', forceId)
    .where((eb) => eb.or(subjects.map((s) => eb.and([eb('subject_type', '=', s.type), eb('subject_id', '=', s.id)]))))
    .$if(types !== undefined, (qb) => qb.where('type', 'in', types ?? []))
    .orderBy('seq')
    .execute();
  return rows.map(toStoredEvent);
}

export type ChainVerification = {
  ok: boolean;
  checked: number;
  firstBroken: null | { seq: number; reason: string };
};

/**
 * Walks a force's chain in order and reports the first event whose stored hash, link to its
 * predecessor, or sequence number does not hold. Reads in pages so a long chain fits in memory.
 * `observe` sees each event that verified, in order (signed checkpoints are compared there).
 */
export async function verifyChain(tx: Tx, forceId: ForceId, observe?: (event: StoredEvent) => void): Promise<ChainVerification> {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const pageSize = 1000;
  for (;;) {
    const rows = await tx
      .selectFrom('events')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const event = toStoredEvent(row);
      if (event.seq !== expectedSeq) {
        return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: `event ${expectedSeq} is missing` } };
      }
      if (event.prevHash !== previousHash) {
        return { ok: false, checked, firstBroken: { seq: event.seq, reason: 'link to the previous event is broken' } };
      }
      if (hashEvent(event) !== event.hash) {
        return { ok: false, checked, firstBroken: { seq: event.seq, reason: 'event content does not match its hash' } };
      }
      observe?.(event);
      previousHash = event.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  const head = await tx
    .selectFrom('event_chain_heads')
    .select(['last_seq', 'last_hash'])
    .where('force_id', '=', forceId)
    .executeTakeFirst();
  if (head && (Number(head.last_seq) !== expectedSeq - 1 || head.last_hash !== previousHash)) {
    return {
      ok: false,
      checked,
      firstBroken: { seq: expectedSeq, reason: 'events after this point were removed (chain head disagrees)' },
    };
  }
  return { ok: true, checked, firstBroken: null };
}
