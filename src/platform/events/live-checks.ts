import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import type { ForceId } from '../ids.ts';
import type { PushedLiveMessage } from './catalogue.ts';

// The catalogue's derivations read no tables: from an event alone they say which live messages
// may follow. A few may be worth sending only when something else is true, and would otherwise
// make every console that hears them do work for nothing (a case's milestone tells the print
// queue its letters are overtaken, and every open print queue reads the list again, whether or
// not the case has a letter waiting; decision 0159). A room that owns what decides it registers a
// check here: the recorder gives it, once per transaction, every message of its kind, and sends
// only those it keeps. A check makes at most one read, on an index, in the recording transaction.

/** A check of one kind of live message: which messages it decides, and which of them to send. */
export type LiveCheck<M extends PushedLiveMessage> = {
  /** Its name, once in the process. */
  name: string;
  /** The messages it decides. */
  applies: (message: PushedLiveMessage) => message is M;
  /** Of these (all of its kind this transaction sends), those worth sending, read in the transaction. */
  keep: (tx: Tx, forceId: ForceId, messages: readonly M[]) => Promise<readonly M[]>;
};

type Filter = (tx: Tx, forceId: ForceId, messages: readonly PushedLiveMessage[]) => Promise<readonly PushedLiveMessage[]>;

const checks = new Map<string, Filter>();

/** Thrown for a check registered twice: a programming error. */
export class LiveCheckError extends Error {
  override name = 'LiveCheckError';
}

/**
 * Registers a check of some live messages, made when the module of the room that owns it loads.
 * A message no check applies to is sent as derived; so is every one when the room's module is
 * not loaded (a console reads again for nothing, rather than missing a change).
 */
export function defineLiveCheck<M extends PushedLiveMessage>(check: LiveCheck<M>): void {
  if (checks.has(check.name)) throw new LiveCheckError(`live check ${check.name} is defined twice`);
  checks.set(check.name, async (tx, forceId, messages) => {
    const decided = messages.filter(check.applies);
    if (decided.length === 0) return messages;
    const kept = await keptOrAll(tx, decided, () => check.keep(tx, forceId, decided));
    return messages.filter((message) => !check.applies(message) || kept.has(message));
  });
}

/**
 * What a check keeps, read under a savepoint: a check only spares consoles a read, so when it fails
 * (a statement timeout, a cancelled query, a bug) its read is undone and every message it decides
 * is sent, and the transaction it announces still commits. Without the savepoint a failed read
 * would abort the transaction, and the recorder would roll back the very work it was to announce.
 */
async function keptOrAll<M>(tx: Tx, decided: readonly M[], keep: () => Promise<readonly M[]>): Promise<Set<M>> {
  await sql`savepoint bluelamp_live_check`.execute(tx);
  try {
    const kept = new Set(await keep());
    await sql`release savepoint bluelamp_live_check`.execute(tx);
    return kept;
  } catch {
    await sql`rollback to savepoint bluelamp_live_check`.execute(tx);
    await sql`release savepoint bluelamp_live_check`.execute(tx);
    return new Set(decided);
  }
}

/** The messages of one transaction that every check keeps, in their order (the recorder's, before it queues them). */
export async function checkLiveMessages(tx: Tx, forceId: ForceId, messages: readonly PushedLiveMessage[]): Promise<readonly PushedLiveMessage[]> {
  let kept = messages;
  for (const filter of checks.values()) kept = await filter(tx, forceId, kept);
  return kept;
}
