import type { Tx } from '../db/database.ts';
import type { ForceId } from '../ids.ts';
import { findLastChange, requireOpenedVersion, type ChangedRecord } from './changed-since-opened.ts';

// A list a force changes as a whole (its queue rules, its response targets by channel, the order of
// its journey rules) counts its changes once for the force, not per row: its rows are written
// again or moved together, so a row has no life of its own to count (decisions 0084, 0090). A save
// made from the list as an admin read it is refused once another admin has changed it since. A
// force whose list was never changed since the count began has no row: it is at version 1.

/** A list a force changes as a whole. */
export type CountedList = 'queue_rules' | 'channel_sla_targets' | 'journey_rule_order';

/** How the refusal names the list, and which events change it (for who changed it last, and when). */
export type CountedListWords = {
  /** "The list of queue rules". */
  what: string;
  /** "the list of rules". */
  checkWhat: string;
  /** The events that change the list. */
  changedBy: ChangedRecord | readonly ChangedRecord[];
};

/** The version of the force's list as it is now. */
export async function readListVersion(tx: Tx, forceId: ForceId, list: CountedList): Promise<number> {
  const row = await tx.selectFrom('list_versions').select('version').where('force_id', '=', forceId).where('list', '=', list).executeTakeFirst();
  return row ? Number(row.version) : 1;
}

/**
 * Holds the force's count of the list until the transaction ends, so two saves made from the same
 * version cannot both pass, and refuses a save made from another version than the list's now (409
 * naming who changed it and when; a version it never had is a 400). No version: no check, but the
 * count is held all the same.
 */
export async function requireListVersion(tx: Tx, forceId: ForceId, list: CountedList, opened: number | undefined, actorStaffId: string, words: CountedListWords): Promise<void> {
  await tx
    .insertInto('list_versions')
    .values({ force_id: forceId, list, version: 1 })
    .onConflict((oc) => oc.columns(['force_id', 'list']).doNothing())
    .execute();
  const row = await tx.selectFrom('list_versions').select('version').where('force_id', '=', forceId).where('list', '=', list).forUpdate().executeTakeFirstOrThrow();
  await requireOpenedVersion({
    opened,
    current: Number(row.version),
    what: words.what,
    since: 'after you opened it',
    nothingDone: 'Nothing was saved.',
    checkWhat: words.checkWhat,
    actorStaffId,
    readLastChange: () => findLastChange(tx, forceId, words.changedBy),
  });
}

/**
 * Counts one change of the force's list; returns its version now. Made without `requireListVersion`
 * first (a change that is not made from the list as read, such as adding to it), it makes the row.
 */
export async function countListChange(tx: Tx, forceId: ForceId, list: CountedList): Promise<number> {
  const row = await tx
    .insertInto('list_versions')
    .values({ force_id: forceId, list, version: 2 })
    .onConflict((oc) => oc.columns(['force_id', 'list']).doUpdateSet((eb) => ({ version: eb('list_versions.version', '+', 1) })))
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}
