import type { Tx } from '../../platform/db/database.ts';
import { findLastChange, requireOpenedVersion } from '../../platform/events/changed-since-opened.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { staffRoleChanged, staffRoutingChanged } from './staff.events.ts';

// A member of staff's role and routing profile each count their changes, apart (decision 0085):
// a change made from a version someone else has changed since is refused, naming who and when.
// Only the change of that part counts: presence, password resets, deactivation and reactivation
// are events about the same person but no change to what the form showed.

type Opened = { staffId: string; name: string; opened: number | undefined; current: number; actorStaffId: StaffId };

/** Refuses a role change made from a version of the role that is no longer its version. */
export function requireRoleVersion(tx: Tx, forceId: ForceId, check: Opened): Promise<void> {
  return requireOpenedVersion({
    opened: check.opened,
    current: check.current,
    what: `${check.name}'s role`,
    since: 'after you opened it',
    nothingDone: 'Their role was not changed.',
    checkWhat: 'the role',
    actorStaffId: check.actorStaffId,
    readLastChange: () => findLastChange(tx, forceId, { type: 'staff', id: check.staffId, eventTypes: [staffRoleChanged.type] }),
  });
}

/** Refuses a change of skills or capacity made from a version of them that is no longer theirs. */
export function requireProfileVersion(tx: Tx, forceId: ForceId, check: Opened): Promise<void> {
  return requireOpenedVersion({
    opened: check.opened,
    current: check.current,
    what: `${check.name}'s routing profile`,
    since: 'after you opened it',
    nothingDone: 'Nothing was saved.',
    checkWhat: 'the routing profile',
    actorStaffId: check.actorStaffId,
    readLastChange: () => findLastChange(tx, forceId, { type: 'staff', id: check.staffId, eventTypes: [staffRoutingChanged.type] }),
  });
}
