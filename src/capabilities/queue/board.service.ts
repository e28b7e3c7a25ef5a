import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { notFound } from '../../platform/errors.ts';
import type { StaffRole } from '../../platform/auth/permissions.ts';
import { loadByClass } from './routing.engine.ts';
import { CAPACITY_CLASSES, readCapacity, type CapacityClass, type Presence } from '../staff/staff.schema.ts';
import { loadQueues } from './queues.service.ts';
import { clockState, worstState, type SlaState } from './sla.schema.ts';
import { listOpenAlerts, type AlertView } from './alerts.service.ts';
import { PRESENCE_STALE_AFTER_MS, defaultCapacity, isRoutableRole } from './routing.service.ts';
import { countOpenByQueue, listOpenChannelsHeldBy, listOpenQueuedContacts } from '../contacts/contacts.repository.ts';

export type BoardQueue = {
  id: string;
  key: string;
  name: string;
  isControlRoom: boolean;
  requiredSkills: string[];
  waiting: number;
  assigned: number;
  oldestWaitingSince: string | null;
  threatToLifeWaiting: number;
  sla: { running: number; warning: number; breached: number };
};

export type BoardContact = {
  id: string;
  reference: string;
  channel: string;
  priority: number;
  isThreatToLife: boolean;
  queueName: string | null;
  assignedAt: string | null;
  enqueuedAt: string | null;
  slaState: SlaState | null;
  nextDueAt: string | null;
};

export type BoardStaff = {
  id: string;
  name: string;
  role: string;
  presence: Presence;
  presenceSince: string | null;
  /** Available but the console has not been heard from lately: not given work until it is. */
  isStale: boolean;
  skills: string[];
  capacity: Partial<Record<CapacityClass, number>>;
  load: Partial<Record<CapacityClass, number>>;
  /** Counts the changes of skills and capacity, as the staff list does (decision 0085). */
  profileVersion: number;
  contacts: BoardContact[];
};

export type RoutingBoard = {
  at: string;
  queues: BoardQueue[];
  staff: BoardStaff[];
  waiting: BoardContact[];
  alerts: AlertView[];
};

/**
 * What a supervisor watches: every queue (waiting, assigned, oldest wait, SLA states), every
 * person who works the queue (presence, load against capacity, what they hold), the contacts
 * nobody has yet, and alerts waiting for acknowledgement.
 */
export async function getRoutingBoard(deps: ServiceDeps, forceId: ForceId): Promise<RoutingBoard> {
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const { queues } = await loadQueues(tx, forceId, deps.clock);
    const open = await listOpenQueuedContacts(tx, forceId, 5000);
    const clocks = await tx
      .selectFrom('sla_clocks as k')
      .innerJoin('contacts as c', 'c.id', 'k.contact_id')
      .select(['k.contact_id', 'k.warn_at', 'k.due_at'])
      .where('k.force_id', '=', forceId)
      .where('k.stopped_at', 'is', null)
      .where('c.status', '=', 'open')
      .execute();
    const stateOf = new Map<string, { state: SlaState; dueAt: Date }>();
    for (const k of clocks) {
      const state = clockState({ warnAt: k.warn_at, dueAt: k.due_at, stoppedAt: null, stopReason: null }, now);
      const prior = stateOf.get(k.contact_id);
      const worst = worstState(prior ? [prior.state, state] : [state]) ?? state;
      const dueAt = prior && prior.dueAt < k.due_at ? prior.dueAt : k.due_at;
      stateOf.set(k.contact_id, { state: worst, dueAt });
    }
    const toBoardContact = (row: (typeof open)[number]): BoardContact => ({
      id: row.id,
      reference: row.reference,
      channel: row.channel,
      priority: Number(row.priority),
      isThreatToLife: row.is_threat_to_life,
      queueName: row.queue_name,
      assignedAt: row.assigned_at?.toISOString() ?? null,
      enqueuedAt: row.enqueued_at?.toISOString() ?? null,
      slaState: stateOf.get(row.id)?.state ?? null,
      nextDueAt: stateOf.get(row.id)?.dueAt.toISOString() ?? null,
    });

    // Counted in the database, so a queue longer than the list read above still adds up.
    const counts = new Map((await countOpenByQueue(tx, forceId)).map((row) => [row.queue_id, row]));
    const boardQueues: BoardQueue[] = queues.map((queue) => {
      const inQueue = open.filter((row) => row.queue_id === queue.id);
      const count = counts.get(queue.id);
      const oldest = count?.oldest_waiting ? new Date(count.oldest_waiting) : null;
      const states = inQueue.map((row) => stateOf.get(row.id)?.state);
      return {
        id: queue.id,
        key: queue.key,
        name: queue.name,
        isControlRoom: queue.isControlRoom,
        requiredSkills: queue.requiredSkills,
        waiting: Number(count?.waiting ?? 0),
        assigned: Number(count?.assigned ?? 0),
        oldestWaitingSince: oldest?.toISOString() ?? null,
        threatToLifeWaiting: Number(count?.threat_to_life_waiting ?? 0),
        sla: {
          running: states.filter((s) => s === 'running').length,
          warning: states.filter((s) => s === 'warning').length,
          breached: states.filter((s) => s === 'breached').length,
        },
      };
    });

    const people = await tx
      .selectFrom('staff as s')
      .leftJoin('staff_routing as r', 'r.staff_id', 's.id')
      .select(['s.id', 's.name', 's.role', 'r.presence', 'r.presence_changed_at', 'r.last_seen_at', 'r.skills', 'r.capacity', 'r.profile_version'])
      .where('s.force_id', '=', forceId)
      .where('s.is_active', '=', true)
      .orderBy('s.name')
      .execute();
    const staleBefore = now.getTime() - PRESENCE_STALE_AFTER_MS;
    const staff: BoardStaff[] = people
      .filter((person) => isRoutableRole(person.role as StaffRole))
      .map((person) => {
        const held = open.filter((row) => row.assigned_staff_id === person.id);
        const load = loadByClass(held);
        const capacity = person.capacity === null ? defaultCapacity(person.role as StaffRole) : readCapacity(person.capacity);
        const presence = person.presence ?? 'offline';
        return {
          id: person.id,
          name: person.name,
          role: person.role,
          presence,
          presenceSince: person.presence_changed_at?.toISOString() ?? null,
          isStale: presence === 'available' && (person.last_seen_at?.getTime() ?? 0) < staleBefore,
          skills: person.skills ?? [],
          capacity: Object.fromEntries(CAPACITY_CLASSES.map((k) => [k, capacity[k] ?? 0])),
          load,
          // Someone with no profile yet has their role's, which saving makes version 1.
          profileVersion: person.profile_version ?? 1,
          contacts: held.map(toBoardContact),
        };
      });

    return {
      at: now.toISOString(),
      queues: boardQueues,
      staff,
      waiting: open.filter((row) => !row.assigned_staff_id).slice(0, 200).map(toBoardContact),
      alerts: await listOpenAlerts(tx, forceId),
    };
  });
}

export type MyRouting = {
  presence: Presence;
  presenceSince: string | null;
  skills: string[];
  capacity: Partial<Record<CapacityClass, number>>;
  load: Partial<Record<CapacityClass, number>>;
};

/** A person's own presence, skills, capacity and load. */
export async function getMyRouting(deps: ServiceDeps, forceId: ForceId, staffId: StaffId): Promise<MyRouting> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await tx
      .selectFrom('staff as s')
      .leftJoin('staff_routing as r', 'r.staff_id', 's.id')
      .select(['s.role', 'r.presence', 'r.presence_changed_at', 'r.skills', 'r.capacity'])
      .where('s.force_id', '=', forceId)
      .where('s.id', '=', staffId)
      .executeTakeFirst();
    if (!row) throw notFound('member of staff');
    const held = await listOpenChannelsHeldBy(tx, forceId, staffId);
    const load = loadByClass(held);
    const capacity = row.capacity === null ? defaultCapacity(row.role as StaffRole) : readCapacity(row.capacity);
    return {
      presence: row.presence ?? 'offline',
      presenceSince: row.presence_changed_at?.toISOString() ?? null,
      skills: row.skills ?? [],
      capacity: Object.fromEntries(CAPACITY_CLASSES.map((k) => [k, capacity[k] ?? 0])),
      load,
    };
  });
}
