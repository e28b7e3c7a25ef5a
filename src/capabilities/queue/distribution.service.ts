import { withForce, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';
import { type StaffRole } from '../../platform/auth/permissions.ts';
import { capacityClassOf, loadByClass, planAssignments, type Candidate, type Decision, type WaitingContact } from './routing.engine.ts';
import { CAPACITY_CLASSES, readCapacity } from '../staff/staff.schema.ts';
import { PRESENCE_STALE_AFTER_MS, ROUND_SIZE, isRoutableRole, lockForceRouting } from './routing.service.ts';
import { moveEvent } from '../contacts/contact.events.ts';
import { moveContact } from '../contacts/contact.machine.ts';
import { assignWaitingContacts, countOpenHeldByChannel, listAllWaiting, listWaitingPage, type WaitingContactRow } from '../contacts/contacts.repository.ts';

// ---------------------------------------------------------------------------------------------
// Distribution
// ---------------------------------------------------------------------------------------------

async function loadCandidates(tx: Tx, forceId: ForceId, now: Date): Promise<Candidate[]> {
  const seenSince = new Date(now.getTime() - PRESENCE_STALE_AFTER_MS);
  const staff = await tx
    .selectFrom('staff_routing as r')
    .innerJoin('staff as s', 's.id', 'r.staff_id')
    .select(['r.staff_id', 's.role', 'r.skills', 'r.capacity', 'r.idle_since'])
    .where('r.force_id', '=', forceId)
    .where('r.presence', '=', 'available')
    .where('r.last_seen_at', '>=', seenSince)
    .where('s.is_active', '=', true)
    .execute();
  const routable = staff.filter((row) => isRoutableRole(row.role as StaffRole));
  if (routable.length === 0) return [];
  const loads = await countOpenHeldByChannel(
    tx,
    forceId,
    routable.map((row) => row.staff_id),
  );
  const heldBy = new Map<string, typeof loads>();
  for (const load of loads) {
    if (!load.assigned_staff_id) continue;
    const list = heldBy.get(load.assigned_staff_id);
    if (list) list.push(load);
    else heldBy.set(load.assigned_staff_id, [load]);
  }
  return routable.map((row) => ({
    staffId: row.staff_id,
    presence: 'available',
    skills: new Set(row.skills),
    capacity: readCapacity(row.capacity),
    load: loadByClass(heldBy.get(row.staff_id) ?? []),
    idleSince: row.idle_since,
  }));
}

function toWaiting(row: WaitingContactRow): WaitingContact {
  return {
    contactId: row.id,
    priority: Number(row.priority),
    isThreatToLife: row.is_threat_to_life,
    enqueuedAt: row.enqueued_at,
    capacityClass: capacityClassOf(row.channel),
    requiredSkills: row.required_skills,
    preferredSkills: row.preferred_skills,
    excludedStaffIds: row.excluded_staff_ids,
  };
}

async function applyDecisions(tx: Tx, forceId: ForceId, clock: Clock, decisions: readonly Decision[]): Promise<NewEvent[]> {
  if (decisions.length === 0) return [];
  const now = clock.now();
  const applied = new Set<string>();
  // The guard on an empty assignee is the last word: a contact is never given out twice.
  for (const id of await assignWaitingContacts(tx, forceId, decisions, now)) applied.add(id);
  const takers = [...new Set(decisions.filter((d) => applied.has(d.contactId)).map((d) => d.staffId))];
  if (takers.length > 0) {
    await tx.updateTable('staff_routing').set({ idle_since: now }).where('force_id', '=', forceId).where('staff_id', 'in', takers).execute();
  }
  // Each contact planned was open and waiting when read, and the guarded update above holds that.
  return decisions
    .filter((d) => applied.has(d.contactId))
    .map((d) =>
      moveEvent(moveContact({ status: 'open', assigneeId: null }, { type: 'assign', staffId: d.staffId, by: 'routing' }), {
        actor: { type: 'system', id: null },
        contactId: d.contactId,
        data: { staffId: d.staffId, by: 'routing', reason: d.reason },
      }),
    );
}

/** One page of a force's waiting contacts in queue order, after the contact `after` when given. */
async function loadWaitingPage(tx: Tx, forceId: ForceId, after: WaitingContactRow | null): Promise<WaitingContactRow[]> {
  return listWaitingPage(tx, forceId, after, ROUND_SIZE);
}

function hasRoom(candidates: readonly Candidate[]): boolean {
  return candidates.some((c) => CAPACITY_CLASSES.some((k) => (c.load[k] ?? 0) < (c.capacity[k] ?? 0)));
}

/**
 * Gives waiting contacts of one force to the best available suitable people, in queue order,
 * under the force's routing lock: two nodes running this at once take turns, and the second sees
 * the first one's assignments. It reads the queue a page of `ROUND_SIZE` at a time and goes on
 * past contacts nobody free can take (a skill nobody available has), so those never hide the
 * ones behind them; a round stops once it has given out about `ROUND_SIZE`, or nobody has room,
 * or the queue ends. Returns how many were given out and whether another round could give out more.
 */
export async function distributeRound(deps: ServiceDeps, forceId: ForceId): Promise<{ assigned: number; considered: number; hasMore: boolean }> {
  return withForce(deps.db, forceId, async (tx) => {
    await lockForceRouting(tx, forceId);
    const now = deps.clock.now();
    const candidates = await loadCandidates(tx, forceId, now);
    if (candidates.length === 0) return { assigned: 0, considered: 0, hasMore: false };
    const decisions: Decision[] = [];
    // A contact whose place moved between pages (its priority raised meanwhile) is planned once.
    const seen = new Set<string>();
    let considered = 0;
    let after: WaitingContactRow | null = null;
    let isQueueLeft = true;
    while (isQueueLeft && decisions.length < ROUND_SIZE && hasRoom(candidates)) {
      const page = await loadWaitingPage(tx, forceId, after);
      const fresh = page.filter((row) => !seen.has(row.id));
      for (const row of fresh) seen.add(row.id);
      considered += fresh.length;
      decisions.push(...planAssignments(fresh.map(toWaiting), candidates, now));
      isQueueLeft = page.length === ROUND_SIZE;
      after = page[page.length - 1] ?? null;
    }
    const events = await applyDecisions(tx, forceId, deps.clock, decisions);
    record(tx, forceId, deps.clock, ...events);
    // Another round helps only if this one stopped at its size with contacts and room left.
    return { assigned: events.length, considered, hasMore: isQueueLeft && decisions.length >= ROUND_SIZE && events.length > 0 && hasRoom(candidates) };
  });
}

/**
 * What the engine would be shown of a force's whole queue at once, read as distribution reads it
 * a page at a time: every waiting contact, and everyone who can take work now with what they
 * hold. For the routing benchmark, which plans the whole queue to compare with distribution.
 */
export async function loadWholeQueue(tx: Tx, forceId: ForceId, now: Date): Promise<{ waiting: WaitingContact[]; candidates: Candidate[] }> {
  const candidates = await loadCandidates(tx, forceId, now);
  const rows = await listAllWaiting(tx, forceId);
  return { waiting: rows.map(toWaiting), candidates };
}

/** Runs rounds until nothing more can be given out; returns the total assigned. */
export async function distributeWaiting(deps: ServiceDeps, forceId: ForceId): Promise<number> {
  let total = 0;
  for (;;) {
    const round = await distributeRound(deps, forceId);
    total += round.assigned;
    if (!round.hasMore) return total;
  }
}
