import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { findLastChange, requireOpenedVersion } from '../../platform/events/changed-since-opened.ts';
import { channelTargetsChanged, queueRulesReplaced } from './queue.events.ts';

// A force's queue rules are replaced as one ordered list, and its response targets by channel are
// saved from one form: each counts its changes once for the whole force (decision 0084), so a save
// made from the list as an admin read it is refused once another admin has changed it since. A
// force whose list was never changed since the count began has no row: it is at version 1.

/** A list a force changes as a whole. */
export type RoutingList = 'queue_rules' | 'channel_sla_targets';

const WORDS: Record<RoutingList, { what: string; checkWhat: string; eventType: string }> = {
  queue_rules: { what: 'The list of queue rules', checkWhat: 'the list of rules', eventType: queueRulesReplaced.type },
  channel_sla_targets: { what: 'The list of response targets by channel', checkWhat: 'the list of targets', eventType: channelTargetsChanged.type },
};

/** The version of the force's list as it is now. */
export async function readListVersion(tx: Tx, forceId: ForceId, list: RoutingList): Promise<number> {
  const row = await tx.selectFrom('routing_list_versions').select('version').where('force_id', '=', forceId).where('list', '=', list).executeTakeFirst();
  return row ? Number(row.version) : 1;
}

/**
 * Holds the force's count of the list until the transaction ends, so two saves made from the same
 * version cannot both pass, and refuses a save made from another version than the list's now (409
 * naming who changed it and when; a version it never had is a 400). No version: no check.
 */
export async function requireListVersion(tx: Tx, forceId: ForceId, list: RoutingList, opened: number | undefined, actorStaffId: string): Promise<void> {
  await tx
    .insertInto('routing_list_versions')
    .values({ force_id: forceId, list, version: 1 })
    .onConflict((oc) => oc.columns(['force_id', 'list']).doNothing())
    .execute();
  const row = await tx.selectFrom('routing_list_versions').select('version').where('force_id', '=', forceId).where('list', '=', list).forUpdate().executeTakeFirstOrThrow();
  const words = WORDS[list];
  await requireOpenedVersion({
    opened,
    current: Number(row.version),
    what: words.what,
    since: 'after you opened it',
    nothingDone: 'Nothing was saved.',
    checkWhat: words.checkWhat,
    actorStaffId,
    readLastChange: () => findLastChange(tx, forceId, { type: 'force', id: forceId, eventTypes: [words.eventType] }),
  });
}

/** Counts one change of the force's list, held by `requireListVersion`; returns its version now. */
export async function countListChange(tx: Tx, forceId: ForceId, list: RoutingList): Promise<number> {
  const row = await tx
    .updateTable('routing_list_versions')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('force_id', '=', forceId)
    .where('list', '=', list)
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}
