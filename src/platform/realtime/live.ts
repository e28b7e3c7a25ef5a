import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import type { ForceId } from '../ids.ts';

export const LIVE_CHANNEL = 'bluelamp_live';

/** A message pushed to the consoles of one force. Kept small: NOTIFY payloads are limited. */
export type LiveMessage =
  | { type: 'queue.changed'; contactId: string; reference?: string }
  /** Assignments, presence or queues changed: supervisors' boards and operators' lists refresh. */
  | { type: 'routing.changed' }
  | { type: 'alert.raised'; alertId: string; kind: string; contactId: string }
  | { type: 'alert.acknowledged'; alertId: string };

/**
 * Queues a live message inside the caller's transaction. PostgreSQL delivers NOTIFY only on
 * commit, so consoles never hear of a change that rolled back; every process listening relays it.
 */
export async function publishLive(tx: Tx, forceId: ForceId, message: LiveMessage): Promise<void> {
  await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ forceId, ...message })})`.execute(tx);
}

/**
 * Queues several live messages with one statement (a batch of reports announces each contact).
 * Same delivery as `publishLive`, in the order given.
 */
export async function publishLiveAll(tx: Tx, forceId: ForceId, messages: readonly LiveMessage[]): Promise<void> {
  if (messages.length === 0) return;
  if (messages.length === 1 && messages[0]) return publishLive(tx, forceId, messages[0]);
  const payloads = messages.map((message) => JSON.stringify({ forceId, ...message }));
  await sql`select pg_notify(${LIVE_CHANNEL}, payload) from unnest(${payloads}::text[]) with ordinality as p(payload, n) order by n`.execute(tx);
}

type Subscriber = (message: LiveMessage) => void;

/** Fans live messages out to the subscribers of each force in this process. */
export class LiveHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  subscribe(forceId: ForceId, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(forceId);
    if (!set) {
      set = new Set();
      this.subscribers.set(forceId, set);
    }
    set.add(subscriber);
    return () => set.delete(subscriber);
  }

  /** Called with each NOTIFY payload; ignores anything malformed. */
  deliver(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { forceId, ...message } = parsed as { forceId?: unknown } & LiveMessage;
    if (typeof forceId !== 'string') return;
    for (const subscriber of this.subscribers.get(forceId) ?? []) subscriber(message);
  }

  get subscriberCount(): number {
    let count = 0;
    for (const set of this.subscribers.values()) count += set.size;
    return count;
  }
}
