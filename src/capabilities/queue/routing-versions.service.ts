import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { requireListVersion, type CountedListWords } from '../../platform/events/list-versions.ts';
import { channelTargetsChanged, queueRulesReplaced } from './queue.events.ts';

// A force's queue rules are replaced as one ordered list, and its response targets by channel are
// saved from one form: each counts its changes once for the whole force (decision 0084), through
// the platform's count of lists changed as a whole, so a save made from the list as an admin read
// it is refused once another admin has changed it since.

/** A list a force changes as a whole. */
export type RoutingList = 'queue_rules' | 'channel_sla_targets';

const WORDS: Record<RoutingList, CountedListWords> = {
  queue_rules: { what: 'The list of queue rules', checkWhat: 'the list of rules', changedBy: { type: 'force', eventTypes: [queueRulesReplaced.type] } },
  channel_sla_targets: { what: 'The list of response targets by channel', checkWhat: 'the list of targets', changedBy: { type: 'force', eventTypes: [channelTargetsChanged.type] } },
};

/**
 * Holds the force's count of the list until the transaction ends and refuses a save made from
 * another version than the list's now (409 naming who changed it and when). No version: no check.
 * Reading and counting the list's version are the platform's `readListVersion` and `countListChange`.
 */
export function requireRoutingListVersion(tx: Tx, forceId: ForceId, list: RoutingList, opened: number | undefined, actorStaffId: string): Promise<void> {
  return requireListVersion(tx, forceId, list, opened, actorStaffId, WORDS[list]);
}
